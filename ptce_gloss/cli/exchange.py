"""``gloss convert`` and ``gloss export``: glossaries between YAML, spreadsheets, TBX and SKOS."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import GlossaryError
from ..glossary.files import read_glossary_file
from ..glossary.formats import FORMATS, format_of, parse_glossary_file, write_glossary
from .common import fail_on_glossary, glossary_options, open_glossary, output_option, write_output

_FORMAT = click.Choice(list(FORMATS))


def _write(glossary: object, output: str, fmt: str | None) -> None:
    target = fmt or (format_of(output) if output != "-" else "yaml")
    if target == "xlsx" and output == "-":
        raise click.UsageError("an .xlsx workbook is binary: give -o FILE.xlsx")
    data = write_glossary(glossary, target, output)  # type: ignore[arg-type]
    write_output(output, data)


@click.command()
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("target", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--from", "from_format", type=_FORMAT, help="The format of SOURCE (default: from its suffix).")
@click.option("--to", "to_format", type=_FORMAT, help="The format of TARGET (default: from its suffix; YAML on -).")
def convert(source: Path, target: str, from_format: str | None, to_format: str | None) -> None:
    """Convert a glossary file between formats: YAML, CSV (.csv, .tsv), .xlsx, TBX (.tbx), SKOS (.ttl, .rdf).

    The formats come from the suffixes (or --from and --to). SOURCE is read and
    checked as -g reads it (every problem as FILE:LINE:COLUMN, the exit code 1);
    TARGET is written atomically (- for standard output). YAML, CSV, .xlsx and
    TBX keep every field of every entry; see docs/glossaries.md for what each
    format holds.

    \b
    Examples:
      gloss convert examples/mon-glossaire.yaml glossaire.csv
      gloss convert glossaire.csv glossaire.yaml
      gloss convert export-weblate.tbx - --to yaml
      gloss convert thesaurus.ttl glossaire.yaml
    """
    try:
        glossary = parse_glossary_file(read_glossary_file(str(source)), str(source), from_format)  # type: ignore[arg-type]
    except GlossaryError as exc:
        raise fail_on_glossary(exc) from None
    for problem in glossary.warnings:
        click.echo(str(problem), err=True)
    _write(glossary, target, to_format)
    if target != "-":
        click.echo(f"{source}: {len(glossary)} entries written to {target}", err=True)


@click.command()
@glossary_options
@output_option()
@click.option("--to", "to_format", type=_FORMAT, help="The format to write (default: from the suffix of -o; YAML on -).")
def export(glossaries: tuple[Path, ...], no_default: bool, output: str, to_format: str | None) -> None:
    """Write the glossary in use (the bundled one and the -g files, combined) as one file.

    \b
    Examples:
      gloss export -o glossaire-ess.csv
      gloss export -g examples/mon-glossaire.yaml -o tout.tbx
      gloss export --no-default -g glossaire.csv --to skos > glossaire.ttl
    """
    glossary = open_glossary(glossaries, no_default)
    _write(glossary, output, to_format)
