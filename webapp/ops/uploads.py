"""Uploaded images: checked by their content, stored in UPLOAD_FOLDER (the instance folder's
uploads/ by default) with a name we make up, served by the app at /uploads/<name>.

The client's file name is never used: the stored name is random hex plus the extension of
the type the bytes really are, so `../../wsgi.py` or `x.png.php` are harmless. SVG is refused: it can carry script, and it would be served from our own origin.
"""

import os
import re
import secrets
from pathlib import Path

from flask import current_app

URL_PREFIX = "/uploads/"
NAME_PATTERN = re.compile(r"^[0-9a-f]{32}\.(png|jpg|gif|webp)$")

# Leading bytes of each accepted type, and the extension it is stored with.
SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
)


class UploadRejected(ValueError):
    """The file is not an image we accept; the message says why, for the form."""


def upload_dir():
    path = Path(current_app.config["UPLOAD_FOLDER"])
    path.mkdir(parents=True, exist_ok=True)
    return path


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
        raise UploadRejected("Only PNG, JPEG, GIF or WebP images can be uploaded.")
    return data, extension


def store(data, extension):
    """Write the bytes under a fresh random name; returns the URL path to put in the database."""
    name = f"{secrets.token_hex(16)}.{extension}"
    target = upload_dir() / name
    # O_EXCL: never overwrite, even on the (astronomically unlikely) name collision.
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    return URL_PREFIX + name


def stored_path(url):
    """The file behind an /uploads/ URL we generated, or None for anything else."""
    if not url or not url.startswith(URL_PREFIX):
        return None
    name = url[len(URL_PREFIX) :]
    return upload_dir() / name if NAME_PATTERN.match(name) else None


def remove(url):
    """Delete the file behind an /uploads/ URL (no-op for static paths and outside URLs)."""
    path = stored_path(url)
    if path is not None:
        path.unlink(missing_ok=True)
