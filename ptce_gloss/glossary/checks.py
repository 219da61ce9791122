"""Checks across entries: unique ids, forms claimed once, references that resolve."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from ..errors import Diagnostic, Severity
from ..lazy import regex
from ..text.french import fold_key

if TYPE_CHECKING:
    from .entries import Entry


def surface_forms(entry: Entry) -> Iterator[tuple[str, str]]:
    """Yield ``(kind, form)`` for the written forms of an entry: term, variants, acronyms."""
    yield "term", entry.term
    for variant in entry.variants:
        yield "variant", variant
    for acronym in entry.acronyms:
        yield "acronym", acronym


def _shadows(kind_a: str, form_a: str, kind_b: str, form_b: str) -> bool:
    """Tell whether two forms with the same folded key would match the same text."""
    if kind_a == "acronym" and kind_b == "acronym":
        return form_a == form_b  # acronyms are matched exactly: SCOP and Scop coexist
    return True


_ELEMENT = regex(r"[a-z][a-z0-9-]*")


def homonyms(entries: Sequence[Entry]) -> dict[int, list[int]]:
    """Entry index -> the other entries (indexes, in glossary order) that write one of its forms the
    same, folded: homonyms, which context guards tell apart.  Computed once, with the compiled glossary."""
    owners: dict[str, set[int]] = {}
    for index, entry in enumerate(entries):
        for _, form in surface_forms(entry):
            owners.setdefault(fold_key(form), set()).add(index)
    found: dict[int, set[int]] = {}
    for group in owners.values():
        for index in group if len(group) > 1 else ():
            found.setdefault(index, set()).update(group - {index})
    return {index: sorted(others) for index, others in sorted(found.items())}


def find_collisions(entries: Iterable[Entry], path: str | None, severity: Severity = "error") -> list[Diagnostic]:
    """Report every written form that two different entries claim (at ``path``, or each entry's file)."""
    claims: dict[str, list[tuple[Entry, str, str]]] = {}
    problems = []
    for entry in entries:
        for kind, form in surface_forms(entry):
            key = fold_key(form)
            for other, other_kind, other_form in claims.get(key, ()):
                if other.id != entry.id and (entry.guarded or other.guarded):
                    continue  # homonyms: the guards tell them apart (see the annotator's alternates)
                if other.id != entry.id and _shadows(kind, form, other_kind, other_form):
                    where = f"line {other.line}" if other.source == entry.source else f"{other.source}:{other.line}"
                    problems.append(
                        Diagnostic(
                            path or entry.source,
                            entry.line,
                            0,
                            f'{kind} "{form}" of "{entry.id}" is already claimed by the {other_kind} '
                            f'"{other_form}" of "{other.id}" at {where}; remove one of them',
                            severity,
                        )
                    )
                    break
            claims.setdefault(key, []).append((entry, kind, form))
    return problems


def check_entries(entries: list[Entry], path: str) -> list[Diagnostic]:
    """Check one file's entries together: duplicate ids and shared forms are errors."""
    problems = []
    seen: dict[str, Entry] = {}
    for entry in entries:
        first = seen.setdefault(entry.id, entry)
        if first is not entry:
            problems.append(
                Diagnostic(
                    path,
                    entry.line,
                    0,
                    f"duplicate id '{entry.id}' (already used at line {first.line}); give this entry another 'id:'",
                )
            )
    problems += find_collisions(entries, path)
    problems += check_guards(entries, path)
    return problems


def check_guards(entries: Iterable[Entry], path: str) -> list[Diagnostic]:
    """Warn of guards that can never apply: a phrase without a letter or digit, an element name that is
    none (an ``only_in`` that names only elements gloss skips is found when the glossary is compiled)."""
    problems = []
    for entry in entries:
        for key in ("not_after", "not_before"):
            for phrase in getattr(entry, key):
                if not any(char.isalnum() for char in phrase):
                    message = f"{key} '{phrase}' of '{entry.id}' has no letter or digit; it can never apply"
                    problems.append(Diagnostic(path, entry.line, 0, message, "warning"))
        for name in entry.only_in:
            if not _ELEMENT.fullmatch(name):
                message = f"only_in '{name}' of '{entry.id}' is no HTML element name (p, li, td, blockquote…); it can never apply"
                problems.append(Diagnostic(path, entry.line, 0, message, "warning"))
    return problems


def check_references(entries: Iterable[Entry]) -> list[Diagnostic]:
    """Report ``see`` ids that name no entry of the combined glossaries."""
    entries = list(entries)
    ids = {entry.id for entry in entries}
    problems = []
    for entry in entries:
        for ref in entry.see:
            if ref not in ids:
                problems.append(
                    Diagnostic(
                        entry.source,
                        entry.line,
                        0,
                        f"'see' names '{ref}', which is no entry's id; fix the id or remove it",
                    )
                )
            elif ref == entry.id:
                problems.append(Diagnostic(entry.source, entry.line, 0, f"'see' of '{ref}' names the entry itself", "warning"))
    return problems
