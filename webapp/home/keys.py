"""Every Redis key of the homepage, built in this one place (its counters are the stats')."""


def banner_list_cache():
    """The cached banner list's name (webapp.caching.CachedJSON builds its keys from it)."""
    return "banners:active"
