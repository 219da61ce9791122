"""The work of a batch's worker processes: one file's bytes in, its output and counts out; and how
files are handed to a pool of workers, in chunks, with results taken back in input order."""

from __future__ import annotations

import dataclasses
from collections import Counter, deque
from collections.abc import Callable, Iterable, Sequence
from itertools import chain, repeat
from typing import TYPE_CHECKING, Any

from ..annotate import Annotator
from ..atomic import OpenFolders, write_beneath
from ..errors import BatchError, InputError
from ..markup import HtmlOptions
from .items import Item, LocalFile, page_name
from .outputs import Packed
from .report import Report

if TYPE_CHECKING:
    from concurrent.futures import Future

CHUNK_FILES = 16
CHUNK_BYTES = 1 << 20
"""A worker's task: up to this many files, or bytes."""


_WORKER: tuple[Annotator, HtmlOptions] | None = None
_FOLDERS: OpenFolders | None = None  # the output folders a worker writes into, kept open


def start_worker(annotator: Annotator, options: HtmlOptions) -> None:
    global _WORKER, _FOLDERS
    _WORKER = (annotator, options)
    _FOLDERS = OpenFolders()


class Written:
    """What a result holds in place of its output once the worker wrote it into the output folder
    (one object in every process: it is pickled by name)."""

    def __reduce__(self) -> str:
        return "WRITTEN"


WRITTEN = Written()


Page = tuple[str, dict[str, str]]
"""What a site's glossary page needs of a page (``--index``): its title, and the id of each entry's first link."""
Result = tuple["bytes | Packed | Written | None", str, "str | None", dict[str, int], list[str], "Page | None"]
"""(output, status, error, occurrences per entry id, warnings, page)."""
Task = tuple[str, "bytes | LocalFile", "str | None", "str | None", tuple[str, ...]]
"""A file for a worker: (name, bytes or the file to read them from, transport charset, address, HTTP policies)."""


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
        output, status, error, counts, notes, page = _process(name, data, annotator, options, encoding, url, policies)
    except (RecursionError, MemoryError, ValueError, LookupError, TypeError, AssertionError) as exc:
        # A bug, or an input gloss cannot handle: this file fails, the batch goes on.
        return None, "failed", f"internal error ({type(exc).__name__}: {exc}); please report it", {}, [], None
    return (Packed.of(output) if pack and output is not None else output), status, error, counts, notes, page


def process_many(files: list[Task], pack: bool, root: str | None = None, writes: Sequence[bool] = ()) -> list[Result]:
    """Annotate a chunk of tasks in a worker; the files whose ``writes`` flag is set are written into
    the output folder ``root`` here, in parallel, rather than by the caller."""
    flags = chain(writes, repeat(False))
    return [process_task(file, pack, root=root if write else None) for file, write in zip(files, flags, strict=False)]


def process_task(
    file: Task, pack: bool, annotator: Annotator | None = None, options: HtmlOptions | None = None, root: str | None = None
) -> Result:
    """Annotate one task (reading its file first, when it was sent by name), write its output under
    ``root`` when given (see :func:`written`), and return its result as sent back (see :func:`shipped`)."""
    name, given, encoding, url, policies = file
    data, error = given.read() if isinstance(given, LocalFile) else (given, None)
    if data is None:
        return None, "failed", error, {}, [], None
    result = process(name, data, annotator, options, pack, encoding, url, policies)
    if root is not None:
        result = written(result, root, name)
    return shipped(result, given if isinstance(given, bytes) else None)


def written(result: Result, root: str, name: str) -> Result:
    """Write a result's output under the folder ``root`` as the caller would (a text annotated
    becomes a page named ``.html``), and return the result with :data:`WRITTEN` in its place."""
    output, status = result[0], result[1]
    if output is None or status == "failed":
        return result
    assert isinstance(output, bytes)  # packed data is for zip outputs, never written here
    try:
        write_beneath(root, page_name(name, status), output, folders=_FOLDERS)
    except OSError as exc:  # a name the file system refuses, a full disk: this file only
        return None, "failed", f"cannot write the output: {exc.strerror or exc}", result[3], [], None
    return WRITTEN, *result[1:]


def shipped(result: Result, data: bytes | None) -> Result:
    """A result as a worker sends it back: an output that is its very input ``data`` (a page with
    nothing to annotate) comes back as None, since the caller holds those bytes (see :func:`received`);
    ``data`` None means that the caller does not hold them (the worker read the file)."""
    return (None, *result[1:]) if data is not None and result[0] is data and result[1] == "unchanged" else result


def received(result: Result, data: bytes | None) -> Result:
    """A worker's result with the input put back where :func:`shipped` left it out."""
    return (data, *result[1:]) if result[0] is None and result[1] == "unchanged" else result


def task(item: Item) -> Task:
    """What a worker needs of an input to annotate it."""
    given = item.data if item.data is not None else item.file or b""
    return item.name, given, item.encoding, item.url, item.policies


def _process(
    name: str,
    data: bytes,
    annotator: Annotator,
    options: HtmlOptions | None,
    encoding: str | None = None,
    url: str | None = None,
    policies: tuple[str, ...] = (),
) -> tuple[bytes | None, str, str | None, dict[str, int], list[str], Page | None]:
    from ..html.document import codec_for_label, declared_charset, decode, encode

    if encoding is not None and (
        codec_for_label(encoding) is None or data.startswith(_BOMS) or declared_charset(data) is not None
    ):
        encoding = None  # a byte-order mark, then the page's own declaration win; an unknown label says nothing
    try:
        document = decode(data, name, encoding=encoding)
    except InputError as exc:
        message = str(exc)  # "NAME: why"; the report names the file already
        return None, "failed", message.removeprefix(f"{name}: "), {}, [], None
    if url is not None or policies:
        document = dataclasses.replace(document, url=url, policies=policies)
    if options is not None and options.index_page is not None:
        options = dataclasses.replace(options, glossary_url=relative_url(options.index_page, name))
    annotation = annotator.annotate_page(document, options)
    text, notes = annotation.text, annotation.notes
    counts = Counter(m.entry.id for m in annotation.matches)
    page = _page(document, annotation.anchors) if options is not None and options.anchors and counts else None
    if document.kind == "text":
        if not text:  # an empty or blank text gives an empty output: nothing was done
            return b"", "unchanged", None, {}, [], None
        return text.encode("utf-8"), "annotated", None, dict(counts), notes, page
    if text is document.text:
        return data, "unchanged", None, dict(counts), notes, page
    return encode(document, text), "annotated", None, dict(counts), notes, page


def _page(document: Any, anchors: dict[str, str]) -> Page:
    from ..markup.site import page_title

    return page_title(document.text, document.kind, document.name), anchors


def relative_url(target: str, name: str) -> str:
    """The address of the output ``target`` from the page written as ``name`` (both paths in the
    output, ``/``-separated), percent-encoded: ``glossaire.html`` from ``a/b/page.html`` is
    ``../../glossaire.html``."""
    import posixpath
    from urllib.parse import quote

    return quote(posixpath.relpath(target, posixpath.dirname(name) or "."), safe="/")


_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


class LocalPool:
    """The batch's workers as local processes, each given the compiled glossary once."""

    def __init__(self, annotator: Annotator, options: HtmlOptions, jobs: int) -> None:
        self.window = 2 * jobs
        """How many chunks may be out at once: enough to keep every worker busy."""
        self.chunk_files = self.first_chunk_files = CHUNK_FILES
        self.chunk_bytes = CHUNK_BYTES
        # concurrent.futures imports multiprocessing, pickle, socket, logging…: only when there are workers.
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        self._executor = ProcessPoolExecutor(jobs, initializer=start_worker, initargs=(annotator, options))
        self.failures = (BrokenProcessPool,)

    def submit(self, files: list[Task], pack: bool, root: str | None = None, writes: Sequence[bool] = ()) -> Future[list[Result]]:
        return self._executor.submit(process_many, files, pack, root, writes)

    @staticmethod
    def describe(_exc: BaseException) -> str:
        return "a worker process stopped unexpectedly (killed, or out of memory)"

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)


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
