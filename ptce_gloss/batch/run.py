"""Batch runs: directories, zip/tar archives and WARC files in, a mirrored folder, archive or WARC
out, in parallel.

The inputs are read by :mod:`.inputs`, the outputs written by :mod:`.outputs` and the outcome kept
by :mod:`.report`; this module runs the batch.  Worker processes receive the compiled glossary
once; results are written in input order (into a plain folder, by the workers themselves, but for
names two files share), each output atomically, so a run is deterministic whatever ``-j`` and an
interrupted one leaves complete files only.
"""

from __future__ import annotations

import dataclasses
import os
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain
from typing import TYPE_CHECKING, Any

from ..annotate import Annotator
from ..errors import BatchError
from ..markup import HtmlOptions
from .inputs import DEFAULT_PATTERNS, MAX_SIZE, read_inputs
from .items import Item, output_name, page_name
from .kinds import is_url, local
from .manifest import Manifest
from .outputs import Output
from .report import FileReport, Report
from .warc import WarcSource
from .work import CHUNK_BYTES, CHUNK_FILES, LocalPool, Result, Written, in_chunks, process, received, task

if TYPE_CHECKING:
    from .index import IndexOptions


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
    index: IndexOptions | None = None,
) -> Report:
    """Annotate every matching file of ``inputs`` into ``output`` (a folder or an archive).

    Args:
        annotator: the compiled glossary (shipped once to each worker).
        inputs: files, folders and archives.
        output: a folder, or a .zip/.tar[.gz|.bz2|.xz] archive.
        options: how HTML is written.
        jobs: worker processes (1: in this process; 0: one per core, or none for a batch of under
            32 files and a megabyte, which this process annotates sooner than workers start).
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
        index: also write a site's glossary page into the output (``--index``), once every file is
            done; ``options.anchors`` gives it the anchors of its back-links.

    Raises:
        BatchError: an archive cannot be read at all, or the workers failed.
    """
    options = options or HtmlOptions()
    automatic, jobs = jobs <= 0, jobs if jobs > 0 else os.cpu_count() or 1
    if changed_only is not None and is_url(local(output)):
        raise BatchError("--changed-only needs a local output folder, where it keeps its record")
    if engine == "dask":
        from .distributed import run_on_workers, workers_reach

        if workers_reach(inputs, output):
            if index is not None:
                raise BatchError("--index writes into a folder or archive this machine writes, not a URL the workers write")
            return run_on_workers(annotator, inputs, output, options, include, exclude, max_size, progress,
                                  scheduler, jobs, partition_size)  # fmt: skip
    report = Report()
    out = Output(output, backup_suffix, in_place)
    manifest = Manifest(output, changed_only)
    ok = False
    pack = isinstance(out.archive, zipfile.ZipFile)
    # An output folder inside an input folder is not read back as input (it would nest at every run).
    skip = output if out.folder and not in_place else None
    # With a local pool, each worker reads the files of input folders it annotates: this process
    # only lists them (and reads them itself when it needs their bytes: for --changed-only).
    defer = engine == "local" and jobs > 1 and changed_only is None
    found = read_inputs(inputs, include, exclude, max_size, skip=skip, defer=defer)
    items: Iterator[Item] = (item for _, item in found if not manifest.done(item, report, progress))
    try:
        if automatic and engine == "local" and jobs > 1:
            head: list[Item] = []
            if _few(items, head):
                jobs = 1  # annotated here: sooner than workers start
            items = chain(head, items)
        if jobs <= 1 and engine == "local":
            for item in items:
                _finish(out, report, item, _run_one(item, annotator, options, pack), progress, manifest)
        else:
            pool = _pool(engine, annotator, options, jobs, scheduler)
            writes = _WorkerWrites(out.target if out.folder and not in_place and engine == "local" else None)
            in_chunks(
                pool,
                writes.decide(items),
                partition_size,
                submit=lambda chunk: writes.submit(pool, [task(i) for i in chunk], pack, chunk),
                size=Item.length,
                here=lambda item: None if _to_send(item) else _run_one(item, annotator, options, pack),
                finish=lambda item, result: _finish(out, report, item, result, progress, manifest),
                report=report,
                resume="run the same command again with --changed-only to finish",
            )
        if index is not None:
            _write_index(out, report, annotator, index)
        ok = True
    finally:
        out.close(ok)
        manifest.save()
        report.warnings.extend(manifest.warnings)
    return report


def _few(items: Iterator[Item], head: list[Item]) -> bool:
    """Whether the batch is too small to start worker processes for (under 32 files and a megabyte:
    annotating them takes less time than starting workers does), reading its first items into ``head``."""
    size = 0
    for item in items:
        head.append(item)
        size += item.length()
        if len(head) >= 2 * CHUNK_FILES or size >= CHUNK_BYTES:
            return False
    return True


def _write_index(out: Output, report: Report, annotator: Annotator, index: IndexOptions) -> None:
    """Write the site's glossary page, unless a file of the batch has its name."""
    from .index import build_index, signed_page

    taken = next((file for file in report.iter_files() if (file.output or file.name) == index.name), None)
    if taken is not None:
        raise BatchError(f"--index {index.name}: the batch has a file of that name; choose another name for the page")
    page = build_index(report, annotator.compiled.entries, index)
    try:
        out.write(Item(index.name, mtime=time.time()), signed_page(page))
    except OSError as exc:
        raise BatchError(f"{index.name}: cannot write the index page: {exc.strerror or exc}") from None


class _WorkerWrites:
    """Which outputs the workers write themselves, into a plain output folder: each file's, unless
    another file of the batch has (or may get) the same output name, in which case the caller writes
    both in input order, as it writes everything else (so the last one wins, whatever ``-j``)."""

    def __init__(self, root: str | None) -> None:
        self.root = root
        self._claimed: set[str] = set()
        # The items whose output a worker writes, by id; each is held here until its chunk is
        # submitted, so that its id cannot be reused by a later item while it is in the table.
        self._by_worker: dict[int, Item] = {}

    def decide(self, items: Iterable[Item]) -> Iterator[Item]:
        for item in items:
            if self.root is not None:
                names = {item.name.casefold(), output_name(item.name).casefold()}  # a text may become a page
                if _to_send(item) and not _is_record(item) and not names & self._claimed:
                    self._by_worker[id(item)] = item
                self._claimed |= names
            yield item

    def submit(self, pool: Any, files: list[Any], pack: bool, chunk: list[Item]) -> Any:
        if self.root is None:
            return pool.submit(files, pack)
        writes = [self._by_worker.pop(id(item), None) is item for item in chunk]
        return pool.submit(files, pack, self.root, writes)


def _pool(engine: str, annotator: Annotator, options: HtmlOptions, jobs: int, scheduler: str | None) -> Any:
    if engine == "local":
        return LocalPool(annotator, options, jobs)
    if engine == "dask":
        from .distributed import DaskPool

        return DaskPool(annotator, options, scheduler, jobs)
    raise ValueError(f"unknown engine {engine!r}")


def _to_send(item: Item) -> bool:
    """Whether a worker annotates ``item`` (else this process refuses or copies it)."""
    return item.annotate and item.error is None and (item.data is not None or item.file is not None)


def _run_one(item: Item, annotator: Annotator, options: HtmlOptions, pack: bool) -> Result:
    item.load()
    if item.error is not None:
        return None, "failed", item.error, {}, [], None
    assert item.data is not None
    if not item.annotate:
        return item.data, "skipped", None, {}, [], None
    return process(item.name, item.data, annotator, options, pack, item.encoding, item.url, item.policies)


def _finish(
    out: Output,
    report: Report,
    item: Item,
    result: Result,
    progress: Callable[[FileReport, int], None] | None,
    manifest: Manifest,
) -> None:
    data, status, error, counts, notes, page = received(result, item.data)
    record = _is_record(item)
    if record and error is None and out.warc is None:
        return  # into a folder or archive: not a file
    copy = data is None and out.warc is not None and isinstance(item.source, WarcSource)
    if copy:
        data = item.data or b""  # a page or record that failed stays in the WARC, unchanged
    target = item
    if data is not None and out.warc is None and page_name(item.name, status) != item.name:
        if out.in_place:  # a text file would become an HTML page under its own name
            data, status, error = None, "skipped", "plain text would become an HTML page; not rewritten in place (use -o)"
        else:
            target = dataclasses.replace(item, name=page_name(item.name, status))
    if data is not None and not isinstance(data, Written):  # not written by the worker already
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
    if page is not None and status != "failed" and out.warc is None:
        file_report.output, (file_report.title, file_report.anchors) = target.name, page
    manifest.record(item, file_report)
    report.add(file_report)
    if progress is not None:
        progress(file_report, item.length())


def _is_record(item: Item) -> bool:
    """Tell whether ``item`` is a WARC record that is not a page (a request, an image, a revisit…):
    only a WARC output holds it, and the report lists it only if it fails."""
    return isinstance(item.source, WarcSource) and not item.source.page
