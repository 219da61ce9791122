"""Where the sections of a plain text start (its title, Markdown ``#`` lines, short lines between blank
lines, underlined lines), and the headings a text's views leave unannotated."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from ..lazy import regex

# A heading in plain text: a Markdown '#' line, or a short line with no final punctuation
# standing alone between blank lines (or underlined with === or ---).
# It is read with line breaks made "\n" (a text's page is made from the text so), and blank lines
# at the very start are no paragraph.
_TEXT_HEADING = regex(
    r"(?:\A\n*|(?<=\n\n))[ \t]*(?:#{1,6} [^\n]*|[^\n.;,:]{0,79}[^\n.;,:\s])[ \t]*"
    r"(?=\n(?:[ \t]*\n|[=-]{3,}))"
)


def _text_headings(text: str) -> list[tuple[int, int]]:
    """The (start, end) of the headings of a plain text, whatever its line breaks (LF, CR LF, CR)."""
    if "\r" not in text:
        return [(m.start(), m.end()) for m in _TEXT_HEADING.finditer(text)]
    collapsed = [m.start() - k for k, m in enumerate(re.finditer("\r\n", text))]  # where each CR LF is, once "\n"
    normal = text.replace("\r\n", "\n").replace("\r", "\n")

    def raw(position: int) -> int:
        return position + bisect_left(collapsed, position)

    return [(raw(m.start()), raw(m.end())) for m in _TEXT_HEADING.finditer(normal)]


_NOT_SPACE = regex(r"\S")
_LINE_END = regex(r"[\r\n]")
_PARAGRAPH_BREAK = regex(r"(?:\r\n|\r(?!\n)|\n)[ \t]*(?:\r\n|\r(?!\n)|\n)\s*")  # a blank line, CR LF one break
TITLE_LENGTH = 150


def text_title(text: str, more: bool = False) -> tuple[int, int] | None:
    """Where the title of a plain text is, if it has one: its first paragraph, when that is a single
    line of at most 150 characters that does not end like a sentence (. ; , :) and more text follows
    it (in ``text`` or, with ``more``, in the parts still to come).  Every view of a text (its HTML
    page, where it becomes the <h1>, the terminal preview and the JSON report) reads it so."""
    first = _NOT_SPACE.search(text)
    if first is None:
        return None
    start = first.start()
    line_end = _LINE_END.search(text, start)
    end = line_end.start() if line_end else len(text)
    line = text[start:end].rstrip()
    if len(line) > TITLE_LENGTH or line[-1] in ".;,:":
        return None
    gap = _PARAGRAPH_BREAK.match(text, end)
    if gap is None:
        if text[end:].strip():
            return None  # the first paragraph has more lines
        return (start, start + len(line)) if more else None
    return (start, start + len(line)) if more or gap.end() < len(text) else None


class TextZones:
    """Headings of a plain text: where its sections start, and spans not annotated when headings are skipped.

    Args:
        text: the text (or a part of it cut after a blank line).
        skip_headings: headings are not annotated.
        first: the text starts here, so its first paragraph may be its title (:func:`text_title`).
        more: more of the text follows this part.
    """

    def __init__(self, text: str, skip_headings: bool, first: bool = True, more: bool = False) -> None:
        spans = _text_headings(text)
        title = text_title(text, more) if first else None
        if title is not None and not any(start < title[1] and title[0] < end for start, end in spans):
            spans.insert(0, title)
        self.headings = [start for start, _ in spans]
        self.spans = spans if skip_headings else []

    def covers(self, start: int, end: int) -> bool:
        """Tell whether [start, end) touches a heading that is not annotated."""
        index = bisect_right(self.spans, (end,)) - 1
        return index >= 0 and self.spans[index][1] > start

    def section(self, position: int) -> int:
        """Return how many headings start before ``position``."""
        return bisect_right(self.headings, position)


def text_headings(text: str) -> list[int]:
    """Return where headings start in plain text."""
    return TextZones(text, False).headings
