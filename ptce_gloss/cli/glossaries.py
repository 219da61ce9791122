"""``gloss check`` and ``gloss terms``: validating glossaries and exploring them."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from ..errors import Diagnostic, GlossaryError
from ..glossary import Glossary, combine_glossaries, default_glossary_path, load_glossary
from ..glossary.explore import entry_record, filter_entries, plain_entry, plain_line, suggest_id
from ..match.matcher import compile_glossary
from .common import glossary_options, open_glossary


@click.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--no-default", is_flag=True, help="Check the files on their own, not combined with the bundled glossary.")
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
def check(files: tuple[Path, ...], no_default: bool, strict: bool) -> None:
    """Validate glossary files and report every problem, as FILE:LINE:COLUMN: message.

    With no FILE, checks the bundled ESS glossary. Each FILE is checked on its own,
    then combined with the bundled glossary (unless --no-default), which is where
    'see' references and forms shadowing bundled entries are checked.
    Errors make the glossary unusable and exit 1; warnings (an HTML tag in a
    definition, a url that is not http(s), a form that shadows another file's entry)
    exit 0 unless --strict.

    \b
    Examples:
      gloss check
      gloss check mon-glossaire.yaml --strict
    """
    targets: list[Path] = list(files) or [default_glossary_path()]
    loaded, problems = [], []
    for path in targets:
        try:
            glossary = load_glossary(path)
        except GlossaryError as exc:
            problems += exc.diagnostics
            continue
        loaded.append(glossary)
        problems += glossary.warnings
    if loaded and not any(p.severity == "error" for p in problems):
        try:
            base = [] if no_default or not files else [load_glossary(default_glossary_path())]
            combined = combine_glossaries(base + loaded)
        except GlossaryError as exc:
            problems += exc.diagnostics
        else:
            known = set(problems).union(*(b.warnings for b in base))
            problems += [w for w in combined.warnings if w not in known]
            checked = {str(path) for path in targets}
            problems += [w for w in compile_glossary(combined).warnings if w.path in checked]
    report(targets, loaded, problems, strict)


def report(targets: Sequence[Path], loaded: Sequence[Glossary], problems: Sequence[Diagnostic], strict: bool) -> None:
    """Print the diagnostics of ``gloss check`` and exit with its status."""
    for problem in problems:
        click.echo(str(problem))
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    entries = sum(len(g) for g in loaded)
    files = "file" if len(targets) == 1 else "files"
    if errors or (strict and warnings):
        click.echo(f"{len(targets)} {files} checked: {errors} error(s), {warnings} warning(s).", err=True)
        sys.exit(1)
    click.echo(f"{len(targets)} {files} checked, {entries} entries: {warnings} warning(s), no error.", err=True)


@click.command()
@click.argument("query", required=False)
@glossary_options
@click.option("-t", "--tag", "tags", multiple=True, help="Only entries with this tag (repeat to require several).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of entries (schema in docs/glossaries.md).")
@click.option("--show", "show_id", metavar="ID", help="Print the entry with this id whole.")
def terms(
    query: str | None, glossaries: tuple[Path, ...], no_default: bool, tags: tuple[str, ...], as_json: bool, show_id: str | None
) -> None:
    """List glossary entries, or those matching QUERY.

    QUERY ignores case and accents and looks in terms, acronyms, variants and
    definitions. On a terminal the list is a table; piped, it is one
    tab-separated line per entry: id, term, acronyms, tags, start of the definition.

    \b
    Examples:
      gloss terms
      gloss terms coopérative --tag statuts
      gloss terms --show scic
      gloss terms --json | jq '.[].id'
    """
    glossary = open_glossary(glossaries, no_default)
    if show_id is not None:
        if show_id not in glossary:
            hint = suggest_id(glossary, show_id)
            raise click.ClickException(
                f"no entry has the id '{show_id}'" + (f"; did you mean '{hint}'?" if hint else "; list them with 'gloss terms'")
            )
        entry = glossary[show_id]
        if as_json:
            click.echo(json.dumps(entry_record(entry), ensure_ascii=False, indent=2))
        elif sys.stdout.isatty():
            from rich.console import Console

            from ..views.preview import print_entry

            print_entry(entry, Console())
        else:
            click.echo(plain_entry(entry))
        return
    entries = filter_entries(glossary, query, tags)
    if as_json:
        click.echo(json.dumps([entry_record(e) for e in entries], ensure_ascii=False, indent=2))
    elif sys.stdout.isatty():
        from rich.console import Console

        from ..views.preview import print_terms_table

        print_terms_table(entries, Console(), title=f"{len(entries)} of {len(glossary)} entries")
    else:
        for entry in entries:
            click.echo(plain_line(entry))
    if not entries:
        click.echo("no entry matches", err=True)
        sys.exit(1)
