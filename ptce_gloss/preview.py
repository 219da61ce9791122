"""Rendering for people on a terminal (the only module of the core that imports rich)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from .explore import first_words
from .glossary import Entry


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
            escape(entry.id),
            escape(entry.term),
            escape(", ".join(entry.acronyms)),
            escape(", ".join(entry.tags)),
            escape(first_words(entry.definition, 80)),
        )
    console.print(table)


def print_entry(entry: Entry, console: Console) -> None:
    """Print one entry whole, in a panel."""
    body = [f"[bold]{escape(entry.label)}[/bold]", ""]
    if entry.variants:
        body.append(f"[dim]variants:[/dim] {escape(', '.join(entry.variants))}")
    if entry.tags:
        body.append(f"[dim]tags:[/dim] [green]{escape(', '.join(entry.tags))}[/green]")
    body += ["", escape(entry.definition), ""]
    if entry.url:
        body.append(f"[dim]url:[/dim] {escape(entry.url)}")
    if entry.see:
        body.append(f"[dim]see:[/dim] {escape(', '.join(entry.see))}")
    body.append(f"[dim]source: {escape(entry.source)}:{entry.line}[/dim]")
    console.print(Panel("\n".join(body).rstrip(), title=escape(entry.id), title_align="left"))
