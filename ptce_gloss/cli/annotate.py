"""The ``gloss annotate`` command: the choice between a batch, one page at a time, the terminal preview
and JSON Lines.  Its options come grouped by concern (see ``options``)."""

from __future__ import annotations

import contextlib
import io
import sys
from typing import Any
from urllib.parse import urlsplit

import click

from ..annotate import Annotator
from ..atomic import atomic_writer
from ..errors import GlossaryError, InputError, shown
from ..match.cache import load_compiled
from . import options as grouped
from .batch import batch_command, files_to_compare, is_batch
from .common import fail_on_glossary
from .document import annotate_one, json_lines, preview_one


def warn(message: str) -> None:
    """Print a one-line warning on standard error, made printable."""
    click.echo(f"warning: {shown(message)}", err=True)


@click.command(cls=grouped.GroupedCommand)
@click.argument("inputs", nargs=-1, metavar="[INPUT]...", type=click.Path(allow_dash=True))
@click.option(
    "-f",
    "--format",
    "output_format",
    type=click.Choice(["html", "markdown", "json", "terminal"]),
    default=None,
    help="html: the page with accessible tooltip links and a glossary section (plain text and Markdown become "
    "a page); markdown: the Markdown source with terms marked (see --markdown-style), the default for Markdown "
    "inputs, as html is for the others; "
    "json: one JSON object per input document, one per line (schema in docs/json.md); "
    "terminal: the readable text with highlighted terms and footnotes.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(allow_dash=True),
    default="-",
    help="Write there (atomically) instead of standard output.",
)
@click.option(
    "-q",
    "--quiet",
    is_flag=True,
    help="Print nothing on stderr in batches: no progress bar, per-file errors or summary "
    "(the exit code still tells of failures; --report keeps the details).",
)
@grouped.sources
@grouped.matching
@grouped.reading
@grouped.writing
@grouped.site
@grouped.preview
@grouped.rewriting
@grouped.batching
def annotate(
    inputs: tuple[str, ...],
    output_format: str,
    output: str,
    quiet: bool,
    sources: grouped.Sources,
    matching: grouped.Matching,
    reading: grouped.Reading,
    writing: grouped.Writing,
    site: grouped.Site,
    preview: grouped.Preview,
    rewriting: grouped.Rewriting,
    batching: grouped.Batching,
) -> None:
    """Annotate glossary terms in INPUT (HTML, Markdown or plain text; - for standard input).

    Writes the page with each term (the first occurrence of each, by default) made a
    link with an accessible tooltip definition, and a glossary section at the end;
    nothing else in the page changes, byte for byte. Markdown (.md, .markdown) is
    written back as Markdown, with insertions only (--markdown-style); plain text
    becomes a standalone HTML page. With --format json, reports the terms found in
    any number of inputs.

    Terms are found as French readers write them: plurals, any case, with or without
    accents, after l' or d', across inline tags and character references, never
    inside links, code, headings or other skipped elements (see --skip). With no
    INPUT, reads standard input. Inputs that cannot be read are reported on stderr,
    the others are still processed, and the exit code is 1.

    \b
    An INPUT may be a folder, a zip/tar archive (.zip, .tar, .tar.gz, .tgz,
    .tar.bz2, .tar.xz) or a WARC web archive (.warc, .warc.gz): a batch, written
    to -o FOLDER (mirroring the tree; a WARC's pages named after their URLs),
    -o ARCHIVE or -o OUT.warc[.gz] (HTML responses annotated as new records,
    other records copied), in -j worker processes, with a progress bar, a
    summary and --report; hostile archive members are refused one by one.
    Inputs and -o may also be fsspec URLs (file://, s3://…). With --engine
    dask the batch runs on a Dask cluster; with folder URLs in and out, its
    workers read and write the files themselves.

    Exit codes: 0 success, 1 some input or glossary failed, 2 usage error.

    \b
    Examples:
      gloss annotate examples/ptce-bretagne.html -o ptce.gloss.html
      cat note.txt | gloss annotate - -o note.html
      gloss annotate examples/hugo-article.md -o article.gloss.md
      gloss annotate --markdown-style footnote --in-place content/
      gloss annotate --format json examples/*.html > matches.jsonl
      cat note.txt | gloss annotate --format terminal -
      gloss annotate archives/ -o annotated/ -j 4 --report report.json
      gloss annotate site/ -o public/ --index glossaire.html --link-to index
      gloss annotate articles.zip -o annotated.zip
      gloss annotate crawl.warc.gz -o annotated.warc.gz --report report.json
      gloss annotate s3://bucket/site/ -o s3://bucket/site-gloss/ --engine dask
      gloss annotate --replace-foreign --assets link=/css/gloss.css old-spip-page.html
    """
    annotator = Annotator(_compiled(sources), matching.options())
    if not inputs:
        if sys.stdin.isatty():
            click.echo(click.get_current_context().get_help())
            return
        inputs = ("-",)
    page_url = writing.page_url
    if page_url is not None and (len(inputs) != 1 or urlsplit(page_url).scheme not in ("http", "https", "file")):
        raise click.BadParameter("give one input and an absolute http(s) or file URL", param_hint="--page-url")
    refused: list[str] = []
    if rewriting.mode in ("check", "diff") and is_batch(inputs, output, rewriting.in_place):
        if site.index_name is not None:
            raise click.UsageError(f"--index writes a page: not with --{rewriting.mode}")
        files, refused = files_to_compare(inputs, batching)
        inputs = tuple(files)  # each folder's files, compared one by one
    elif is_batch(inputs, output, rewriting.in_place):
        if output_format is not None:
            raise click.UsageError("batches write annotated HTML and Markdown: leave out --format")
        if page_url is not None:
            raise click.UsageError("--page-url names one page: a batch's pages each have their own address")
        options = site.apply(writing.options(False))
        sys.exit(batch_command(annotator, inputs, output, options, batching, rewriting, quiet, site))
    if site.index_name is not None or site.index_template is not None:
        raise click.UsageError("--index writes a site's glossary page: give a folder, archive or WARC to annotate (a batch)")
    if output_format in (None, "html", "markdown"):
        html_options, mode = site.apply(writing.options()), rewriting.mode
        if mode == "write" and len(inputs) != 1:
            raise click.UsageError(
                "gloss annotates one input at a time when it writes it (or several with --in-place, "
                "--check or --diff); use --format json for a report on several"
            )
        if mode != "write" and ("-" in inputs or output != "-"):
            raise click.UsageError(f"--{mode} works on files: it takes neither - nor -o")
        suffix = rewriting.backup_suffix
        for problem in refused:
            click.echo(shown(f"Error: {problem}"), err=True)
        codes = [
            annotate_one(annotator, name, output, reading, html_options, mode, suffix, quiet, output_format) for name in inputs
        ]
        sys.exit(max([*codes, int(bool(refused))]))
    if output_format == "terminal":
        if len(inputs) != 1:
            raise click.UsageError("--format terminal previews one input at a time")
        sys.exit(preview_one(annotator, inputs[0], output, reading, preview, quiet))
    sys.exit(_json_lines(annotator, inputs, output, reading))


def _compiled(sources: grouped.Sources) -> Any:
    """The compiled glossary of the ``-g`` files (and the bundled one), from the cache when it can."""
    if sources.no_default and not sources.glossaries:
        raise click.UsageError("--no-default needs at least one -g/--glossary file")
    try:
        glossary, compiled = load_compiled(
            sources.glossaries, include_default=not sources.no_default, use_cache=not sources.no_cache, on_warning=warn
        )
    except GlossaryError as exc:
        raise fail_on_glossary(exc) from None
    for problem in glossary.warnings:
        if problem.kind == "override":
            click.echo(str(problem), err=True)
    return compiled


def _json_lines(annotator: Annotator, inputs: tuple[str, ...], output: str, reading: grouped.Reading) -> int:
    """Write the JSON Lines records of the inputs; return the exit code."""
    failures = 0
    with contextlib.ExitStack() as stack:
        target: Any = (
            sys.stdout if output == "-" else io.TextIOWrapper(stack.enter_context(atomic_writer(output)), encoding="utf-8")
        )
        for name in inputs:
            try:
                for piece in json_lines(annotator, name, reading.kind, reading.encoding):
                    target.write(piece)
                target.flush()
            except InputError as exc:
                click.echo(shown(f"Error: {exc}"), err=True)
                failures += 1
        target.flush()
        if output != "-":
            target.detach()
    return 1 if failures else 0
