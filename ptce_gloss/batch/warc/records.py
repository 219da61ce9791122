"""What a WARC record is to the rest of the package: where it came from (:class:`WarcSource`,
:class:`Span`), for a WARC output to write it back."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class Span:
    """Where a record lies in its file, to copy one that was not kept in memory."""

    path: str
    offset: int
    """The record's offset in a plain file; the offset of the gzip member it starts in otherwise."""
    skip: int
    """Decompressed bytes before the record, from the start of that member (0 in a plain file)."""
    length: int
    """The record's header block and content block, in bytes."""
    compressed: bool


@dataclass(slots=True)
class WarcSource:
    """What a WARC output needs to write a record back (the ``source`` of a WARC item)."""

    page: bool
    """True for an HTML response or resource (the item's data is its decoded body)."""
    record_id: str | None
    version: str
    """The record's first line, such as ``WARC/1.0``."""
    warc_headers: list[tuple[str, str]]
    http_status: str | None
    """The HTTP status line of a response page, such as ``HTTP/1.1 200 OK``."""
    http_headers: list[tuple[str, str]]
    raw: bytes | None
    """The record as in the file (header and content blocks, uncompressed); None if over the size limit."""
    span: Span
    payload_sha1: str | None = None
    """Hex SHA-1 of a page's decoded body, to tell an unchanged page; None if it could not be decoded."""
