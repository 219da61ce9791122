"""What the matcher's candidates become once chosen: the occurrences of entries in a document."""

from __future__ import annotations

from dataclasses import dataclass

from ..glossary import Entry


@dataclass(frozen=True, slots=True)
class Match:
    """One occurrence of a glossary entry in a document."""

    start: int
    """Offset of the first character in the decoded document."""
    end: int
    """Offset just after the last character in the decoded document."""
    entry: Entry
    """The glossary entry found."""
    surface: str
    """The words as a reader sees them: references decoded, each run of whitespace as one space."""
    line: int
    """1-based line of ``start``."""
    column: int
    """1-based column of ``start`` (in characters)."""
