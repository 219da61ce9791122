"""Writing WARC output: rewritten pages and other files built as records by warcio, other records
copied byte for byte (:class:`WarcOutput`).  warcio is imported lazily (in :func:`_build`)."""

from __future__ import annotations

import datetime
import hashlib
import io
import mimetypes
import re
import uuid
import zlib
from collections.abc import Iterable, Iterator
from typing import Any

from ...atomic import atomic_writer
from ..items import Item
from .bodies import header_field
from .read import END, target_uri
from .records import Span, WarcSource
from .streams import CHUNK, BadGzip, GzipStream, PlainStream, Stream

GZIP_LEVEL = 6
"""Deflate level of a .warc.gz output's members (zlib's default: archives are kept for long)."""

_NOT_COPIED = {
    "warc-block-digest",
    "warc-payload-digest",
    "content-length",
    "warc-refers-to",
    "warc-refers-to-target-uri",
    "warc-refers-to-date",
}
"""WARC fields of a page's record that its rewritten record does not keep (its WARC-Record-ID is replaced)."""
_HTTP_NOT_COPIED = {"content-encoding", "transfer-encoding", "content-md5", "digest", "content-digest", "repr-digest"}
"""HTTP headers that would be false of a rewritten, decoded body."""


_ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:ptce-gloss:warc-record")


def _record_id(identity: str, payload_digest: str) -> str:
    """The WARC-Record-ID of a record gloss writes: a UUID 5 of what it stands for (the original
    record's id, or a file's URI) and of its new payload, so that a rerun writes the same bytes."""
    return f"<urn:uuid:{uuid.uuid5(_ID_NAMESPACE, f'{identity} {payload_digest}')}>"


def _build(
    record_type: str, fields: list[tuple[str, str]], body: bytes, identity: str, version: str = "WARC/1.0", http: Any = None
) -> bytes:
    """A record built by warcio's writer (digests, lengths, Content-Type) from ``fields``, with
    an id from ``identity``: its header block, HTTP header block if any, ``body`` and end."""
    from warcio.statusandheaders import StatusAndHeaders  # type: ignore[import-untyped]
    from warcio.warcwriter import WARCWriter  # type: ignore[import-untyped]

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    # A page's HTTP headers are never empty (they hold its Content-Type): warcio would otherwise
    # look for HTTP headers in the body.
    record = writer.create_warc_record(
        "",
        record_type,
        payload=io.BytesIO(body),
        length=len(body),
        warc_headers=StatusAndHeaders("", fields, protocol=version),
        http_headers=http,
    )
    record.rec_headers.replace_header(
        "WARC-Record-ID", _record_id(identity, record.rec_headers.get_header("WARC-Payload-Digest"))
    )
    writer.write_record(record)
    return out.getvalue()


def _http_headers(status: str, headers: list[tuple[str, str]], length: int) -> Any:
    """The HTTP headers of a rewritten page: the same, but for its length and codings."""
    from warcio.statusandheaders import StatusAndHeaders

    kept, has_length = [], False
    for name, value in headers:
        key = name.lower()
        if key in _HTTP_NOT_COPIED or (key == "content-length" and has_length):
            continue
        if key == "content-length":
            value, has_length = str(length), True
        kept.append((name, value))
    if not has_length:
        kept.append(("Content-Length", str(length)))
    protocol, _, statusline = status.partition(" ")
    return StatusAndHeaders(statusline, kept, protocol=protocol)


def _rewritten(source: WarcSource, body: bytes) -> bytes:
    """A new record for a page whose body changed, referring to the record it replaces.

    Its WARC-Record-ID is made from the original's and the new body's digest (see
    :func:`_record_id`); its other fields are the original's.
    """
    placeholder = "<urn:uuid:00000000-0000-0000-0000-000000000000>"  # replaced by _build
    fields = [
        (name, placeholder if name.lower() == "warc-record-id" else value)
        for name, value in source.warc_headers
        if name.lower() not in _NOT_COPIED
    ]
    target, date = target_uri(source.warc_headers), header_field(source.warc_headers, "WARC-Date")
    if source.record_id is None:
        fields.insert(0, ("WARC-Record-ID", placeholder))
    else:
        fields.append(("WARC-Refers-To", source.record_id))
    if target is not None:
        fields.append(("WARC-Refers-To-Target-URI", target))
    if date is not None:
        fields.append(("WARC-Refers-To-Date", date))
    http = None if source.http_status is None else _http_headers(source.http_status, source.http_headers, len(body))
    kind = header_field(source.warc_headers, "WARC-Type") or "response"
    return _build(kind, fields, body, source.record_id or f"{target} {date}", source.version, http)


def _resource(name: str, data: bytes, mtime: float) -> bytes:
    """A ``resource`` record for a file that did not come from a WARC."""
    try:
        moment = datetime.datetime.fromtimestamp(mtime, datetime.timezone.utc) if mtime > 0 else None
    except (OverflowError, OSError, ValueError):
        moment = None
    moment = moment or datetime.datetime.now(datetime.timezone.utc)
    quoted = re.sub(rb"[^A-Za-z0-9/._~!$&'()*+,;=@-]", lambda m: b"%%%02X" % m[0][0], name.encode("utf-8", "surrogateescape"))
    uri = "file:///" + quoted.decode("ascii")
    fields = [
        ("WARC-Type", "resource"),
        ("WARC-Record-ID", "<urn:uuid:00000000-0000-0000-0000-000000000000>"),  # replaced by _build
        ("WARC-Date", moment.strftime("%Y-%m-%dT%H:%M:%SZ")),
        ("WARC-Target-URI", uri),
        ("Content-Type", mimetypes.guess_type(name)[0] or "application/octet-stream"),
    ]
    return _build("resource", fields, data, uri)


def _span_chunks(span: Span) -> Iterator[bytes]:
    """Read a record back from its file (one too large to be kept in memory)."""
    changed = OSError(f"{span.path}: the record at byte {span.offset} can no longer be read (was the file changed?)")
    with open(span.path, "rb") as handle:
        stream: Stream = GzipStream(handle, span.offset) if span.compressed else PlainStream(handle, span.offset + span.length)
        try:
            if span.compressed:
                stream.skip(span.skip)
            else:
                stream.seek(span.offset)
            left = span.length
            while left:
                chunk = stream.read(min(left, CHUNK))
                if not chunk or (left == span.length and not chunk.startswith(b"WARC/")):
                    raise changed
                left -= len(chunk)
                yield chunk
        except BadGzip:
            raise changed from None
    yield END


class WarcOutput:
    """A WARC file written from a batch's items, renamed into place only when complete.

    A page whose data differs from its original body is written as a new record; any other WARC
    item is copied unchanged; an item from elsewhere becomes a ``resource`` record.  The output is
    gzip-compressed, one member per record, when ``target`` ends with ``.gz``.
    """

    def __init__(self, target: str) -> None:
        self.target = target
        self._compress = target.lower().endswith(".gz")
        self._writer = atomic_writer(target)
        self._handle = self._writer.__enter__()
        self._open, self._broken = True, False

    def write(self, item: Item, data: bytes) -> None:
        """Write one item as a record.

        A page (a :class:`WarcSource` with ``page``) whose ``data`` differs from its original body
        becomes a new ``response`` (or ``resource``) record built by warcio: a new WARC-Record-ID
        (a UUID 5 of the original's and of the new body's digest, the same on every run), the original's
        other fields, ``WARC-Refers-To`` (and ``-Target-URI``, ``-Date``) naming the original, new
        digests and lengths, and its HTTP headers without Content-Encoding and Transfer-Encoding
        (``data`` is written as it is).  Any other WARC item, even one with an error, is copied as
        in its file (``data`` is then ignored).  An item without a WarcSource becomes a
        ``resource`` record at ``file:///`` + its name.

        Raises:
            TypeError: ``data`` is not bytes.
            OSError: the record cannot be written (the output is left as it was before it).
        """
        if not isinstance(data, bytes):
            raise TypeError(f"data must be bytes, not {type(data).__name__}")
        source = item.source
        if not isinstance(source, WarcSource):
            self._put([_resource(item.name, data, item.mtime)])
        elif source.page and source.payload_sha1 not in (None, hashlib.sha1(data).hexdigest()):
            self._put([_rewritten(source, data)])
        elif source.raw is not None:
            self._put([source.raw, END])
        else:
            self._put(_span_chunks(source.span))

    def _put(self, chunks: Iterable[bytes]) -> None:
        """Write one record (one gzip member), or nothing if that fails."""
        if self._broken or not self._open:
            raise OSError(f"{self.target}: the output is closed, or was damaged by an earlier failed write")
        start = self._handle.tell()
        try:
            if self._compress:
                compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
                for chunk in chunks:
                    self._handle.write(compressor.compress(chunk))
                self._handle.write(compressor.flush())
            else:
                for chunk in chunks:
                    self._handle.write(chunk)
        except OSError:
            try:
                self._handle.seek(start)
                self._handle.truncate()
            except OSError:
                self._broken = True
            raise

    def close(self, ok: bool) -> None:
        """Finish the output: rename it into place if ``ok`` (and no write left it damaged), else
        delete it."""
        if not self._open:
            return
        self._open = False
        if ok and not self._broken:
            self._writer.__exit__(None, None, None)
        else:
            self._writer.__exit__(KeyboardInterrupt, KeyboardInterrupt(), None)
