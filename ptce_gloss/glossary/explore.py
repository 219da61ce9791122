"""Searching a glossary and describing its entries as plain data (for ``gloss terms``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..errors import closest, printable, shown
from ..text.french import fold_key
from .entries import Entry, Glossary

TERMS_SCHEMA_VERSION = 1


def filter_entries(glossary: Glossary, query: str | None = None, tags: Iterable[str] = ()) -> list[Entry]:
    """Return the entries whose term, acronyms, variants or definition contain ``query``.

    The query ignores case and accents (``economie`` finds ``Économie``); every tag in
    ``tags`` must be one of the entry's tags (compared the same way).  Entries named by
    the query come first, then those whose names contain it, then those whose
    definition does; glossary order is kept within each group.
    """
    wanted_tags = {fold_key(t) for t in tags}
    needle = fold_key(query) if query else ""
    ranked = []
    for entry in glossary:
        if wanted_tags and not wanted_tags <= {fold_key(t) for t in entry.tags}:
            continue
        names = [fold_key(name) for name in (entry.term, *entry.acronyms, *entry.variants)]
        if needle in names or not needle:
            ranked.append((0, entry))
        elif any(needle in name for name in names):
            ranked.append((1, entry))
        elif needle in fold_key(entry.definition):
            ranked.append((2, entry))
    ranked.sort(key=lambda pair: pair[0])
    return [entry for _, entry in ranked]


def suggest_id(glossary: Glossary, entry_id: str) -> str | None:
    """Return the id closest to a mistyped one, if any is close."""
    return closest(entry_id, (e.id for e in glossary))


def entry_record(entry: Entry) -> dict[str, Any]:
    """Describe an entry as JSON-ready data (the schema ``gloss terms --json`` documents)."""
    return {
        "id": entry.id,
        "term": entry.term,
        "acronyms": list(entry.acronyms),
        "variants": list(entry.variants),
        "definition": entry.definition,
        "url": entry.url,
        "tags": list(entry.tags),
        "see": list(entry.see),
        "case_sensitive": entry.case_sensitive,
        "inflect": entry.inflect,
        "not_after": list(entry.not_after),
        "not_before": list(entry.not_before),
        "only_in": list(entry.only_in),
        "source": entry.source,
        "line": entry.line,
    }


def first_words(text: str, limit: int = 60) -> str:
    """Shorten ``text`` to at most ``limit`` characters at a word boundary, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def plain_line(entry: Entry) -> str:
    """One tab-separated line: id, term, acronyms, tags, the definition's first words; each field made
    printable (a tab, a line break or an escape sequence in a glossary shows as ``\\t``, ``\\n``, ``\\x1b``)."""
    fields = [entry.id, entry.term, ",".join(entry.acronyms), ",".join(entry.tags), first_words(entry.definition)]
    return "\t".join(shown(field) for field in fields)


def plain_entry(entry: Entry) -> str:
    """The whole entry as readable plain text, made printable."""
    lines = [entry.label, f"id: {entry.id}"]
    if entry.variants:
        lines.append(f"variants: {', '.join(entry.variants)}")
    if entry.tags:
        lines.append(f"tags: {', '.join(entry.tags)}")
    lines += ["", entry.definition, ""]
    if entry.url:
        lines.append(f"url: {entry.url}")
    if entry.see:
        lines.append(f"see: {', '.join(entry.see)}")
    lines.append(f"source: {entry.source}:{entry.line}")
    return printable("\n".join(lines).rstrip("\n"))
