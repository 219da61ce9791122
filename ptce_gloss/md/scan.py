"""Markdown read as a reader sees it, as a *shadow page*: HTML that holds the prose of the source
character for character, and a map from each of its offsets back to the source.

The block structure comes from a CommonMark parser (markdown-it-py, with the GFM tables,
strikethrough and footnotes): its tokens carry the lines of each block.  Inline positions come
from our own walk over the source, guided by the parser's inline tokens: each token (text,
emphasis delimiter, code span, link, raw HTML, escape…) must be found where the walk stands,
or the whole block is left out of the shadow (nothing is annotated there; nothing is
misplaced).  The prose is copied into the shadow as it is written; the syntax around it
becomes HTML with the same meaning (``**`` -> ``<strong>``, ``[`` -> ``<a href>``, a
heading -> ``<h2>``), and what must never be annotated — front matter, code, link targets,
images, autolinks, footnote calls, template syntax — becomes an opaque ``<img>`` or nothing.
The HTML path then reads the shadow as any page (zones, skipped elements, sections), and
offsets found there are mapped back with :meth:`Shadow.to_source`.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ..html.tags import VOID, tag_name
from ..html.tokens import TEMPLATE, split_markup
from ..lazy import regex
from .inline import Found, Lines, LinkSpan, Segments, Unaligned, Walk, block_positions, cell_positions

_NEWLINE = regex(r"\r\n?|\n")
# Template and shortcode syntax (Hugo, Jekyll/Liquid, Jinja, GitBook, ERB), Liquid and Jinja
# blocks whose content is code or a comment, attribute lists ({#id .class}), wiki links.
_PROTECTED = regex(
    r"\{%-?\s*(raw|comment|highlight|codeblock)\b[\s\S]*?\{%-?\s*end\1\s*-?%\}"
    rf"|{TEMPLATE}|\{{:?[ \t]*[#.][\w-][^}}\n]*\}}|\[\[[^\]\n]+\]\]"
)
_FRONT_OPEN = regex(r"(---|\+\+\+)[ \t]*(?:\r\n?|\n)")


@cache
def parser() -> Any:
    """The CommonMark parser (raw HTML on, GFM tables, strikethrough, footnotes), built once."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).use(footnote_plugin)
    md.disable("text_join")  # keep escapes and references as their own tokens, with their source form
    return md


def front_matter_end(source: str) -> int:
    """The end of a YAML (``---``) or TOML (``+++``) front matter at the very start, or 0 when
    there is none: the fence line, then lines up to the same fence (``...`` also ends YAML)."""
    opening = _FRONT_OPEN.match(source)
    if opening is None:
        return 0
    fence = opening.group(1)
    closers = (fence, "...") if fence == "---" else (fence,)
    position = opening.end()
    while position < len(source):
        ending = _NEWLINE.search(source, position)
        line_end, next_line = (ending.start(), ending.end()) if ending else (len(source), len(source))
        if source[position:line_end].rstrip(" \t") in closers:
            return next_line
        position = next_line
    return 0


@dataclass(slots=True)
class Shadow:
    """The shadow page of a Markdown source (see the module) and how its offsets map back."""

    source: str
    text: str
    """The shadow page: HTML holding the prose as written."""
    starts: array[int]
    """The offset in ``text`` where each segment starts (in increasing order)."""
    sources: array[int]
    """The offset in the source where each segment starts."""
    ends: array[int]
    """The offset in the source where each segment ends."""
    copied: bytes
    """1 for a segment copied from the source as it is (offsets map one to one), 0 for syntax."""
    links: list[LinkSpan] = field(default_factory=list)
    """Every link of the prose, in order."""
    footnote_calls: list[tuple[int, int]] = field(default_factory=list)
    """Where each footnote call (``[^label]``) stands in the source."""
    raw_html: list[tuple[int, int]] = field(default_factory=list)
    """The source spans where Markdown may not be read as Markdown: each raw HTML block, and what
    stands between blocks that open an element and the block that closes it (``<details>``, a blank
    line, Markdown, ``</details>``), which CommonMark reads as Markdown but Python-Markdown does not.
    A style that writes Markdown syntax writes nothing there."""
    front_matter: int = 0
    """The end of the front matter (0 when there is none)."""
    unaligned: int = 0
    """How many blocks of prose were left out because the walk did not find a token of the parser."""
    blocks: list[tuple[int, int]] = field(default_factory=list)
    """The source spans of the top-level blocks the parser read (a link definition is none)."""
    open_tail: int = 0
    """Where a top-level block left open at the end of the source starts (an unclosed fence or raw
    HTML block, which would swallow what follows), else the end of the source."""

    def segment_at(self, offset: int) -> int:
        """The segment holding ``text[offset]``."""
        return bisect_right(self.starts, offset) - 1

    def source_start(self, offset: int) -> int | None:
        """Where the character at ``offset`` of the shadow comes from; for syntax, where it starts.
        None before the first segment."""
        index = self.segment_at(offset)
        if index < 0:
            return None
        if self.copied[index]:
            return self.sources[index] + offset - self.starts[index]
        return self.sources[index]

    def source_end(self, offset: int) -> int | None:
        """Where the character before ``offset`` of the shadow ends in the source."""
        if offset <= 0:
            return None
        index = self.segment_at(offset - 1)
        if self.copied[index]:
            return self.sources[index] + offset - self.starts[index]
        return self.ends[index]

    def to_source(self, start: int, end: int) -> tuple[int, int] | None:
        """Map a span of the shadow to the source, or None when it starts or ends inside syntax
        that stands for more than itself (an escape or a reference written as two characters)."""
        first, last = self.segment_at(start), self.segment_at(end - 1)
        if first < 0 or last < 0:
            return None
        begin, finish = self.source_start(start), self.source_end(end)
        assert begin is not None and finish is not None
        if not self.copied[first] and start != self.starts[first]:
            return None
        if not self.copied[last] and end != (self.starts[last + 1] if last + 1 < len(self.starts) else len(self.text)):
            return None
        return begin, finish

    def is_copied(self, start: int, end: int) -> bool:
        """Whether ``text[start:end]`` is prose copied from the source one to one, in one segment."""
        index = self.segment_at(start)
        if index < 0 or not self.copied[index]:
            return False
        limit = self.starts[index + 1] if index + 1 < len(self.starts) else len(self.text)
        return end <= limit


def _sealed(html: str) -> bool:
    """Whether a block of raw HTML ends outside any tag, comment or raw-text element (so that what
    follows it in the shadow is read as the Markdown parser reads it)."""
    parts = split_markup(html + "<x->")
    return len(parts) >= 3 and parts[-2] == "<x->" and parts[-1] == ""


def shadow(source: str, html_blocks: bool = True) -> Shadow:
    """Read a Markdown source into its shadow page.

    Args:
        source: the decoded Markdown.
        html_blocks: hold the HTML blocks in the shadow (their text is prose a reader sees, and
            an HTML insertion can go there); else they are left out, as for a style that writes
            Markdown syntax, which an HTML block does not read.
    """
    fm_end = front_matter_end(source)
    parsed_source = source
    if fm_end:  # the front matter's lines blanked: the parser sees no prose there, lines keep their numbers
        parsed_source = re.sub(r"[^\n]", "", _NEWLINE.sub("\n", source[:fm_end])) + source[fm_end:]
    env: dict[str, Any] = {}
    tokens = parser().parse(parsed_source, env)
    reader = _Reader(source, fm_end, env.get("references", {}))
    wrapper: list[str] = []
    cells: list[tuple[str, Any]] = []
    item = False  # the next block of prose opens a list item
    items: list[Any] = []  # the line maps of the list items open
    for token in tokens:
        kind = token.type
        if kind in ("heading_open", "paragraph_open", "th_open", "td_open"):
            wrapper.append(token.tag)
        elif kind in ("heading_close", "paragraph_close", "th_close", "td_close") and wrapper:
            wrapper.pop()
        elif kind == "tr_open":
            cells = []
        elif kind == "list_item_open":
            item = True
            items.append(token.map)
        elif kind == "list_item_close" and items:
            reader.close_item(items.pop())
            item = False
        elif kind == "tr_close":
            reader.row(cells)
        elif kind == "inline" and wrapper and wrapper[-1] in ("th", "td"):
            cells.append((wrapper[-1], token))
        elif kind == "inline" and token.map is not None:
            reader.block(token, wrapper[-1] if wrapper else "p", item)
            item = False
        elif kind == "html_block" and token.map is not None:
            reader.blocks_of_html.append((reader.lines.starts[token.map[0]], reader.lines.end_of(token.map[1]), token.content))
            if html_blocks:
                reader.html_block(token)
    read = _assemble(source, reader.units, reader.found, fm_end, reader.unaligned)
    read.raw_html = _raw_regions(reader.blocks_of_html)
    read.blocks = [(0, fm_end)] if fm_end else []
    for token in tokens:
        if token.level == 0 and token.map is not None and token.nesting >= 0:
            read.blocks.append((reader.lines.starts[token.map[0]], reader.lines.end_of(token.map[1])))
    read.open_tail = _open_tail(source, reader.lines, tokens)
    return read


class _Reader:
    """The units of a shadow page (blocks of prose, table cells, HTML blocks), read one at a time."""

    def __init__(self, source: str, fm_end: int, references: Any) -> None:
        self.source, self.fm_end, self.references = source, fm_end, references
        self.lines = Lines(source)
        self.protected = [(m.start(), m.end()) for m in _PROTECTED.finditer(source, fm_end)]
        self.found = Found()
        self.blocks_of_html: list[tuple[int, int, str]] = []
        self.units: list[tuple[int, Segments]] = []
        self.unaligned = 0

    def block(self, token: Any, tag: str, item: bool) -> None:
        """A paragraph or a heading (``tag``), the first of a list item when ``item``."""
        try:
            positions, breaks = block_positions(self.source, self.lines, token.map[0], token.content, tag.startswith("h"))
            if positions:
                opening = f"<li><{tag}>" if item else f"<{tag}>"
                self.units.append((positions[0], self._unit(token, positions, opening, tag, breaks)))
        except Unaligned:
            self.unaligned += 1

    def row(self, cells: list[tuple[str, Any]]) -> None:
        """A table row's cells; the row is left out whole if one cell cannot be walked."""
        if not cells or cells[0][1].map is None:
            return
        try:
            offsets = cell_positions(self.source, self.lines, cells[0][1].map[0], [token.content for _, token in cells])
            units, first = [], True
            for (tag, token), positions in zip(cells, offsets, strict=True):
                if positions:
                    units.append((positions[0], self._unit(token, positions, f"<tr><{tag}>" if first else f"<{tag}>", tag)))
                    first = False
        except Unaligned:
            self.unaligned += 1
            return
        self.units += units

    def _unit(self, token: Any, positions: list[int], opening: str, tag: str, breaks: list[int] | None = None) -> Segments:
        segments = Segments(self.source, self.protected)
        walk = Walk(segments, token.content, positions, self.references, self.found, breaks)
        segments.token(opening, positions[0], positions[0])
        end = walk.walk(token.children or [])
        if token.content[end:].strip():
            raise Unaligned
        segments.token(f"</{tag}>", walk.end_of(len(positions)), walk.end_of(len(positions)))
        return segments

    def close_item(self, lines: Any) -> None:
        """Close a list item where its lines end (its ``<li>`` was opened by its first block of prose)."""
        if lines is None:
            return
        segments = Segments(self.source, self.protected)
        end = self.lines.ends[min(lines[1], len(self.lines.ends)) - 1] if lines[1] > 0 else 0
        segments.token("</li>", end, end)
        self.units.append((end, segments))

    def html_block(self, token: Any) -> None:
        """A raw HTML block, held as it is written when it stands whole on its lines (no container
        markers) and leaves no tag, comment or raw-text element open."""
        start, end = self.lines.starts[token.map[0]], self.lines.end_of(token.map[1])
        written = _NEWLINE.sub("\n", self.source[start:end])
        if start >= self.fm_end and written.rstrip("\n") == token.content.rstrip("\n") and _sealed(token.content):
            segments = Segments(self.source, self.protected)
            segments.copy(start, end, escape=False)
            self.units.append((start, segments))


# Elements whose end tag may be left out: counting them would leave the rest of a page "open".
_OPTIONAL_END = frozenset(
    "p li dt dd option optgroup tr td th thead tbody tfoot colgroup caption rb rt rp rtc html head body".split()
)


def _raw_regions(blocks: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """See :attr:`Shadow.raw_html`: elements opened and closed are counted over the HTML blocks."""
    regions: list[tuple[int, int]] = []
    depth, opened_at = 0, 0
    for start, end, content in blocks:
        if depth == 0:
            opened_at = start
        for index, token in enumerate(split_markup(content)):
            name = tag_name(token) if index % 2 else ""
            if not name or name in VOID or name in _OPTIONAL_END or token.endswith("/>"):
                continue
            depth = max(depth - 1, 0) if token.startswith("</") else depth + 1
        if depth == 0:
            regions.append((opened_at, end))
    if depth:
        regions.append((opened_at, blocks[-1][1]))
    return regions


_OPEN_BLOCK = regex(r"(?i)[ ]{0,3}<(?:(script|pre|style|textarea)(?=[\s>]|$)|(!--)|(\?)|(![A-Za-z])|(!\[CDATA\[))")
_RAW_END = regex(r"(?i)</(?:script|pre|style|textarea)>")
_CLOSERS = {2: "-->", 3: "?>", 4: ">", 5: "]]>"}


def _open_tail(source: str, lines: Lines, tokens: Sequence[Any]) -> int:
    """See :attr:`Shadow.open_tail`."""
    last = next((t for t in reversed(tokens) if t.level == 0 and t.map is not None), None)
    if last is None or source[lines.end_of(last.map[1]) :].strip():
        return len(source)  # (blank lines after an unclosed block are still inside it)
    start = lines.starts[last.map[0]]
    if last.type == "fence":
        closing = lines.line(source, last.map[1] - 1)[1].strip() if last.map[1] - last.map[0] >= 2 else ""
        closed = bool(closing) and set(closing) == {last.markup[0]} and len(closing) >= len(last.markup)
        return len(source) if closed else start
    if last.type == "html_block":
        opening = _OPEN_BLOCK.match(last.content)
        if opening is None:
            return len(source)
        kind = next(number for number, group in enumerate(opening.groups(), 1) if group is not None)
        rest = last.content[opening.end() :]
        closed = _RAW_END.search(rest) is not None if kind == 1 else _CLOSERS[kind] in rest
        return len(source) if closed else start
    return len(source)


def _assemble(source: str, units: list[tuple[int, Segments]], found: Found, fm_end: int, unaligned: int) -> Shadow:
    units.sort(key=lambda unit: unit[0])
    pieces: list[str] = []
    starts, sources, ends = array("q"), array("q"), array("q")
    copied = bytearray()
    length = 0
    for _, segments in units:
        for text, start, end, is_copy in segments.items:
            if not text:
                continue
            pieces.append(text)
            starts.append(length)
            sources.append(start)
            ends.append(end)
            copied.append(is_copy)
            length += len(text)
    found.links.sort(key=lambda link: link.open_start)
    found.footnote_calls.sort()
    return Shadow(
        source,
        "".join(pieces),
        starts,
        sources,
        ends,
        bytes(copied),
        found.links,
        found.footnote_calls,
        [],
        fm_end,
        unaligned,
    )
