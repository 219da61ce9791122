"""Batch runs: directories, zip/tar archives and WARC files in, a mirrored folder, archive or WARC
out, in parallel.

Inputs are read as streams, one member at a time, and never extracted: a member's name is
checked and mapped by gloss (no absolute path, no ``..``, no link, no device, no encrypted
or oversized member) and only its bytes reach the workers.  Worker processes receive the
compiled glossary once; results are written in input order, each output atomically, so a
run is deterministic whatever ``-j`` and an interrupted one leaves complete files only.
"""

from __future__ import annotations

import fnmatch
import hashlib
import io
import json
import os
import shutil
import stat
import tarfile
import tempfile
import weakref
import zipfile
import zlib
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from . import remote
from .annotate import Annotator
from .atomic import atomic_writer, remove_leftovers, write_atomically
from .errors import GlossError, InputError
from .markup import HtmlOptions
from .warc import WARC_SUFFIXES, WarcOutput, WarcSource, is_warc, read_warc

DEFAULT_PATTERNS = ("*.html", "*.htm", "*.xhtml", "*.txt", "*.md")
ARCHIVE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz")
MAX_SIZE = 50 * 1024 * 1024
"""Default largest input (and archive member) annotated, in bytes (``--max-size``)."""
ZIP_LEVEL = 1
"""Deflate level of an output zip: the fastest, as the output is written by one process for all
workers (level 6 made writing cost a third of the annotation, for files about 15% smaller)."""
CHUNK_FILES = 16
CHUNK_BYTES = 1 << 20
"""A worker's task: up to this many files, or bytes."""
MAX_MEMBERS = 1_000_000
"""Most members read from one archive (a zip's directory of that many costs about 500 MB to list)."""
MAX_TOTAL = 4 * 1024**3
"""Most bytes read out of one archive's members, all together (a decompression bomb stops there)."""
MAX_RATIO = 200
"""Largest expansion ratio allowed for a compressed zip member (a bomb stops there)."""


class BatchError(GlossError):
    """A batch cannot run at all (bad output, unreadable archive)."""


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
    source: Any = None
    """What an output of the same format needs to write it back (a WARC record's headers)."""


@dataclass(slots=True)
class FileReport:
    """What happened to one file."""

    name: str
    status: str
    """``annotated``, ``unchanged``, ``skipped`` or ``failed``."""
    error: str | None = None
    occurrences: dict[str, int] = field(default_factory=dict)


class Report:
    """A batch's outcome, file by file and entry by entry.

    Totals are kept in memory; the files' own records go to a temporary file as they come, so
    that a batch of a million files does not hold a million records.
    """

    def __init__(self) -> None:
        self._counts: Counter[str] = Counter()
        self._entries: dict[str, dict[str, int]] = {}
        self._spool = tempfile.SpooledTemporaryFile(max_size=4 << 20)  # noqa: SIM115 - lives with the report
        weakref.finalize(self, self._spool.close)
        self.total = 0

    def add(self, file: FileReport) -> None:
        self.total += 1
        self._counts[file.status] += 1
        for entry_id, count in file.occurrences.items():
            totals = self._entries.setdefault(entry_id, {"files": 0, "occurrences": 0})
            totals["files"] += 1
            totals["occurrences"] += count
        record = {"name": file.name, "status": file.status, "error": file.error, "occurrences": file.occurrences}
        self._spool.write(json.dumps(record).encode("ascii") + b"\n")  # ASCII: a name may hold undecodable bytes

    def iter_files(self) -> Iterator[FileReport]:
        """The files' records, in the order they were done."""
        self._spool.flush()
        self._spool.seek(0)
        for line in self._spool:
            record = json.loads(line)
            yield FileReport(record["name"], record["status"], record["error"], record["occurrences"])
        self._spool.seek(0, io.SEEK_END)

    @property
    def files(self) -> list[FileReport]:
        return list(self.iter_files())

    def counts(self) -> Counter[str]:
        return Counter(self._counts)

    def entries(self) -> dict[str, dict[str, int]]:
        """Per entry id: how many files it was found in, and how many occurrences."""
        return {entry_id: dict(totals) for entry_id, totals in self._entries.items()}

    def never_found(self, entry_ids: Sequence[str]) -> list[str]:
        return sorted(set(entry_ids) - set(self._entries))


def safe_name(name: str) -> str | None:
    """Map an archive member's name to a relative POSIX path, or None if it would leave the output."""
    if not name or "\\" in name or "\0" in name or name.startswith(("/", "//")) or ":" in name.split("/", 1)[0]:
        return None
    parts = [p for p in PurePosixPath(name).parts if p not in ("", ".")]
    if not parts or any(p == ".." for p in parts):
        return None
    return "/".join(parts)


def _stem(name: str) -> str:
    for suffix in ARCHIVE_SUFFIXES + WARC_SUFFIXES:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name


def is_archive(path: str) -> bool:
    return path.lower().endswith(ARCHIVE_SUFFIXES)


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


def _matches(name: str, include: Sequence[str], exclude: Sequence[str]) -> bool:
    """Tell whether a file is to be annotated: its name or path matches a pattern of ``include``
    and none of ``exclude``, ignoring case (``*.html`` takes ``PAGE.HTML`` too)."""
    name = name.lower()
    base = name.rsplit("/", 1)[-1]

    def hit(patterns: Sequence[str]) -> bool:
        return any(fnmatch.fnmatchcase(base, p.lower()) or fnmatch.fnmatchcase(name, p.lower()) for p in patterns)

    return hit(include) and not hit(exclude)


def read_directory(root: Path, include: Sequence[str], exclude: Sequence[str], max_size: int) -> Iterator[Item]:
    """Yield the matching files below ``root`` in a stable order, never following links out of it."""
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs.sort()
        for file_name in sorted(files):
            path = Path(folder) / file_name
            name = path.relative_to(root).as_posix()
            if not _matches(name, include, exclude):
                continue
            try:
                info = path.lstat()
                if not stat.S_ISREG(info.st_mode):
                    yield Item(name, error="not a regular file (link, FIFO or device); skipped", annotate=True)
                    continue
                if info.st_size > max_size:
                    yield Item(name, error=f"{info.st_size:,} bytes, over --max-size {max_size:,}; skipped")
                    continue
                yield Item(name, path.read_bytes(), mtime=info.st_mtime, mode=stat.S_IMODE(info.st_mode))
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
                yield Item(name, error=f"{info.file_size:,} bytes, over --max-size {max_size:,}; skipped")
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
                name, data, annotate=_matches(name, include, exclude), mtime=_zip_time(info), mode=stat.S_IMODE(mode) or 0o644
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
                    yield Item(name, error=f"{info.size:,} bytes, over --max-size {max_size:,}; skipped")
                    continue
                stream = archive.extractfile(info)
                data = budget.read(stream, max_size) if stream is not None else None
                if data is None:
                    yield Item(name, error="cannot be read within the limits; refused")
                    continue
                yield Item(
                    name, data, annotate=_matches(name, include, exclude), mtime=info.mtime, mode=info.mode & 0o777 or 0o644
                )
        except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
            yield Item(path.name, error=f"the archive is damaged from here on: {exc}")


def read_inputs(
    inputs: Sequence[str], include: Sequence[str], exclude: Sequence[str], max_size: int
) -> Iterator[tuple[str, Item]]:
    """Yield (input, item) for every file of every input: files, directories, archives and WARCs.

    With several inputs, each one's files are placed under its name (an archive's or WARC's without
    its suffix), so that their outputs never collide.  A WARC's pages are named after their URLs
    (see :func:`_warc_items`) and matched against the patterns by that name.
    """
    for source in inputs:
        source = remote.local(source)
        if remote.is_url(source):
            yield from _read_url(source, inputs, include, exclude, max_size)
            continue
        path = Path(source)
        if len(inputs) > 1 and (path.is_dir() or is_archive(source) or is_warc(source)):
            prefix = _stem(path.name) + "/"
            for origin, item in read_inputs([source], include, exclude, max_size):
                item.name = prefix + item.name
                yield origin, item
            continue
        if path.is_dir():
            for item in read_directory(path, include, exclude, max_size):
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
                    yield source, Item(path.name, error=f"{size:,} bytes, over --max-size {max_size:,}; skipped")
                    continue
                yield source, Item(path.name, path.read_bytes(), mtime=path.stat().st_mtime)
            except OSError as exc:
                yield source, Item(path.name, error=f"cannot read: {exc.strerror or exc}")


def _read_url(
    source: str, inputs: Sequence[str], include: Sequence[str], exclude: Sequence[str], max_size: int
) -> Iterator[tuple[str, Item]]:
    """The items of an fsspec URL input, under its name when there are several inputs."""
    name = source.rstrip("/").rsplit("/", 1)[-1]
    several = len(inputs) > 1 and (is_archive(name) or is_warc(name) or _is_dir_url(source))
    prefix = _stem(name) + "/" if several else ""
    items = remote.read_url_inputs(
        source, include, exclude, max_size, _matches, Item,
        lambda local: (item for _, item in read_inputs([local], include, exclude, max_size)),
    )  # fmt: skip
    for item in items:
        item.name = prefix + item.name
        yield source, item


def _is_dir_url(source: str) -> bool:
    try:
        return remote.is_dir(source)
    except OSError:
        return False


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
            item.annotate = _matches(item.name, include, exclude)
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
                        if _matches(name, include, exclude):
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


# --- work done in the worker processes -------------------------------------------------------------

_WORKER: tuple[Annotator, HtmlOptions] | None = None


def _start_worker(annotator: Annotator, options: HtmlOptions) -> None:
    global _WORKER
    _WORKER = (annotator, options)


@dataclass(slots=True)
class Packed:
    """An output already deflated for a zip member (by the worker, so that the writer does not)."""

    raw: bytes
    crc: int
    size: int

    @classmethod
    def of(cls, data: bytes) -> Packed:
        compressor = zlib.compressobj(ZIP_LEVEL, zlib.DEFLATED, -15)
        return cls(compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data))


Result = tuple["bytes | Packed | None", str, "str | None", dict[str, int]]


def process(
    name: str,
    data: bytes,
    annotator: Annotator | None = None,
    options: HtmlOptions | None = None,
    pack: bool = False,
    encoding: str | None = None,
) -> Result:
    """Annotate one file's bytes: return (output, status, error, occurrences per entry id).

    With ``pack``, the output comes deflated for a zip member.  ``encoding`` is the charset its
    transport declared (a WARC record's HTTP header): used when the page itself declares none.
    """
    if annotator is None:
        assert _WORKER is not None
        annotator, options = _WORKER
    try:
        output, status, error, counts = _process(name, data, annotator, options, encoding)
    except (RecursionError, MemoryError, ValueError, LookupError, TypeError, AssertionError) as exc:
        # A bug, or an input gloss cannot handle: this file fails, the batch goes on.
        return None, "failed", f"internal error ({type(exc).__name__}: {exc}); please report it", {}
    return (Packed.of(output) if pack and output is not None else output), status, error, counts


def process_many(files: list[tuple[str, bytes, str | None]], pack: bool) -> list[Result]:
    """Annotate a chunk of ``(name, bytes, transport charset)`` in a worker."""
    return [process(name, data, pack=pack, encoding=encoding) for name, data, encoding in files]


def _process(
    name: str, data: bytes, annotator: Annotator, options: HtmlOptions | None, encoding: str | None = None
) -> tuple[bytes | None, str, str | None, dict[str, int]]:
    from .document import codec_for_label, declared_charset, decode, encode

    if encoding is not None and (
        codec_for_label(encoding) is None or data.startswith(_BOMS) or declared_charset(data) is not None
    ):
        encoding = None  # a byte-order mark, then the page's own declaration win; an unknown label says nothing
    try:
        document = decode(data, name, encoding=encoding)
    except InputError as exc:
        message = str(exc)  # "NAME: why"; the report names the file already
        return None, "failed", message.removeprefix(f"{name}: "), {}
    text, matches = annotator.annotate_document(document, options)
    counts = Counter(m.entry.id for m in matches)
    if document.kind != "html":
        return text.encode("utf-8"), "annotated", None, dict(counts)
    if text is document.text:
        return data, "unchanged", None, dict(counts)
    return encode(document, text), "annotated", None, dict(counts)


_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


# --- outputs ---------------------------------------------------------------------------------------


class Output:
    """Where a batch writes: a folder mirroring the inputs, an archive of the same layout, or a WARC
    file (``.warc``, ``.warc.gz``: see :class:`warc.WarcOutput`)."""

    def __init__(self, target: str, backup_suffix: str = "") -> None:
        self.backup_suffix = backup_suffix
        self.archive: zipfile.ZipFile | tarfile.TarFile | None = None
        self.warc: WarcOutput | None = None
        self._writer: Any = None
        self._folder: Any = None  # an output folder URL
        self._upload: Any = None  # an output archive URL, built locally first
        target = remote.local(target)
        if remote.is_url(target):
            if not (is_warc(target) or is_archive(target)):
                try:
                    self._folder = remote.FolderWriter(target)
                except OSError as exc:
                    raise BatchError(f"cannot write to {target}: {exc}") from None
                self.target = target
                return
            self._upload = remote.ArchiveUpload(target)
            target = self._upload.local
        self.target = target
        if is_warc(target):
            self.warc = WarcOutput(target)
        elif is_archive(target):
            self._writer = atomic_writer(target)
            handle = self._writer.__enter__()
            if target.lower().endswith(".zip"):
                self.archive = zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED, compresslevel=ZIP_LEVEL)
            else:
                mode = {"gz": "w|gz", "tgz": "w|gz", "bz2": "w|bz2", "tbz2": "w|bz2", "xz": "w|xz", "txz": "w|xz"}
                chosen: Any = mode.get(target.rsplit(".", 1)[-1].lower(), "w|")
                self.archive = tarfile.open(fileobj=handle, mode=chosen)  # noqa: SIM115 - closed by close()
        else:
            Path(target).mkdir(parents=True, exist_ok=True)
            remove_leftovers(target, recursive=True)  # what a killed run left

    def write(self, item: Item, data: bytes | Packed) -> None:
        if self._folder is not None:
            if isinstance(data, Packed):
                raise TypeError("packed data is for zip outputs only")
            self._folder.write(item.name, data)
        elif self.warc is not None:
            if isinstance(data, Packed):
                raise TypeError("packed data is for zip outputs only")
            self.warc.write(item, data)
        elif isinstance(self.archive, zipfile.ZipFile):
            info = zipfile.ZipInfo(item.name, date_time=_date_time(item.mtime))
            info.external_attr = (item.mode | stat.S_IFREG) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            if isinstance(data, Packed):
                _write_packed(self.archive, info, data)
            else:
                self.archive.writestr(info, data, compresslevel=ZIP_LEVEL)
        elif isinstance(data, Packed):
            raise TypeError("packed data is for zip outputs only")
        elif isinstance(self.archive, tarfile.TarFile):
            member = tarfile.TarInfo(item.name)
            member.size, member.mtime, member.mode = len(data), int(item.mtime), item.mode
            self.archive.addfile(member, io.BytesIO(data))
        else:
            path = Path(self.target, *item.name.split("/"))
            path.parent.mkdir(parents=True, exist_ok=True)
            if self.backup_suffix and path.exists():
                backup = path.with_name(path.name + self.backup_suffix)
                write_atomically(backup, path.read_bytes(), durable=False, sweep=False)
                shutil.copystat(path, backup)
            write_atomically(path, data, durable=False, sweep=False)

    def close(self, ok: bool) -> None:
        """Finish the output; an archive is renamed into place only if the run was not interrupted."""
        if self.warc is not None:
            self.warc.close(ok)
        if self.archive is not None:
            self.archive.close()
            if ok:
                self._writer.__exit__(None, None, None)
            else:
                self._writer.__exit__(KeyboardInterrupt, KeyboardInterrupt(), None)
        if self._upload is not None:
            try:
                self._upload.finish(ok)
            except OSError as exc:
                raise BatchError(f"cannot upload {self._upload.url}: {exc}") from None


class _Passthrough:
    """A "compressor" that leaves data as it is: the data was deflated by a worker already."""

    def compress(self, data: bytes) -> bytes:
        return data

    def flush(self) -> bytes:
        return b""


def _write_packed(archive: zipfile.ZipFile, info: zipfile.ZipInfo, packed: Packed) -> None:
    """Write an already deflated member.  zipfile has no public way to, so this sets its writer's
    counters (stable from Python 3.6 to 3.13; the tests read every output back, CRC checked)."""
    with archive.open(info, "w") as writer:
        writer._compressor = _Passthrough()  # type: ignore[attr-defined]
        writer.write(packed.raw)
        writer._crc, writer._file_size = packed.crc, packed.size  # type: ignore[attr-defined]


def _date_time(mtime: float) -> tuple[int, int, int, int, int, int]:
    import time

    moment = time.localtime(max(mtime, 315532800))  # zip dates start in 1980
    return (moment.tm_year, moment.tm_mon, moment.tm_mday, moment.tm_hour, moment.tm_min, moment.tm_sec)


def run_batch(
    annotator: Annotator,
    inputs: Sequence[str],
    output: str,
    options: HtmlOptions | None = None,
    jobs: int = 1,
    include: Sequence[str] = DEFAULT_PATTERNS,
    exclude: Sequence[str] = (),
    max_size: int = MAX_SIZE,
    progress: Callable[[FileReport, int], None] | None = None,
    changed_only: str | None = None,
    backup_suffix: str = "",
    engine: str = "local",
    scheduler: str | None = None,
    partition_size: int | None = None,
) -> Report:
    """Annotate every matching file of ``inputs`` into ``output`` (a folder or an archive).

    Args:
        annotator: the compiled glossary (shipped once to each worker).
        inputs: files, folders and archives.
        output: a folder, or a .zip/.tar[.gz|.bz2|.xz] archive.
        options: how HTML is written.
        jobs: worker processes (1: in this process).
        include, exclude: glob patterns of the files to annotate.
        max_size: the largest file annotated, in bytes.
        progress: called after each file with its report and its size.
        changed_only: a key of the glossary and options: into a folder, files whose input and key
            are those of the last run (recorded in ``.gloss-manifest.json``) are not done again.
        backup_suffix: into a folder, keep each file it overwrites under its name plus this suffix
            (``--in-place=.orig``).
        engine: ``local`` (a process pool of ``jobs`` workers) or ``dask`` (a Dask cluster: the one
            at ``scheduler``, or a LocalCluster of ``jobs`` workers); the outputs are the same.
        scheduler: a Dask scheduler address (``tcp://host:8786``); default ``$GLOSS_DASK_SCHEDULER``.
        partition_size: files per task (default: 16 locally; on Dask, 16 growing to 256; a task also
            stops at 1 MB, 8 MB on Dask, or 64 KB per file asked for).

    Raises:
        BatchError: an archive cannot be read at all, or the workers failed.
    """
    options = options or HtmlOptions()
    if changed_only is not None and remote.is_url(remote.local(output)):
        raise BatchError("--changed-only needs a local output folder, where it keeps its record")
    if engine == "dask":
        from .distributed import run_on_workers, workers_reach

        if workers_reach(inputs, output):
            return run_on_workers(annotator, inputs, output, options, include, exclude, max_size, progress,
                                  scheduler, jobs, partition_size)  # fmt: skip
    report = Report()
    out = Output(output, backup_suffix)
    manifest = _Manifest(output, changed_only)
    ok = False
    pack = isinstance(out.archive, zipfile.ZipFile)
    items = (item for _, item in read_inputs(inputs, include, exclude, max_size) if not manifest.done(item, report, progress))
    try:
        if jobs <= 1 and engine == "local":
            for item in items:
                _finish(out, report, item, _run_one(item, annotator, options, pack), progress, manifest)
        else:
            _run_in_pool(_pool(engine, annotator, options, jobs, scheduler), items, annotator, options, pack,
                         out, report, progress, manifest, partition_size)  # fmt: skip
        ok = True
    except BrokenProcessPool:
        raise BatchError(
            f"a worker process stopped unexpectedly (killed, or out of memory) after {report.total:,} files; "
            "the outputs written are complete: run the same command again with --changed-only to finish"
        ) from None
    finally:
        out.close(ok)
        manifest.save()
    return report


class _LocalPool:
    """The batch's workers as local processes, each given the compiled glossary once."""

    def __init__(self, annotator: Annotator, options: HtmlOptions, jobs: int) -> None:
        self.window = 2 * jobs
        """How many chunks may be out at once: enough to keep every worker busy."""
        self.chunk_files = self.first_chunk_files = CHUNK_FILES
        self.chunk_bytes = CHUNK_BYTES
        self._executor = ProcessPoolExecutor(jobs, initializer=_start_worker, initargs=(annotator, options))

    def submit(self, files: list[tuple[str, bytes, str | None]], pack: bool) -> Future[list[Result]]:
        return self._executor.submit(process_many, files, pack)

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)


def _pool(engine: str, annotator: Annotator, options: HtmlOptions, jobs: int, scheduler: str | None) -> Any:
    if engine == "local":
        return _LocalPool(annotator, options, jobs)
    if engine == "dask":
        from .distributed import DaskPool

        return DaskPool(annotator, options, scheduler, jobs)
    raise ValueError(f"unknown engine {engine!r}")


def _run_in_pool(
    pool: Any,
    items: Iterator[Item],
    annotator: Annotator,
    options: HtmlOptions,
    pack: bool,
    out: Output,
    report: Report,
    progress: Callable[[FileReport, int], None] | None,
    manifest: _Manifest,
    partition_size: int | None,
) -> None:
    """Send the files to the workers in chunks (a task per file costs the writer more than the copy
    of its bytes), and write the results as they come back, in input order."""
    # Chunks start small, so that every worker has work at once, and grow to the pool's size
    # (a task on a cluster costs a few milliseconds whatever its size).
    most_files = partition_size or pool.first_chunk_files
    most_bytes = pool.chunk_bytes if partition_size is None else max(pool.chunk_bytes, partition_size * 64 * 1024)
    window: deque[tuple[list[Item], Any]] = deque()
    chunk: list[Item] = []
    chunk_size = 0

    def send() -> None:
        nonlocal chunk, chunk_size, most_files
        if chunk:
            window.append((chunk, pool.submit([(i.name, i.data or b"", i.encoding) for i in chunk], pack)))
            chunk, chunk_size = [], 0
            if partition_size is None:
                most_files = min(2 * most_files, pool.chunk_files)

    try:
        for item in items:
            if item.annotate and item.data is not None:
                chunk.append(item)
                chunk_size += len(item.data)
                if len(chunk) >= most_files or chunk_size >= most_bytes:
                    send()
            else:
                send()
                window.append(([item], [_run_one(item, annotator, options, pack)]))
            while len(window) > pool.window:
                _drain(out, report, window, progress, manifest)
        send()
        while window:
            _drain(out, report, window, progress, manifest)
    except BrokenProcessPool:
        raise
    except Exception as exc:
        if type(exc).__name__ in ("KilledWorker", "FutureCancelledError", "CancelledError", "CommClosedError"):
            raise BatchError(
                f"the Dask workers failed ({type(exc).__name__}: {exc}) after {report.total:,} files; the outputs "
                "written are complete: run the same command again with --changed-only to finish"
            ) from None
        raise
    finally:
        pool.close()


class _Manifest:
    """What the last run into a folder did (``--changed-only``): file name -> fingerprint and counts."""

    NAME = ".gloss-manifest.json"

    def __init__(self, output: str, key: str | None) -> None:
        self.key = key
        self.path = Path(output, self.NAME) if key is not None and not is_archive(output) and not is_warc(output) else None
        self.output = output
        self.entries: dict[str, dict[str, Any]] = {}
        if self.path is not None and self.path.is_file():
            try:
                self.entries = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self.entries = {}

    def done(self, item: Item, report: Report, progress: Callable[[FileReport, int], None] | None) -> bool:
        """Tell whether ``item`` is unchanged since the last run (and report it so)."""
        if self.path is None or item.data is None or self.key is None:
            return False
        known = self.entries.get(item.name)
        if not known or known.get("fingerprint") != fingerprint(item.data, self.key):
            return False
        if not Path(self.output, *item.name.split("/")).exists():
            return False
        file_report = FileReport(item.label or item.name, "unchanged", None, dict(known.get("occurrences", {})))
        report.add(file_report)
        if progress is not None:
            progress(file_report, len(item.data))
        return True

    def record(self, item: Item, file_report: FileReport) -> None:
        if self.path is not None and self.key is not None and item.data is not None and file_report.status != "failed":
            self.entries[item.name] = {"fingerprint": fingerprint(item.data, self.key), "occurrences": file_report.occurrences}

    def save(self) -> None:
        if self.path is not None:
            if hasattr(os, "sync"):
                os.sync()  # the outputs reach the disk before the record that says they are done
            write_atomically(self.path, json.dumps(self.entries, sort_keys=True).encode("ascii"))


def _run_one(item: Item, annotator: Annotator, options: HtmlOptions, pack: bool) -> Result:
    if item.error is not None:
        return None, "failed", item.error, {}
    assert item.data is not None
    if not item.annotate:
        return item.data, "skipped", None, {}
    return process(item.name, item.data, annotator, options, pack, item.encoding)


def _drain(
    out: Output, report: Report, window: deque[Any], progress: Callable[[FileReport, int], None] | None, manifest: _Manifest
) -> None:
    chunk, work = window.popleft()
    results = work if isinstance(work, list) else work.result()
    for item, result in zip(chunk, results, strict=True):
        _finish(out, report, item, result, progress, manifest)


def _finish(
    out: Output,
    report: Report,
    item: Item,
    result: Result,
    progress: Callable[[FileReport, int], None] | None,
    manifest: _Manifest,
) -> None:
    data, status, error, counts = result
    record = _is_record(item)
    if record and error is None and out.warc is None:
        return  # into a folder or archive: not a file
    copy = data is None and out.warc is not None and isinstance(item.source, WarcSource)
    if copy:
        data = item.data or b""  # a page or record that failed stays in the WARC, unchanged
    if data is not None:
        try:
            out.write(item, data)
        except OSError as exc:  # a name the file system refuses, a full disk: this file only
            data, status, error = None, "failed", f"cannot write the output: {exc.strerror or exc}"
        except UnicodeEncodeError:  # a name with undecodable bytes, into an archive (UTF-8 names)
            data, status, error = None, "failed", "cannot write the output: the name is not valid UTF-8"
        else:
            if copy:
                error = f"{error}; its record is copied unchanged"
    if record and status != "failed":
        return  # copied into the WARC output: the report lists pages
    file_report = FileReport(item.label or item.name, status, error, counts)
    manifest.record(item, file_report)
    report.add(file_report)
    if progress is not None:
        progress(file_report, len(item.data or b""))


def _is_record(item: Item) -> bool:
    """Tell whether ``item`` is a WARC record that is not a page (a request, an image, a revisit…):
    only a WARC output holds it, and the report lists it only if it fails."""
    return isinstance(item.source, WarcSource) and not item.source.page


def fingerprint(data: bytes, key: str) -> str:
    """A short digest of an input and the run's settings (for ``--changed-only``)."""
    return hashlib.sha256(key.encode() + b"\0" + data).hexdigest()[:32]


def write_report(report: Report, path: str, never_found: Sequence[str]) -> None:
    """Write the machine-readable report (JSON, or CSV with one row per file and entry), atomically.

    ``never_found`` is the glossary's entry ids; those found in no file are listed.
    """
    import csv

    with atomic_writer(path) as raw:
        # A file name's undecodable bytes (kept as surrogates) are written as \udcNN escapes.
        handle = io.TextIOWrapper(raw, encoding="utf-8", errors="backslashreplace", newline="")
        if path.lower().endswith(".csv"):
            writer = csv.writer(handle)
            writer.writerow(["file", "status", "error", "entry", "occurrences"])
            for file in report.iter_files():
                for entry_id, count in sorted(file.occurrences.items()) or [("", 0)]:
                    writer.writerow([file.name, file.status, file.error or "", entry_id, count])
        else:
            handle.write('{\n  "files": [')
            for number, file in enumerate(report.iter_files()):
                record = {"name": file.name, "status": file.status, "error": file.error, "occurrences": file.occurrences}
                handle.write(("," if number else "") + "\n    " + json.dumps(record, ensure_ascii=False))
            rest = {
                "entries": report.entries(),
                "never_found": report.never_found(never_found),
                "counts": dict(report.counts()),
            }
            handle.write("\n  ],\n" + json.dumps(rest, ensure_ascii=False, indent=2)[2:] + "\n")
        handle.flush()
        handle.detach()
