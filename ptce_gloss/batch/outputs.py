"""Batch outputs: a folder mirroring the inputs, a zip/tar archive of the same layout, or a WARC
file; each output is written atomically, so an interrupted run leaves complete files only.
"""

from __future__ import annotations

import contextlib
import io
import os
import stat
import tarfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..atomic import OpenFolders, atomic_writer, check_rewritable, remove_leftovers, write_beneath
from ..errors import BatchError
from . import remote
from .items import Item
from .kinds import is_archive, is_url, is_warc, local
from .warc import WarcOutput

ZIP_LEVEL = 1
"""Deflate level of an output zip: the fastest, as the output is written by one process for all
workers (level 6 made writing cost a third of the annotation, for files about 15% smaller)."""


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


class Output:
    """Where a batch writes: a folder mirroring the inputs, an archive of the same layout, or a WARC
    file (``.warc``, ``.warc.gz``: see :class:`warc.WarcOutput`)."""

    def __init__(self, target: str, backup_suffix: str = "", in_place: bool = False) -> None:
        self.backup_suffix = backup_suffix
        self.in_place = in_place
        self.archive: zipfile.ZipFile | tarfile.TarFile | None = None
        self.warc: WarcOutput | None = None
        self._writer: Any = None
        self._folder: Any = None  # an output folder URL
        self._folders = OpenFolders()  # the folders of a local output folder, kept open
        self._upload: Any = None  # an output archive URL, built locally first
        target = local(target)
        if is_url(target):
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
            if os.path.lexists(target) and not os.path.isdir(target):
                raise BatchError(
                    f"{target} exists and is not a folder: a batch writes a folder (-o FOLDER/), an archive "
                    "(.zip, .tar…) or a WARC; give another -o"
                )
            try:
                Path(target).mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise BatchError(f"{target}: cannot create the output folder: {exc.strerror or exc}") from None
            remove_leftovers(target, recursive=True)  # what a killed run left

    @property
    def folder(self) -> bool:
        """Whether this output is a local folder."""
        return self._folder is None and self.warc is None and self.archive is None

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
            if self.in_place:
                path = Path(self.target, *item.name.split("/"))
                if os.path.lexists(path):
                    check_rewritable(path)
            write_beneath(self.target, item.name, data, backup_suffix=self.backup_suffix, folders=self._folders)

    def close(self, ok: bool) -> None:
        """Finish the output; an archive is renamed into place only if the run was not interrupted.

        After a failed run (the batch's workers are gone by then), the temporary files a worker
        killed in the middle of a write left in an output folder are deleted, as the next run would."""
        self._folders.close()
        if not ok and self.folder and os.path.isdir(self.target):
            with contextlib.suppress(OSError):
                remove_leftovers(self.target, recursive=True)
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
