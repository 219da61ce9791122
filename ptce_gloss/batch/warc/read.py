"""Reading WARC records: record framing across damage, header parsing, pages told from other records.

See the package docstring (:mod:`ptce_gloss.warc`) for why records are framed here rather than by
warcio's ``ArchiveIterator``.  warcio is imported lazily (in :func:`_parser`).  The byte streams are
in :mod:`ptce_gloss.warc.streams`, HTTP body decoding in :mod:`ptce_gloss.warc.bodies`.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO

from ..items import Item, too_large
from .bodies import BadPayload, decode_body, header_field
from .names import page_name
from .records import Span, WarcSource
from .streams import GZIP_MAGIC, BadGzip, GzipStream, PlainStream, Stream, find_member

PAGE_TYPES = ("text/html", "application/xhtml+xml")
MARKDOWN_TYPES = ("text/markdown", "text/x-markdown")
_MAX_HEADER = 1 << 16
"""Longest WARC or HTTP header block read, in bytes."""
_RECORD_START = b"\nWARC/1."
END = b"\r\n\r\n"


class _BadRecord(Exception):
    """The bytes at ``position`` of the (decompressed) stream are not a well-formed record."""

    def __init__(self, position: int, why: str) -> None:
        super().__init__(why)
        self.position, self.why = position, why


@dataclass(slots=True)
class _Raw:
    """One record as framed: its header block, parsed fields, and content when it fits the limit."""

    start: int
    header: bytes
    version: str
    fields: list[tuple[str, str]]
    length: int
    content: bytes | None


def _read_record(stream: Stream, limit: int) -> _Raw | None:
    """Read the next record (None at the end); its content only if at most ``limit`` bytes."""
    line = stream.readline(_MAX_HEADER)
    while line in (b"\r\n", b"\n"):
        line = stream.readline(_MAX_HEADER)
    if not line:
        return None
    start = stream.tell() - len(line)
    stream.forget(start)
    if not line.startswith(b"WARC/"):
        raise _BadRecord(start, f"no WARC record header here (found {line[:24]!r})")
    lines = [line]
    size = len(line)
    while lines[-1] not in (b"\r\n", b"\n"):
        line = stream.readline(_MAX_HEADER - size)
        if not line.endswith(b"\n"):
            raise _BadRecord(start, "the record header is cut short, or over 64 KiB")
        lines.append(line)
        size += len(line)
    fields = _parse_block(lines)[1]
    declared = header_field(fields, "Content-Length") or ""
    if not declared.isdigit():
        raise _BadRecord(start, f"no valid Content-Length in the record header (found {declared!r})")
    length = int(declared)
    content = stream.read(length) if length <= limit else None
    got = stream.skip(length) if content is None else len(content)
    if got < length:
        raise _BadRecord(start, f"the record is cut short (Content-Length {length:,}, {got:,} bytes left)")
    end = stream.read(len(END))
    if end != END and (len(end) == len(END) or end.strip(b"\r\n")):
        raise _BadRecord(start, "the record does not end where its Content-Length says")
    stream.settle()
    version = lines[0].rstrip(b"\r\n").decode("ascii", "replace")
    return _Raw(start, b"".join(lines), version, fields, length, content)


@functools.cache
def _parser() -> Any:
    from warcio.statusandheaders import StatusAndHeadersParser  # type: ignore[import-untyped]

    return StatusAndHeadersParser([], verify=False)


def _parse_block(lines: list[bytes]) -> tuple[str, list[tuple[str, str]]]:
    """Parse a header block (its first line, its fields, the blank line that ends it) with warcio.

    Returns the first line and the fields (``Name: value``; continuation lines joined; each line
    read as UTF-8, or as Latin-1 if it is not).  Lines of white space only are dropped first: warcio
    would take one for the end of the block.
    """
    block = b"".join(line for line in lines if line.strip()) + b"\r\n"
    parsed = _parser().parse(io.BytesIO(block))
    first = f"{parsed.protocol} {parsed.statusline}" if parsed.statusline else parsed.protocol
    return first, [(name, value) for name, value in parsed.headers]


def _media_type(value: str | None) -> tuple[str | None, str | None]:
    """Split a Content-Type into its media type (lower case) and charset parameter."""
    if not value:
        return None, None
    media, *params = value.split(";")
    charset = None
    for param in params:
        key, _, found = param.partition("=")
        if key.strip().lower() == "charset" and found.strip().strip("\"'"):
            charset = found.strip().strip("\"'")
    return media.strip().lower(), charset


def target_uri(fields: list[tuple[str, str]]) -> str | None:
    uri = header_field(fields, "WARC-Target-URI")
    if uri and uri.startswith("<") and uri.endswith(">"):  # as Wget 1.19 wrote it
        uri = uri[1:-1]
    return uri or None


_DATE = re.compile(r"(\d{4})-(\d\d)-(\d\d)(?:T(\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,9}))?)?Z?)?")


def _timestamp(value: str | None) -> float:
    """A WARC-Date as a POSIX timestamp (0.0 if absent or unreadable)."""
    found = _DATE.fullmatch(value.strip()) if value else None
    if not found:
        return 0.0
    year, month, day, hour, minute, second = (int(part or 0) for part in found.groups()[:6])
    try:
        moment = datetime.datetime(year, month, day, hour, minute, second, tzinfo=datetime.timezone.utc)
    except ValueError:
        return 0.0
    return moment.timestamp() + float(f"0.{found[7] or 0}")


def _split_http(content: bytes) -> tuple[str, list[tuple[str, str]], bytes] | None:
    """Split an HTTP message into status line, headers and body; None if it is not one."""
    if not content.startswith(b"HTTP/"):
        return None
    lines, position = [], 0
    while True:
        end = content.find(b"\n", position, _MAX_HEADER)
        if end < 0:
            return None
        line, position = content[position : end + 1], end + 1
        if line in (b"\r\n", b"\n"):
            break
        lines.append(line)
    status, headers = _parse_block(lines)
    return status, headers, content[position:]


def _page_parts(fields: list[tuple[str, str]], content: bytes) -> tuple[str | None, list[tuple[str, str]], bytes] | None:
    """The HTTP status, headers and undecoded body of an HTML response or resource; None otherwise.

    Segmented records and partial (206) responses are not pages: their body is not a whole page.
    """
    kind = (header_field(fields, "WARC-Type") or "").lower()
    if header_field(fields, "WARC-Segment-Number") is not None or target_uri(fields) is None:
        return None
    status: str | None
    headers: list[tuple[str, str]]
    if kind == "resource":
        media = _media_type(header_field(fields, "Content-Type"))[0]
        status, headers, body = None, [], content
    elif kind == "response":
        record_type = _media_type(header_field(fields, "Content-Type"))[0]
        http = _split_http(content) if record_type in ("application/http", None) else None
        if http is None or http[0].split()[1:2] == ["206"]:
            return None
        status, headers, body = http
        media = _media_type(header_field(headers, "Content-Type"))[0]
    else:
        return None
    return (status, headers, body) if media in PAGE_TYPES or media in MARKDOWN_TYPES else None


class _Reader:
    """Turns the records of one WARC file into items, across damage."""

    def __init__(self, handle: BinaryIO, path: Path, max_size: int) -> None:
        self.handle, self.path, self.max_size = handle, path, max_size
        self.size = os.fstat(handle.fileno()).st_size
        self.compressed = handle.read(2) == GZIP_MAGIC[:2]
        handle.seek(0)
        self.stream: Stream = GzipStream(handle) if self.compressed else PlainStream(handle, self.size)
        self.number = 0
        self.damaged = False  # in a damaged stretch already reported
        self.found_any = False

    def items(self) -> Iterator[Item]:

        if self.size == 0:
            yield Item(self.path.name, error="an empty file, not a WARC file")
            return
        while True:
            problem: _BadRecord | BadGzip
            try:
                raw = _read_record(self.stream, self.max_size + _MAX_HEADER)
                if raw is None:
                    return
                item = self._item(raw)
            except (_BadRecord, BadGzip) as exc:
                problem = exc
            else:
                self.damaged, self.found_any = False, True
                yield item
                continue
            if not self.damaged:
                self.damaged = True
                yield Item(self.path.name, error=self._damage_message(problem))
            if not self._resync(problem):
                return

    def _damage_message(self, problem: _BadRecord | BadGzip) -> str:
        offset = problem.offset if isinstance(problem, BadGzip) else self.stream.locate(problem.position)[0]
        hint = "; is it a WARC file?" if offset == 0 and not self.found_any and isinstance(problem, _BadRecord) else ""
        return f"damaged from byte {offset}: {problem.why}{hint}"

    def _resync(self, problem: _BadRecord | BadGzip) -> bool:
        """Move to the next record after the damage; False if there is none."""
        if isinstance(problem, _BadRecord):
            try:
                self.stream.seek(problem.position + 1)
                return self.stream.find(_RECORD_START)
            except BadGzip as exc:
                problem = exc
        found = find_member(self.handle, problem.offset + 1)
        if found is None or not isinstance(self.stream, GzipStream):
            return False
        self.stream.restart(found)
        return True

    def _item(self, raw: _Raw) -> Item:

        self.number += 1
        uri = target_uri(raw.fields)
        record_id = header_field(raw.fields, "WARC-Record-ID")
        span = Span(str(self.path.resolve()), *self.stream.locate(raw.start), len(raw.header) + raw.length, self.compressed)
        source = WarcSource(False, record_id, raw.version, raw.fields, None, [], None, span)
        mtime = _timestamp(header_field(raw.fields, "WARC-Date"))
        name, label = f"records/{self.number:06d}.warc", uri or record_id
        too_big = too_large(raw.length, self.max_size)
        if raw.content is None:
            return Item(name, error=too_big, annotate=False, mtime=mtime, label=label, source=source)
        source.raw = raw.header + raw.content
        parts = _page_parts(raw.fields, raw.content)
        if parts is None:
            error = too_big if raw.length > self.max_size else None
            data = None if error else source.raw
            return Item(name, data, error, annotate=False, mtime=mtime, label=label, source=source)
        assert uri is not None
        status, headers, body = parts
        source = replace(source, page=True, http_status=status, http_headers=headers)
        policies = tuple(value for key, value in headers or () if key.strip().lower() == "content-security-policy")
        markdown = (
            _media_type(
                header_field(headers, "Content-Type") if status is not None else header_field(raw.fields, "Content-Type")
            )[0]
            in MARKDOWN_TYPES
        )
        page = Item(page_name(uri, markdown), mtime=mtime, label=uri, source=source, url=uri, policies=policies)
        if len(body) > self.max_size:
            page.error = too_large(len(body), self.max_size)
            return page
        try:
            page.data = decode_body(body, headers, self.max_size)
        except BadPayload as exc:
            page.error = str(exc)
            return page
        source.payload_sha1 = hashlib.sha1(page.data).hexdigest()
        page.encoding = _media_type(header_field(headers if status else raw.fields, "Content-Type"))[1]
        return page


def read_warc(path: Path | str, max_size: int) -> Iterator[Item]:
    """Yield the records of a WARC file (plain or gzip-compressed), one at a time.

    HTML responses and resources (``text/html``, ``application/xhtml+xml``) come as items to
    annotate: their data is the HTTP body with its transfer and content codings removed, named by
    :func:`page_name` and labelled by their URL.  Every other record comes as an item not to
    annotate whose data is the record's bytes, named ``records/NNNNNN.warc`` (its rank in the
    file).  Each item's ``source`` is a :class:`WarcSource`, for :class:`WarcOutput`.

    Bad input never raises: a damaged stretch of the file (a corrupt or cut gzip member, a malformed
    record, a file that is not a WARC) becomes one item whose error names its byte offset, and
    reading resumes at the next record.  A record over ``max_size``, or a page that cannot be
    decoded, becomes an item with an error and its ``source`` set, so that a WARC output can still
    copy it unchanged (``WarcOutput.write``; a batch does).

    Args:
        path: the WARC file.
        max_size: the largest payload read, in bytes (a page's body, or a record's content).

    Yields:
        The items, in file order.
    """

    path = Path(path)
    try:
        with open(path, "rb") as handle:
            yield from _Reader(handle, path, max_size).items()
    except OSError as exc:
        yield Item(path.name, error=f"cannot read: {exc.strerror or exc}")
