"""Writing files so that a reader never sees a partial one, whatever interrupts the write."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from collections.abc import Iterator
from typing import BinaryIO


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _temporary_name(path: str) -> str:
    """A fresh hidden name beside ``path`` (the file's own name shortened, so that a long one still fits)."""
    folder, base = os.path.split(os.path.abspath(path))
    return os.path.join(folder, f".{base[:80]}.{secrets.token_hex(6)}.gloss-tmp")


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike[str], durable: bool = True) -> Iterator[BinaryIO]:
    """Open a temporary file beside ``path`` for writing; rename it over ``path`` only if all went well.

    The file is either wholly old or wholly new, whatever stops the program (the temporary name is
    chosen before the file exists, so even a Ctrl-C while it is created leaves nothing behind); an
    existing file keeps its permissions.  ``durable`` also flushes it to the disk before the rename,
    so that it survives a power cut (a batch leaves that to one sync at its end: thousands of
    flushes would cost more than the annotation).
    """
    path = os.fspath(path)
    temporary = _temporary_name(path)
    try:
        with open(temporary, "xb") as handle:
            yield handle
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        if os.path.exists(path):
            shutil.copymode(path, temporary)
        else:
            os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def write_atomically(path: str | os.PathLike[str], data: bytes, durable: bool = True) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, renamed over it (see
    :func:`atomic_writer`)."""
    with atomic_writer(path, durable) as handle:
        handle.write(data)
