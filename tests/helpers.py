"""Small helpers shared by the matching tests."""

from __future__ import annotations

from functools import cache

from ptce_gloss import load_glossaries, parse_glossary
from ptce_gloss.annotate import Annotator
from ptce_gloss.annotate.options import AnnotateOptions
from ptce_gloss.html.document import Document


@cache
def annotator(glossary_yaml: str | None = None, occurrences: str = "all") -> Annotator:
    """An Annotator for a YAML glossary text (the bundled glossary when None)."""
    glossary = load_glossaries() if glossary_yaml is None else parse_glossary(glossary_yaml)
    return Annotator(glossary, AnnotateOptions(occurrences=occurrences))  # type: ignore[arg-type]


def found(text: str, glossary_yaml: str | None = None, kind: str = "text", occurrences: str = "all") -> list[tuple[str, str]]:
    """Return (entry id, surface) for each occurrence found in ``text``."""
    document = Document.from_text(text, kind)  # type: ignore[arg-type]
    return [(m.entry.id, m.surface) for m in annotator(glossary_yaml, occurrences).find(document)]


def spans(text: str, glossary_yaml: str | None = None, kind: str = "text") -> list[str]:
    """Return the exact source slices matched in ``text``."""
    document = Document.from_text(text, kind)  # type: ignore[arg-type]
    return [text[m.start : m.end] for m in annotator(glossary_yaml).find(document)]
