"""Inline positions in Markdown: the walk over a block's source that meets each inline token of the
parser where it stands, and the segments of the shadow page it emits (see :mod:`.scan`)."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from ..lazy import regex

_NEWLINE = regex(r"\r\n?|\n")
_OPAQUE = "<img>"
_TRANSPARENT = "<!---->"
_INLINE_TAGS = {"em": "em", "strong": "strong", "s": "del"}
_FOOTNOTE_CALL = regex(r"\[\^[^\]\s]+\]")


@dataclass(frozen=True, slots=True)
class LinkSpan:
    """A Markdown link: where its ``[`` and its ``](…)`` stand in the source, and where it points."""

    open_start: int
    open_end: int
    close_start: int
    close_end: int
    href: str
    title: str


class Unaligned(Exception):
    """The walk did not find a parser's token where it stands: the block is left out."""


class Segments:
    """Segments of one unit of the shadow (a block), in source order."""

    __slots__ = ("items", "protected", "source")

    def __init__(self, source: str, protected: Sequence[tuple[int, int]]) -> None:
        self.source = source
        self.protected = protected
        self.items: list[tuple[str, int, int, bool]] = []  # shadow text, source start, source end, copied

    def token(self, text: str, start: int, end: int) -> None:
        self.items.append((text, start, end, False))

    def copy(self, start: int, end: int, escape: bool = True) -> None:
        """Copy source[start:end] as prose; template syntax in it becomes opaque, and with ``escape``
        each ``<`` and ``&`` becomes a reference (Markdown prose is no markup)."""
        if start >= end:
            return
        for piece_start, piece_end, is_protected in _cut(start, end, self.protected):
            if is_protected:
                self.token(_OPAQUE, piece_start, piece_end)
            elif escape:
                self._escaped(piece_start, piece_end)
            else:
                self.items.append((self.source[piece_start:piece_end], piece_start, piece_end, True))

    def _escaped(self, start: int, end: int) -> None:
        text = self.source[start:end]
        if "<" not in text and "&" not in text:
            self.items.append((text, start, end, True))
            return
        position = 0
        for match in re.finditer("[<&]", text):
            if match.start() > position:
                self.items.append((text[position : match.start()], start + position, start + match.start(), True))
            self.token("&lt;" if match.group() == "<" else "&amp;", start + match.start(), start + match.end())
            position = match.end()
        if position < len(text):
            self.items.append((text[position:], start + position, end, True))


def _cut(start: int, end: int, protected: Sequence[tuple[int, int]]) -> list[tuple[int, int, bool]]:
    """Cut [start, end) at the protected spans it meets."""
    if not protected:
        return [(start, end, False)]
    pieces = []
    index = max(bisect_right(protected, (start, 1 << 62)) - 1, 0)
    position = start
    while index < len(protected) and protected[index][0] < end:
        low, high = protected[index]
        if high > position:
            low = max(low, position)
            if low > position:
                pieces.append((position, low, False))
            high = min(high, end)
            pieces.append((low, high, True))
            position = high
        index += 1
    if position < end:
        pieces.append((position, end, False))
    return pieces


class Lines:
    """The lines of the source as the parser numbers them (\\r\\n, \\r and \\n all end one)."""

    def __init__(self, source: str) -> None:
        self.starts = [0]
        self.ends = []
        for match in _NEWLINE.finditer(source):
            self.ends.append(match.start())
            self.starts.append(match.end())
        self.ends.append(len(source))

    def end_of(self, number: int) -> int:
        """The offset where line ``number`` starts (the end of the source past the last line)."""
        return self.starts[number] if number < len(self.starts) else self.ends[-1]

    def line(self, source: str, number: int) -> tuple[int, str]:
        if number >= len(self.starts):
            return len(source), ""
        return self.starts[number], source[self.starts[number] : self.ends[number]]


def block_positions(source: str, lines: Lines, first: int, content: str, heading: bool) -> tuple[list[int], list[int]]:
    """The source offset of each character of a paragraph's or heading's content, the lines of
    which stand at the end of consecutive source lines (container markers and indentation before);
    and the indexes where those offsets break (see :attr:`Walk.breaks`), known here line by line."""
    positions: list[int] = []
    breaks: list[int] = []

    def add(offsets: Sequence[int]) -> None:
        if offsets and positions and offsets[0] != positions[-1] + 1:
            breaks.append(len(positions))
        positions.extend(offsets)

    pieces = content.split("\n")
    for number, piece in enumerate(pieces):
        start, line = lines.line(source, first + number)
        if heading:
            at = line.rfind(piece)
        elif number < len(pieces) - 1:
            at = len(line) - len(piece) if line.endswith(piece) else -1
        else:
            stripped = line.rstrip(" \t")
            at = len(stripped) - len(piece) if stripped.endswith(piece) else -1
        indent = 0
        if at < 0 and piece.startswith(" ") and not heading:
            # A tab partly taken as indentation comes out as spaces: they stand for the tab.
            core = piece.lstrip(" ")
            indent = len(piece) - len(core)
            body = line if number < len(pieces) - 1 else line.rstrip(" \t")
            at = len(body) - len(core) if body.endswith(core) and body[: len(body) - len(core)].endswith("\t") else -1
        if at < 0:
            raise Unaligned
        if indent:
            add([start + at - 1])
            breaks.extend(range(len(positions), len(positions) + indent - 1))  # the same tab again: each a break
            positions.extend([start + at - 1] * (indent - 1))
        add(range(start + at, start + at + len(piece) - indent))
        if number < len(pieces) - 1:
            add([lines.ends[first + number]])
    return positions, breaks


def cell_positions(source: str, lines: Lines, row: int, cells: list[str]) -> list[list[int]]:
    """The source offsets of each character of a table row's cells, read left to right (an
    escaped pipe ``\\|`` of the source is a ``|`` of the cell)."""
    start, line = lines.line(source, row)
    cursor = 0
    found: list[list[int]] = []
    for content in cells:
        if not content:
            found.append([])
            continue
        at = line.find(content[0], cursor)
        while at >= 0:
            offsets = _match_cell(line, at, content)
            if offsets is not None:
                found.append([start + o for o in offsets])
                cursor = offsets[-1] + 1
                break
            at = line.find(content[0], at + 1)
        else:
            raise Unaligned
    return found


def _match_cell(line: str, at: int, content: str) -> list[int] | None:
    offsets, position = [], at
    for char in content:
        if char == "|" and line.startswith("\\|", position):
            position += 1
        if position >= len(line) or line[position] != char:
            return None
        offsets.append(position)
        position += 1
    return offsets


class Walk:
    """One block's inline tokens walked over its content, emitting shadow segments: each token must
    stand where the walk is, or the block is left out (:class:`Unaligned`)."""

    def __init__(
        self,
        segments: Segments | None,
        content: str,
        positions: list[int],
        references: Any,
        found: Found,
        breaks: list[int] | None = None,
    ) -> None:
        self.out = segments
        self.content = content
        self.positions = positions
        self.references = references
        self.found = found
        self.links: list[tuple[int, int, dict[str, Any]]] = []
        self.autolink = False
        self._breaks = breaks

    @property
    def breaks(self) -> list[int]:
        """The indexes ``i`` of the content where the source runs break (``positions[i]`` is not right
        after ``positions[i - 1]``): the walk copies the prose between them as it stands in the source.
        Given by :func:`block_positions`, found here otherwise (a table cell's few characters)."""
        if self._breaks is None:
            positions = self.positions
            self._breaks = [i for i in range(1, len(positions)) if positions[i] != positions[i - 1] + 1]
        return self._breaks

    def end_of(self, index: int) -> int:
        """The source offset right after content[index - 1]."""
        return self.positions[index - 1] + 1 if index > 0 else self.positions[0]

    def at(self, index: int) -> int:
        return self.positions[index] if index < len(self.positions) else self.end_of(index)

    def token(self, text: str, start: int, end: int) -> None:
        if self.out is not None:
            self.out.token(text, self.at(start), self.end_of(end))

    def copy(self, start: int, end: int, escape: bool = True) -> None:
        """Copy content[start:end] as prose, in runs that are contiguous in the source."""
        if self.out is None or start >= end:
            return
        positions, breaks = self.positions, self.breaks
        run = start
        for index in islice(breaks, bisect_right(breaks, start), bisect_left(breaks, end)):
            self.out.copy(positions[run], positions[index - 1] + 1, escape)
            run = index
        self.out.copy(positions[run], positions[end - 1] + 1, escape)

    def expect(self, text: str, position: int) -> int:
        """The end of ``text`` standing at ``position``; else the block is left out."""
        if not text or not self.content.startswith(text, position):
            raise Unaligned
        return position + len(text)

    def walk(self, children: Sequence[Any], position: int = 0) -> int:
        """Walk ``children`` from ``position``; return where the walk ends."""
        for child in children:
            kind = child.type
            if self.autolink and kind != "link_close":
                continue
            if kind.endswith(("_open", "_close")) and kind.rsplit("_", 1)[0] in _INLINE_TAGS:
                position = self.delimiter(child, position)
                continue
            step = getattr(self, "on_" + kind, None)
            if step is None:
                raise Unaligned
            position = step(child, position)
        if self.links or self.autolink:
            raise Unaligned
        return position

    def on_text(self, child: Any, position: int) -> int:
        text = child.content
        found = self.content.find(text, position) if text else position
        if found < 0 or self.content[position:found].strip(" \t\n"):
            raise Unaligned
        self.copy(position, found + len(text))
        return found + len(text)

    def on_text_special(self, child: Any, position: int) -> int:
        markup = child.markup
        end = self.expect(markup, position)
        if child.info == "escape" and child.content == markup:  # a backslash before a letter stays
            self.copy(position, end)
        elif child.info == "escape" and markup[1:] in ("<", "&"):
            self.token("&lt;" if markup[1:] == "<" else "&amp;", position, end)
        elif child.info == "escape":
            self.token(_TRANSPARENT, position, position + 1)
            self.copy(position + 1, end)
        else:  # a character reference: the shadow reads it as HTML does
            self.copy(position, end, escape=False)
        return end

    def on_softbreak(self, child: Any, position: int) -> int:
        content, end = self.content, position
        while end < len(content) and content[end] in " \t":
            end += 1
        if content.startswith("\\\n", end) and child.type == "hardbreak":
            end += 1
        if end >= len(content) or content[end] != "\n":
            raise Unaligned
        if child.type == "hardbreak":
            self.token("<br>", position, end)
            position = end
        after = end + 1  # the parser skips the spaces that start the next line
        while after < len(content) and content[after] in " \t":
            after += 1
        self.copy(position, after)
        return after

    on_hardbreak = on_softbreak

    def delimiter(self, child: Any, position: int) -> int:
        end = self.expect(child.markup, position)
        name = _INLINE_TAGS[child.type.rsplit("_", 1)[0]]
        self.token(f"<{name}>" if child.type.endswith("_open") else f"</{name}>", position, end)
        return end

    def on_code_inline(self, child: Any, position: int) -> int:
        ticks = child.markup
        start = self.expect(ticks, position)
        closing = re.compile(f"(?<!`){ticks}(?!`)").search(self.content, start)
        if closing is None:
            raise Unaligned
        self.token(_OPAQUE, position, closing.end())
        return closing.end()

    def on_html_inline(self, child: Any, position: int) -> int:
        end = self.expect(child.content, position)
        self.token(child.content, position, end)
        return end

    def on_link_open(self, child: Any, position: int) -> int:
        if child.markup == "autolink":
            self.expect("<", position)
            end = self.content.find(">", position) + 1
            if end <= 0:
                raise Unaligned
            self.token(_OPAQUE, position, end)
            self.autolink = True
            return end
        end = self.expect("[", position)
        self.token('<a href="">', position, end)
        self.links.append((position, end, dict(child.attrs)))
        return end

    def on_link_close(self, child: Any, position: int) -> int:
        if self.autolink:
            self.autolink = False
            return position
        if not self.links:
            raise Unaligned
        start, after_open, attrs = self.links.pop()
        end = self.link_tail(self.expect("]", position))
        self.token("</a>", position, end)
        if self.out is not None:
            href, title = str(attrs.get("href", "")), str(attrs.get("title", ""))
            self.found.links.append(
                LinkSpan(self.at(start), self.end_of(after_open), self.at(position), self.end_of(end), href, title)
            )
        return end

    def on_image(self, child: Any, position: int) -> int:
        inner = Walk(None, self.content, self.positions, self.references, self.found, self._breaks)
        alt_end = inner.walk(child.children or [], self.expect("![", position))
        end = self.link_tail(self.expect("]", alt_end))
        self.token(_OPAQUE, position, end)
        return end

    def on_footnote_ref(self, child: Any, position: int) -> int:
        call = _FOOTNOTE_CALL.match(self.content, position)
        if call is None:
            raise Unaligned
        self.token(_OPAQUE, position, call.end())
        if self.out is not None:
            self.found.footnote_calls.append((self.at(position), self.end_of(call.end())))
        return call.end()

    def link_tail(self, position: int) -> int:
        """The end of what follows a link text's ``]``: ``(destination "title")``, ``[label]``, ``[]`` or nothing."""
        from markdown_it.common.utils import normalizeReference
        from markdown_it.helpers import parseLinkDestination, parseLinkTitle

        content, size = self.content, len(self.content)
        if content.startswith("(", position):
            cursor = _skip_space(content, position + 1)
            if content.startswith(")", cursor):
                return cursor + 1
            destination = parseLinkDestination(content, cursor, size)
            if destination.ok:
                cursor = _skip_space(content, destination.pos)
                if cursor != destination.pos:
                    title = parseLinkTitle(content, cursor, size)
                    if title.ok:
                        cursor = _skip_space(content, title.pos)
                if content.startswith(")", cursor):
                    return cursor + 1
        if content.startswith("[", position):
            end = _label_end(content, position)
            if end > 0:
                label = content[position + 1 : end]
                if not label or normalizeReference(label) in self.references:
                    return end + 1
        return position


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\n":
        position += 1
    return position


def _label_end(text: str, position: int) -> int:
    """The offset of the ``]`` closing the label opened at ``position``, or -1."""
    index = position + 1
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            return -1
        if char == "]":
            return index
        index += 1
    return -1


@dataclass(slots=True)
class Found:
    """What the walks of a document found besides prose: links, footnote calls, raw HTML."""

    links: list[LinkSpan] = field(default_factory=list)
    footnote_calls: list[tuple[int, int]] = field(default_factory=list)
