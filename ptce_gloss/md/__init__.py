"""Reading Markdown: the prose of a Markdown source as a shadow page the HTML path reads, with a map
back to the source (``scan``)."""

from __future__ import annotations

from .inline import LinkSpan
from .scan import Shadow, front_matter_end, shadow

__all__ = ["LinkSpan", "Shadow", "front_matter_end", "shadow"]
