"""Uploaded images: checked by their content, stored in the database (table `upload`) with a
name we make up, served by the app at /uploads/<name> from any web host.

The client's file name is never used: the stored name is random hex plus the extension of
the type the bytes really are, so `../../wsgi.py` or `x.png.php` are harmless. SVG is refused: it can carry script, and it would be served from our own origin.
"""

import re
import secrets

from flask import current_app
from sqlalchemy import delete, select

from webapp.extensions import db
from webapp.ops.errors import UploadRejected
from webapp.ops.models import Upload

URL_PREFIX = "/uploads/"
NAME_PATTERN = re.compile(r"^[0-9a-f]{32}\.(png|jpg|gif|webp)$")

# Leading bytes of each accepted type, and the extension it is stored with.
SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
)


def sniff_type(head):
    """The extension for these leading bytes, or None when they are no accepted image."""
    for signature, extension in SIGNATURES:
        if head.startswith(signature):
            return extension
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def read_checked(stream):
    """The upload's bytes, if it is a PNG, JPEG, GIF or WebP within UPLOAD_MAX_BYTES."""
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise UploadRejected(f"The image is larger than {limit // 1024} KB.")
    if not data:
        raise UploadRejected("The file is empty.")
    extension = sniff_type(data[:16])
    if extension is None:
        raise UploadRejected()
    return data, extension


CONTENT_TYPES = {"png": "image/png", "jpg": "image/jpeg", "gif": "image/gif", "webp": "image/webp"}


def store(data, extension):
    """Keep the bytes under a fresh random name, in the database (so every web host serves
    them); returns the URL path to put in the banner's or sale's row."""
    name = f"{secrets.token_hex(16)}.{extension}"
    db.session.add(Upload(name=name, content_type=CONTENT_TYPES[extension], data=data))
    db.session.commit()
    return URL_PREFIX + name


def _name(url):
    """The stored name behind an /uploads/ URL we generated, or None for anything else."""
    if not url or not url.startswith(URL_PREFIX):
        return None
    name = url[len(URL_PREFIX) :]
    return name if NAME_PATTERN.match(name) else None


def find(name):
    """(bytes, content type) of the upload `name`, or None."""
    row = db.session.execute(select(Upload.data, Upload.content_type).where(Upload.name == name)).first()
    return (row.data, row.content_type) if row else None


def remove(url):
    """Delete the upload behind an /uploads/ URL (no-op for static paths and outside URLs)."""
    name = _name(url)
    if name is not None:
        db.session.execute(delete(Upload).where(Upload.name == name))
        db.session.commit()
