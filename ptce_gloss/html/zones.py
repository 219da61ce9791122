"""Where annotations may not go, and where sections start, read from HTML markup.

Computed once per document, and only for documents with candidate matches: one regex
search over the source finds the few tags that matter (skipped elements, elements
with ``lang``, ``class="no-gloss"`` or ``data-gloss``, headings), stepping over
comments and raw-text elements as the HTML5 tokenizer does; the end of each skipped
element is found by a second, targeted search.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from functools import cache

from ..lazy import regex
from .scope import Scope
from .tags import AFTER_NAME, ATTRIBUTE, DEFAULT_SKIP, HEADINGS, NESTING, Tokens, element_end, merge, tag_name
from .tokens import RAW_TEXT, nocase


def _names(names: Iterable[str]) -> str:
    return "|".join(nocase(n) for n in sorted(names, key=len, reverse=True))


# Attributes that can ask for a skip; their tags are few, so they are found by a literal search.
_ATTRIBUTE_HINTS = ("lang", "LANG", "Lang", "gloss")


def _attribute_rules(tag: str) -> tuple[bool, bool | None]:
    """Read what a start tag's attributes say: (skip its content?, is it French? None if no lang)."""
    body = tag[len(tag_name(tag)) + 1 :]
    skip, french = False, None
    for match in ATTRIBUTE.finditer(body):
        key = match.group(1).lower()
        value = next((v for v in match.groups()[1:] if v is not None), "")
        if key in ("lang", "xml:lang"):
            lang = value.strip().lower()
            french = lang == "fr" or lang.startswith("fr-")
        elif key == "class":
            skip = skip or any(c == "no-gloss" or c.startswith("gloss-") for c in value.split())
        elif key == "data-gloss" and value.strip().lower() == "off":
            skip = True
    return skip, french


def _hinted_tokens(tokens: Tokens) -> set[int]:
    """Return the indexes of the tokens that mention lang or gloss (a fast literal search)."""
    found = set()
    joined = tokens.joined
    for hint in _ATTRIBUTE_HINTS:
        position = joined.find(hint)
        while position >= 0:
            found.add(tokens.index(position))
            position = joined.find(hint, position + 1)
    return found


class Zones:
    """Spans of an HTML source that must not be annotated, and where its sections start.

    Asked about a position, it looks back from there in the markup, lower-cased and joined
    by NUL: the position is inside a skipped element when that element's last start tag
    before it is later than its last end tag (``<a>``, ``<option>`` and headings close the
    open one of their kind, as in HTML), or, for elements that nest (svg, math,
    template), when more of them were opened than closed before it.  Only the names present in the page are looked
    for, and only positions where a match was found are asked about, so a page is never
    walked tag by tag.  Start tags whose ``lang``, ``class`` or ``data-gloss`` asks for a
    skip are found at once by a literal search, and the end of each by a targeted one.
    Another skipped element nested in one of the same name (code in code) ends, here, at
    the first end tag.
    """

    def __init__(
        self,
        parts: Sequence[str],
        source_offsets: Sequence[int],
        skip: Iterable[str] = DEFAULT_SKIP,
        table_gaps: bool = True,
        scope: str = "body",
    ) -> None:
        """Prepare to answer questions about a document.

        Args:
            parts: the source split into text (even indexes) and markup tokens (odd indexes).
            source_offsets: the source offset of each part, then the source's length.
            skip: names of the elements whose text is not annotated.
            table_gaps: nor text in a table outside its cells (which HTML moves out of the table).
            scope: where annotations go (``--scope``): ``auto`` (the page's ``<main>``, else its articles,
                else the whole page; never site chrome that is not an article's), ``main``, ``article``,
                ``body`` (everywhere), or a simple selector.
        """
        self.scope_name = scope
        self._scope: Scope | None = None
        skip = frozenset(name.lower() for name in skip) - set(RAW_TEXT)
        self.tokens = Tokens(parts, source_offsets)
        self.lowered = self.tokens.lowered
        present = set(_present(skip).findall(self.lowered))
        self.groups = [(name,) for name in sorted(present & skip - HEADINGS)]
        if present & skip & HEADINGS:
            self.groups.append(tuple(sorted(present & skip & HEADINGS)))
        self._positions: dict[tuple[str, ...], tuple[list[int], list[int]]] = {}
        self._depths: dict[tuple[str, ...], tuple[list[int], list[int]]] = {}
        self.skip = skip
        self._headings: list[int] | None = None
        self._gaps: tuple[list[int], list[bool]] | None = None if table_gaps else ([], [])
        skipped: list[tuple[int, int]] = []
        self.languages: list[tuple[int, int, bool]] = []
        """Elements with a lang attribute: (start, end, is French); the innermost one decides."""
        for k in sorted(_hinted_tokens(self.tokens)):
            token = self.tokens.tokens[k]
            if not token[1:2].isalpha():
                continue
            off, french = _attribute_rules(token)
            if off or french is not None:
                span = (self.tokens.start(k), element_end(self.tokens, tag_name(token), k))
                if off:
                    skipped.append(span)
                if french is not None:
                    self.languages.append((*span, french))
        self.attribute_spans = merge(skipped)
        """Elements whose class or data-gloss keeps their content from annotation."""

    def _tags(self, names: tuple[str, ...]) -> tuple[list[int], list[int]]:
        """Return where the start tags and the end tags of ``names`` stand in ``lowered``."""
        found = self._positions.get(names)
        if found is None:
            alternatives = "|".join(re.escape(n) for n in names)
            starts = [m.start() for m in re.finditer(rf"\x00<(?:{alternatives}){AFTER_NAME}", self.lowered)]
            ends = [m.start() for m in re.finditer(rf"\x00</(?:{alternatives}){AFTER_NAME}", self.lowered)]
            found = self._positions[names] = (starts, ends)
        return found

    def _depth(self, names: tuple[str, ...], before: int) -> int:
        """How many elements of ``names`` (which nest) are open at ``before`` in ``lowered``."""
        table = self._depths.get(names)
        if table is None:
            starts, ends = self._tags(names)
            tags = sorted([(at, 1) for at in starts] + [(at, -1) for at in ends])
            depth, depths = 0, []
            for _, step in tags:
                depth = max(0, depth + step)
                depths.append(depth)
            table = self._depths[names] = ([at for at, _ in tags], depths)
        positions, depths = table
        index = bisect_left(positions, before) - 1
        return depths[index] if index >= 0 else 0

    def covers(self, start: int, end: int) -> bool:
        """Tell whether the source span [start, end) touches a skipped element or is out of the scope.

        The scope is asked last: it reads the page's tags as far as the spans asked about, and a term
        in a skipped element (a link in the footer's menu…) then needs none read."""
        index = bisect_right(self.attribute_spans, (end,)) - 1
        if index >= 0 and self.attribute_spans[index][1] > start:
            return True
        language = None  # the innermost element with a lang attribute around the span
        for lang_start, lang_end, french in self.languages:
            if lang_start > start:
                break
            if lang_end >= end:
                language = french
        if language is False:
            return True
        first, last = self.tokens.count_before(start), self.tokens.count_before(end)
        if any(tag_name(t) in self.skip for t in self.tokens.tokens[first:last]):
            return True  # a skipped element starts or ends inside the span
        before = self.tokens.offsets[first]
        if self._in_table_gap(before):
            return True
        for names in self.groups:
            starts, ends = self._tags(names)
            opened = bisect_left(starts, before)  # start tags before the span
            if not opened:
                continue
            closed = bisect_left(ends, before)
            if names[0] in NESTING:
                if self._depth(names, before) > 0:
                    return True  # inside one of them (an end tag with none open closes nothing)
            elif closed == 0 or starts[opened - 1] > ends[closed - 1]:
                return True  # the last tag of this element before the span opened it
        if self.scope_name != "body":
            if self._scope is None:
                self._scope = Scope(self.tokens, self.lowered, self.scope_name)
            return self._scope.covers(start, end)
        return False

    def _in_table_gap(self, before: int) -> bool:
        """Whether text at ``before`` (in ``lowered``) stands in a table but outside its cells:
        HTML moves such text out of the table (foster parenting), and a link around it would
        be moved without the white space beside it."""
        if self._gaps is None:
            self._gaps = ([], [])
            if "\x00<table" in self.lowered:
                stack: list[str] = []
                for tag in _TABLE_TAG.finditer(self.lowered):
                    closing, name = tag.group(1) == "/", tag.group(2)
                    if name == "table":
                        if closing:
                            while stack and stack.pop() != "table":
                                pass
                        else:
                            stack.append("table")
                    elif stack:
                        if stack[-1] == "cell":
                            stack.pop()  # an end tag, a row, a section or another cell closes the cell
                        if name in _CELLS and not closing:
                            stack.append("cell")
                    self._gaps[0].append(tag.start())
                    self._gaps[1].append(bool(stack) and stack[-1] == "table")
        positions, gaps = self._gaps
        index = bisect_left(positions, before) - 1
        return index >= 0 and gaps[index]

    def section(self, position: int) -> int:
        """Return how many headings stand before source ``position``."""
        if self._headings is None:
            self._headings = [
                self.tokens.start(bisect_right(self.tokens.offsets, m.start()) - 1) for m in _HEADING_START.finditer(self.lowered)
            ]
        return bisect_right(self._headings, position)


@cache
def _present(skip: frozenset[str]) -> re.Pattern[str]:
    """Find the names of skipped elements and headings among lower-cased start tags."""
    names = "|".join(re.escape(n) for n in sorted(skip | HEADINGS, key=len, reverse=True))
    return re.compile(rf"\x00<({names}){AFTER_NAME}")


_TABLE_TAG = regex(rf"\x00<(/?)(table|caption|td|th|tr|tbody|thead|tfoot|colgroup){AFTER_NAME}")
_CELLS = frozenset({"td", "th", "caption"})
_NAME_ENDS = frozenset("\t\n\f\r />\x00")
_HEADING_START = regex(rf"\x00<h[1-6]{AFTER_NAME}")
