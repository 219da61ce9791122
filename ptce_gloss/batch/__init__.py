"""Batches: many documents in, as many out.  Inputs (folders, zip/tar archives, WARC files, URLs) are
read as items (``items``, ``inputs``, ``warc``, ``remote``), annotated by worker processes (``work``)
or a Dask cluster (``distributed``), written to a folder, an archive or a WARC (``outputs``), with a
report (``report``) and a record for ``--changed-only`` (``manifest``); ``run`` drives it all."""

from __future__ import annotations

from ..errors import BatchError
from .inputs import DEFAULT_PATTERNS, MAX_MEMBERS, MAX_RATIO, MAX_SIZE, MAX_TOTAL, measure_inputs, read_inputs
from .items import ARCHIVE_SUFFIXES, Item, is_archive, output_name, safe_name
from .manifest import fingerprint
from .outputs import ZIP_LEVEL
from .report import FileReport, Report, write_report
from .run import run_batch

__all__ = [
    "ARCHIVE_SUFFIXES",
    "DEFAULT_PATTERNS",
    "MAX_MEMBERS",
    "MAX_RATIO",
    "MAX_SIZE",
    "MAX_TOTAL",
    "ZIP_LEVEL",
    "BatchError",
    "FileReport",
    "Item",
    "Report",
    "fingerprint",
    "is_archive",
    "measure_inputs",
    "output_name",
    "read_inputs",
    "run_batch",
    "safe_name",
    "write_report",
]
