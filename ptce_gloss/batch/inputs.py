"""Batch inputs: files, folders, zip/tar archives, WARC files and URLs, read as items (:class:`Item`).

Inputs are read as streams, one member at a time, and never extracted: a member's name is
checked and mapped by gloss (no absolute path, no ``..``, no link, no device, no encrypted
or oversized member) and only its bytes reach the workers.
"""

from __future__ import annotations

import fnmatch
import os
import stat
import tarfile
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

from ..errors import BatchError
from . import remote
from .items import Item, LocalFile, safe_name, too_large
from .kinds import ARCHIVE_SUFFIXES, WARC_SUFFIXES, is_archive, is_url, is_warc, local
from .warc import WarcSource, read_warc

DEFAULT_PATTERNS = ("*.html", "*.htm", "*.xhtml", "*.txt", "*.md", "*.markdown")
MAX_SIZE = 50 * 1024 * 1024
"""Default largest input (and archive member) annotated, in bytes (``--max-size``)."""
MAX_MEMBERS = 1_000_000
"""Most members read from one archive (a zip's directory of that many costs about 500 MB to list)."""
MAX_TOTAL = 4 * 1024**3
"""Most bytes read out of one archive's members, all together (a decompression bomb stops there)."""
MAX_RATIO = 200
"""Largest expansion ratio allowed for a compressed zip member (a bomb stops there)."""


def archive_stem(name: str) -> str:
    for suffix in ARCHIVE_SUFFIXES + WARC_SUFFIXES:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name


class _Budget:
    """The bytes an archive may expand to, shared by its members."""

    def __init__(self, total: int) -> None:
        self.left = total

    def read(self, stream: IO[bytes], limit: int) -> bytes | None:
        """Read at most ``limit`` bytes (None if the member is larger, or the archive's budget is spent)."""
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = stream.read(min(1 << 20, limit + 1 - size))
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            self.left -= len(chunk)
            if size > limit or self.left < 0:
                return None
            chunks.append(chunk)


def matches_patterns(name: str, include: Sequence[str], exclude: Sequence[str]) -> bool:
    """Tell whether a file is to be annotated: its name or path matches a pattern of ``include``
    and none of ``exclude``, ignoring case (``*.html`` takes ``PAGE.HTML`` too)."""
    name = name.lower()
    base = name.rsplit("/", 1)[-1]

    def hit(patterns: Sequence[str]) -> bool:
        return any(fnmatch.fnmatchcase(base, p.lower()) or fnmatch.fnmatchcase(name, p.lower()) for p in patterns)

    return hit(include) and not hit(exclude)


def read_directory(
    root: Path,
    include: Sequence[str],
    exclude: Sequence[str],
    max_size: int,
    skip: str | None = None,
    defer: bool = False,
) -> Iterator[Item]:
    """Yield the matching files below ``root`` in a stable order, never following links out of it, and
    never entering the folder ``skip``; with ``defer``, the files are listed but not read (each
    item's ``file`` is read where it is annotated)."""
    skipped = os.path.realpath(skip) if skip is not None else None
    top = os.fspath(root)
    for folder, dirs, files in os.walk(top, followlinks=False):
        if skipped is not None:
            dirs[:] = [d for d in dirs if os.path.realpath(os.path.join(folder, d)) != skipped]
        dirs.sort()
        below = folder[len(top) :].lstrip(os.sep).replace(os.sep, "/")  # the folder's path in the input
        for file_name in sorted(files):
            path = os.path.join(folder, file_name)
            name = f"{below}/{file_name}" if below else file_name
            if not matches_patterns(name, include, exclude):
                continue
            try:
                info = os.lstat(path)
                if not stat.S_ISREG(info.st_mode):
                    yield Item(name, error=remote.NOT_REGULAR, annotate=True)
                    continue
                if info.st_size > max_size:
                    yield Item(name, error=too_large(info.st_size, max_size))
                    continue
                mode, file = stat.S_IMODE(info.st_mode), LocalFile(path, max_size)
                item = Item(name, mtime=info.st_mtime, mode=mode, file=file, size=info.st_size)
                if not defer:
                    item.load()
                yield item
            except OSError as exc:
                yield Item(name, error=f"cannot read: {exc.strerror or exc}")


def read_zip(
    path: Path, include: Sequence[str], exclude: Sequence[str], max_size: int, max_members: int = MAX_MEMBERS
) -> Iterator[Item]:
    """Yield the members of a zip archive, refusing those that would escape, expand too much or hide."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise BatchError(f"{path}: not a readable zip archive ({exc}); check the file") from None
    budget, seen = _Budget(MAX_TOTAL), set()
    with archive:
        infos = archive.infolist()
        if len(infos) > max_members:
            raise BatchError(f"{path}: {len(infos):,} members, over the limit of {max_members:,}")
        for info in infos:
            name = safe_name(info.filename)
            if info.is_dir():
                continue
            if name is None:
                yield Item(info.filename, error="member path leaves the archive (absolute or ..); refused")
                continue
            if name in seen:
                yield Item(name, error="duplicate member name; the first one is kept")
                continue
            seen.add(name)
            mode = info.external_attr >> 16
            if stat.S_IFMT(mode) not in (0, stat.S_IFREG):  # a symlink, device, FIFO or socket
                yield Item(name, error="a link or special file; refused")
                continue
            if info.flag_bits & 0x1:
                yield Item(name, error="encrypted member; refused")
                continue
            if info.file_size > max_size:
                yield Item(name, error=too_large(info.file_size, max_size))
                continue
            if info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 1 << 20:
                yield Item(name, error="expands more than a text could (a decompression bomb?); refused")
                continue
            try:
                with archive.open(info) as stream:
                    data = budget.read(stream, max_size)
            except (zipfile.BadZipFile, RuntimeError, OSError, EOFError, NotImplementedError) as exc:
                yield Item(name, error=f"cannot read the member: {exc}")
                continue
            if data is None:
                yield Item(name, error="larger than it says, or over the archive's budget; refused")
                continue
            yield Item(
                name,
                data,
                annotate=matches_patterns(name, include, exclude),
                mtime=_zip_time(info),
                mode=stat.S_IMODE(mode) or 0o644,
            )


def _zip_time(info: zipfile.ZipInfo) -> float:
    import datetime

    try:
        return datetime.datetime(*info.date_time).timestamp()
    except (ValueError, OverflowError):
        return 0.0


def read_tar(
    path: Path, include: Sequence[str], exclude: Sequence[str], max_size: int, max_members: int = MAX_MEMBERS
) -> Iterator[Item]:
    """Yield the regular members of a tar archive (plain or compressed), read as a stream."""
    try:
        archive = tarfile.open(path, "r|*", bufsize=1 << 20)  # noqa: SIM115 - closed by the with below
    except (tarfile.TarError, OSError) as exc:
        raise BatchError(f"{path}: not a readable tar archive ({exc}); check the file") from None
    budget, seen, count = _Budget(MAX_TOTAL), set(), 0
    with archive:
        try:
            for info in archive:
                count += 1
                if count > max_members:
                    yield Item(info.name, error=f"over the limit of {max_members:,} members; the rest is ignored")
                    return
                if info.isdir():
                    continue
                name = safe_name(info.name)
                if name is None:
                    yield Item(info.name, error="member path leaves the archive (absolute or ..); refused")
                    continue
                if not info.isfile():
                    yield Item(name, error="a link, device or FIFO; refused")
                    continue
                if name in seen:
                    yield Item(name, error="duplicate member name; the first one is kept")
                    continue
                seen.add(name)
                if info.size > max_size:
                    yield Item(name, error=too_large(info.size, max_size))
                    continue
                stream = archive.extractfile(info)
                data = budget.read(stream, max_size) if stream is not None else None
                if data is None:
                    yield Item(name, error="cannot be read within the limits; refused")
                    continue
                yield Item(
                    name,
                    data,
                    annotate=matches_patterns(name, include, exclude),
                    mtime=info.mtime,
                    mode=info.mode & 0o777 or 0o644,
                )
        except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
            yield Item(path.name, error=f"the archive is damaged from here on: {exc}")


def read_inputs(
    inputs: Sequence[str],
    include: Sequence[str],
    exclude: Sequence[str],
    max_size: int,
    skip: str | None = None,
    defer: bool = False,
) -> Iterator[tuple[str, Item]]:
    """Yield (input, item) for every file of every input: files, directories, archives and WARCs.

    ``skip`` is a folder never read (the batch's output folder, when it lies inside an input folder);
    with ``defer``, the files of folders are listed but not read (see :func:`read_directory`).

    With several inputs, each one's files are placed under its name (an archive's or WARC's without
    its suffix), so that their outputs never collide.  A WARC's pages are named after their URLs
    (see :func:`_warc_items`) and matched against the patterns by that name.
    """
    for source in inputs:
        source = local(source)
        if is_url(source):
            yield from _read_url(source, inputs, include, exclude, max_size)
            continue
        path = Path(source)
        if len(inputs) > 1 and (path.is_dir() or is_archive(source) or is_warc(source)):
            prefix = archive_stem(path.name) + "/"
            for origin, item in read_inputs([source], include, exclude, max_size, skip, defer):
                item.name = prefix + item.name
                yield origin, item
            continue
        if path.is_dir():
            for item in read_directory(path, include, exclude, max_size, skip, defer):
                yield source, item
        elif is_archive(source):
            reader = read_zip if source.lower().endswith(".zip") else read_tar
            for item in reader(path, include, exclude, max_size):
                yield source, item
        elif is_warc(source):
            for item in _warc_items(read_warc(path, max_size), include, exclude):
                yield source, item
        else:
            try:
                size = path.stat().st_size
                if size > max_size:
                    yield source, Item(path.name, error=too_large(size, max_size))
                    continue
                yield source, Item(path.name, path.read_bytes(), mtime=path.stat().st_mtime)
            except OSError as exc:
                yield source, Item(path.name, error=f"cannot read: {exc.strerror or exc}")


def _read_url(
    source: str, inputs: Sequence[str], include: Sequence[str], exclude: Sequence[str], max_size: int
) -> Iterator[tuple[str, Item]]:
    """The items of an fsspec URL input (a folder's files, an archive's members, or one file), under
    its name when there are several inputs."""
    name = source.rstrip("/").rsplit("/", 1)[-1]
    try:
        folder = remote.is_dir(source)
    except OSError as exc:
        yield source, Item(name, error=f"cannot read: {exc}")
        return
    prefix = archive_stem(name) + "/" if len(inputs) > 1 and (folder or is_archive(name) or is_warc(name)) else ""
    for item in (
        _read_url_folder(source, include, exclude, max_size)
        if folder
        else _read_url_file(source, name, include, exclude, max_size)
    ):
        item.name = prefix + item.name
        yield source, item


def _read_url_folder(source: str, include: Sequence[str], exclude: Sequence[str], max_size: int) -> Iterator[Item]:
    for relative, path, size, mtime in remote.list_files(source):
        if not matches_patterns(relative, include, exclude):
            continue
        if size < 0:
            yield Item(relative, error=remote.NOT_REGULAR)
        elif size > max_size:
            yield Item(relative, error=too_large(size, max_size))
        else:
            try:
                yield Item(relative, remote.read_file(source, path), mtime=mtime)
            except OSError as exc:
                yield Item(relative, error=f"cannot read: {exc}")


def _read_url_file(source: str, name: str, include: Sequence[str], exclude: Sequence[str], max_size: int) -> Iterator[Item]:
    """A file URL (an archive, which is read by seeking, or a page) read from a local copy."""
    try:
        with remote.downloaded(source) as copy:
            for _, item in read_inputs([str(copy)], include, exclude, max_size):
                yield item
    except OSError as exc:
        yield Item(name, error=f"cannot read: {exc}")


def _warc_items(items: Iterator[Item], include: Sequence[str], exclude: Sequence[str]) -> Iterator[Item]:
    """Give a WARC's pages unique names and annotate those whose names match the patterns.

    Two pages whose URLs map to the same name (see ``warc.page_name``), ignoring case so that the
    output works on any file system, are told apart by a number: ``index.html``, ``index~2.html``…
    in the order of the file, so that a rerun names them the same.
    """
    seen: set[str] = set()
    for item in items:
        if isinstance(item.source, WarcSource) and item.source.page:
            item.name = _unique(item.name, seen)
            item.annotate = matches_patterns(item.name, include, exclude)
        yield item


def _unique(name: str, seen: set[str]) -> str:
    """``name``, or ``stem~N.suffix`` with the smallest N > 1 not in ``seen`` (compared case-folded)."""
    folder, _, leaf = name.rpartition("/")
    stem, dot, suffix = leaf.rpartition(".") if "." in leaf else (leaf, "", "")
    candidate, number = name, 1
    while candidate.casefold() in seen:
        number += 1
        candidate = f"{folder}/{stem}~{number}{dot}{suffix}" if folder else f"{stem}~{number}{dot}{suffix}"
    seen.add(candidate.casefold())
    return candidate


def measure_inputs(inputs: Sequence[str], include: Sequence[str], exclude: Sequence[str]) -> tuple[int, int] | None:
    """Count the files and bytes a batch will read, for its progress bar; None when that would cost
    a read of the whole input (a compressed tar or a WARC is only known once read)."""
    files = size = 0
    for source in inputs:
        path = Path(source)
        try:
            if path.is_dir():
                for folder, _dirs, names in os.walk(path, followlinks=False):
                    for file_name in names:
                        name = (Path(folder) / file_name).relative_to(path).as_posix()
                        if matches_patterns(name, include, exclude):
                            files += 1
                            size += (Path(folder) / file_name).lstat().st_size
            elif source.lower().endswith(".zip"):
                with zipfile.ZipFile(path) as archive:
                    members = [info for info in archive.infolist() if not info.is_dir()]
                files += len(members)
                size += sum(info.file_size for info in members)
            elif is_archive(source) or is_warc(source):
                return None
            else:
                files += 1
                size += path.stat().st_size
        except (OSError, zipfile.BadZipFile):
            return None
    return files, size
