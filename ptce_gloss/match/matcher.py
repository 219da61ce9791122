"""A glossary compiled into two Aho–Corasick automata, and the search for terms in a text.

Long forms (terms and variants, with their generated plurals) are matched in the folded text (no case,
no accents, one kind of apostrophe, hyphen = space), acronyms in the text as written.  Each automaton
makes one pass over the document and reports every candidate, overlapping ones included; word boundaries,
URLs and markup are checked only at those candidates, and leftmost-longest selection happens last, so a
candidate rejected at a boundary never hides a shorter valid one.
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, NamedTuple

import ahocorasick_rs

from ..errors import Diagnostic
from ..glossary import Entry, Glossary
from ..glossary.checks import homonyms
from ..glossary.entries import acronym_forms
from ..html.scan import Projection
from ..html.tags import DEFAULT_SKIP, is_transparent
from ..lazy import regex
from ..text.french import (
    UNKNOWN_BYTE,
    WORD_BYTES,
    cp1252_safe,
    fold_each,
    fold_pattern,
    is_word_char,
    ligature_spellings,
    plural_phrase,
)
from .longest import longest

# A candidate inside a run of these characters that looks like a URL, an e-mail address or a
# file name (lelabo-ess.org, les-scop.jpg) is not a word of the text.
_URL_CHARS = regex(r"[^\s\"'<>()\[\]{}«»,;‘’“”|]*")
_URL_STOPS = frozenset("\"'<>()[]{}«»,;‘’“”|")  # the characters besides spaces that end a URL
_URL_LIKE = regex(r"://|@|^www\.|\w\.\w", re.IGNORECASE)


# A candidate found in the text, before the checks against the source: start, end, entry, acronym.
_Found = tuple[int, int, int, bool]


class Candidate(NamedTuple):
    """A place in the projected text where a glossary form was found (a named tuple: cheaper to
    define and to make than a dataclass)."""

    start: int
    end: int
    entry: int
    """Index of the entry in the compiled glossary."""
    acronym: bool
    source_start: int
    """Where the candidate starts in the source."""
    source_end: int
    """Where the candidate ends in the source."""


@dataclass(slots=True)
class CompiledGlossary:
    """Every form of every entry, folded and ready for the automata (picklable; automata are rebuilt)."""

    entries: tuple[Entry, ...]
    folded: list[str]
    folded_owner: list[int]
    case_forms: dict[int, str]
    """Pattern index -> the form as written, for entries matched case-sensitively."""
    exact: list[str]
    exact_owner: list[int]
    warnings: list[Diagnostic]
    fast_fold: bool = False
    """Documents may be folded to windows-1252 bytes (every folded pattern survives it)."""
    homonyms: dict[int, list[int]] = field(default_factory=dict)  # see glossary.checks.homonyms
    _automata: Any = field(default=None, repr=False, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__ if name != "_automata"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            setattr(self, name, value)
        self._automata = None

    def automata(self) -> tuple[_Automaton | None, _Automaton | None]:
        """Return the (folded, exact) automata, building them on first use."""
        if self._automata is None:
            folded = _Automaton.build_bytes(fold_each(self.folded)) if self.fast_fold else _Automaton.build(self.folded)
            # Acronyms are searched in the text as written: as bytes when they are plain ASCII.
            exact = _Automaton.build(self.exact)
            self._automata = (folded, exact)
        return self._automata  # type: ignore[no-any-return]


class _Reversed:
    """An Aho–Corasick automaton over the reversed patterns, searched in the reversed text.

    It finds the same occurrences (all of them, overlapping) as the forward one, but it is built in
    linear time where the forward construction of ahocorasick-rs 1.0 grows with the square of the
    number of patterns that share a long beginning (100,000 terms ``terme0``…``terme99999``: 10 s
    instead of 0.1 s); glossary forms share beginnings far more often than endings.
    """

    #: A haystack longer than twice this is searched in windows of this size, so that the matches held at
    #: once stay few: a 10 MB word made of one term repeated has a million matches, which the word-boundary
    #: check then drops.
    WINDOW = 1 << 20

    def __init__(self, automaton: Any, longest: int) -> None:
        self.automaton, self.longest = automaton, longest

    @classmethod
    def of(cls, patterns: list[str] | list[bytes]) -> _Reversed:
        backwards: list[Any] = [p[::-1] for p in patterns]
        longest = max(map(len, patterns), default=0)
        if backwards and isinstance(backwards[0], bytes):
            return cls(ahocorasick_rs.BytesAhoCorasick(backwards), longest)
        return cls(ahocorasick_rs.AhoCorasick(backwards), longest)

    def find_matches_as_indexes(self, haystack: str | bytes, overlapping: bool = True) -> list[tuple[int, int, int]]:
        size = len(haystack)
        found = self.automaton.find_matches_as_indexes(haystack[::-1], overlapping=overlapping)
        return [(pattern, size - end, size - start) for pattern, start, end in reversed(found)]

    def iter_matches(self, haystack: str | bytes) -> Iterator[tuple[int, int, int]]:
        """Yield every (pattern, start, end), overlapping ones included, in the order of
        :meth:`find_matches_as_indexes`, holding one window's matches at a time.

        A window covers the starts ``[low, high)`` and reads ``longest`` more characters, so every match
        starting there is inside it; matches starting at or after ``high`` are left to the next window.
        """
        size, window = len(haystack), self.WINDOW
        if size <= 2 * window:
            yield from self.find_matches_as_indexes(haystack)
            return
        for low in range(0, size, window):
            high = low + window
            for pattern, start, end in self.find_matches_as_indexes(haystack[low : high + self.longest]):
                if start < window:
                    yield pattern, low + start, low + end


class _Automaton:
    """An Aho–Corasick automaton over str or, when the patterns allow, over ASCII bytes (faster).

    Searching bytes skips the UTF-8 conversion and index mapping that a str search does; a text
    is searched as bytes after ``encode("ascii", "replace")``, which keeps every offset (one '?'
    per other character), so bytes serve only when no pattern holds '?' or non-ASCII."""

    __slots__ = ("ascii", "text")

    def __init__(self, text: Any, ascii_: Any) -> None:
        self.text, self.ascii = text, ascii_

    @classmethod
    def build(cls, patterns: list[str]) -> _Automaton | None:
        """Build an automaton over str patterns (with its ASCII twin when they allow it)."""
        if not patterns:
            return None
        ascii_ok = all(p.isascii() and "?" not in p for p in patterns)
        if ascii_ok:  # str haystacks are searched as ASCII bytes then: no str automaton is needed
            return cls(None, _Reversed.of([p.encode("ascii") for p in patterns]))
        return cls(_Reversed.of(patterns), None)

    @classmethod
    def build_bytes(cls, patterns: list[bytes]) -> _Automaton | None:
        """Build an automaton over bytes patterns, matched in bytes only."""
        return cls(None, _Reversed.of(patterns)) if patterns else None

    def find(self, haystack: str | bytes) -> Iterator[tuple[int, int, int]]:
        """Yield every (pattern, start, end) found, overlapping ones included, in order."""
        if isinstance(haystack, bytes):
            return self.ascii.iter_matches(haystack)  # type: ignore[no-any-return]
        if self.ascii is not None:
            return self.ascii.iter_matches(haystack.encode("ascii", "replace"))  # type: ignore[no-any-return]
        return self.text.iter_matches(haystack)  # type: ignore[no-any-return]


def generated_forms(entry: Entry) -> list[str]:
    """Return the plural forms gloss generates for an entry (none when ``inflect`` is false)."""
    if not entry.inflect:
        return []
    return [plural_phrase(form) for form in (entry.term, *entry.variants)]


def compile_glossary(glossary: Glossary | Sequence[Entry]) -> CompiledGlossary:
    """Compile a glossary's forms: written forms first, then generated plurals that clash with none.

    A generated form that another entry already claims is dropped, with a warning: the
    form written in a glossary always wins over one gloss made up.
    """
    entries = tuple(glossary)
    folded_claims: dict[str, int] = {}
    exact_claims: dict[str, int] = {}
    case_forms: dict[str, str] = {}
    warnings: list[Diagnostic] = []
    for index, entry in enumerate(entries):
        for form in (entry.term, *entry.variants):
            for spelling in ligature_spellings(fold_pattern(form)):
                folded_claims[spelling] = index  # a later glossary's entry wins
                if entry.case_sensitive:
                    case_forms[spelling] = form
        for acronym in entry.acronyms:
            exact_claims[acronym] = index
        if entry.only_in and set(entry.only_in) <= DEFAULT_SKIP:
            message = (
                f"only_in of '{entry.id}' names only elements gloss does not annotate ({', '.join(entry.only_in)}); "
                "the entry can match only with --no-skip"
            )
            warnings.append(Diagnostic(entry.source, entry.line, 0, message, "warning"))
    for index, entry in enumerate(entries):
        for acronym in acronym_forms(entry):
            exact_claims.setdefault(acronym, index)  # a written form always wins over one gloss made up
    for index, entry in enumerate(entries):
        for form in generated_forms(entry):
            for spelling in ligature_spellings(fold_pattern(form)):
                owner = folded_claims.setdefault(spelling, index)
                if owner != index:
                    other = entries[owner]
                    warnings.append(
                        Diagnostic(
                            entry.source,
                            entry.line,
                            0,
                            f'generated form "{form}" of "{entry.id}" is a form of "{other.id}" '
                            f"({other.source}:{other.line}); it is not generated",
                            "warning",
                        )
                    )
                elif entry.case_sensitive:
                    case_forms.setdefault(spelling, form)
    folded = [p for p in folded_claims if p]
    return CompiledGlossary(
        entries,
        folded,
        [folded_claims[p] for p in folded],
        {i: case_forms[p] for i, p in enumerate(folded) if p in case_forms},
        list(exact_claims),
        list(exact_claims.values()),
        warnings,
        all(cp1252_safe(p) for p in folded),
        homonyms(entries),
    )


_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"})


def _same_case(surface: str, form: str) -> bool:
    """Tell whether a case-sensitive form matches the surface letter for letter in case."""
    letters = [c for c in surface.translate(_LIGATURES) if c.isalpha()]
    wanted = [c for c in form.translate(_LIGATURES) if c.isalpha()]
    return len(letters) == len(wanted) and all(a.isupper() == b.isupper() for a, b in zip(letters, wanted, strict=True))


def in_url(text: str, start: int, end: int) -> bool:
    """Tell whether text[start:end] lies inside a URL, an e-mail address or a file name."""
    left, floor = start, (start - 256 if start > 256 else 0)
    while left > floor:  # the characters _URL_CHARS takes (its \s is str.isspace), one by one
        char = text[left - 1]
        if char in _URL_STOPS or char.isspace():
            break
        left -= 1
    right_match = _URL_CHARS.match(text, end)
    right = min(right_match.end() if right_match else end, end + 256)
    token = text[left:right]
    return bool(_URL_LIKE.search(token)) and token.strip(".:!?") != text[start:end].strip(".:!?")


_IS_WORD = bytes(1 if byte in WORD_BYTES else 0 for byte in range(256))


def _byte_boundary(projection: Projection, folded: bytes, offset: int, collapsed: bool = True) -> bool:
    """Tell whether ``offset`` is not inside a word, reading folded bytes (the text when unsure)."""
    if offset <= 0 or offset >= len(folded):
        return True
    before, after = folded[offset - 1], folded[offset]
    if before == UNKNOWN_BYTE or after == UNKNOWN_BYTE:
        return is_boundary(projection.text, projection.from_uncollapsed(offset) if not collapsed else offset)
    if after == 0xAD and not collapsed:
        return True  # a soft hyphen or an accent mark: checked on the source once placed
    return not (_IS_WORD[before] and _IS_WORD[after])


def find_candidates(compiled: CompiledGlossary, projection: Projection) -> list[Candidate]:
    """Return every valid candidate of the glossary in a projected document (overlapping ones included)."""
    return list(iter_candidates(compiled, projection))


def iter_candidates(compiled: CompiledGlossary, projection: Projection) -> Iterator[Candidate]:
    """Yield every valid candidate of the glossary in a projected document (overlapping ones included),
    by increasing start, terms before acronyms that start at the same place; the automata search the
    text a window at a time, so that a page with a million candidates never holds them all.

    Cheap checks come first (word boundaries, case, read in the folded text); the readable
    text, the map back to the source and the markup around a candidate are only built for
    documents where a candidate passes them.
    """
    for found in _unchecked(compiled, projection):
        candidate = _accepted(projection, *found)
        if candidate is not None:
            yield candidate


def _unchecked(compiled: CompiledGlossary, projection: Projection) -> Iterator[_Found]:
    """The candidates that pass the checks read in the text (boundaries, case), by increasing
    start, terms before acronyms that start at the same place; not yet checked against the source."""
    folded_ac, exact_ac = compiled.automata()
    streams = []
    if folded_ac is not None:
        streams.append(_folded_candidates(compiled, projection, folded_ac))
    if exact_ac is not None:
        streams.append(_exact_candidates(compiled, projection, exact_ac))
    return heapq.merge(*streams, key=itemgetter(0))


def _folded_candidates(compiled: CompiledGlossary, projection: Projection, automaton: _Automaton) -> Iterator[_Found]:
    folded = projection.folded
    for pattern, start, end in automaton.find(folded):
        # The case first: the text it reads is cheaper than the markup a boundary may need (« faire » is no FAIR).
        form = compiled.case_forms.get(pattern)
        if (form is None or _same_case(projection.letters(start, end), form)) and _bounded(projection, folded, start, end):
            yield start, end, compiled.folded_owner[pattern], False


def _exact_candidates(compiled: CompiledGlossary, projection: Projection, automaton: _Automaton) -> Iterator[_Found]:
    cased, raw_folded = projection.cased, projection.raw_folded
    if cased is not None and raw_folded is not None and automaton.ascii is not None:
        # Acronyms are searched in the text as written, before its spaces collapse.
        for pattern, start, end in automaton.ascii.iter_matches(cased):
            if _bounded(projection, raw_folded, start, end, collapsed=False):
                start, end = projection.from_uncollapsed(start), projection.from_uncollapsed(end)
                yield start, end, compiled.exact_owner[pattern], True
    else:
        for pattern, start, end in automaton.find(projection.text):
            if _bounded(projection, projection.text, start, end):
                yield start, end, compiled.exact_owner[pattern], True


def _bounded(projection: Projection, haystack: str | bytes, start: int, end: int, collapsed: bool = True) -> bool:
    """Tell whether a match starts and ends at word boundaries (or at markup that separates words)."""
    for offset in (start, end):
        if isinstance(haystack, bytes):
            boundary = _byte_boundary(projection, haystack, offset, collapsed)
        else:
            boundary = is_boundary(haystack, offset)
        if boundary:
            continue
        if not projection.is_html:
            return False
        markup = projection.markup_in(offset, offset) if collapsed else projection.markup_before_uncollapsed(offset)
        if all(is_transparent(token) for token in markup):
            return False
    return True


def _accepted(projection: Projection, start: int, end: int, entry: int, acronym: bool) -> Candidate | None:
    """The candidate, if it passes the checks against the source (URLs, accents, markup inside)."""
    source_start, source_end = projection.to_source(start, end)
    source = projection.source
    if in_url(source, source_start, source_end):
        return None
    if source_end < len(source) and unicodedata.combining(source[source_end]):
        return None  # an accent written as a separate mark belongs to the last letter (ESS + ́)
    if projection.is_html and source_end - source_start != end - start and not _joined(projection, start, end):
        return None
    return Candidate(start, end, entry, acronym, source_start, source_end)


def _joined(projection: Projection, start: int, end: int) -> bool:
    """Tell whether only inline markup stands inside text[start:end] (a term may run across it)."""
    return all(is_transparent(token) for token in projection.markup_in(start + 1, end - 1))


def chosen_candidates(
    compiled: CompiledGlossary, projection: Projection, dead: Callable[[int], bool] | None = None
) -> Iterator[Candidate]:
    """``longest_first(iter_candidates(compiled, projection))``, checking against the source only
    the candidates it may keep: one that an earlier choice overlaps, or that a longer valid one
    starting at the same place wins over, is never mapped back to the source (on term-dense text,
    close to half of them).

    Args:
        dead: tells an entry none of whose occurrences can be annotated any more (already annotated,
            with the ``first`` policy). Candidates of dead entries only that overlap no later candidate
            are left out unchecked: kept or not, they would change nothing.
    """
    return longest(_unchecked(compiled, projection), lambda found: _accepted(projection, *found), dead)


_PAREN_OPEN = regex(r"\s*\(\s*\Z")
_PAREN_CLOSE = regex(r"\s*\)")


def drop_expanded_acronyms(chosen: Iterable[Candidate], projection: Projection) -> Iterator[Candidate]:
    """Drop an acronym written in parentheses right after its own expansion: one occurrence, not two.

    ``pôle territorial de coopération économique (PTCE)`` is one occurrence of ``ptce``.
    """
    previous: Candidate | None = None
    for candidate in chosen:
        if (
            candidate.acronym
            and previous is not None
            and previous.entry == candidate.entry
            and not previous.acronym
            and _PAREN_OPEN.match(projection.text, previous.end, candidate.start)
            and _PAREN_CLOSE.match(projection.text, candidate.end)
        ):
            continue
        previous = candidate
        yield candidate


def is_boundary(text: str, offset: int) -> bool:
    """Tell whether ``offset`` of ``text`` is not inside a word."""
    return offset <= 0 or offset >= len(text) or not (is_word_char(text[offset - 1]) and is_word_char(text[offset]))
