"""The occurrence policy's memory across the parts of a document read in parts."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Progress:
    """What the parts of a document read so far have found, for the parts still to come."""

    seen: set[tuple[int, int]] = field(default_factory=set)
    """(entry, section) pairs already annotated."""
    sections: int = 0
    """Headings in the parts before."""
    part_sections: int = 0
    """Headings in the current part (the reader adds them to ``sections`` before the next)."""
    parts: int = 0
    """Parts of a plain text read before this one (the first may start with a title)."""
    more: bool = False
    """More parts of the plain text follow the current one."""
