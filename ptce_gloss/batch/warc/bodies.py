"""HTTP body decoding: transfer and content codings (chunked, gzip, deflate, and br when brotli is installed).

brotli is imported only when a body needs it.
"""

from __future__ import annotations

import contextlib
import importlib
import re
import zlib
from collections.abc import Iterable

from .streams import GZIP_MAGIC


class BadPayload(Exception):
    """A page's HTTP body cannot be decoded."""


def header_field(fields: Iterable[tuple[str, str]], name: str) -> str | None:
    """The first value of the field ``name`` (any case), or None."""
    name = name.lower()
    return next((value for key, value in fields if key.lower() == name), None)


def _dechunk(data: bytes) -> bytes:
    """Remove HTTP chunked transfer coding (data that does not start with a chunk is left as is)."""
    chunks: list[bytes] = []
    position = 0
    while position < len(data):
        end = data.find(b"\n", position)
        size_text = data[position:end].split(b";")[0].strip() if end >= 0 else b""
        if not re.fullmatch(rb"[0-9A-Fa-f]{1,15}", size_text):
            if not chunks and position == 0:
                return data  # labelled chunked but stored without the chunks, as some crawlers do
            raise BadPayload(f"malformed chunked body at byte {position}")
        size, start = int(size_text, 16), end + 1
        if size == 0:
            break
        if start + size > len(data):
            raise BadPayload(f"the chunked body is cut short at byte {position}")
        chunks.append(data[start : start + size])
        position = start + size
        position += 2 if data[position : position + 2] == b"\r\n" else 1 if data[position : position + 1] == b"\n" else 0
    return b"".join(chunks)


def _inflate(data: bytes, wbits: int, limit: int, name: str) -> bytes:
    out, rest = [], data
    size = 0
    while rest:
        decompressor = zlib.decompressobj(wbits)
        try:
            out.append(decompressor.decompress(rest, limit + 1 - size))
        except zlib.error as exc:
            raise BadPayload(f"the {name} body is corrupt ({exc})") from None
        size += len(out[-1])
        if size > limit:
            raise BadPayload(f"the body is over --max-size {limit:,} once decompressed; skipped")
        if not decompressor.eof:
            raise BadPayload(f"the {name} body is cut short")
        rest = decompressor.unused_data if decompressor.unused_data.startswith(GZIP_MAGIC) else b""
    return b"".join(out)


def _decode(coding: str, data: bytes, limit: int) -> bytes:
    """Undo one HTTP content or transfer coding."""
    if coding in ("identity", ""):
        return data
    if coding == "chunked":
        return _dechunk(data)
    if coding in ("gzip", "x-gzip"):
        return _inflate(data, 16 + zlib.MAX_WBITS, limit, "gzip")
    if coding == "deflate":  # zlib-wrapped as the standard says, or raw as some servers send it
        with contextlib.suppress(BadPayload):
            return _inflate(data, zlib.MAX_WBITS, limit, "deflate")
        return _inflate(data, -zlib.MAX_WBITS, limit, "deflate")
    if coding == "br":
        try:
            brotli = importlib.import_module("brotli")
        except ImportError:
            raise BadPayload("the body is brotli-compressed; install the brotli package to read it") from None
        try:
            decoded: bytes = brotli.decompress(data)
        except brotli.error as exc:
            raise BadPayload(f"the br body is corrupt ({exc})") from None
        if len(decoded) > limit:
            raise BadPayload(f"the body is over --max-size {limit:,} once decompressed; skipped")
        return decoded
    raise BadPayload(f"unsupported HTTP coding {coding!r}")


def decode_body(body: bytes, headers: list[tuple[str, str]], limit: int) -> bytes:
    """Undo the transfer codings, then the content codings, of an HTTP body (last applied first)."""

    def codings(name: str) -> list[str]:
        return [c.strip().lower() for c in (header_field(headers, name) or "").split(",") if c.strip()]

    for coding in reversed(codings("Content-Encoding") + codings("Transfer-Encoding")):
        body = _decode(coding, body, limit)
    return body
