"""Turn a document into the text a reader sees, keeping a map back to the source.

The *projection* of a document is its readable text: markup removed, character
references decoded, runs of whitespace collapsed to one space, soft hyphens dropped.
It is built with one regex split of the whole source and joins done in C, never a
loop over text nodes; offsets are mapped back to the source only where a match is
found (:meth:`Projection.to_source`).  Which markup separates words, and which
elements must not be annotated, is decided lazily around candidate matches
(:mod:`ptce_gloss.zones`).
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from itertools import accumulate, chain, zip_longest

from ..lazy import unescape
from ..text.french import SOFT_HYPHEN, fold_both, fold_text
from .parts import Parts
from .tokens import tokenizer

ENTITY = r"&(?:#[0-9]+;?|#[xX][0-9A-Fa-f]+;?|[A-Za-z][A-Za-z0-9]*;?)"
_ENTITY_SPLIT = re.compile(rf"({ENTITY})")
_SPACE_RUN_SPLIT = re.compile(r"(  +)")
_SOFT_RUN_SPLIT = re.compile(r"(  +|\xad)")
_SPACE_RUN_SPLIT_B = re.compile(rb"(  +)")
_SOFT_SPLIT_B = re.compile(rb"(\xad)")
_COLLAPSE_B = re.compile(rb"  +")
_BLANK_LINE = re.compile(r"\n[ \t]*\r?\n")
_SPLIT_AT_ONCE = 1 << 20  # a page up to this size is split into a list of strings at once, a larger one lazily as offsets


def _entity(token: str, cache: dict[str, str]) -> str:
    """Decode one character reference, remembering the answer for the rest of the document."""
    found = cache.get(token)
    if found is None:
        found = unescape(token)
        if not found:  # Python drops noncharacters such as &#xFFFE;, which HTML keeps
            number = int(token[3:].rstrip(";"), 16) if token[2:3] in "xX" else int(token[2:].rstrip(";"))
            found = chr(number)
        cache[token] = found
    return found


class _Layer:
    """One step of the projection: a string split into kept text (even parts) and tokens (odd parts).

    The offsets of each part in the string split (``before``) and in the string produced
    (``after``) are computed on first use: most documents have no match and never need them.
    """

    __slots__ = ("_after", "_before", "_sizes", "_token_size", "parts", "produced")

    def __init__(self, parts: Sequence[str], produced: list[str] | None) -> None:
        """Record a split; ``produced`` None means every token produced nothing (markup)."""
        self.parts, self.produced = parts, produced
        self._sizes: list[int] | None = None
        self._token_size = 0
        self._before: Sequence[int] | None = None
        self._after: Sequence[int] | None = None

    @classmethod
    def of_sizes(cls, sizes: list[int], token_size: int) -> _Layer:
        """A layer known only by the sizes of its parts, each token producing ``token_size`` spaces."""
        layer = cls([], None)
        layer._sizes, layer._token_size = sizes, token_size
        return layer

    @classmethod
    def of_markup(cls, source: str, tokens: re.Pattern[str]) -> _Layer:
        """The layer that removes the markup of an HTML source (tokens produce nothing), split by the
        page's ``tokens`` pattern: a list of strings for a page of up to a megabyte (faster to read),
        offsets into it for a larger one."""
        if len(source) <= _SPLIT_AT_ONCE:
            return cls(tokens.split(source), None)
        parts = Parts.split(source, tokens)
        layer = cls(parts, None)
        layer._before, layer._after = parts.offsets, parts.removed()
        return layer

    def _compute(self) -> None:
        sizes = self._sizes if self._sizes is not None else list(map(len, self.parts))
        self._before = _offsets(sizes)
        if self.produced is None:  # every token produces _token_size characters
            produced = sizes[:]
            produced[1::2] = [self._token_size] * (len(sizes) // 2)
        else:
            produced = list(map(len, self.produced))
        self._after = _offsets(produced)

    @property
    def before(self) -> Sequence[int]:
        """Offset of each part in the string split, then its length."""
        if self._before is None:
            self._compute()
        return self._before  # type: ignore[return-value]

    @property
    def after(self) -> Sequence[int]:
        """Offset of each part in the string produced, then its length."""
        if self._after is None:
            self._compute()
        return self._after  # type: ignore[return-value]

    def apply(self, text: str) -> str:
        """Cut ``text`` (the string this layer split) as it was cut, and join what the parts produce."""
        before, after = self.before, self.after
        kept = [text[start:end] for start, end in zip(before[0::2], before[1::2], strict=True)]  # the even parts
        if self.produced is None:  # every token gives the same: joined at C speed
            return (" " * self._token_size).join(kept)
        pieces = [" " * (after[index + 1] - after[index]) for index in range(1, len(before) - 1, 2)]
        return "".join(chain.from_iterable(zip_longest(kept, pieces, fillvalue="")))

    def forward(self, offset: int) -> int:
        """Map an offset of the split string that stands in kept text to the produced string."""
        if self._after is None:
            self._compute()
        after, before = self._after, self._before
        assert after is not None and before is not None
        index = bisect_right(before, offset) - 1
        if index >= len(before) - 1:
            return after[-1]  # the end of the string
        if index % 2:
            return after[index + 1]  # inside a token: the produced text after it
        return after[index] + offset - before[index]

    def back(self, offset: int, is_end: bool) -> int:
        """Map an offset of the produced string back to the split string."""
        if self._after is None:
            self._compute()
        after, before = self._after, self._before
        assert after is not None and before is not None
        last = len(before) - 2
        if is_end:
            index = bisect_left(after, offset) - 1  # the part holding the character before offset
            if index < 0:
                index = 0
        else:
            index = bisect_right(after, offset) - 1
            while index % 2 and index < last and after[index + 1] == after[index]:
                index += 1  # tokens that produced nothing stand before the text: start after them
        if index > last:
            index = last
        if index % 2 == 0:
            return before[index] + offset - after[index]
        return before[index + 1] if is_end else before[index]


class Projection:
    """The readable text of a document, its folded twin, and how offsets map back to the source.

    On the fast path (``fast_fold``) matching needs only the folded bytes, built with a few
    C-speed passes; the readable ``text`` and the map of collapsed whitespace back to the
    source are built on first use, that is only for documents where something was found.
    """

    __slots__ = (
        "_base",
        "_folded_full",
        "_markup",
        "_raw",
        "_ready",
        "_soft",
        "_text",
        "_tokens",
        "cased",
        "folded",
        "is_html",
        "layers",
        "raw_folded",
        "source",
    )

    def __init__(
        self,
        source: str,
        is_html: bool,
        markup: _Layer | None,
        layers: list[_Layer],
        raw: str,
        folded: str | bytes,
        cased: bytes | None,
        raw_folded: bytes | None,
        text: str | None,
        tokens: re.Pattern[str] | None = None,
    ) -> None:
        self.source = source
        """The decoded document."""
        self.is_html = is_html
        self._markup, self._tokens = markup, tokens  # the markup split, and the pattern it is split by
        self.layers = layers
        """The steps from the source, after markup, to ``text``: references, soft hyphens, runs of spaces."""
        self.folded = folded
        """``text`` folded for matching (same length): no case, no accent, hyphens and spaces alike;
        windows-1252 bytes on the fast path, str otherwise."""
        self._folded_full = raw_folded
        soft = raw_folded is not None and b"\xad" in raw_folded
        self.cased = cased.replace(b"\xad", b"") if cased is not None and soft else cased
        """The text before whitespace runs collapse (soft hyphens and accent marks removed), as
        windows-1252 bytes with letters as written (fast path only): acronyms are searched in it."""
        self.raw_folded = raw_folded.replace(b"\xad", b"") if raw_folded is not None and soft else raw_folded
        """``cased`` folded (fast path only), with the same offsets."""
        self._raw, self._text = raw, text
        self._ready = text is not None
        self._soft = int(soft)
        self._base = len(layers) + soft  # the layers after references and soft hyphens: runs of spaces

    def for_writing(self) -> Projection:
        """The page as writing insertions needs it: its source and markup split, without the texts
        built to find terms (several times the page's size together), which can then be freed."""
        return Projection(self.source, self.is_html, self._markup, [], "", b"", None, None, "", self._tokens)

    @property
    def markup(self) -> _Layer | None:
        """The source split into text and markup tokens (HTML only; None for plain text).

        :func:`project` splits a page of up to a megabyte at once and joins its text; a larger one is
        read with one substitution and split here, as offsets, on first use (only if a candidate is found)."""
        if self._markup is None and self.is_html:
            self._markup = _Layer.of_markup(self.source, self.tokens)
        return self._markup

    @property
    def tokens(self) -> re.Pattern[str]:
        """The tokenizer's pattern this page is read with (:func:`~ptce_gloss.html.tokens.tokenizer`), chosen once."""
        if self._tokens is None:
            self._tokens = tokenizer(self.source)
        return self._tokens

    @property
    def text(self) -> str:
        """What a reader sees: markup removed, references decoded, whitespace runs as one space."""
        if self._text is None:
            self._ensure_layers()
            text = self._raw
            for layer in self.layers[self._base - self._soft :]:
                text = layer.apply(text)
            self._text = text
        return self._text

    def _ensure_layers(self) -> None:
        """Build the maps of the cuts that made ``folded``: soft hyphens, then runs of spaces."""
        if self._ready:
            return
        self._ready = True
        folded = self._folded_full
        assert folded is not None
        if self._soft:
            self.layers.append(_Layer.of_sizes(list(map(len, _SOFT_SPLIT_B.split(folded))), 0))
            folded = folded.replace(b"\xad", b"")
        pieces = _SPACE_RUN_SPLIT_B.split(folded)
        if len(pieces) > 1:
            self.layers.append(_Layer.of_sizes(list(map(len, pieces)), 1))

    def letters(self, start: int, end: int) -> str:
        """Return ``text[start:end]`` before its runs of white space collapse and its soft hyphens drop:
        the same letters, in the same case, read without building ``text`` (a case-sensitive form is
        checked on nearly every page, where « faire » holds FAIR)."""
        if self._text is not None:
            return self._text[start:end]
        self._ensure_layers()
        layers = self.layers[self._base - self._soft :]
        return self._raw[self._back(start, False, layers) : self._back(end, True, layers)]

    def from_uncollapsed(self, offset: int) -> int:
        """Map an offset of ``cased``/``raw_folded`` (spaces not collapsed) to ``text``."""
        self._ensure_layers()
        for layer in self.layers[self._base :]:
            offset = layer.forward(offset)
        return offset

    def _back(self, offset: int, is_end: bool, layers: list[_Layer]) -> int:
        for layer in reversed(layers):
            offset = layer.back(offset, is_end)
        return offset

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of ``text`` to the span of ``source`` it was read from."""
        self._ensure_layers()
        layers = self.layers if self.markup is None else [self.markup, *self.layers]
        return self._back(start, False, layers), self._back(end, True, layers)

    def surface(self, start: int, end: int) -> str:
        """Return source[start:end] as a reader sees it: without markup or soft hyphens, references
        decoded, each run of whitespace as one space (accents written as separate marks are kept)."""
        chunk = self.source[start:end]
        if self.is_html:  # the page's pattern reads any part of it as the full tokenizer does
            chunk = unescape(self.tokens.sub("", chunk) if "<" in chunk else chunk)
        return " ".join(chunk.replace(SOFT_HYPHEN, "").split())

    def markup_before_uncollapsed(self, offset: int) -> list[str]:
        """Return the markup standing right before ``offset`` of ``cased`` (spaces not collapsed)."""
        if self.markup is None:
            return []
        self._ensure_layers()  # the soft-hyphen layer the offset may need
        offset = self._back(offset, False, self.layers[: self._base])
        layer = self.markup
        first, last = bisect_left(layer.after, offset), bisect_right(layer.after, offset) - 1
        first += first % 2 == 0
        return [layer.parts[i] for i in range(first, last + 1, 2)]

    def markup_in(self, low: int, high: int) -> list[str]:
        """Return the markup tokens read at offsets of ``text`` from ``low`` to ``high`` inclusive.

        ``markup_in(k, k)`` is the markup standing right before ``text[k]``.
        """
        if self.markup is None or low > high:
            return []
        self._ensure_layers()
        size = self.layers[-1].after[-1] if self.layers else len(self._raw)
        layer = self.markup
        low_raw = self._back(low, True, self.layers) if low else 0
        high_raw = self._back(high, False, self.layers) if high < size else layer.after[-1]
        first = bisect_left(layer.after, low_raw)
        last = bisect_right(layer.after, high_raw) - 1
        first += first % 2 == 0
        return [layer.parts[i] for i in range(first, last + 1, 2)]


def _offsets(sizes: list[int]) -> Sequence[int]:
    """Where each part starts, then the total: a list (faster) unless there are many (2M tags: 180 MB as a list)."""
    return list(accumulate(sizes, initial=0)) if len(sizes) <= 1 << 17 else array("q", accumulate(sizes, initial=0))


def _split(pattern: re.Pattern[str], text: str, replace: Callable[[list[str]], list[str]]) -> _Layer | None:
    """Split ``text`` by ``pattern`` and replace its tokens; None when no token changes. A token that
    its replacement leaves as it is (« &SCOP », « R&D »: no reference) stays text, read one to one:
    as a token, a place inside it would be read at its edges, where markup may stand."""
    parts = pattern.split(text)
    if len(parts) == 1:
        return None
    tokens = parts[1::2]
    replaced = replace(tokens)
    if any(map(str.__eq__, replaced, tokens)):
        parts, replaced = _unchanged_as_text(parts, replaced)
        if len(parts) == 1:
            return None
    produced = parts[:]
    produced[1::2] = replaced
    return _Layer(parts, produced)


def _unchanged_as_text(parts: list[str], replaced: list[str]) -> tuple[list[str], list[str]]:
    """Join each token that ``replaced`` leaves as it is to the text around it."""
    joined: list[str] = []
    kept: list[str] = []
    run = [parts[0]]
    for token, value, text in zip(parts[1::2], replaced, parts[2::2], strict=True):
        if value == token:
            run += (token, text)
        else:
            joined += ("".join(run), token)
            kept.append(value)
            run = [text]
    joined.append("".join(run))
    return joined, kept


def _decode_references(tokens: list[str]) -> list[str]:
    cache: dict[str, str] = {}
    return [_entity(t, cache) for t in tokens]


def project(source: str, is_html: bool, fast_fold: bool = True) -> Projection:
    """Build the projection of a decoded document (HTML or plain text).

    Soft hyphens and combining accents (text in NFD) are dropped from the projection:
    ``e\u0301conomie`` reads, and is matched, as ``economie``.

    Args:
        source: the decoded document.
        is_html: read markup and character references (else plain text).
        fast_fold: fold to windows-1252 bytes (:func:`fold_bytes`) rather than to str.
    """
    markup = tokens = None
    layers: list[_Layer] = []
    raw = source
    if is_html:
        tokens = tokenizer(source)
        if len(source) <= _SPLIT_AT_ONCE:  # the split costs little more than removing the markup, and a page with terms needs it
            markup = _Layer.of_markup(source, tokens)
            raw = "".join(markup.parts[0::2])
        else:  # a large page is split again, as offsets, only if a candidate is found
            raw = tokens.sub("", source)
        if "&" in raw and (references := _split(_ENTITY_SPLIT, raw, _decode_references)) is not None:
            layers.append(references)
            raw = "".join(references.produced or ())
    breaks = [] if is_html or "\n" not in raw else [m.end() - 1 for m in _BLANK_LINE.finditer(raw)]
    if fast_fold:
        raw_folded, cased = fold_both(raw)
        if breaks:  # a blank line ends a paragraph: no term runs across it
            marked = bytearray(raw_folded)
            for position in breaks:
                marked[position] = 0x1A
            raw_folded = bytes(marked)
        folded = raw_folded.replace(b"\xad", b"") if b"\xad" in raw_folded else raw_folded
        folded = _COLLAPSE_B.sub(b" ", folded)
        return Projection(source, is_html, markup, layers, raw, folded, cased, raw_folded, None, tokens)
    # The str path, for glossaries with letters windows-1252 lacks: built at once.
    folded_text = fold_text(raw)
    if breaks:
        chars = list(folded_text)
        for position in breaks:
            chars[position] = "\x1a"
        folded_text = "".join(chars)
    soft = SOFT_HYPHEN in folded_text
    pieces = (_SOFT_RUN_SPLIT if soft else _SPACE_RUN_SPLIT).split(folded_text)
    if len(pieces) > 1:
        cuts = list(accumulate(map(len, pieces), initial=0))
        gaps = ["" if t == SOFT_HYPHEN else " " for t in pieces[1::2]]
        pieces[1::2] = gaps
        runs = list(map(raw.__getitem__, map(slice, cuts, cuts[1:])))
        readable = runs[:]
        readable[1::2] = gaps
        layers.append(_Layer(runs, readable))
        raw, folded_text = "".join(readable), "".join(pieces)
    return Projection(source, is_html, markup, layers, raw, folded_text, None, None, raw, tokens)
