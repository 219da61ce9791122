"""Context guards and homonyms: an entry's ``not_after``, ``not_before`` and ``only_in`` decide, around a
chosen occurrence, whether it is annotated, and which of the entries sharing its form it is."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

from ..glossary import Entry
from ..html.scan import Projection
from ..html.tags import TRANSPARENT
from ..html.zones import Zones
from ..lazy import regex, unescape
from ..text.french import fold_text, is_word_char

_CONTEXT = 120  # characters read on each side: longer than any guard phrase


def _normal(text: str) -> str:
    """Text as guards are compared: folded (no case, no accents), one apostrophe, spaces collapsed."""
    return " ".join(fold_text(text.replace("’", "'").replace("\u02bc", "'")).split())


class Guards:
    """The guards of a glossary's entries, and the homonyms each guarded entry has."""

    def __init__(self, entries: Sequence[Entry], homonyms: Mapping[int, Sequence[int]]) -> None:
        """``homonyms`` are the compiled glossary's: entry index -> the entries writing a form of it the same."""
        self.entries = entries
        self.active = any(entry.guarded for entry in entries)
        self.alternates: Mapping[int, Sequence[int]] = homonyms if self.active else {}
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


_PASSAGE = 40  # characters read on each side of an acronym to tell a passage written in capitals
_LETTERS = regex(r"[^\W\d_]+")
# A tag that ends a passage: any but the inline phrasing ones a sentence runs across (a block, a
# line break, a comment)
_INLINE = "|".join(sorted(TRANSPARENT - {"wbr"}))
_BOUNDARY = regex(rf"<(?!/?(?:{_INLINE})[\s/>])[/!?A-Za-z][^>]*>")
_TAG = regex(r"<[^>]*>")


def capitals_homograph(projection: Projection, source_start: int, source_end: int) -> bool:
    """Whether the acronym at source[source_start:source_end] stands in a passage written in capitals
    (a title set in capitals, « J'AI VISITÉ… », « IL PLIE BAGAGE ») and is also a French word: there
    capitals say nothing, and the word is the likelier reading, so it is not annotated as the acronym.

    The passage is the acronym's block (its line, in plain text): a word on each side counts within
    40 characters, and at least two words of two letters or more must be read, all in capitals."""
    source = projection.source
    form = source[source_start:source_end]
    if not form.isupper():
        return False
    before = source[max(0, source_start - 8 * _PASSAGE) : source_start]
    after = source[source_end : source_end + 8 * _PASSAGE]
    if projection.is_html:
        before, after = _BOUNDARY.split(before)[-1], _BOUNDARY.split(after)[0]
        before, after = unescape(_TAG.sub("", before)), unescape(_TAG.sub("", after))
    else:
        before, after = before.rsplit("\n", 1)[-1], after.split("\n", 1)[0]
    words = _LETTERS.findall(before[-_PASSAGE:]) + _LETTERS.findall(after[:_PASSAGE])
    if sum(len(word) > 1 for word in words) < 2 or not all(word.isupper() for word in words):
        return False
    return _is_french_word(_TAG.sub("", form).replace(".", "").lower())


@lru_cache(maxsize=1024)
def _is_french_word(word: str) -> bool:
    import simplemma  # its French dictionary is loaded only when a passage in capitals needs it

    return bool(simplemma.is_known(word, lang="fr"))
