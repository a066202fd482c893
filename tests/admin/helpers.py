"""Helpers for the admin tests: tiny real images, CSRF tokens, what the homepage shows."""

import io
import re
import struct
import zlib


def png_bytes(width=3, height=1):
    """A real, tiny PNG."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def upload(data, name="banner.png"):
    return (io.BytesIO(data), name)


def slide_titles(response):
    return [
        re.sub(r"<[^>]+>.*", "", t).strip()
        for t in re.findall(r'class="slide-title">(.*?)</h2>', response.data.decode())
    ]
