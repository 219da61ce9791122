"""Plain text made a standalone HTML5 page: paragraphs from blank lines, headings, line breaks kept."""

from __future__ import annotations

import html
import re

from ..html.textzones import TextZones, text_title
from ..lazy import regex
from .pieces import escape

_UNDERLINED = regex(r"([^\n]*)\n[ \t]*(?:={3,}|-{3,})[ \t]*(?:\n|\Z)")
_BLANK_LINES = regex(r"\n[ \t]*\n\s*")


def text_page_blocks(text: str, first: bool, more: bool) -> tuple[list[str], str | None]:
    """Turn a run of whole paragraphs of plain text into HTML blocks.

    Args:
        text: the paragraphs (a whole text, or a part of it cut after a blank line).
        first: the part starts the text (its first paragraph may be the title).
        more: more text follows this part.

    Returns:
        The blocks, and the title line when the first paragraph is one.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if first:
        text = text.lstrip("\n")
    headings = TextZones(text, True, first, more)
    paragraphs, position = [], 0
    for paragraph in _BLANK_LINES.split(text):
        start = text.index(paragraph, position) if paragraph else position
        position = start + len(paragraph)
        if paragraph.strip():
            paragraphs.append((paragraph.rstrip("\n"), start))
    title = None
    if first:
        span = text_title(text, more)
        if span is not None:
            title = text[span[0] : span[1]]
    blocks = []
    for index, (paragraph, start) in enumerate(paragraphs):
        if index == 0 and title is not None:
            blocks.append(f"<h1>{html.escape(title)}</h1>")
        elif headings.covers(start, start + len(paragraph)) and "\n" not in paragraph.strip():
            blocks.append(f"<h2>{html.escape(paragraph.strip())}</h2>")
        elif (underlined := _UNDERLINED.match(paragraph)) and headings.covers(start, start + underlined.end(1)):
            # A heading underlined with === or --- (as in Markdown): the heading, then what follows
            blocks.append(f"<h2>{html.escape(underlined.group(1).strip())}</h2>")
            if paragraph[underlined.end() :].strip():
                blocks.append("<p>" + html.escape(paragraph[underlined.end() :].strip("\n")) + "</p>")
        else:
            blocks.append("<p>" + html.escape(paragraph) + "</p>")
    return blocks, title


def text_page_title(name: str, title_line: str | None, first_line: str) -> str:
    """The title of a page made from text: its title line, else the file name, else its first line."""
    stem = re.sub(r"\.[A-Za-z0-9]{1,8}$", "", name.replace("\\", "/").rsplit("/", 1)[-1])
    if title_line is not None:
        return title_line
    return stem if name not in ("-", "<string>", "") and stem else first_line


# A text's lines stay lines on its page, by CSS rather than <br>: a term wrapped onto the next line
# ("économie" / "sociale") is then found on the page as in the text itself.
_TEXT_PAGE_STYLE = "<style>main p { white-space: pre-line; }</style>\n"


def text_page_head(title: str, lang: str = "fr") -> str:
    """The start of a page made from text, up to its <main>."""
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n{_TEXT_PAGE_STYLE}</head>\n<body>\n<main>\n"
    )


TEXT_PAGE_TAIL = "\n</main>\n</body>\n</html>\n"


def text_to_html(text: str, name: str = "<string>", lang: str = "fr") -> str:
    """Make a plain text a standalone HTML5 page: paragraphs from blank lines, line breaks kept.

    A first paragraph of one line, with no final punctuation and followed by others, is the
    page's title and ``<h1>``; other heading lines (short lines between blank lines) become
    ``<h2>``; the text is the page's ``<main>``.  Without a title line, the title is the file
    name (without folder and suffix), or the first line for standard input.
    """
    blocks, title_line = text_page_blocks(text, True, False)
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return text_page_head(text_page_title(name, title_line, first_line), lang) + "\n".join(blocks) + TEXT_PAGE_TAIL
