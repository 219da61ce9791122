"""Run batches on a Dask cluster, and annotate Dask bags or Spark RDDs of documents.

``gloss annotate … --engine dask`` runs the same batch as the local process pool.  When every
input and the output are folder URLs (``file://`` on a file system all machines mount, ``s3://``,
``gcs://``…), the workers read, annotate and write the files themselves, and this machine only lists
the inputs and keeps the report (:func:`run_on_workers`).  Otherwise (local paths, archives, WARCs)
the machine running gloss reads the inputs and writes the outputs, in input order, exactly as a local
run does, and the workers only annotate.  The compiled glossary is shipped once to each worker
(as the result of a task, computed again if lost), documents travel in partitions of a
configurable size, and a partition whose worker dies is run again by Dask on another one — every
file is written whole in one write (atomically for ``file://``), so a retry rewrites the same
bytes and never leaves a partial or duplicate file.

For people who already run Dask or Spark, :func:`annotate_partition` is the per-partition
function and :func:`annotate_bag` maps it over a Dask bag of ``(name, bytes)`` records.

Dask is an optional extra: ``pip install 'ptce_gloss[dask]'``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import CancelledError
from typing import TYPE_CHECKING, Any

from ..annotate import Annotator
from ..atomic import remove_leftovers
from ..errors import BatchError
from ..markup import HtmlOptions
from . import remote
from .items import too_large
from .kinds import is_archive, is_url, is_warc, local
from .report import FileReport, Report
from .work import Task, process, process_task

if TYPE_CHECKING:
    import dask.bag

SCHEDULER_VARIABLE = "GLOSS_DASK_SCHEDULER"
WINDOW = 3
"""Partitions out per worker thread: enough to hide the round trips."""
FIRST_PARTITION_FILES, PARTITION_FILES = 16, 256
"""Documents per task by default: the first tasks are small, so that every worker starts at once;
then they double, since a task costs the cluster a few milliseconds whatever its size."""
PARTITION_BYTES = 8 << 20
INSTALL_HINT = "the dask engine needs Dask: pip install 'ptce_gloss[dask]'"
CONNECT_TIMEOUT = "10s"


def annotate_partition(
    records: Iterable[tuple[str, bytes] | tuple[str, bytes, str | None]],
    annotator: Annotator,
    options: HtmlOptions | None = None,
) -> Iterator[dict[str, Any]]:
    """Annotate the documents of one partition.

    Args:
        records: ``(name, bytes)`` pairs, or ``(name, bytes, charset)`` when the transport declared
            a charset (used when the page declares none). The name tells HTML from plain text.
        annotator: the compiled glossary (``Annotator(load_glossaries())``).
        options: how HTML is written.

    Yields:
        One dict per record, in order: ``name``, ``output`` (the annotated bytes, or None when the
        document failed), ``status`` (``annotated``, ``unchanged`` or ``failed``), ``error``,
        ``occurrences`` (per entry id) and ``warnings`` (what the page's context kept from working as
        usual) — the fields of a ``--report`` record, plus the output; with ``options.anchors``, also
        ``title`` and ``anchors`` (what :func:`~ptce_gloss.batch.build_index` reads of a page).
    """
    options = options or HtmlOptions()
    for record in records:
        name, data = record[0], record[1]
        encoding = record[2] if len(record) > 2 else None
        output, status, error, counts, notes, page = process(name, data, annotator, options, encoding=encoding)
        result: dict[str, Any] = {
            "name": name,
            "output": output,
            "status": status,
            "error": error,
            "occurrences": counts,
            "warnings": notes,
        }
        if page is not None:  # with options.anchors: what build_index needs of the page
            result["title"], result["anchors"] = page
        yield result


def annotate_bag(bag: dask.bag.Bag, annotator: Annotator, options: HtmlOptions | None = None) -> dask.bag.Bag:
    """Map :func:`annotate_partition` over a Dask bag of ``(name, bytes)`` records.

    The annotator is put in the graph once (as a delayed value), not once per partition.

    Example::

        import dask.bag
        from ptce_gloss import load_glossaries
        from ptce_gloss.annotate import Annotator
        from ptce_gloss.distributed import annotate_bag

        pages = dask.bag.from_sequence([("a.html", b"<p>Une SCOP.</p>")], npartitions=1)
        results = annotate_bag(pages, Annotator(load_glossaries())).compute()
    """
    import importlib

    dask: Any = importlib.import_module("dask")
    shared = dask.delayed(annotator, pure=True)
    mapped: Any = bag.map_partitions(_partition_list, shared, options)  # type: ignore[no-untyped-call]
    return mapped  # type: ignore[no-any-return]


def _partition_list(records: Iterable[Any], annotator: Annotator, options: HtmlOptions | None) -> list[dict[str, Any]]:
    return list(annotate_partition(records, annotator, options))


def _annotate_chunk(annotator: Annotator, options: HtmlOptions, files: list[Task], pack: bool) -> list[Any]:
    """A task: the same results as the local pool's ``process_many``."""
    return [process_task(file, pack, annotator, options) for file in files]


def workers_reach(inputs: Sequence[str], output: str) -> bool:
    """Whether the workers read and write the files themselves: every input a folder URL and the
    output a folder URL (``file://`` on a file system every machine mounts, ``s3://``…).  A plain
    path names a place only the machine running gloss can reach: then it reads and writes."""

    def folder_url(name: str) -> bool:
        return is_url(name) and not is_archive(name) and not is_warc(name)

    return bool(inputs) and all(folder_url(name) for name in inputs) and folder_url(output)


def _annotate_urls(
    annotator: Annotator, options: HtmlOptions, files: list[tuple[str, str, str]], max_size: int
) -> list[tuple[str, str | None, dict[str, int], int]]:
    """A task when the workers reach the files: read, annotate and write each; return what the
    report needs (status, error, occurrences, size), never the bytes."""
    results: list[tuple[str, str | None, dict[str, int], int]] = []
    for source, target, name in files:
        try:
            data = remote.read_file(source)
        except OSError as exc:
            results.append(("failed", f"cannot read: {exc}", {}, 0))
            continue
        if len(data) > max_size:
            results.append(("failed", too_large(len(data), max_size), {}, len(data)))
            continue
        output, status, error, counts, _notes, _page = process(name, data, annotator, options)
        if output is not None:
            try:
                remote.write_file(target, output if isinstance(output, bytes) else b"")
            except OSError as exc:
                status, error = "failed", f"cannot write the output: {exc}"
        results.append((status, error, counts, len(data)))
    return results


def run_on_workers(
    annotator: Annotator,
    inputs: Sequence[str],
    output: str,
    options: HtmlOptions,
    include: Sequence[str],
    exclude: Sequence[str],
    max_size: int,
    progress: Callable[[FileReport, int], None] | None,
    scheduler: str | None,
    jobs: int,
    partition_size: int | None,
) -> Report:
    """A batch whose workers read and write the files (see :func:`workers_reach`); this machine
    only lists the inputs and keeps the report, in input order."""
    from .inputs import archive_stem, matches_patterns
    from .items import output_name
    from .work import in_chunks

    report = Report()

    def listed() -> Iterator[tuple[str, str, str, int]]:
        """(input URL, output URL, name, size) of each file to do, in input order."""
        for source in inputs:
            prefix = archive_stem(source.rstrip("/").rsplit("/", 1)[-1]) + "/" if len(inputs) > 1 else ""
            try:
                files = list(remote.list_files(source))
            except OSError as exc:
                raise BatchError(f"cannot list {source}: {exc}") from None
            for relative, path, size, _mtime in files:
                if matches_patterns(relative, include, exclude):
                    name = prefix + relative
                    yield remote.url_of(source, path), output.rstrip("/") + "/" + output_name(name), name, size

    def finish(file: tuple[str, str, str, int], result: tuple[str, str | None, dict[str, int], int]) -> None:
        status, error, counts, size = result
        file_report = FileReport(file[2], status, error, counts)
        report.add(file_report)
        if progress is not None:
            progress(file_report, size)

    pool = DaskPool(annotator, options, scheduler, jobs)
    in_chunks(
        pool,
        listed(),
        partition_size,
        submit=lambda chunk: pool.submit_urls([file[:3] for file in chunk], max_size),
        size=lambda _file: 0,  # unknown until a worker reads it: chunks are counted in files
        here=lambda file: ("failed", remote.NOT_REGULAR, {}, 0) if file[3] < 0 else None,
        finish=finish,
        report=report,
        resume="run the same command again to finish",
    )
    target = local(output)
    if not is_url(target) and os.path.isdir(target):
        # A worker killed while it wrote left a temporary file; its retry wrote the file whole.
        remove_leftovers(target, recursive=True)
    return report


def _keep(value: Any) -> Any:
    return value


class DaskPool:
    """The batch's workers on a Dask cluster: an existing one (``scheduler``), or a LocalCluster."""

    def __init__(self, annotator: Annotator, options: HtmlOptions, scheduler: str | None, workers: int) -> None:
        import importlib

        try:
            distributed: Any = importlib.import_module("distributed")
        except ImportError:
            raise BatchError(INSTALL_HINT) from None
        Client, LocalCluster = distributed.Client, distributed.LocalCluster
        scheduler = scheduler or os.environ.get(SCHEDULER_VARIABLE) or None
        self.cluster: Any = None
        try:
            if scheduler:
                self.client = Client(scheduler, timeout=CONNECT_TIMEOUT)
            else:
                self.cluster = LocalCluster(
                    n_workers=max(1, workers), threads_per_worker=1, processes=True, dashboard_address=":0"
                )
                self.client = Client(self.cluster)
        except (OSError, TimeoutError) as exc:
            raise BatchError(f"cannot reach the Dask scheduler {scheduler}: {exc}") from None
        self.failures = (distributed.KilledWorker, CancelledError, distributed.comm.CommClosedError)
        """What the cluster raises when workers die past Dask's retries, or the cluster goes away."""
        threads = sum(self.client.nthreads().values()) or 1
        self.window = WINDOW * threads
        """How many partitions may be out at once: a few per worker thread hide the round trips."""
        self.first_chunk_files, self.chunk_files, self.chunk_bytes = FIRST_PARTITION_FILES, PARTITION_FILES, PARTITION_BYTES
        # The glossary is a task's result, not scattered data: if every worker holding it dies, the
        # cluster computes it again instead of cancelling every task that needs it.
        self._shared = [self.client.submit(_keep, value, pure=False) for value in (annotator, options)]

    def submit(self, files: list[Task], pack: bool) -> Any:
        annotator, options = self._shared
        return self.client.submit(_annotate_chunk, annotator, options, files, pack, pure=False)

    def submit_urls(self, files: list[tuple[str, str, str]], max_size: int) -> Any:
        annotator, options = self._shared
        return self.client.submit(_annotate_urls, annotator, options, files, max_size, pure=False)

    @staticmethod
    def describe(exc: BaseException) -> str:
        return f"the Dask workers failed ({type(exc).__name__}: {exc})"

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
