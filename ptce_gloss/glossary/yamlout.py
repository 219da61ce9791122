"""Glossaries written as YAML, in the long form gloss reads (see docs/glossaries.md).

Every value is written so that the safe reader gives it back exactly: a plain scalar only when
nothing in it could mean anything else, a folded block for a definition on one line, a JSON
string (which YAML reads as a double-quoted scalar) for anything else."""

from __future__ import annotations

import json

from ..lazy import regex
from .entries import Entry, Glossary

_PLAIN = regex(r"[^\s!&*?|>'\"%@`{}\[\],#:\-~][^\n:#\[\]{},]*\Z")
_RESERVED = {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"}


def _scalar(value: str) -> str:
    plain = (
        _PLAIN.match(value)
        and value == value.strip()
        and value.lower() not in _RESERVED
        and not value.replace(".", "", 1).replace("e", "", 1).lstrip("+-").isdigit()
    )
    return value if plain else json.dumps(value, ensure_ascii=False)


def _list(values: tuple[str, ...]) -> str:
    return "[" + ", ".join(_scalar(value) for value in values) + "]"


def entry_yaml(entry: Entry) -> str:
    """One entry as a YAML list item of the ``entries:`` list."""
    lines = [f"  - id: {_scalar(entry.id)}", f"    term: {_scalar(entry.term)}"]
    if entry.acronyms:
        lines.append(f"    acronyms: {_list(entry.acronyms)}")
    if entry.variants:
        lines.append(f"    variants: {_list(entry.variants)}")
    if "\n" not in entry.definition and entry.definition == entry.definition.strip() and entry.definition[:1] not in "#":
        lines += ["    definition: >-", f"      {entry.definition}"]
    else:
        lines.append(f"    definition: {json.dumps(entry.definition, ensure_ascii=False)}")
    if entry.url:
        lines.append(f"    url: {_scalar(entry.url)}")
    if entry.tags:
        lines.append(f"    tags: {_list(entry.tags)}")
    if entry.see:
        lines.append(f"    see: {_list(entry.see)}")
    if entry.case_sensitive:
        lines.append("    case_sensitive: true")
    if not entry.inflect:
        lines.append("    inflect: false")
    if entry.override:
        lines.append("    override: true")
    for key in ("not_after", "not_before", "only_in"):
        if getattr(entry, key):
            lines.append(f"    {key}: {_list(getattr(entry, key))}")
    return "\n".join(lines)


def glossary_yaml(glossary: Glossary) -> str:
    """The glossary as YAML text, entries in order."""
    head = []
    if glossary.title:
        head.append(f"title: {_scalar(glossary.title)}")
    head.append(f"lang: {_scalar(glossary.lang or 'fr')}")
    body = "\n\n".join(entry_yaml(entry) for entry in glossary)
    return "\n".join(head) + "\nentries:\n" + body + "\n"
