"""Template filters and globals."""

from flask import url_for


def image_src(image):
    """A banner or product image: a full URL or absolute path as is, else a file in static/."""
    if image.startswith(("http://", "https://", "/")):
        return image
    return url_for("static", filename=image)


def register(app):
    app.add_template_filter(image_src)
    app.jinja_env.globals["site_name"] = app.config["SITE_NAME"]
