"""The options of an annotation run, gathered in one frozen object that travels down the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ..html.scope import SCOPES, parse_selector
from ..html.tags import DEFAULT_SKIP

Occurrences = Literal["first", "first-per-section", "all"]
OCCURRENCES: tuple[Occurrences, ...] = ("first", "first-per-section", "all")


@dataclass(frozen=True, slots=True)
class AnnotateOptions:
    """How to annotate: which occurrences, and which HTML elements to leave alone."""

    occurrences: Occurrences = "first"
    """``first`` occurrence of each entry per document, ``first-per-section``, or ``all``."""
    skip: frozenset[str] = field(default=DEFAULT_SKIP)
    """HTML elements whose text is never annotated (lower-case names)."""
    replace_foreign: bool = False
    """Take other tools' glossary markup out of HTML pages (:func:`~ptce_gloss.foreign.remove_foreign`)."""
    scope: str = "auto"
    """Where in an HTML page terms are annotated: ``auto`` (its ``<main>``, else its ``<article>`` elements,
    else the whole page, and never the site's nav, header, footer or aside that is not an article's),
    ``main``, ``article``, ``body`` (the whole page), or a simple selector (``#contenu``, ``div.entry``)."""

    def __post_init__(self) -> None:
        if self.occurrences not in OCCURRENCES:
            raise ValueError(f"occurrences must be one of {', '.join(OCCURRENCES)}, not {self.occurrences!r}")
        if self.scope not in SCOPES:
            parse_selector(self.scope)  # raises ValueError for what gloss cannot read
        object.__setattr__(self, "skip", frozenset(name.lower() for name in self.skip))
