"""Reading glossaries: YAML files, text or bytes, checked as they load, and combined in order."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence

from ..errors import Diagnostic, GlossaryError
from . import checks
from .build import parse_glossary
from .entries import Entry, Glossary
from .files import GlossarySource, default_glossary_path, read_bytes, read_glossary_file


def load_glossary(source: GlossarySource) -> Glossary:
    """Load a glossary from a file path, from YAML text, or from the bytes of a file.

    A ``str`` containing a line break is YAML text; any other ``str`` or path-like
    is a file name, read in the format its suffix names (``.csv``, ``.tsv``, ``.xlsx``,
    ``.tbx``, ``.ttl``, ``.rdf``; YAML otherwise: see :mod:`.formats`).

    Raises:
        GlossaryError: the file is missing, unreadable, too large or invalid.
        TypeError: ``source`` is of another type.
    """
    if isinstance(source, bytes):
        return parse_glossary(read_bytes(source, "<bytes>"), "<bytes>")
    if isinstance(source, str) and "\n" in source:
        return parse_glossary(source)
    if not isinstance(source, (str, os.PathLike)):
        raise TypeError(f"source must be a path, YAML text or bytes, not {type(source).__name__}")
    from .formats import parse_glossary_file

    name = os.fspath(source)
    return parse_glossary_file(read_glossary_file(name), name)


def combine_glossaries(glossaries: Sequence[Glossary]) -> Glossary:
    """Combine glossaries in order: an entry of a later one replaces an earlier entry with its id.

    Raises:
        GlossaryError: a ``see`` names an id that none of them defines.
    """
    by_id: dict[str, Entry] = {}
    replaced: list[Diagnostic] = []
    for glossary in glossaries:
        for entry in glossary:
            earlier = by_id.pop(entry.id, None)
            if earlier is not None and not entry.override:
                where = f"{earlier.source}:{earlier.line}" if earlier.line else earlier.source
                replaced.append(
                    Diagnostic(
                        entry.source,
                        entry.line,
                        0,
                        f"entry '{entry.id}' replaces the entry '{earlier.term}' of {where}, which has the same id; "
                        "add 'override: true' to the entry if that is meant, or give it another 'id'",
                        "warning",
                        "override",
                    )
                )
            by_id[entry.id] = entry
    entries = tuple(by_id.values())
    problems = replaced + checks.check_references(entries)
    if len(glossaries) > 1:
        problems += checks.find_collisions(entries, None, severity="warning")
    if any(p.severity == "error" for p in problems):
        raise GlossaryError(problems)
    title = next((g.title for g in glossaries if g.title), None)
    lang = glossaries[0].lang if glossaries else "fr"
    sources = tuple(s for g in glossaries for s in g.sources)
    warnings = tuple(w for g in glossaries for w in g.warnings) + tuple(problems)
    return Glossary(entries, title, lang, sources, warnings)


def load_glossaries(paths: Iterable[GlossarySource] = (), *, include_default: bool = True) -> Glossary:
    """Load the bundled glossary (unless told not to) and then each of ``paths``, combined in order.

    Raises:
        GlossaryError: listing the problems of every file that failed, not just the first.
    """
    sources: list[GlossarySource] = [default_glossary_path()] if include_default else []
    sources += list(paths)
    loaded, problems = [], []
    for source in sources:
        try:
            loaded.append(load_glossary(source))
        except GlossaryError as exc:
            problems += exc.diagnostics
    if problems:
        raise GlossaryError(problems)
    return combine_glossaries(loaded)
