"""Batch runs: directories, zip/tar archives and WARC files in, a mirrored folder, archive or WARC
out, in parallel.

The inputs are read by :mod:`.inputs`, the outputs written by :mod:`.outputs` and the outcome kept
by :mod:`.report`; this module runs the batch.  Worker processes receive the compiled glossary
once; results are written in input order, each output atomically, so a run is deterministic
whatever ``-j`` and an interrupted one leaves complete files only.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import zipfile
from collections import Counter, deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from . import remote
from .annotate import Annotator
from .atomic import write_atomically
from .document import kind_from_name
from .errors import BatchError, InputError
from .inputs import (
    ARCHIVE_SUFFIXES,
    DEFAULT_PATTERNS,
    MAX_MEMBERS,
    MAX_RATIO,
    MAX_SIZE,
    MAX_TOTAL,
    Item,
    is_archive,
    measure_inputs,
    output_name,
    read_directory,
    read_inputs,
    read_tar,
    read_zip,
    safe_name,
)
from .inputs import archive_stem as archive_stem
from .inputs import matches_patterns as matches_patterns
from .markup import HtmlOptions
from .outputs import ZIP_LEVEL, Output, Packed
from .report import FileReport, Report, write_report
from .warc import WarcSource, is_warc

# Also the names other modules import from here, from before inputs, outputs and report were split off.
__all__ = [
    "ARCHIVE_SUFFIXES",
    "CHUNK_BYTES",
    "CHUNK_FILES",
    "DEFAULT_PATTERNS",
    "MAX_MEMBERS",
    "MAX_RATIO",
    "MAX_SIZE",
    "MAX_TOTAL",
    "ZIP_LEVEL",
    "BatchError",
    "FileReport",
    "Item",
    "Output",
    "Packed",
    "Report",
    "Result",
    "Task",
    "fingerprint",
    "is_archive",
    "measure_inputs",
    "process",
    "process_many",
    "read_directory",
    "read_inputs",
    "read_tar",
    "read_zip",
    "run_batch",
    "safe_name",
    "task",
    "write_report",
]

CHUNK_FILES = 16
CHUNK_BYTES = 1 << 20
"""A worker's task: up to this many files, or bytes."""


# --- work done in the worker processes -------------------------------------------------------------

_WORKER: tuple[Annotator, HtmlOptions] | None = None


def _start_worker(annotator: Annotator, options: HtmlOptions) -> None:
    global _WORKER
    _WORKER = (annotator, options)


Result = tuple["bytes | Packed | None", str, "str | None", dict[str, int], list[str]]
"""(output, status, error, occurrences per entry id, warnings)."""
Task = tuple[str, bytes, "str | None", "str | None", tuple[str, ...]]
"""A file for a worker: (name, bytes, transport charset, address, HTTP policies)."""


def process(
    name: str,
    data: bytes,
    annotator: Annotator | None = None,
    options: HtmlOptions | None = None,
    pack: bool = False,
    encoding: str | None = None,
    url: str | None = None,
    policies: tuple[str, ...] = (),
) -> Result:
    """Annotate one file's bytes: return (output, status, error, occurrences per entry id, warnings).

    With ``pack``, the output comes deflated for a zip member.  ``encoding`` is the charset its
    transport declared (a WARC record's HTTP header): used when the page itself declares none;
    ``url`` and ``policies`` are the address and Content-Security-Policy headers it was served with.
    """
    if annotator is None:
        assert _WORKER is not None
        annotator, options = _WORKER
    try:
        output, status, error, counts, notes = _process(name, data, annotator, options, encoding, url, policies)
    except (RecursionError, MemoryError, ValueError, LookupError, TypeError, AssertionError) as exc:
        # A bug, or an input gloss cannot handle: this file fails, the batch goes on.
        return None, "failed", f"internal error ({type(exc).__name__}: {exc}); please report it", {}, []
    return (Packed.of(output) if pack and output is not None else output), status, error, counts, notes


def process_many(files: list[Task], pack: bool) -> list[Result]:
    """Annotate a chunk of tasks in a worker."""
    return [process(name, data, None, None, pack, encoding, url, policies) for name, data, encoding, url, policies in files]


def task(item: Item) -> Task:
    """What a worker needs of an input to annotate it."""
    return item.name, item.data or b"", item.encoding, item.url, item.policies


def _process(
    name: str,
    data: bytes,
    annotator: Annotator,
    options: HtmlOptions | None,
    encoding: str | None = None,
    url: str | None = None,
    policies: tuple[str, ...] = (),
) -> tuple[bytes | None, str, str | None, dict[str, int], list[str]]:
    from .document import codec_for_label, declared_charset, decode, encode

    if encoding is not None and (
        codec_for_label(encoding) is None or data.startswith(_BOMS) or declared_charset(data) is not None
    ):
        encoding = None  # a byte-order mark, then the page's own declaration win; an unknown label says nothing
    try:
        document = decode(data, name, encoding=encoding)
    except InputError as exc:
        message = str(exc)  # "NAME: why"; the report names the file already
        return None, "failed", message.removeprefix(f"{name}: "), {}, []
    if url is not None or policies:
        document = dataclasses.replace(document, url=url, policies=policies)
    annotation = annotator.annotate_page(document, options)
    text, notes = annotation.text, annotation.notes
    counts = Counter(m.entry.id for m in annotation.matches)
    if document.kind != "html":
        if not text:  # an empty or blank text gives an empty output: nothing was done
            return b"", "unchanged", None, {}, []
        return text.encode("utf-8"), "annotated", None, dict(counts), notes
    if text is document.text:
        return data, "unchanged", None, dict(counts), notes
    return encode(document, text), "annotated", None, dict(counts), notes


_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


# --- the run, in this process ---------------------------------------------------------------------


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
    in_place: bool = False,
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
        in_place: ``output`` is the input folder itself: symbolic links, hard-linked and read-only files
            are refused one by one rather than replaced.

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
    out = Output(output, backup_suffix, in_place)
    manifest = _Manifest(output, changed_only)
    ok = False
    pack = isinstance(out.archive, zipfile.ZipFile)
    # An output folder inside an input folder is not read back as input (it would nest at every run).
    skip = output if out.folder and not in_place else None
    found = read_inputs(inputs, include, exclude, max_size, skip=skip)
    items = (item for _, item in found if not manifest.done(item, report, progress))
    try:
        if jobs <= 1 and engine == "local":
            for item in items:
                _finish(out, report, item, _run_one(item, annotator, options, pack), progress, manifest)
        else:
            pool = _pool(engine, annotator, options, jobs, scheduler)
            in_chunks(
                pool,
                items,
                partition_size,
                submit=lambda chunk: pool.submit([task(i) for i in chunk], pack),
                size=lambda item: len(item.data or b""),
                here=lambda item: None if item.annotate and item.data is not None else _run_one(item, annotator, options, pack),
                finish=lambda item, result: _finish(out, report, item, result, progress, manifest),
                report=report,
                resume="run the same command again with --changed-only to finish",
            )
        ok = True
    finally:
        out.close(ok)
        manifest.save()
        report.warnings.extend(manifest.warnings)
    return report


class _LocalPool:
    """The batch's workers as local processes, each given the compiled glossary once."""

    def __init__(self, annotator: Annotator, options: HtmlOptions, jobs: int) -> None:
        self.window = 2 * jobs
        """How many chunks may be out at once: enough to keep every worker busy."""
        self.chunk_files = self.first_chunk_files = CHUNK_FILES
        self.chunk_bytes = CHUNK_BYTES
        self._executor = ProcessPoolExecutor(jobs, initializer=_start_worker, initargs=(annotator, options))

    failures = (BrokenProcessPool,)

    def submit(self, files: list[Task], pack: bool) -> Future[list[Result]]:
        return self._executor.submit(process_many, files, pack)

    @staticmethod
    def describe(_exc: BaseException) -> str:
        return "a worker process stopped unexpectedly (killed, or out of memory)"

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)


def _pool(engine: str, annotator: Annotator, options: HtmlOptions, jobs: int, scheduler: str | None) -> Any:
    if engine == "local":
        return _LocalPool(annotator, options, jobs)
    if engine == "dask":
        from .distributed import DaskPool

        return DaskPool(annotator, options, scheduler, jobs)
    raise ValueError(f"unknown engine {engine!r}")


def in_chunks(
    pool: Any,
    items: Iterable[Any],
    partition_size: int | None,
    submit: Callable[[list[Any]], Any],
    size: Callable[[Any], int],
    here: Callable[[Any], Any],
    finish: Callable[[Any, Any], None],
    report: Report,
    resume: str,
) -> None:
    """Send the items to the pool's workers in chunks and ``finish`` each with its result, in input order.

    ``here(item)`` is the result of an item done in this process (refused, copied), or None for one
    to send; ``submit(chunk)`` sends a chunk and returns a future of its results.  Chunks (a task per
    file would cost more than the copy of its bytes) start small, so that every worker has work at
    once, and grow to the pool's size (a task on a cluster costs a few ms whatever its size); at
    most ``pool.window`` are out at once.  Workers that fail are a :class:`BatchError` that says how
    to ``resume``.
    """
    most_files = partition_size or pool.first_chunk_files
    most_bytes = pool.chunk_bytes if partition_size is None else max(pool.chunk_bytes, partition_size * 64 * 1024)
    window: deque[tuple[list[Any], Any]] = deque()
    chunk: list[Any] = []
    chunk_size = 0

    def send() -> None:
        nonlocal chunk, chunk_size, most_files
        if chunk:
            window.append((chunk, submit(chunk)))
            chunk, chunk_size = [], 0
            if partition_size is None:
                most_files = min(2 * most_files, pool.chunk_files)

    def drain() -> None:
        done, work = window.popleft()
        for item, result in zip(done, work if isinstance(work, list) else work.result(), strict=True):
            finish(item, result)

    try:
        for item in items:
            result = here(item)
            if result is None:
                chunk.append(item)
                chunk_size += size(item)
                if len(chunk) >= most_files or chunk_size >= most_bytes:
                    send()
            else:
                send()
                window.append(([item], [result]))
            while len(window) > pool.window:
                drain()
        send()
        while window:
            drain()
    except pool.failures as exc:
        raise BatchError(
            f"{pool.describe(exc)} after {report.total:,} files; the outputs written are complete: {resume}"
        ) from None
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
        self.warnings: list[str] = []
        if self.path is not None and self.path.is_file():
            try:
                self.entries = _valid_manifest(json.loads(self.path.read_bytes().decode("utf-8")))
            except (OSError, ValueError, RecursionError) as exc:
                why = exc.strerror if isinstance(exc, OSError) else "it is not JSON" if not isinstance(exc, _Unusable) else exc
                self.warnings.append(f"{self.path}: the record of the last run is unusable ({why}); every file is done again")
                self.entries = {}

    def done(self, item: Item, report: Report, progress: Callable[[FileReport, int], None] | None) -> bool:
        """Tell whether ``item`` is unchanged since the last run (and report it so)."""
        if self.path is None or item.data is None or self.key is None:
            return False
        known = self.entries.get(item.name)
        if not known or known.get("fingerprint") != fingerprint(item.data, self.key):
            return False
        if not Path(self.output, *output_name(item.name).split("/")).exists():
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
        """Write the record atomically; if it cannot be written, the previous one stays whole."""
        if self.path is not None:
            if hasattr(os, "sync"):
                os.sync()  # the outputs reach the disk before the record that says they are done
            try:
                write_atomically(self.path, json.dumps(self.entries, sort_keys=True).encode("ascii"))
            except OSError as exc:
                self.warnings.append(
                    f"{self.path}: cannot save the record of this run ({exc.strerror or exc}); the previous one is kept"
                )


class _Unusable(ValueError):
    """A manifest that is JSON but not of the shape gloss writes."""


def _valid_manifest(value: object) -> dict[str, dict[str, Any]]:
    """Check the shape of a manifest: ``{name: {"fingerprint": hex, "occurrences": {id: count}}}``."""
    if not isinstance(value, dict):
        raise _Unusable(f"a {type(value).__name__}, not an object")
    for name, entry in value.items():
        if not (isinstance(entry, dict) and isinstance(entry.get("fingerprint"), str)):
            raise _Unusable(f"the entry of {name[:80]!r} has no fingerprint")
        occurrences = entry.get("occurrences", {})
        if not (
            isinstance(occurrences, dict)
            and all(isinstance(k, str) and isinstance(n, int) and not isinstance(n, bool) for k, n in occurrences.items())
        ):
            raise _Unusable(f"the occurrences of {name[:80]!r} are not counts")
    return value


def _run_one(item: Item, annotator: Annotator, options: HtmlOptions, pack: bool) -> Result:
    if item.error is not None:
        return None, "failed", item.error, {}, []
    assert item.data is not None
    if not item.annotate:
        return item.data, "skipped", None, {}, []
    return process(item.name, item.data, annotator, options, pack, item.encoding, item.url, item.policies)


def _finish(
    out: Output,
    report: Report,
    item: Item,
    result: Result,
    progress: Callable[[FileReport, int], None] | None,
    manifest: _Manifest,
) -> None:
    data, status, error, counts, notes = result
    record = _is_record(item)
    if record and error is None and out.warc is None:
        return  # into a folder or archive: not a file
    copy = data is None and out.warc is not None and isinstance(item.source, WarcSource)
    if copy:
        data = item.data or b""  # a page or record that failed stays in the WARC, unchanged
    target = item
    if data is not None and status == "annotated" and out.warc is None and kind_from_name(item.name) == "text":
        if out.in_place:  # a text file would become an HTML page under its own name
            data, status, error = None, "skipped", "plain text would become an HTML page; not rewritten in place (use -o)"
        else:
            target = dataclasses.replace(item, name=output_name(item.name))
    if data is not None:
        try:
            out.write(target, data)
        except OSError as exc:  # a name the file system refuses, a full disk: this file only
            data, status, error = None, "failed", f"cannot write the output: {exc.strerror or exc}"
        except UnicodeEncodeError:  # a name with undecodable bytes, into an archive (UTF-8 names)
            data, status, error = None, "failed", "cannot write the output: the name is not valid UTF-8"
        else:
            if copy:
                error = f"{error}; its record is copied unchanged"
    if record and status != "failed":
        return  # copied into the WARC output: the report lists pages
    file_report = FileReport(item.label or item.name, status, error, counts, notes if status != "failed" else [])
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
