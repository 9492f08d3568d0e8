"""Serving stored uploads safely: a download by default, never a page the browser renders."""

from __future__ import annotations

from urllib.parse import quote

from django.http import FileResponse

# Raster images may be shown inside articles; everything else (SVG and HTML above all, which
# can carry script) is only ever downloaded.
INLINE_IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """RFC 6266 with an ASCII fallback and the exact name RFC 5987-encoded."""
    fallback = filename.encode("ascii", "replace").decode().replace("?", "_")
    fallback = fallback.replace("\\", "_").replace('"', "_")
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def file_response(
    file, *, filename: str, content_type: str, allow_inline_images: bool = False
) -> FileResponse:
    """The stored file with headers that stop sniffing, scripting and caching by others."""
    inline = allow_inline_images and content_type in INLINE_IMAGE_TYPES
    response = FileResponse(
        file.open("rb"), content_type=content_type if inline else "application/octet-stream"
    )
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
