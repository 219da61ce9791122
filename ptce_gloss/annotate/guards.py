"""Context guards and homonyms: an entry's ``not_after``, ``not_before`` and ``only_in`` decide, around a
chosen occurrence, whether it is annotated, and which of the entries sharing its form it is."""

from __future__ import annotations

from collections.abc import Sequence

from ..glossary import Entry
from ..html.scan import Projection
from ..html.zones import Zones
from ..text.french import fold_key, fold_text, is_word_char

_CONTEXT = 120  # characters read on each side: longer than any guard phrase


def _normal(text: str) -> str:
    """Text as guards are compared: folded (no case, no accents), one apostrophe, spaces collapsed."""
    return " ".join(fold_text(text.replace("’", "'").replace("\u02bc", "'")).split())


class Guards:
    """The guards of a glossary's entries, and the homonyms each guarded entry has."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        self.entries = entries
        self.active = any(entry.guarded for entry in entries)
        self.alternates: dict[int, list[int]] = {}
        if self.active:
            owners: dict[str, list[int]] = {}
            for index, entry in enumerate(entries):
                for form in (entry.term, *entry.variants, *entry.acronyms):
                    owners.setdefault(fold_key(form), []).append(index)
            for indexes in owners.values():
                for index in indexes:
                    others = [i for i in indexes if i != index and i not in self.alternates.get(index, [])]
                    self.alternates.setdefault(index, []).extend(others)
        self._zones: dict[tuple[str, ...], Zones] = {}

    def choose(self, entry: int, projection: Projection, start: int, end: int, source_start: int, source_end: int) -> int | None:
        """The entry an occurrence of ``entry``'s form at text[start:end] stands for, among it and its
        homonyms: one whose ``only_in`` holds here comes first (the place says which it is), then one whose
        guards let it through; None when none does."""
        choices: list[int] = [entry, *self.alternates.get(entry, [])]
        allowed = [c for c in choices if self.allows(self.entries[c], projection, start, end, source_start, source_end)]
        return next((c for c in allowed if self.entries[c].only_in), allowed[0] if allowed else None)

    def allows(self, entry: Entry, projection: Projection, start: int, end: int, source_start: int, source_end: int) -> bool:
        if not entry.guarded:
            return True
        text = projection.text
        if entry.not_after:
            before = _normal(text[max(0, start - _CONTEXT) : start])
            if any(_ends_with_words(before, _normal(phrase)) for phrase in entry.not_after):
                return False
        if entry.not_before:
            after = _normal(text[end : end + _CONTEXT])
            if any(_starts_with_words(after, _normal(phrase)) for phrase in entry.not_before):
                return False
        if entry.only_in and projection.is_html and projection.markup is not None:
            zones = self._zones.get(entry.only_in)
            if zones is None:
                zones = self._zones[entry.only_in] = Zones(projection.markup.parts, projection.markup.before, entry.only_in)
            if not zones.covers(source_start, source_end):
                return False
        return True

    def reset(self) -> None:
        """Forget what was read of the last document (its zones)."""
        self._zones.clear()


def _ends_with_words(text: str, phrase: str) -> bool:
    if not phrase or not text.endswith(phrase):
        return False
    before = len(text) - len(phrase) - 1
    return before < 0 or not is_word_char(text[before])


def _starts_with_words(text: str, phrase: str) -> bool:
    if not phrase or not text.startswith(phrase):
        return False
    return len(text) == len(phrase) or not is_word_char(text[len(phrase)])
