"""Rendering for people on a terminal (the only module of the core that imports rich)."""

from __future__ import annotations

import zlib
from collections.abc import Sequence

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from ..errors import printable
from ..glossary import Entry
from ..glossary.explore import first_words
from ..match.occurrence import Match
from .textview import Block


def _text(text: str) -> str:
    """A glossary's text for rich markup: printable (no escape sequence reaches the terminal), then
    with rich's own markup escaped."""
    return escape(printable(text))


def print_terms_table(entries: Sequence[Entry], console: Console, title: str | None = None) -> None:
    """Print entries as a table: id, term, acronyms, tags and the definition's first words."""
    table = Table(title=title, show_lines=False, expand=True)
    table.add_column("id", style="cyan", no_wrap=True)
    table.add_column("term", style="bold", ratio=2)
    table.add_column("acronyms", style="magenta")
    table.add_column("tags", style="green")
    table.add_column("definition", ratio=3)
    for entry in entries:
        table.add_row(
            _text(entry.id),
            _text(entry.term),
            _text(", ".join(entry.acronyms)),
            _text(", ".join(entry.tags)),
            _text(first_words(entry.definition, 80)),
        )
    console.print(table)


def print_entry(entry: Entry, console: Console) -> None:
    """Print one entry whole, in a panel."""
    body = [f"[bold]{_text(entry.label)}[/bold]", ""]
    if entry.variants:
        body.append(f"[dim]variants:[/dim] {_text(', '.join(entry.variants))}")
    if entry.tags:
        body.append(f"[dim]tags:[/dim] [green]{_text(', '.join(entry.tags))}[/green]")
    body += ["", _text(entry.definition), ""]
    if entry.url:
        body.append(f"[dim]url:[/dim] {_text(entry.url)}")
    if entry.see:
        body.append(f"[dim]see:[/dim] {_text(', '.join(entry.see))}")
    body.append(f"[dim]source: {_text(entry.source)}:{entry.line}[/dim]")
    console.print(Panel("\n".join(body).rstrip(), title=_text(entry.id), title_align="left"))


# --- The terminal preview of a document -----------------------------------------------------------

PALETTE = ("cyan", "magenta", "green", "yellow", "blue", "bright_red", "bright_cyan", "bright_magenta")
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def colour_of(entry: Entry) -> str:
    """One colour per tag (the entry's first tag), the same from one run to the next."""
    tag = entry.tags[0] if entry.tags else ""
    return PALETTE[zlib.crc32(tag.encode("utf-8")) % len(PALETTE)]


def marker(number: int, styled: bool) -> str:
    """A footnote call: superscript digits on a terminal, [n] in plain text."""
    return str(number).translate(SUPERSCRIPT) if styled else f"[{number}]"


# rich wraps lines at any white space, no-break spaces included ("projets\u00a0:" must not become
# "projets" and ": …"): they are rendered as noncharacters, one cell wide and never white space,
# and turned back into themselves in the rendered text.  Input noncharacters are never printed
# (_safe drops what is not printable), so the swap is exact.
_NO_BREAK = {"\u00a0": "\ufdd0", "\u202f": "\ufdd1", "\u2007": "\ufdd2"}
_BACK = str.maketrans({placeholder: space for space, placeholder in _NO_BREAK.items()})


def _safe(text: str) -> str:
    """Drop control characters (escape sequences in hostile text) but keep line breaks and tabs;
    no-break spaces become placeholders that rich does not break at (see _NO_BREAK)."""
    if text.isprintable():
        return text
    return "".join(_NO_BREAK.get(c, c) for c in text if c in _NO_BREAK or c in "\n\t" or c.isprintable() or c == " ")


def note_text(number: int, entry: Entry, styled: bool) -> Text:
    """A footnote: marker, term (acronyms), definition, url."""
    note = Text()
    note.append(f"[{number}] " if not styled else f"{marker(number, True)} ", style="dim" if styled else "")
    note.append(_safe(entry.label), style=f"bold {colour_of(entry)}" if styled else "")
    note.append(" — " + _safe(entry.definition))
    if entry.url:
        note.append(" " + _safe(entry.url), style="underline" if styled else "")
    return note


def print_preview(blocks: Sequence[Block], matches: Sequence[Match], console: Console, notes: str = "end") -> None:
    """Print the preview (:func:`render_preview`) on ``console``."""
    console.file.write(render_preview(blocks, matches, console, notes))
    console.file.flush()


def render_preview(blocks: Sequence[Block], matches: Sequence[Match], console: Console, notes: str = "end") -> str:
    """Render readable blocks with highlighted terms, footnote calls, and the footnotes, as the
    text ``console`` would print (with its styles and its width).

    Args:
        blocks: the document's blocks (:mod:`ptce_gloss.textview`).
        matches: the occurrences, numbered from 1 in order (as the blocks number them).
        console: where to print; styles are used only when it is a terminal with colour.
        notes: ``end`` (all footnotes at the end) or ``section`` (after each section).
    """
    with console.capture() as capture:
        _print_blocks(blocks, matches, console, notes)
    return capture.get().translate(_BACK)


def _print_blocks(blocks: Sequence[Block], matches: Sequence[Match], console: Console, notes: str) -> None:
    styled = console.is_terminal and not console.no_color
    pending: list[int] = []
    section = blocks[0].section if blocks else 0

    def flush() -> None:
        if pending:
            console.print(Rule(style="dim") if styled else "")
            for number in pending:
                console.print(note_text(number, matches[number - 1].entry, styled))
            console.print()
            pending.clear()

    for block in blocks:
        if notes == "section" and block.section != section:
            flush()
            section = block.section
        line = Text("• " if block.kind == "item" else "")
        pieces = block.pieces
        for index, (text, note) in enumerate(pieces):
            style = ""
            if note is not None:
                style = f"underline {colour_of(matches[note - 1].entry)}" if styled else ""
            line.append(_safe(text), style=style or ("bold" if block.kind == "heading" and styled else ""))
            if note is not None and (index + 1 == len(pieces) or pieces[index + 1][1] != note):
                line.append(marker(note, styled), style="dim" if styled else "")
                pending.append(note)
        console.print(line, style="bold" if block.kind == "heading" and styled else "")
        if block.kind != "row":
            console.print()
    flush()
