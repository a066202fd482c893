"""Template filters and globals."""

from datetime import UTC

from flask import url_for


def image_src(image):
    """A banner or product image: a full URL or absolute path as is, else a file in static/."""
    if image.startswith(("http://", "https://", "/")):
        return image
    return url_for("static", filename=image)


def _utc(moment):
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def epoch_ms(moment):
    """A stored (UTC) datetime as milliseconds since the epoch, for the page's JavaScript."""
    return int(_utc(moment).timestamp() * 1000)


def sale_time(moment):
    """A stored (UTC) datetime for people: 2026-11-27 14:00 UTC."""
    return _utc(moment).strftime("%Y-%m-%d %H:%M UTC")


def register(app):
    app.add_template_filter(image_src)
    app.add_template_filter(epoch_ms)
    app.add_template_filter(sale_time)
    app.jinja_env.globals["site_name"] = app.config["SITE_NAME"]
