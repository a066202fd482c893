"""Web plumbing shared by every blueprint: error pages, safe links, URL converters, template
helpers, and the few speed-ups that lean on framework internals (speedups.py)."""
