"""A small PNG made on the spot: the demo's "screenshot" of the leaked drafts."""

from __future__ import annotations

import struct
import zlib


def screenshot_png(width: int = 48, height: int = 32) -> bytes:
    """A valid PNG: a grey page with a dark band, like a forum post with an image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    rows = bytearray()
    for y in range(height):
        rows.append(0)  # no filter
        for x in range(width):
            band = height // 3 <= y < 2 * height // 3 and 4 <= x < width - 4
            rows += bytes((40, 44, 52) if band else (226, 228, 232))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows)))
        + chunk(b"IEND", b"")
    )
