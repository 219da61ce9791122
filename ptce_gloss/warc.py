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

import contextlib
import datetime
import functools
import hashlib
import importlib
import io
import mimetypes
import os
import re
import uuid
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol

from .atomic import atomic_writer

if TYPE_CHECKING:
    from .batch import Item  # batch.py imports this module: Item is imported where it is used

WARC_SUFFIXES = (".warc", ".warc.gz")
GZIP_LEVEL = 6
"""Deflate level of a .warc.gz output's members (zlib's default: archives are kept for long)."""
PAGE_TYPES = ("text/html", "application/xhtml+xml")
_CHUNK = 1 << 16
_MAX_HEADER = 1 << 16
"""Longest WARC or HTTP header block read, in bytes."""
_GZIP_MAGIC = b"\x1f\x8b\x08"
_RECORD_START = b"\nWARC/1."
_END = b"\r\n\r\n"


def is_warc(path: str) -> bool:
    """Tell whether ``path`` names a WARC file (``.warc`` or ``.warc.gz``, any case)."""
    return path.lower().endswith(WARC_SUFFIXES)


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


# --- reading ---------------------------------------------------------------------------------------


class _BadRecord(Exception):
    """The bytes at ``position`` of the (decompressed) stream are not a well-formed record."""

    def __init__(self, position: int, why: str) -> None:
        super().__init__(why)
        self.position, self.why = position, why


class _BadGzip(Exception):
    """The gzip member at file offset ``offset`` cannot be decompressed."""

    def __init__(self, offset: int, why: str) -> None:
        super().__init__(why)
        self.offset, self.why = offset, why


class _BadPayload(Exception):
    """A page's HTTP body cannot be decoded."""


class _Stream(Protocol):
    def tell(self) -> int: ...
    def read(self, size: int) -> bytes: ...
    def readline(self, limit: int) -> bytes: ...
    def skip(self, size: int) -> int: ...
    def find(self, needle: bytes) -> bool: ...
    def seek(self, position: int) -> None: ...
    def settle(self) -> None: ...
    def forget(self, position: int) -> None: ...
    def locate(self, position: int) -> tuple[int, int]: ...


class _PlainStream:
    """An uncompressed WARC file: positions are file offsets."""

    def __init__(self, handle: BinaryIO, size: int) -> None:
        self._handle, self._size = handle, size

    def tell(self) -> int:
        return self._handle.tell()

    def read(self, size: int) -> bytes:
        return self._handle.read(size)

    def readline(self, limit: int) -> bytes:
        return self._handle.readline(limit)

    def skip(self, size: int) -> int:
        start = self._handle.tell()
        return self._handle.seek(min(start + size, self._size)) - start

    def find(self, needle: bytes) -> bool:
        """Move to the next occurrence of ``needle`` (True), or to the end (False)."""
        base, data = self._handle.tell(), b""
        while chunk := self._handle.read(_CHUNK):
            data += chunk
            index = data.find(needle)
            if index >= 0:
                self._handle.seek(base + index)
                return True
            cut = max(0, len(data) - len(needle) + 1)
            base, data = base + cut, data[cut:]
        return False

    def seek(self, position: int) -> None:
        self._handle.seek(position)

    def settle(self) -> None:
        pass

    def forget(self, position: int) -> None:
        pass

    def locate(self, position: int) -> tuple[int, int]:
        return position, 0


class _GzipStream:
    """The decompressed data of a .warc.gz file, its members one after the other.

    Positions count decompressed bytes; ``locate`` maps one back to its member's file offset.
    """

    def __init__(self, handle: BinaryIO, offset: int = 0) -> None:
        self._handle = handle
        self._position = 0
        self.restart(offset)

    def restart(self, offset: int) -> None:
        """Start reading the member at file offset ``offset``, forgetting what was buffered."""
        self._handle.seek(offset)
        self._input, self._input_offset = b"", offset
        self._z: zlib._Decompress | None = None
        self._member = offset
        self._buffer = bytearray()
        self._marks: list[tuple[int, int]] = []  # (position where a member starts, its file offset)

    def _start_member(self) -> bool:
        """Begin the next gzip member; False at the end of the file."""
        while True:
            stripped = self._input.lstrip(b"\0")  # zero padding between members is allowed
            self._input_offset += len(self._input) - len(stripped)
            self._input = stripped
            if len(self._input) >= len(_GZIP_MAGIC):
                break
            more = self._handle.read(_CHUNK)
            if not more:
                if self._input:
                    raise _BadGzip(self._input_offset, "stray bytes after the last gzip member")
                return False
            self._input += more
        if not self._input.startswith(_GZIP_MAGIC):
            raise _BadGzip(self._input_offset, f"not a gzip member (found {self._input[:8]!r})")
        self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._member = self._input_offset
        self._marks.append((self._position + len(self._buffer), self._member))
        return True

    def _step(self) -> None:
        """Decompress some more of the current member."""
        assert self._z is not None
        if not self._input:
            self._input = self._handle.read(_CHUNK)
            if not self._input:
                raise _BadGzip(self._member, "the gzip member is cut short (the file ends inside it)")
        try:
            out = self._z.decompress(self._input, _CHUNK)
        except zlib.error as exc:
            raise _BadGzip(self._member, f"corrupt gzip data ({exc})") from None
        rest = self._z.unused_data if self._z.eof else self._z.unconsumed_tail
        self._input_offset += len(self._input) - len(rest)
        self._input = rest
        self._buffer += out
        if self._z.eof:
            self._z = None

    def _fill(self, want: int) -> None:
        while len(self._buffer) < want:
            if self._z is None and not self._start_member():
                return
            self._step()

    def _consume(self, size: int) -> bytes:
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        self._position += len(data)
        return data

    def tell(self) -> int:
        return self._position

    def read(self, size: int) -> bytes:
        self._fill(size)
        return self._consume(size)

    def readline(self, limit: int) -> bytes:
        scanned = 0
        while True:
            index = self._buffer.find(b"\n", scanned, limit)
            if index >= 0:
                return self._consume(index + 1)
            if len(self._buffer) >= limit:
                return self._consume(limit)
            scanned = len(self._buffer)
            self._fill(scanned + 1)
            if len(self._buffer) == scanned:
                return self._consume(scanned)

    def skip(self, size: int) -> int:
        done = 0
        while done < size:
            self._fill(min(size - done, _CHUNK))
            taken = len(self._consume(min(size - done, len(self._buffer))))
            if not taken:
                break
            done += taken
        return done

    def find(self, needle: bytes) -> bool:
        """Move to the next occurrence of ``needle`` (True), or to the end (False)."""
        while True:
            index = self._buffer.find(needle)
            if index >= 0:
                self._consume(index)
                return True
            self._consume(max(0, len(self._buffer) - len(needle) + 1))
            before = len(self._buffer)
            self._fill(before + 1)
            if len(self._buffer) == before:
                self._consume(before)
                return False

    def seek(self, position: int) -> None:
        """Go back to ``position``: decompress its member again from the start."""
        member, skip = self.locate(position)
        self.restart(member)
        self._position = position - skip
        self.skip(skip)

    def settle(self) -> None:
        """Decompress to the end of the current member if nothing else is buffered, so that its
        checksum is verified before the record that ends it is handed out."""
        while not self._buffer and self._z is not None:
            self._step()

    def forget(self, position: int) -> None:
        """Drop the member marks before the one holding ``position`` (one per member would pile up)."""
        keep = 0
        for index, (start, _offset) in enumerate(self._marks):
            if start <= position:
                keep = index
        del self._marks[:keep]

    def locate(self, position: int) -> tuple[int, int]:
        for start, offset in reversed(self._marks):
            if start <= position:
                return offset, position - start
        raise AssertionError(f"position {position} is before the first known member")


@dataclass(slots=True)
class _Raw:
    """One record as framed: its header block, parsed fields, and content when it fits the limit."""

    start: int
    header: bytes
    version: str
    fields: list[tuple[str, str]]
    length: int
    content: bytes | None


def _read_record(stream: _Stream, limit: int) -> _Raw | None:
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
    declared = _field(fields, "Content-Length") or ""
    if not declared.isdigit():
        raise _BadRecord(start, f"no valid Content-Length in the record header (found {declared!r})")
    length = int(declared)
    content = stream.read(length) if length <= limit else None
    got = stream.skip(length) if content is None else len(content)
    if got < length:
        raise _BadRecord(start, f"the record is cut short (Content-Length {length:,}, {got:,} bytes left)")
    end = stream.read(len(_END))
    if end != _END and (len(end) == len(_END) or end.strip(b"\r\n")):
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


def _field(fields: Iterable[tuple[str, str]], name: str) -> str | None:
    """The first value of the field ``name`` (any case), or None."""
    name = name.lower()
    return next((value for key, value in fields if key.lower() == name), None)


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


def _target(fields: list[tuple[str, str]]) -> str | None:
    uri = _field(fields, "WARC-Target-URI")
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
    kind = (_field(fields, "WARC-Type") or "").lower()
    if _field(fields, "WARC-Segment-Number") is not None or _target(fields) is None:
        return None
    status: str | None
    headers: list[tuple[str, str]]
    if kind == "resource":
        media = _media_type(_field(fields, "Content-Type"))[0]
        status, headers, body = None, [], content
    elif kind == "response":
        record_type = _media_type(_field(fields, "Content-Type"))[0]
        http = _split_http(content) if record_type in ("application/http", None) else None
        if http is None or http[0].split()[1:2] == ["206"]:
            return None
        status, headers, body = http
        media = _media_type(_field(headers, "Content-Type"))[0]
    else:
        return None
    return (status, headers, body) if media in PAGE_TYPES else None


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
            raise _BadPayload(f"malformed chunked body at byte {position}")
        size, start = int(size_text, 16), end + 1
        if size == 0:
            break
        if start + size > len(data):
            raise _BadPayload(f"the chunked body is cut short at byte {position}")
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
            raise _BadPayload(f"the {name} body is corrupt ({exc})") from None
        size += len(out[-1])
        if size > limit:
            raise _BadPayload(f"the body is over --max-size {limit:,} once decompressed; skipped")
        if not decompressor.eof:
            raise _BadPayload(f"the {name} body is cut short")
        rest = decompressor.unused_data if decompressor.unused_data.startswith(_GZIP_MAGIC) else b""
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
        with contextlib.suppress(_BadPayload):
            return _inflate(data, zlib.MAX_WBITS, limit, "deflate")
        return _inflate(data, -zlib.MAX_WBITS, limit, "deflate")
    if coding == "br":
        try:
            brotli = importlib.import_module("brotli")
        except ImportError:
            raise _BadPayload("the body is brotli-compressed; install the brotli package to read it") from None
        try:
            decoded: bytes = brotli.decompress(data)
        except brotli.error as exc:
            raise _BadPayload(f"the br body is corrupt ({exc})") from None
        if len(decoded) > limit:
            raise _BadPayload(f"the body is over --max-size {limit:,} once decompressed; skipped")
        return decoded
    raise _BadPayload(f"unsupported HTTP coding {coding!r}")


def _decode_body(body: bytes, headers: list[tuple[str, str]], limit: int) -> bytes:
    """Undo the transfer codings, then the content codings, of an HTTP body (last applied first)."""

    def codings(name: str) -> list[str]:
        return [c.strip().lower() for c in (_field(headers, name) or "").split(",") if c.strip()]

    for coding in reversed(codings("Content-Encoding") + codings("Transfer-Encoding")):
        body = _decode(coding, body, limit)
    return body


class _Reader:
    """Turns the records of one WARC file into items, across damage."""

    def __init__(self, handle: BinaryIO, path: Path, max_size: int) -> None:
        self.handle, self.path, self.max_size = handle, path, max_size
        self.size = os.fstat(handle.fileno()).st_size
        self.compressed = handle.read(2) == _GZIP_MAGIC[:2]
        handle.seek(0)
        self.stream: _Stream = _GzipStream(handle) if self.compressed else _PlainStream(handle, self.size)
        self.number = 0
        self.damaged = False  # in a damaged stretch already reported
        self.found_any = False

    def items(self) -> Iterator[Item]:
        from .batch import Item

        if self.size == 0:
            yield Item(self.path.name, error="an empty file, not a WARC file")
            return
        while True:
            problem: _BadRecord | _BadGzip
            try:
                raw = _read_record(self.stream, self.max_size + _MAX_HEADER)
                if raw is None:
                    return
                item = self._item(raw)
            except (_BadRecord, _BadGzip) as exc:
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

    def _damage_message(self, problem: _BadRecord | _BadGzip) -> str:
        offset = problem.offset if isinstance(problem, _BadGzip) else self.stream.locate(problem.position)[0]
        hint = "; is it a WARC file?" if offset == 0 and not self.found_any and isinstance(problem, _BadRecord) else ""
        return f"damaged from byte {offset}: {problem.why}{hint}"

    def _resync(self, problem: _BadRecord | _BadGzip) -> bool:
        """Move to the next record after the damage; False if there is none."""
        if isinstance(problem, _BadRecord):
            try:
                self.stream.seek(problem.position + 1)
                return self.stream.find(_RECORD_START)
            except _BadGzip as exc:
                problem = exc
        found = _find_member(self.handle, problem.offset + 1)
        if found is None or not isinstance(self.stream, _GzipStream):
            return False
        self.stream.restart(found)
        return True

    def _item(self, raw: _Raw) -> Item:
        from .batch import Item

        self.number += 1
        uri = _target(raw.fields)
        record_id = _field(raw.fields, "WARC-Record-ID")
        span = Span(str(self.path.resolve()), *self.stream.locate(raw.start), len(raw.header) + raw.length, self.compressed)
        source = WarcSource(False, record_id, raw.version, raw.fields, None, [], None, span)
        mtime = _timestamp(_field(raw.fields, "WARC-Date"))
        name, label = f"records/{self.number:06d}.warc", uri or record_id
        too_big = f"{raw.length:,} bytes, over --max-size {self.max_size:,}; skipped"
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
        page = Item(page_name(uri), mtime=mtime, label=uri, source=source)
        if len(body) > self.max_size:
            page.error = f"{len(body):,} bytes, over --max-size {self.max_size:,}; skipped"
            return page
        try:
            page.data = _decode_body(body, headers, self.max_size)
        except _BadPayload as exc:
            page.error = str(exc)
            return page
        source.payload_sha1 = hashlib.sha1(page.data).hexdigest()
        page.encoding = _media_type(_field(headers if status else raw.fields, "Content-Type"))[1]
        return page


def _find_member(handle: BinaryIO, start: int) -> int | None:
    """The offset of the first gzip member at or after ``start`` whose data begins with ``WARC/``."""
    position, tail = start, b""
    handle.seek(position)
    while chunk := handle.read(_CHUNK):
        data, base = tail + chunk, position - len(tail)
        index = data.find(_GZIP_MAGIC)
        while index >= 0:
            if _is_warc_member(handle, base + index):
                return base + index
            index = data.find(_GZIP_MAGIC, index + 1)
        position += len(chunk)
        tail = data[-(len(_GZIP_MAGIC) - 1) :]
        handle.seek(position)
    return None


def _is_warc_member(handle: BinaryIO, offset: int) -> bool:
    handle.seek(offset)
    decompressor, out = zlib.decompressobj(16 + zlib.MAX_WBITS), b""
    for _ in range(16):
        chunk = handle.read(4096)
        if not chunk:
            break
        try:
            out += decompressor.decompress(chunk, 64)
        except zlib.error:
            return False
        if len(out) >= 5 or decompressor.eof:
            break
    return out.startswith(b"WARC/")


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
    from .batch import Item

    path = Path(path)
    try:
        with open(path, "rb") as handle:
            yield from _Reader(handle, path, max_size).items()
    except OSError as exc:
        yield Item(path.name, error=f"cannot read: {exc.strerror or exc}")


# --- page names ------------------------------------------------------------------------------------

_URL = re.compile(r"(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?://([^/?#]*))?([^?#]*)(?:\?([^#]*))?", re.DOTALL)
_ILLEGAL = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*\ud800-\udfff]')
_RESERVED = re.compile(r"(?i)(?:con|prn|aux|nul|com[0-9]|lpt[0-9])(?:\..*)?")
_PAGE_SUFFIXES = (".html", ".htm", ".xhtml")
_DEFAULT_PORTS = {"http": "80", "https": "443"}
MAX_SEGMENT = 200
"""Longest file or folder name :func:`page_name` makes, in UTF-8 bytes."""


def _unquote(text: str) -> str:
    """Percent-decode ``text`` if the result is UTF-8; leave it as it is otherwise."""
    if "%" not in text:
        return text
    raw = re.sub(rb"%([0-9A-Fa-f]{2})", lambda m: bytes([int(m[1], 16)]), text.encode("utf-8", "surrogatepass"))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return text


def _fit(stem: str, suffix: str) -> str:
    """``stem + suffix``, the stem cut and given a hash if the whole is over MAX_SEGMENT bytes."""
    if len((stem + suffix).encode("utf-8")) <= MAX_SEGMENT:
        return stem + suffix
    digest = hashlib.sha1(stem.encode("utf-8")).hexdigest()[:10]
    room = MAX_SEGMENT - len(suffix.encode("utf-8")) - len(digest) - 1
    return stem.encode("utf-8")[:room].decode("utf-8", "ignore") + "_" + digest + suffix


def _folder(text: str) -> str:
    """A folder name valid on common file systems (Windows being the strictest)."""
    text = _ILLEGAL.sub("_", text)
    if not text.strip("."):
        text = "_" * len(text)
    if text[-1] in ". ":
        text = text[:-1] + "_"
    text = _fit(text, "")
    return "_" + text if _RESERVED.fullmatch(text) else text


def _host(scheme: str, authority: str | None) -> str:
    host = authority.rpartition("@")[2] if authority else ""
    port = ""
    if host.startswith("["):  # an IPv6 address
        end = host.find("]")
        if end > 0 and host[end + 1 : end + 2] == ":":
            host, port = host[: end + 1], host[end + 2 :]
    elif ":" in host:
        host, port = host.rsplit(":", 1)
    if port and not port.isdigit():
        host, port = f"{host}:{port}", ""
    if port == _DEFAULT_PORTS.get(scheme):
        port = ""
    host = _unquote(host).lower()
    if not host:
        return _folder(f"_{scheme}" if scheme else "_")
    return _folder(f"{host}_{port}" if port else host)


def page_name(url: str) -> str:
    """Map a page's URL to a relative path for a folder of pages: ``host[_port]/path…``.

    A path that ends with ``/`` (or is empty) names ``index.html`` there; a last segment without an
    .html/.htm/.xhtml suffix gets ``.html``; a query adds ``_`` and 10 hex digits of its SHA-1
    before the suffix.  Segments are percent-decoded when they decode to UTF-8, dot segments are
    resolved, characters refused by common file systems become ``_`` and a segment over 200 bytes
    is cut and given a hash.  The result is always accepted by ``batch.safe_name``.

    Two URLs get the same name when they differ only in characters replaced by ``_``, in the cut
    part of a long segment, by a default port, or when one is the other plus ``.html``
    (``/a`` and ``/a.html``); a URL may also name a folder that another names as a file
    (``/a.html/b`` and ``/a.html``).  A writer of folders must handle such clashes.

    Args:
        url: the page's URL (any text).

    Returns:
        A relative POSIX path.
    """
    found = _URL.match(url.strip())
    assert found is not None  # every part of the pattern is optional
    scheme, authority, path, query = found[1] or "", found[2], found[3], found[4]
    segments = [_unquote(part) for part in path.split("/")]
    folders: list[str] = []
    for segment in segments:
        if segment == "..":
            if folders:
                folders.pop()
        elif segment not in ("", "."):
            folders.append(segment)
    leaf = "index.html" if segments[-1] in ("", ".", "..") or not folders else folders.pop()
    leaf = _ILLEGAL.sub("_", leaf)
    stem, suffix = leaf, ".html"
    for known in _PAGE_SUFFIXES:
        if leaf.lower().endswith(known) and len(leaf) > len(known):
            stem, suffix = leaf[: -len(known)], leaf[-len(known) :]
            break
    if query:
        stem += "_" + hashlib.sha1(query.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    leaf = _fit(stem, suffix)
    if _RESERVED.fullmatch(leaf):
        leaf = "_" + leaf
    return "/".join([_host(scheme.lower(), authority), *map(_folder, folders), leaf])


# --- writing ---------------------------------------------------------------------------------------

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
    from warcio.statusandheaders import StatusAndHeaders
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
    target, date = _target(source.warc_headers), _field(source.warc_headers, "WARC-Date")
    if source.record_id is None:
        fields.insert(0, ("WARC-Record-ID", placeholder))
    else:
        fields.append(("WARC-Refers-To", source.record_id))
    if target is not None:
        fields.append(("WARC-Refers-To-Target-URI", target))
    if date is not None:
        fields.append(("WARC-Refers-To-Date", date))
    http = None if source.http_status is None else _http_headers(source.http_status, source.http_headers, len(body))
    kind = _field(source.warc_headers, "WARC-Type") or "response"
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
        stream: _Stream = _GzipStream(handle, span.offset) if span.compressed else _PlainStream(handle, span.offset + span.length)
        try:
            if span.compressed:
                stream.skip(span.skip)
            else:
                stream.seek(span.offset)
            left = span.length
            while left:
                chunk = stream.read(min(left, _CHUNK))
                if not chunk or (left == span.length and not chunk.startswith(b"WARC/")):
                    raise changed
                left -= len(chunk)
                yield chunk
        except _BadGzip:
            raise changed from None
    yield _END


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
            self._put([source.raw, _END])
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
