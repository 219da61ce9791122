"""Matches as plain data for machines: the JSON Lines records of ``gloss annotate --format json``."""

from __future__ import annotations

from typing import Any

from ..html.document import Document
from ..match.occurrence import Match


def document_record(source: str, document: Document, matches: list[Match]) -> dict[str, Any]:
    """Describe the matches of one document (the schema of docs/json.md)."""
    return {
        "source": source,
        "format": document.kind,
        "encoding": document.encoding,
        "matches": [
            {
                "id": m.entry.id,
                "term": m.entry.term,
                "surface": m.surface,
                "start": m.start,
                "end": m.end,
                "line": m.line,
                "column": m.column,
            }
            for m in matches
        ],
    }
