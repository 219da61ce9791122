"""Batches: many documents in, as many out.  Inputs (folders, zip/tar archives, WARC files, URLs) are
read as items (``items``, ``inputs``, ``warc``, ``remote``), annotated by worker processes (``work``)
or a Dask cluster (``distributed``), written to a folder, an archive or a WARC (``outputs``), with a
report (``report``) and a record for ``--changed-only`` (``manifest``); ``run`` drives it all.
Names are imported on first use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import exports

if TYPE_CHECKING:
    from ..errors import BatchError
    from .index import IndexOptions, build_index
    from .inputs import DEFAULT_PATTERNS, MAX_MEMBERS, MAX_RATIO, MAX_SIZE, MAX_TOTAL, measure_inputs, read_inputs
    from .items import Item, output_name, safe_name
    from .kinds import ARCHIVE_SUFFIXES, is_archive
    from .manifest import fingerprint
    from .outputs import ZIP_LEVEL
    from .report import FileReport, Report, write_report
    from .run import run_batch

_EXPORTS = {
    "BatchError": "..errors",
    "IndexOptions": ".index",
    "build_index": ".index",
    "DEFAULT_PATTERNS": ".inputs",
    "MAX_MEMBERS": ".inputs",
    "MAX_RATIO": ".inputs",
    "MAX_SIZE": ".inputs",
    "MAX_TOTAL": ".inputs",
    "measure_inputs": ".inputs",
    "read_inputs": ".inputs",
    "ARCHIVE_SUFFIXES": ".kinds",
    "Item": ".items",
    "is_archive": ".kinds",
    "output_name": ".items",
    "safe_name": ".items",
    "fingerprint": ".manifest",
    "ZIP_LEVEL": ".outputs",
    "FileReport": ".report",
    "Report": ".report",
    "write_report": ".report",
    "run_batch": ".run",
}
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
    "IndexOptions",
    "Item",
    "Report",
    "build_index",
    "fingerprint",
    "is_archive",
    "measure_inputs",
    "output_name",
    "read_inputs",
    "run_batch",
    "safe_name",
    "write_report",
]
__getattr__, __dir__ = exports(__name__, _EXPORTS)
