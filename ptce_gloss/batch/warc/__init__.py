"""WARC web archives: their HTML pages read out for annotation, and the archive written back.

warcio does the WARC and HTTP parts it does well: header blocks are parsed by its
``StatusAndHeadersParser``, and rewritten pages (and files from elsewhere) are built by its
``WARCWriter``, which computes the block and payload digests and lengths.

Records are framed here rather than by warcio's ``ArchiveIterator``: that iterator stops for good at
the first damaged record, swallows gzip errors (writing them to stderr) and cannot give a record's
exact bytes back.  This reader keeps one record in memory at a time, reports each damaged stretch
once with its byte offset and resumes at the next record (the next gzip member whose data starts
with ``WARC/``, or the next ``WARC/1.`` line of an uncompressed file); unchanged records are copied
byte for byte.  (``brotli``, when installed, decodes ``Content-Encoding: br``.)

warcio is imported only when a WARC is read or written: it imports fsspec when that is installed,
which would cost every ``gloss`` command about 50 ms.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...lazy import exports

if TYPE_CHECKING:
    from ..kinds import WARC_SUFFIXES, is_warc
    from .names import MAX_SEGMENT, page_name
    from .read import PAGE_TYPES, read_warc
    from .records import Span, WarcSource
    from .streams import CHUNK
    from .write import GZIP_LEVEL, WarcOutput

_EXPORTS = {
    "MAX_SEGMENT": ".names",
    "page_name": ".names",
    "PAGE_TYPES": ".read",
    "read_warc": ".read",
    "Span": ".records",
    "WARC_SUFFIXES": "..kinds",
    "WarcSource": ".records",
    "is_warc": "..kinds",
    "CHUNK": ".streams",
    "GZIP_LEVEL": ".write",
    "WarcOutput": ".write",
}
__all__ = [
    "CHUNK",
    "GZIP_LEVEL",
    "MAX_SEGMENT",
    "PAGE_TYPES",
    "WARC_SUFFIXES",
    "Span",
    "WarcOutput",
    "WarcSource",
    "is_warc",
    "page_name",
    "read_warc",
]
__getattr__, __dir__ = exports(__name__, _EXPORTS)
