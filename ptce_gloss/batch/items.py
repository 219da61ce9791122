"""A batch's unit of work: one input member (:class:`Item`), and how its name maps to its output."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from ..html.document import kind_from_name


@dataclass(slots=True)
class Item:
    """One input member: where it came from and where its output goes."""

    name: str
    """Its path relative to the input (``/``-separated), as written to the output."""
    data: bytes | None = None
    """Its bytes, when it is to be annotated or copied."""
    error: str | None = None
    """Why it is refused, when it is."""
    annotate: bool = True
    """False for archive members that do not match the patterns: copied unchanged."""
    mtime: float = 0.0
    mode: int = 0o644
    encoding: str | None = None
    """The charset its transport declared (a WARC record's HTTP header), used when the page declares none."""
    label: str | None = None
    """How the report names it, when not by ``name`` (a WARC page by its URL)."""
    url: str | None = None
    """The address it was published at, when known (a WARC page's target URI)."""
    policies: tuple[str, ...] = ()
    """The Content-Security-Policy headers it was served with (a WARC page's)."""
    source: Any = None
    """What an output of the same format needs to write it back (a WARC record's headers)."""


def output_name(name: str) -> str:
    """The name of a batch's output for an input: a plain text (``.txt``, ``.text``) becomes an HTML page,
    ``notes.txt`` → ``notes.html``; other names are kept (Markdown stays Markdown)."""
    if kind_from_name(name) != "text":
        return name
    stem, dot, _ = name.rpartition(".")
    return (stem if dot and "/" not in name[len(stem) :] else name) + ".html"


def page_name(name: str, status: str) -> str:
    """The name a batch writes a file's output under: :func:`output_name` for a plain text it
    annotated (it became a page), the input's own name otherwise."""
    return output_name(name) if status == "annotated" else name


def safe_name(name: str) -> str | None:
    """Map an archive member's name to a relative POSIX path, or None if it would leave the output."""
    if not name or "\\" in name or "\0" in name or name.startswith(("/", "//")) or ":" in name.split("/", 1)[0]:
        return None
    parts = [p for p in PurePosixPath(name).parts if p not in ("", ".")]
    if not parts or any(p == ".." for p in parts):
        return None
    return "/".join(parts)
