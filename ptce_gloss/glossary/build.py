"""A glossary built from entries read by any reader (YAML, a spreadsheet, TBX, SKOS), checked as one file."""

from __future__ import annotations

from ..errors import Diagnostic, GlossaryError
from . import checks
from .entries import Entry, Glossary
from .schema import read_glossary_nodes


def parse_glossary(text: str, name: str = "<string>") -> Glossary:
    """Parse glossary YAML text (the full or the short form).

    Args:
        text: the YAML text.
        name: how diagnostics name the source.

    Returns:
        The glossary; ``warnings`` holds the problems that did not stop it.

    Raises:
        GlossaryError: listing every error found, each located by line and column.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    title, lang, entries, problems = read_glossary_nodes(text, name)
    return glossary_of(entries, problems, name, title, lang)


def glossary_of(
    entries: list[Entry], problems: list[Diagnostic], name: str, title: str | None = None, lang: str = "fr"
) -> Glossary:
    """The glossary of entries read from ``name`` (by any reader), checked together as a file's are.

    Raises:
        GlossaryError: listing every error, each located.
    """
    problems = problems + checks.check_entries(entries, name)
    ordered = sorted(problems, key=lambda d: (d.line, d.column))
    if any(p.severity == "error" for p in problems):
        raise GlossaryError(ordered)
    return Glossary(tuple(entries), title, lang, (name,), tuple(ordered))
