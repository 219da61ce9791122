"""Writing files so that a reader never sees a partial one, whatever interrupts the write."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
from collections.abc import Iterator, Sequence
from typing import BinaryIO

_TEMPORARY = re.compile(r"\.(?P<base>.*)\.(?P<pid>[0-9]+)-[0-9a-f]{8}\.gloss-tmp")


def _temporary_name(path: str) -> str:
    """A fresh hidden name beside ``path``: the file's own name (shortened, so that a long one still
    fits), the writing process's id (so that a later run can tell a leftover) and a random part."""
    folder, base = os.path.split(os.path.abspath(path))
    return os.path.join(folder, f".{base[:80]}.{os.getpid()}-{os.urandom(4).hex()}.gloss-tmp")


_SWEPT: set[str] = set()
"""The folders this process has cleaned of leftovers already."""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return pid > 0
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """Whether a process has exited and only waits to be reaped (a batch's worker killed with the
    batch lingers so until the system reaps it: it will never finish its write)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            status = handle.read()
    except OSError:
        return False  # no /proc (macOS…): taken as alive, the safe side
    state = status.rfind(b")") + 2  # the state follows the name in parentheses, which may hold any byte
    return status[state : state + 1] in (b"Z", b"X")


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
            info = os.stat(path)
            os.chmod(temporary, stat.S_IMODE(info.st_mode))  # the mode of the file replaced
            with contextlib.suppress(OSError, AttributeError):  # the owner too, where this user may set it
                if (info.st_uid, info.st_gid) != (os.getuid(), os.getgid()):
                    os.chown(temporary, info.st_uid, info.st_gid)
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if exc.filename == temporary:  # name the file the user asked for, not the temporary one
            raise OSError(exc.errno, exc.strerror, path) from None
        raise
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def write_atomically(path: str | os.PathLike[str], data: bytes, durable: bool = True, sweep: bool = True) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, renamed over it (see
    :func:`atomic_writer`)."""
    with atomic_writer(path, durable, sweep) as handle:
        handle.write(data)


class UnsafeTarget(OSError):
    """A path gloss refuses to write: a link in the way, a hard-linked or read-only file."""

    def __init__(self, message: str) -> None:
        super().__init__(errno.EPERM, message)


def check_rewritable(path: str | os.PathLike[str]) -> None:
    """Refuse to rewrite in place a file that is a symbolic link, has other hard links, or is read-only.

    Replacing a link by a file would leave its target unannotated; replacing a hard-linked file would split
    it from its other names; a read-only file says it is not to be changed (root ignores the mode, gloss
    does not).

    Raises:
        UnsafeTarget: saying which, and what to do.
        OSError: the file cannot be inspected.
    """
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode):
        real = os.path.realpath(path)
        raise UnsafeTarget(f"is a symbolic link (to {real}); gloss does not rewrite through links: annotate {real} itself")
    if not stat.S_ISREG(info.st_mode):
        raise UnsafeTarget("is not a regular file")
    if info.st_nlink > 1:
        raise UnsafeTarget(
            f"has {info.st_nlink} hard links; rewriting it would split them: copy it (cp FILE tmp && mv tmp FILE) first"
        )
    if not info.st_mode & stat.S_IWUSR or not os.access(path, os.W_OK):
        raise UnsafeTarget("is read-only; gloss does not rewrite it (chmod u+w FILE if it should)")


def _open_folder(name: str, parent: int, create: bool) -> int:
    if create:
        with contextlib.suppress(FileExistsError):
            os.mkdir(name, 0o777, dir_fd=parent)
    try:
        return os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=parent)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR) and stat.S_ISLNK(os.lstat(name, dir_fd=parent).st_mode):
            raise UnsafeTarget(f"{name} is a symbolic link; gloss never writes through one") from None
        raise


class OpenFolders:
    """The folders a batch writes into, kept open while it runs, so that each file it writes costs one
    open: each folder is opened with ``O_NOFOLLOW`` relative to the one above it, once, and the files
    are created relative to it (a link put in its place later is never followed: the descriptor is the
    folder's).  At most ``LIMIT`` stay open; :meth:`close` closes them."""

    LIMIT = 64

    def __init__(self) -> None:
        self._open: dict[tuple[str, ...], int] = {}

    def folder(self, root: str | os.PathLike[str], folders: Sequence[str]) -> int:
        key = (os.fspath(root), *folders)
        found = self._open.get(key)
        if found is None:
            if len(self._open) >= self.LIMIT:
                self.close()
            if folders:
                found = _open_folder(folders[-1], self.folder(root, folders[:-1]), create=True)
            else:
                found = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
            self._open[key] = found
        return found

    def close(self) -> None:
        for descriptor in self._open.values():
            os.close(descriptor)
        self._open.clear()


def write_beneath(
    root: str | os.PathLike[str],
    name: str,
    data: bytes,
    durable: bool = False,
    backup_suffix: str = "",
    folders: OpenFolders | None = None,
) -> None:
    """Write ``data`` at the ``/``-separated ``name`` under the folder ``root``, atomically, never
    following a symbolic link below ``root`` (each folder is opened with ``O_NOFOLLOW`` from the one
    above it, and the file is created and renamed relative to its folder).  With ``backup_suffix``, the
    file it replaces is kept under its name plus the suffix; ``folders`` keeps the folders open for the
    next files.

    Raises:
        UnsafeTarget: a link is in the way (a folder below ``root``, or the file itself).
        OSError: the file system refused.
    """
    if not hasattr(os, "O_NOFOLLOW") or os.open not in os.supports_dir_fd:  # pragma: no cover - not POSIX
        path = os.path.join(root, *name.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        write_atomically(path, data, durable, sweep=False)
        return
    *parts, base = name.split("/")
    opened = folders or OpenFolders()
    try:
        _write_in(opened.folder(root, parts), base, data, durable, backup_suffix)
    finally:
        if folders is None:
            opened.close()


def _write_in(folder: int, base: str, data: bytes, durable: bool, backup_suffix: str) -> None:
    try:
        existing: os.stat_result | None = os.lstat(base, dir_fd=folder)
    except FileNotFoundError:
        existing = None
    if existing is not None and stat.S_ISLNK(existing.st_mode):
        raise UnsafeTarget(f"{base} is a symbolic link; gloss never writes through one")
    if existing is not None and backup_suffix:
        with open(os.open(base, os.O_RDONLY | os.O_NOFOLLOW, dir_fd=folder), "rb") as handle:
            _write_in(folder, base + backup_suffix, handle.read(), durable, "")
    temporary = f".{base[:80]}.{os.getpid()}-{os.urandom(4).hex()}.gloss-tmp"
    # A new file is created with the mode the umask gives (no chmod: a third of the cost of a small
    # file on some disks); one that replaces a file is created private, then given that file's mode.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
    descriptor = os.open(temporary, flags, 0o666 if existing is None else 0o600, dir_fd=folder)
    try:
        with open(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
            if existing is not None:
                os.chmod(handle.fileno(), stat.S_IMODE(existing.st_mode))
                if hasattr(os, "fchown"):
                    with contextlib.suppress(OSError):
                        os.fchown(handle.fileno(), existing.st_uid, existing.st_gid)
        os.replace(temporary, base, src_dir_fd=folder, dst_dir_fd=folder)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary, dir_fd=folder)
        raise
