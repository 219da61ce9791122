"""The record a batch keeps in its output folder for ``--changed-only``: what each input was and found."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..atomic import write_atomically
from .items import Item, output_name
from .kinds import is_archive, is_warc
from .report import FileReport, Report


class Manifest:
    """What the last run into a folder did (``--changed-only``): file name -> fingerprint and counts."""

    NAME = ".gloss-manifest.json"

    def __init__(self, output: str, key: str | None) -> None:
        self.key = key
        self.path = Path(output, self.NAME) if key is not None and not is_archive(output) and not is_warc(output) else None
        self.output = output
        self.entries: dict[str, dict[str, Any]] = {}
        self.warnings: list[str] = []
        if self.path is not None and self.path.is_file():
            try:
                self.entries = _valid_manifest(json.loads(self.path.read_bytes().decode("utf-8")))
            except (OSError, ValueError, RecursionError) as exc:
                why = exc.strerror if isinstance(exc, OSError) else "it is not JSON" if not isinstance(exc, _Unusable) else exc
                self.warnings.append(f"{self.path}: the record of the last run is unusable ({why}); every file is done again")
                self.entries = {}

    def done(self, item: Item, report: Report, progress: Callable[[FileReport, int], None] | None) -> bool:
        """Tell whether ``item`` is unchanged since the last run (and report it so)."""
        if self.path is None or item.data is None or self.key is None:
            return False
        known = self.entries.get(item.name)
        if not known or known.get("fingerprint") != fingerprint(item.data, self.key):
            return False
        if not Path(self.output, *output_name(item.name).split("/")).exists():
            return False
        file_report = FileReport(item.label or item.name, "unchanged", None, dict(known.get("occurrences", {})))
        if "output" in known:  # what a site's glossary page lists of it, as the last run recorded it
            file_report.output, file_report.title = known["output"], known.get("title")
            file_report.anchors = dict(known.get("anchors", {}))
        report.add(file_report)
        if progress is not None:
            progress(file_report, len(item.data))
        return True

    def record(self, item: Item, file_report: FileReport) -> None:
        if self.path is not None and self.key is not None and item.data is not None and file_report.status != "failed":
            entry: dict[str, Any] = {"fingerprint": fingerprint(item.data, self.key), "occurrences": file_report.occurrences}
            if file_report.output is not None:
                entry.update(output=file_report.output, title=file_report.title, anchors=file_report.anchors)
            self.entries[item.name] = entry

    def save(self) -> None:
        """Write the record atomically; if it cannot be written, the previous one stays whole."""
        if self.path is not None:
            if hasattr(os, "sync"):
                os.sync()  # the outputs reach the disk before the record that says they are done
            try:
                write_atomically(self.path, json.dumps(self.entries, sort_keys=True).encode("ascii"))
            except OSError as exc:
                self.warnings.append(
                    f"{self.path}: cannot save the record of this run ({exc.strerror or exc}); the previous one is kept"
                )


class _Unusable(ValueError):
    """A manifest that is JSON but not of the shape gloss writes."""


def _valid_manifest(value: object) -> dict[str, dict[str, Any]]:
    """Check the shape of a manifest: ``{name: {"fingerprint": hex, "occurrences": {id: count}}}``, and
    for a site's glossary page (``--index``) ``"output"``, ``"title"`` and ``"anchors": {id: anchor}``."""
    if not isinstance(value, dict):
        raise _Unusable(f"a {type(value).__name__}, not an object")
    for name, entry in value.items():
        if not (isinstance(entry, dict) and isinstance(entry.get("fingerprint"), str)):
            raise _Unusable(f"the entry of {name[:80]!r} has no fingerprint")
        occurrences = entry.get("occurrences", {})
        if not (
            isinstance(occurrences, dict)
            and all(isinstance(k, str) and isinstance(n, int) and not isinstance(n, bool) for k, n in occurrences.items())
        ):
            raise _Unusable(f"the occurrences of {name[:80]!r} are not counts")
        anchors = entry.get("anchors", {})
        if not (
            isinstance(entry.get("output", ""), str)
            and isinstance(entry.get("title", ""), (str, type(None)))
            and isinstance(anchors, dict)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in anchors.items())
        ):
            raise _Unusable(f"the page record of {name[:80]!r} is not one gloss writes")
    return value


def fingerprint(data: bytes, key: str) -> str:
    """A short digest of an input and the run's settings (for ``--changed-only``)."""
    return hashlib.sha256(key.encode() + b"\0" + data).hexdigest()[:32]
