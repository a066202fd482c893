"""Banner editing: every write commits, then invalidates the cached carousel."""
