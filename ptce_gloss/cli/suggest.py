"""``gloss suggest``: what a corpus calls for that the glossaries lack."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click

from .common import glossary_options, open_glossary, output_option, write_output


@click.command()
@click.argument("corpus", nargs=-1, required=True, type=click.Path())
@glossary_options
@output_option("Write there (a .csv gets a spreadsheet) instead of standard output.")
@click.option(
    "--limit",
    type=click.IntRange(1, 10_000),
    default=50,
    show_default=True,
    help="At most this many phrases (acronym pairs come on top).",
)
@click.option(
    "--include",
    multiple=True,
    metavar="PATTERN",
    help="Read files matching this glob (repeat; default *.html *.htm *.xhtml *.txt *.md *.markdown).",
)
@click.option("--exclude", multiple=True, metavar="PATTERN", help="Leave out files matching this glob.")
@click.option(
    "--min-count", type=click.IntRange(1, 1_000_000), default=3, show_default=True, help="Phrases seen fewer times are left out."
)
def suggest(
    corpus: tuple[str, ...],
    glossaries: tuple[Path, ...],
    no_default: bool,
    output: str,
    limit: int,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    min_count: int,
) -> None:
    """Suggest glossary entries that a CORPUS (files, folders, archives, WARC) calls for.

    Proposes acronym-expansion pairs written in the text (« pôle territorial de
    coopération économique (PTCE) », both orders) and frequent phrases ranked by
    C-value over their lemmas (simplemma), leaving out what the glossaries (the
    bundled one and -g files) already match. The output is a glossary to edit:
    YAML by default, a spreadsheet for -o FILE.csv; each entry has its count, its
    number of documents and two contexts, and an empty definition to write.

    \b
    Examples:
      gloss suggest examples/ -o suggestions.yaml
      gloss suggest site.zip --min-count 5 -o suggestions.csv
    """
    from ..batch.inputs import DEFAULT_PATTERNS, read_inputs
    from ..batch.suggest import suggest as find
    from ..batch.suggest import suggestions_csv, suggestions_yaml

    glossary = open_glossary(glossaries, no_default)
    errors: list[str] = []

    def documents() -> Iterator[tuple[str, bytes]]:
        for _, item in read_inputs(list(corpus), include or DEFAULT_PATTERNS, exclude, 50 * 1024 * 1024):
            if item.error:
                errors.append(f"{item.name}: {item.error}")
            elif item.data is not None and item.annotate:
                yield item.name, item.data

    found, problems = find(documents(), glossary, limit=limit, min_count=min_count)
    for line in errors + problems:
        click.echo(f"warning: {line}", err=True)
    data = suggestions_csv(found) if output.lower().endswith(".csv") else suggestions_yaml(found).encode("utf-8")
    write_output(output, data)
    pairs = sum(s.kind == "acronym" for s in found)
    click.echo(f"{len(found)} suggestions: {pairs} acronym pairs, {len(found) - pairs} phrases", err=True)
