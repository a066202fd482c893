"""The homepage: banner carousel and visit counters."""
