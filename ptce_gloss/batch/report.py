"""A batch's report: what happened to each file and each entry, written as JSON or CSV (``--report``)."""

from __future__ import annotations

import io
import json
import tempfile
import weakref
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from ..atomic import atomic_writer


@dataclass(slots=True)
class FileReport:
    """What happened to one file."""

    name: str
    status: str
    """``annotated``, ``unchanged``, ``skipped`` or ``failed``."""
    error: str | None = None
    occurrences: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    """What its context kept from working as usual (a ``<base href>``, a Content-Security-Policy)."""
    output: str | None = None
    """Where its output is, in the batch's output (``/``-separated), for a site's glossary page's
    back-links (``--index``); None when no back-link is to be made to it."""
    title: str | None = None
    """Its title, as the site's glossary page lists it."""
    anchors: dict[str, str] = field(default_factory=dict)
    """Entry id -> the id of the entry's first link on the page."""


class Report:
    """A batch's outcome, file by file and entry by entry.

    Totals are kept in memory; the files' own records go to a temporary file as they come, so
    that a batch of a million files does not hold a million records.
    """

    def __init__(self) -> None:
        self._counts: Counter[str] = Counter()
        self._entries: dict[str, dict[str, int]] = {}
        self._spool = tempfile.SpooledTemporaryFile(max_size=4 << 20)  # noqa: SIM115 - lives with the report
        weakref.finalize(self, self._spool.close)
        self.total = 0
        self.warnings: list[str] = []
        """Problems of the run that concern no one file (an unusable record of the last run)."""

    def add(self, file: FileReport) -> None:
        self.total += 1
        self._counts[file.status] += 1
        for entry_id, count in file.occurrences.items():
            totals = self._entries.setdefault(entry_id, {"files": 0, "occurrences": 0})
            totals["files"] += 1
            totals["occurrences"] += count
        record: dict[str, object] = {"name": file.name, "status": file.status, "error": file.error}
        record["occurrences"] = file.occurrences
        if file.warnings:
            record["warnings"] = file.warnings
        if file.output is not None:
            record["output"], record["title"], record["anchors"] = file.output, file.title, file.anchors
        self._spool.write(json.dumps(record).encode("ascii") + b"\n")  # ASCII: a name may hold undecodable bytes

    def iter_files(self) -> Iterator[FileReport]:
        """The files' records, in the order they were done."""
        self._spool.flush()
        self._spool.seek(0)
        for line in self._spool:
            record = json.loads(line)
            yield FileReport(
                record["name"],
                record["status"],
                record["error"],
                record["occurrences"],
                record.get("warnings", []),
                record.get("output"),
                record.get("title"),
                record.get("anchors", {}),
            )
        self._spool.seek(0, io.SEEK_END)

    @property
    def files(self) -> list[FileReport]:
        return list(self.iter_files())

    def counts(self) -> Counter[str]:
        return Counter(self._counts)

    def entries(self) -> dict[str, dict[str, int]]:
        """Per entry id: how many files it was found in, and how many occurrences."""
        return {entry_id: dict(totals) for entry_id, totals in self._entries.items()}

    def never_found(self, entry_ids: Sequence[str]) -> list[str]:
        return sorted(set(entry_ids) - set(self._entries))


def write_report(report: Report, path: str, never_found: Sequence[str]) -> None:
    """Write the machine-readable report (JSON, or CSV with one row per file and entry), atomically.

    ``never_found`` is the glossary's entry ids; those found in no file are listed.
    """
    import csv

    with atomic_writer(path) as raw:
        # A file name's undecodable bytes (kept as surrogates) are written as \udcNN escapes.
        handle = io.TextIOWrapper(raw, encoding="utf-8", errors="backslashreplace", newline="")
        if path.lower().endswith(".csv"):
            writer = csv.writer(handle)
            writer.writerow(["file", "status", "error", "entry", "occurrences"])
            for file in report.iter_files():
                for entry_id, count in sorted(file.occurrences.items()) or [("", 0)]:
                    writer.writerow([file.name, file.status, file.error or "", entry_id, count])
        else:
            handle.write('{\n  "files": [')
            for number, file in enumerate(report.iter_files()):
                record: dict[str, object] = {"name": file.name, "status": file.status, "error": file.error}
                record["occurrences"] = file.occurrences
                if file.warnings:
                    record["warnings"] = file.warnings
                handle.write(("," if number else "") + "\n    " + json.dumps(record, ensure_ascii=False))
            rest = {
                "entries": report.entries(),
                "never_found": report.never_found(never_found),
                "counts": dict(report.counts()),
            }
            handle.write("\n  ],\n" + json.dumps(rest, ensure_ascii=False, indent=2)[2:] + "\n")
        handle.flush()
        handle.detach()
