"""Every Redis key of the site statistics, built in this one place."""


def total_visits():
    """String (INCR): every homepage visit ever counted."""
    return "visits:total"


def day_visits(day):
    """String (INCR): the homepage visits of `day` (the site's TIMEZONE); expires after
    VISIT_DAY_KEY_DAYS."""
    return f"visits:day:{day.isoformat()}"


def day_visitors(day):
    """HyperLogLog: the visitor cookies seen on `day`; expires after VISIT_DAY_KEY_DAYS."""
    return f"visitors:day:{day.isoformat()}"


def banner_clicks():
    """Sorted set: banner id -> clicks (once per visitor a day)."""
    return "rank:banner-clicks"


def banner_clickers(banner_id, day):
    """Set: the visitors (keyed hashes of their address) who clicked the banner on `day`; it
    expires, so anonymous clicks leave nothing for good."""
    return f"rank:banner-clicks:seen:{day.isoformat()}:{banner_id}"


def sale_views():
    """Sorted set: flash sale id -> page views."""
    return "rank:sale-views"
