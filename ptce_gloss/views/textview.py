"""A document as readable blocks of text with its matches marked (what the terminal preview shows).

HTML is rendered the way a reader sees it: headings, paragraphs, list items and table rows
become blocks, line breaks are kept, scripts, styles and comments are dropped, character
references are decoded and whitespace collapses.  Plain text keeps its paragraphs (blank
lines) and its line breaks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import accumulate
from typing import Literal

from ..html.tags import tag_name
from ..html.textzones import TextZones
from ..html.tokens import tokenizer
from ..lazy import unescape
from ..match.occurrence import Match

BlockKind = Literal["heading", "paragraph", "item", "row"]
_BLOCKS = frozenset(
    "address article aside blockquote body caption center dd details dialog div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li main menu nav ol p pre section summary table tbody "
    "tfoot thead tr ul".split()
)
_DROPPED = frozenset("script style textarea title xmp iframe noembed noframes noscript plaintext template head".split())


@dataclass(slots=True)
class Block:
    """One block of text: its pieces, each either plain or part of a numbered match."""

    kind: BlockKind
    pieces: list[tuple[str, int | None]] = field(default_factory=list)
    """(text, note number or None); a match may span several pieces (split by inline tags)."""
    section: int = 0
    """How many headings stand before the block."""

    def add(self, text: str, note: int | None) -> None:
        if text:
            self.pieces.append((text, note))

    @property
    def empty(self) -> bool:
        return not "".join(text for text, _ in self.pieces).strip()


def _numbered(matches: list[Match]) -> list[tuple[int, int, int]]:
    return [(m.start, m.end, number) for number, m in enumerate(matches, 1)]


def _cut(text: str, start: int, spans: list[tuple[int, int, int]]) -> list[tuple[str, int | None]]:
    """Cut a piece of source starting at ``start`` where the numbered spans begin and end."""
    pieces: list[tuple[str, int | None]] = []
    position = start
    end = start + len(text)
    for span_start, span_end, number in spans:
        if span_end <= position or span_start >= end:
            continue
        if span_start > position:
            pieces.append((text[position - start : span_start - start], None))
            position = span_start
        stop = min(span_end, end)
        pieces.append((text[position - start : stop - start], number))
        position = stop
    if position < end:
        pieces.append((text[position - start :], None))
    return pieces


def html_blocks(source: str, matches: list[Match]) -> list[Block]:
    """Turn an HTML source and its matches into readable blocks."""
    spans = _numbered(matches)
    parts = tokenizer(source).split(source)
    offsets = list(accumulate(map(len, parts), initial=0))
    blocks: list[Block] = [Block("paragraph")]
    headings = 0
    dropped = 0
    for index, part in enumerate(parts):
        if index % 2:
            name = tag_name(part)
            closing = part.startswith("</")
            if name in _DROPPED and name != "head":
                continue  # raw-text elements are one token
            if name == "head":
                dropped += -1 if closing else 1
                dropped = max(dropped, 0)
                continue
            if name == "br":
                blocks[-1].add("\n", None)
            elif name in ("td", "th") and not closing and not blocks[-1].empty:
                blocks[-1].add(" | ", None)
            elif name in _BLOCKS:
                heading = name in ("h1", "h2", "h3", "h4", "h5", "h6") and not closing
                headings += heading
                kind: BlockKind = (
                    "heading"
                    if heading
                    else "item"
                    if name == "li" and not closing
                    else "row"
                    if name == "tr" and not closing
                    else "paragraph"
                )
                blocks.append(Block(kind, section=headings))
            continue
        if dropped or not part:
            continue
        for text, note in _cut(part, offsets[index], spans):
            blocks[-1].add(unescape(text), note)
    return [_collapse(b) for b in blocks if not b.empty]


_WHITE_SPACE = frozenset(" \t\n\r\f")


def _collapse(block: Block) -> Block:
    """Collapse runs of white space to one space (line breaks from <br> kept), trim the block.  White
    space is HTML's (space, tab, line breaks, form feed): a no-break space is a character the page
    chose, kept so that the line never breaks there."""
    pieces: list[tuple[str, int | None]] = []
    previous_space = True
    for text, note in block.pieces:
        out = []
        for char in text:
            if char == "\n" and text == "\n":
                out.append("\n")
                previous_space = True
            elif char in _WHITE_SPACE:
                if not previous_space:
                    out.append(" ")
                previous_space = True
            else:
                out.append(char)
                previous_space = False
        pieces.append(("".join(out), note))
    while pieces and not pieces[-1][0].strip():
        pieces.pop()
    if pieces:
        pieces[-1] = (pieces[-1][0].rstrip(" "), pieces[-1][1])
    block.pieces = [(t, n) for t, n in pieces if t]
    return block


def text_blocks(text: str, matches: list[Match]) -> list[Block]:
    """Turn a plain text and its matches into blocks: paragraphs at blank lines (reflowed), headings kept."""
    spans = _numbered(matches)
    headings = TextZones(text, True)
    blocks = []
    for start, end in _paragraphs(text):
        chunk = text[start:end]
        heading = headings.covers(start, end) and "\n" not in chunk.strip()
        block = Block("heading" if heading else "paragraph", section=headings.section(start + 1))
        for piece, note in _cut(chunk, start, spans):
            block.add(piece, note)
        blocks.append(_collapse(block))
    return [b for b in blocks if not b.empty]


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) of each blank-line-separated paragraph."""
    found, start = [], 0
    for line_start, line in _lines(text):
        if not line.strip():
            if line_start > start:
                found.append((start, line_start))
            start = line_start + len(line)
    if start < len(text):
        found.append((start, len(text)))
    return found


def _lines(text: str) -> list[tuple[int, str]]:
    lines, position = [], 0
    for line in text.splitlines(keepends=True):
        lines.append((position, line))
        position += len(line)
    return lines
