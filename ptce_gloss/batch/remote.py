"""Batch inputs and outputs given as fsspec URLs (``s3://…``, ``gcs://…``, ``memory://…``).

When gloss itself reads and writes, ``file://`` URLs are plain local paths, with all their
guarantees (links not followed, atomic writes), and other URLs go through fsspec: a folder URL is
listed and its files read one at a time; an archive URL is copied to a temporary file to be read;
an output folder URL receives each file in one write (a whole object on object stores, never a
partial one); an output archive URL is built locally and uploaded when complete.  With the Dask
engine and folder URLs in and out, the workers use :func:`read_file` and :func:`write_file`.
fsspec (and the package of each protocol, such as s3fs) is an optional extra:
``pip install 'ptce_gloss[dask]'``.
"""

from __future__ import annotations

import contextlib
import importlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .kinds import is_url, local

NOT_REGULAR = "not a regular file (link, FIFO or device); skipped"
INSTALL_HINT = "URLs need fsspec: pip install 'ptce_gloss[dask]' (and s3fs, gcsfs… for their protocols)"


def _filesystem(url: str) -> tuple[Any, str]:
    try:
        fsspec: Any = importlib.import_module("fsspec")
    except ImportError:
        raise OSError(INSTALL_HINT) from None
    try:
        found: tuple[Any, str] = fsspec.core.url_to_fs(url)
        return found
    except (ImportError, ValueError) as exc:  # an unknown protocol, or its package missing
        raise OSError(f"{url}: {exc}") from None


def is_dir(url: str) -> bool:
    fs, path = _filesystem(url)
    return bool(fs.isdir(path))


def list_files(url: str) -> Iterator[tuple[str, str, int, float]]:
    """Yield (name relative to ``url``, full path, size, mtime) for every file below a folder URL, in
    order; the size is -1 for a link, FIFO or device, which is never followed nor read."""
    fs, root = _filesystem(url)
    root = root.rstrip("/")
    for path, info in sorted(fs.find(root, detail=True).items()):
        if info.get("type") == "directory":
            continue
        if info.get("type", "file") != "file" or info.get("islink"):
            yield path[len(root) :].lstrip("/"), path, -1, 0.0
            continue
        name = path[len(root) :].lstrip("/")
        mtime = info.get("mtime") or info.get("LastModified") or info.get("created") or 0.0
        yield name, path, int(info.get("size") or 0), mtime if isinstance(mtime, (int, float)) else 0.0


def url_of(url: str, path: str) -> str:
    """The URL of ``path``, a path on the file system of ``url`` (as :func:`list_files` gives)."""
    fs, _root = _filesystem(url)
    found: str = fs.unstrip_protocol(path)
    return found


def write_file(url: str, data: bytes) -> None:
    """Write a whole file at ``url``: atomically for a file:// URL, in one write elsewhere."""
    target = local(url)
    if not is_url(target):
        from ..atomic import write_atomically

        Path(target).parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, data, durable=False)
        return
    fs, path = _filesystem(url)
    _pipe(fs, path, data)


def _pipe(fs: Any, path: str, data: bytes) -> None:
    """Write a whole file in one write, its folders first (object stores have none to make)."""
    fs.makedirs(path.rsplit("/", 1)[0], exist_ok=True)
    fs.pipe_file(path, data)


def read_file(url: str, path: str | None = None) -> bytes:
    """The bytes of the file at ``url`` (or at ``path`` on the same file system)."""
    fs, own = _filesystem(url)
    return bytes(fs.cat_file(path or own))


@contextlib.contextmanager
def downloaded(url: str) -> Iterator[Path]:
    """A local temporary copy of the file at ``url`` (an archive, which is read by seeking)."""
    fs, path = _filesystem(url)
    import shutil
    import tempfile

    folder = tempfile.mkdtemp(prefix="gloss-")
    try:
        local_path = Path(folder) / os.path.basename(path.rstrip("/"))
        fs.get_file(path, str(local_path))
        yield local_path
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class FolderWriter:
    """Write each output file into a folder URL, in one write per file."""

    def __init__(self, url: str) -> None:
        self.fs, self.root = _filesystem(url)
        self.root = self.root.rstrip("/")
        self.fs.makedirs(self.root, exist_ok=True)

    def write(self, name: str, data: bytes) -> None:
        _pipe(self.fs, f"{self.root}/{name}", data)


class ArchiveUpload:
    """An output archive URL: built in a local temporary file, uploaded when the batch succeeded."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.fs, self.path = _filesystem(url)
        import tempfile

        self.folder = tempfile.mkdtemp(prefix="gloss-")
        self.local = str(Path(self.folder) / os.path.basename(self.path.rstrip("/")))

    def finish(self, ok: bool) -> None:
        try:
            if ok:
                self.fs.put_file(self.local, self.path)
        finally:
            import shutil

            shutil.rmtree(self.folder, ignore_errors=True)
