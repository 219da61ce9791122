"""Writing files so that a reader never sees a partial one, whatever interrupts the write."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
from collections.abc import Iterator
from typing import BinaryIO


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_TEMPORARY = re.compile(r"\.(?P<base>.*)\.(?P<pid>[0-9]+)-[0-9a-f]{8}\.gloss-tmp")


def _temporary_name(path: str) -> str:
    """A fresh hidden name beside ``path``: the file's own name (shortened, so that a long one still
    fits), the writing process's id (so that a later run can tell a leftover) and a random part."""
    folder, base = os.path.split(os.path.abspath(path))
    return os.path.join(folder, f".{base[:80]}.{os.getpid()}-{secrets.token_hex(4)}.gloss-tmp")


_SWEPT: set[str] = set()
"""The folders this process has cleaned of leftovers already."""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return pid > 0
    return True


def remove_leftovers(folder: str | os.PathLike[str], recursive: bool = False) -> int:
    """Delete the temporary files that a killed gloss left in ``folder`` (those whose writing
    process is gone); return how many."""
    removed = 0
    for current, dirs, files in os.walk(folder) if recursive else [(os.fspath(folder), [], os.listdir(folder))]:
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(current, d))]
        for name in files:
            found = _TEMPORARY.fullmatch(name)
            if found and int(found["pid"]) != os.getpid() and not _alive(int(found["pid"])):
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(current, name))
                    removed += 1
    return removed


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike[str], durable: bool = True, sweep: bool = True) -> Iterator[BinaryIO]:
    """Open a temporary file beside ``path`` for writing; rename it over ``path`` only if all went well.

    The file is either wholly old or wholly new, whatever stops the program (the temporary name is
    chosen before the file exists, so even a Ctrl-C while it is created leaves nothing behind); an
    existing file keeps its permissions.  ``durable`` also flushes it to the disk before the rename,
    so that it survives a power cut (a batch leaves that to one sync at its end: thousands of
    flushes would cost more than the annotation).  ``sweep`` first deletes what a killed gloss left
    in that folder (a batch sweeps its output tree once instead).
    """
    path = os.fspath(path)
    temporary = _temporary_name(path)
    folder = os.path.dirname(temporary)
    if sweep and folder not in _SWEPT:  # once per folder and process: `--in-place *.html` lists it once
        _SWEPT.add(folder)
        with contextlib.suppress(OSError):
            remove_leftovers(folder)
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


def write_atomically(path: str | os.PathLike[str], data: bytes, durable: bool = True, sweep: bool = True) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, renamed over it (see
    :func:`atomic_writer`)."""
    with atomic_writer(path, durable, sweep) as handle:
        handle.write(data)
