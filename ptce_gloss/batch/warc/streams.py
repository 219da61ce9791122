"""Byte streams over a WARC file, plain or gzip-compressed, and the search for the next WARC gzip member.

Positions in a gzip stream count decompressed bytes; :meth:`GzipStream.locate` maps one back to the
file offset of its member (see :mod:`ptce_gloss.warc.read` for the record reader built on them).
"""

from __future__ import annotations

import zlib
from typing import BinaryIO, Protocol

CHUNK = 1 << 16
GZIP_MAGIC = b"\x1f\x8b\x08"


class BadGzip(Exception):
    """The gzip member at file offset ``offset`` cannot be decompressed."""

    def __init__(self, offset: int, why: str) -> None:
        super().__init__(why)
        self.offset, self.why = offset, why


class Stream(Protocol):
    def tell(self) -> int: ...
    def read(self, size: int) -> bytes: ...
    def readline(self, limit: int) -> bytes: ...
    def skip(self, size: int) -> int: ...
    def find(self, needle: bytes) -> bool: ...
    def seek(self, position: int) -> None: ...
    def settle(self) -> None: ...
    def forget(self, position: int) -> None: ...
    def locate(self, position: int) -> tuple[int, int]: ...


class PlainStream:
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
        while chunk := self._handle.read(CHUNK):
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


class GzipStream:
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
            if len(self._input) >= len(GZIP_MAGIC):
                break
            more = self._handle.read(CHUNK)
            if not more:
                if self._input:
                    raise BadGzip(self._input_offset, "stray bytes after the last gzip member")
                return False
            self._input += more
        if not self._input.startswith(GZIP_MAGIC):
            raise BadGzip(self._input_offset, f"not a gzip member (found {self._input[:8]!r})")
        self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._member = self._input_offset
        self._marks.append((self._position + len(self._buffer), self._member))
        return True

    def _step(self) -> None:
        """Decompress some more of the current member."""
        assert self._z is not None
        if not self._input:
            self._input = self._handle.read(CHUNK)
            if not self._input:
                raise BadGzip(self._member, "the gzip member is cut short (the file ends inside it)")
        try:
            out = self._z.decompress(self._input, CHUNK)
        except zlib.error as exc:
            raise BadGzip(self._member, f"corrupt gzip data ({exc})") from None
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
            self._fill(min(size - done, CHUNK))
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


def find_member(handle: BinaryIO, start: int) -> int | None:
    """The offset of the first gzip member at or after ``start`` whose data begins with ``WARC/``."""
    position, tail = start, b""
    handle.seek(position)
    while chunk := handle.read(CHUNK):
        data, base = tail + chunk, position - len(tail)
        index = data.find(GZIP_MAGIC)
        while index >= 0:
            if _is_warc_member(handle, base + index):
                return base + index
            index = data.find(GZIP_MAGIC, index + 1)
        position += len(chunk)
        tail = data[-(len(GZIP_MAGIC) - 1) :]
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
