"""Template filters and globals; templates build every URL with `url_for`."""

from flask import url_for
from markupsafe import Markup

from webapp.clock import epoch_ms, local, parse_any, relative, utcnow


def static_url(filename):
    """The URL of a file in static/."""
    return url_for("static", filename=filename)


#: What a sale or banner saved without an image shows (the admin form and the CLI allow none).
NO_IMAGE = "img/flash_sales/placeholder.svg"


def image_src(image):
    """A banner or product image: a full URL or absolute path as is, else a file in static/."""
    if not image:
        return static_url(NO_IMAGE)
    if image.startswith(("http://", "https://", "/")):
        return image
    return static_url(image)


def when(value):
    """A time for people, in the site's TIMEZONE: "12:50:50 (8 s ago)" (a date first when not
    today), the full value in the title. For datetimes and ISO texts; "—" for None."""
    if not value:
        return "—"
    moment = parse_any(value)
    shown = local(moment)
    clock_text = shown.strftime("%H:%M:%S" if shown.date() == local(utcnow()).date() else "%Y-%m-%d %H:%M:%S")
    full = shown.strftime("%Y-%m-%d %H:%M:%S.%f %Z")
    return Markup(
        f'<time datetime="{moment.isoformat()}" title="{full}">{clock_text} ({relative(moment)})</time>'
    )


def sale_time(moment):
    """A stored (UTC) time for people, in the site's TIMEZONE: 2026-11-27 14:00 UTC."""
    return local(moment).strftime("%Y-%m-%d %H:%M %Z")


def register(app):
    app.add_template_filter(image_src)
    app.add_template_filter(epoch_ms)
    app.add_template_filter(sale_time)
    app.add_template_filter(when)
    app.jinja_env.globals["site_name"] = app.config["SITE_NAME"]
