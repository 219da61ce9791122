"""A batch's unit of work: one input member (:class:`Item`), and how its name maps to its output."""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from ..html.document import kind_from_name
from .remote import NOT_REGULAR


@dataclass(slots=True)
class Item:
    """One input member: where it came from and where its output goes."""

    name: str
    """Its path relative to the input (``/``-separated), as written to the output."""
    data: bytes | None = None
    """Its bytes, when it is to be annotated or copied."""
    error: str | None = None
    """Why it is refused, when it is."""
    annotate: bool = True
    """False for archive members that do not match the patterns: copied unchanged."""
    mtime: float = 0.0
    mode: int = 0o644
    encoding: str | None = None
    """The charset its transport declared (a WARC record's HTTP header), used when the page declares none."""
    label: str | None = None
    """How the report names it, when not by ``name`` (a WARC page by its URL)."""
    url: str | None = None
    """The address it was published at, when known (a WARC page's target URI)."""
    policies: tuple[str, ...] = ()
    """The Content-Security-Policy headers it was served with (a WARC page's)."""
    source: Any = None
    """What an output of the same format needs to write it back (a WARC record's headers)."""
    file: LocalFile | None = None
    """The file its bytes are read from where it is annotated, when ``data`` is None: a batch's worker
    reads its own inputs, rather than this process reading them all and sending them over."""
    size: int = 0
    """The size of ``file`` when it was listed."""

    def length(self) -> int:
        """Its size in bytes, read or not."""
        return len(self.data) if self.data is not None else self.size

    def load(self) -> None:
        """Read ``file`` into ``data``, or set ``error`` (see :meth:`LocalFile.read`)."""
        if self.data is None and self.file is not None:
            self.data, self.error = self.file.read()


@dataclass(frozen=True, slots=True)
class LocalFile:
    """A regular file of an input folder, read by whoever annotates it, within a size limit."""

    path: str
    max_size: int

    def read(self) -> tuple[bytes | None, str | None]:
        """Its bytes, or None and why not: the file is opened without following a link, and must
        still be a regular file within the limit when opened (it may have changed since listed)."""
        try:
            descriptor = os.open(self.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        except OSError as exc:
            return None, NOT_REGULAR if exc.errno == errno.ELOOP else f"cannot read: {exc.strerror or exc}"
        with open(descriptor, "rb") as handle:
            try:
                info = os.fstat(descriptor)
                if not stat.S_ISREG(info.st_mode):
                    return None, NOT_REGULAR
                data = handle.read(info.st_size + 1) if info.st_size <= self.max_size else b""
                if len(data) > info.st_size:  # it grew since: read on, within the limit
                    data += handle.read(self.max_size + 1 - len(data))
            except OSError as exc:
                return None, f"cannot read: {exc.strerror or exc}"
        if info.st_size > self.max_size or len(data) > self.max_size:
            return None, too_large(max(info.st_size, len(data)), self.max_size)
        return data, None


def too_large(size: int, max_size: int) -> str:
    """Why a file of ``size`` bytes is not annotated, for the report."""
    return f"{size:,} bytes, over --max-size {max_size:,}; skipped"


def output_name(name: str) -> str:
    """The name of a batch's output for an input: a plain text (``.txt``, ``.text``) becomes an HTML page,
    ``notes.txt`` → ``notes.html``; other names are kept (Markdown stays Markdown)."""
    if kind_from_name(name) != "text":
        return name
    stem, dot, _ = name.rpartition(".")
    return (stem if dot and "/" not in name[len(stem) :] else name) + ".html"


def page_name(name: str, status: str) -> str:
    """The name a batch writes a file's output under: :func:`output_name` for a plain text it
    annotated (it became a page), the input's own name otherwise."""
    return output_name(name) if status == "annotated" else name


def safe_name(name: str) -> str | None:
    """Map an archive member's name to a relative POSIX path, or None if it would leave the output."""
    if not name or "\\" in name or "\0" in name or name.startswith(("/", "//")) or ":" in name.split("/", 1)[0]:
        return None
    parts = [p for p in PurePosixPath(name).parts if p not in ("", ".")]
    if not parts or any(p == ".." for p in parts):
        return None
    return "/".join(parts)
