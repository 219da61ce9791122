"""The ``gloss annotate`` command: its options, and the choice between a batch and one document at a time."""

from __future__ import annotations

import contextlib
import io
import os
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click

from ..annotate import OCCURRENCES, AnnotateOptions, Annotator
from ..atomic import atomic_writer
from ..errors import GlossaryError, InputError, shown
from ..html.zones import DEFAULT_SKIP
from ..markup import HtmlOptions
from ..match.cache import load_compiled
from .batch import batch_command, is_batch, parse_size
from .common import fail_on_glossary, glossary_options
from .document import annotate_one, json_lines, preview_one


def warn(message: str) -> None:
    """Print a one-line warning on standard error, made printable."""
    click.echo(f"warning: {shown(message)}", err=True)


@click.command()
@click.argument("inputs", nargs=-1, metavar="[INPUT]...", type=click.Path(allow_dash=True))
@click.option(
    "-f",
    "--format",
    "output_format",
    type=click.Choice(["html", "json", "terminal"]),
    default="html",
    show_default=True,
    help="html: the page with accessible tooltip links and a glossary section (plain text becomes a page); "
    "json: one JSON object per input document, one per line (schema in the README); "
    "terminal: the readable text with highlighted terms and footnotes.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(allow_dash=True),
    default="-",
    help="Write there (atomically) instead of standard output.",
)
@glossary_options
@click.option(
    "--occurrences",
    type=click.Choice(OCCURRENCES),
    default="first",
    show_default=True,
    help="Annotate the first occurrence of each term per document, per section (h1-h6 in HTML, "
    "heading lines in text), or all of them.",
)
@click.option(
    "--skip", "skip_more", multiple=True, metavar="TAG", help="Also leave the text of these HTML elements alone (repeat)."
)
@click.option(
    "--no-skip",
    "skip_less",
    multiple=True,
    metavar="TAG",
    help="Annotate inside these HTML elements, skipped by default (repeat; e.g. --no-skip h2).",
)
@click.option(
    "--scope",
    default="auto",
    show_default=True,
    metavar="auto|main|article|body|SELECTOR",
    help="HTML pages: where terms are annotated. auto: the page's <main>, else its <article>s, else the whole page, never "
    "in site chrome (nav, header, footer, aside) outside an article; main, article: only there; body: everywhere; "
    "or a simple selector (#contenu, .entry-content, div.article).",
)
@click.option(
    "--input-format",
    type=click.Choice(["auto", "html", "text"]),
    default="auto",
    show_default=True,
    help="Read inputs as HTML or plain text; auto uses the file name, then the content.",
)
@click.option("--encoding", metavar="LABEL", help="Decode inputs with this encoding instead of detecting it.")
@click.option(
    "--assets",
    default="inline",
    show_default=True,
    metavar="inline|none|link=URL",
    help="How the tooltip style and script reach the page: inlined once in <head>, left out (your site "
    "ships them: see 'gloss assets'), or a <link> to a stylesheet at URL.",
)
@click.option("--no-appendix", is_flag=True, help="Leave out the glossary section; terms then link to the entry's url, if any.")
@click.option(
    "--replace-foreign",
    is_flag=True,
    help="First remove the glossary markup of other tools (SPIP Couteau Suisse, WordPress Glossary, "
    "MediaWiki Lingo), keeping the terms, so their hidden definitions stop leaking.",
)
@click.option(
    "--page-url",
    metavar="URL",
    help="html: the address the page is published at; under a <base href> that points elsewhere, term "
    "links are made absolute from it (else they cannot link to the glossary, and gloss warns). One input only; "
    "a WARC's pages use their own URLs.",
)
@click.option(
    "--notes",
    type=click.Choice(["end", "section"]),
    default="end",
    show_default=True,
    help="terminal: print the footnotes at the end, or after each section.",
)
@click.option(
    "--pager/--no-pager",
    default=None,
    help="terminal: page the preview (default: only long previews on a terminal when GLOSS_PAGER or PAGER is set).",
)
@click.option(
    "--color/--no-color",
    default=None,
    help="terminal: colours on or off (default: on for a terminal, off when piped, with NO_COLOR or "
    "TERM=dumb; FORCE_COLOR forces them).",
)
@click.option(
    "--in-place",
    "in_place",
    is_flag=True,
    help="html: rewrite each INPUT file (atomically); --in-place=SUFFIX first keeps a copy named FILE+SUFFIX (--in-place=.orig).",
)
@click.option("--backup-suffix", hidden=True, default="", help="The SUFFIX of --in-place=SUFFIX.")
@click.option(
    "--check", is_flag=True, help="html: write nothing; exit 1 if annotating would change an INPUT file (for a site's CI)."
)
@click.option("--diff", is_flag=True, help="html: write nothing; print a unified diff of what annotating would change.")
@click.option(
    "-j", "--jobs", type=click.IntRange(1, 256), default=None, help="Batches: worker processes (default: the number of cores)."
)
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="Batches: run on local worker processes, or on a Dask cluster (--scheduler, or a local one of -j "
    "workers; pip install 'ptce_gloss[dask]'). The outputs are the same.",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    envvar="GLOSS_DASK_SCHEDULER",
    show_envvar=True,
    help="Batches with --engine dask: the scheduler of an existing cluster (tcp://HOST:8786).",
)
@click.option(
    "--partition-size",
    type=click.IntRange(1, 100_000),
    default=None,
    metavar="FILES",
    help="Batches: files per task sent to a worker (default 16 locally; on Dask 16 growing to 256).",
)
@click.option(
    "--include",
    "include",
    multiple=True,
    metavar="PATTERN",
    help="Batches: annotate files matching this glob (repeat; default *.html *.htm *.xhtml *.txt *.md; "
    "a WARC's pages match by their names, HOST/PATH.html).",
)
@click.option("--exclude", "exclude", multiple=True, metavar="PATTERN", help="Batches: leave out files matching this glob.")
@click.option(
    "--max-size",
    default="50M",
    show_default=True,
    metavar="SIZE",
    help="Batches: skip (and report) files larger than SIZE (bytes, or with K, M, G).",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False),
    metavar="FILE.json|FILE.csv",
    help="Batches: write a report per file and per entry (schema in the README).",
)
@click.option(
    "--changed-only",
    is_flag=True,
    help="Batches into a folder: skip files whose input and glossary are unchanged since the last run.",
)
@click.option(
    "-q",
    "--quiet",
    is_flag=True,
    help="Print nothing on stderr in batches: no progress bar, per-file errors or summary "
    "(the exit code still tells of failures; --report keeps the details).",
)
@click.option("--no-cache", is_flag=True, help="Compile the glossaries again instead of using the cache.")
def annotate(
    inputs: tuple[str, ...],
    output_format: str,
    output: str,
    glossaries: tuple[Path, ...],
    no_default: bool,
    occurrences: str,
    skip_more: tuple[str, ...],
    skip_less: tuple[str, ...],
    scope: str,
    input_format: str,
    encoding: str | None,
    assets: str,
    no_appendix: bool,
    replace_foreign: bool,
    page_url: str | None,
    notes: str,
    in_place: bool,
    backup_suffix: str,
    check: bool,
    diff: bool,
    jobs: int | None,
    engine: str,
    scheduler: str | None,
    partition_size: int | None,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    max_size: str,
    report_path: str | None,
    changed_only: bool,
    pager: bool | None,
    color: bool | None,
    quiet: bool,
    no_cache: bool,
) -> None:
    """Annotate glossary terms in INPUT (HTML or plain text; - for standard input).

    Writes the page with each term (the first occurrence of each, by default) made a
    link with an accessible tooltip definition, and a glossary section at the end;
    nothing else in the page changes, byte for byte. Plain text becomes a standalone
    HTML page. With --format json, reports the terms found in any number of inputs.

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
      gloss annotate --format json examples/*.html > matches.jsonl
      cat note.txt | gloss annotate --format terminal -
      gloss annotate archives/ -o annotated/ -j 4 --report report.json
      gloss annotate articles.zip -o annotated.zip
      gloss annotate crawl.warc.gz -o annotated.warc.gz --report report.json
      gloss annotate s3://bucket/site/ -o s3://bucket/site-gloss/ --engine dask
      gloss annotate --replace-foreign --assets link=/css/gloss.css old-spip-page.html
    """
    if no_default and not glossaries:
        raise click.UsageError("--no-default needs at least one -g/--glossary file")
    try:
        glossary, compiled = load_compiled(glossaries, include_default=not no_default, use_cache=not no_cache, on_warning=warn)
    except GlossaryError as exc:
        raise fail_on_glossary(exc) from None
    for problem in glossary.warnings:
        if problem.kind == "override":
            click.echo(str(problem), err=True)
    skip = (DEFAULT_SKIP | {t.lower() for t in skip_more}) - {t.lower() for t in skip_less}
    try:
        annotate_options = AnnotateOptions(occurrences, frozenset(skip), replace_foreign, scope)  # type: ignore[arg-type]
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--scope") from None
    annotator = Annotator(compiled, annotate_options)
    if not inputs:
        if sys.stdin.isatty():
            click.echo(click.get_current_context().get_help())
            return
        inputs = ("-",)
    kind = None if input_format == "auto" else input_format
    if page_url is not None and (len(inputs) != 1 or urlsplit(page_url).scheme not in ("http", "https", "file")):
        raise click.BadParameter("give one input and an absolute http(s) or file URL", param_hint="--page-url")
    if is_batch(inputs, output, in_place):
        if output_format != "html":
            raise click.UsageError("batches write annotated HTML: leave out --format")
        if page_url is not None:
            raise click.UsageError("--page-url names one page: a batch's pages each have their own address")
        try:
            html_options = HtmlOptions(assets, not no_appendix)
            size = parse_size(max_size)
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None
        sys.exit(
            batch_command(
                annotator,
                inputs,
                output,
                html_options,
                jobs or os.cpu_count() or 1,
                include,
                exclude,
                size,
                report_path,
                changed_only,
                in_place,
                backup_suffix,
                quiet,
                {"engine": engine, "scheduler": scheduler, "partition_size": partition_size},
            )
        )
    if output_format == "html":
        try:
            html_options = HtmlOptions(assets, not no_appendix, page_url)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--assets") from None
        mode = "check" if check else "diff" if diff else "in-place" if in_place else "write"
        if mode == "write" and len(inputs) != 1:
            raise click.UsageError(
                "--format html annotates one input at a time (or several with --in-place, "
                "--check or --diff); use --format json for a report on several"
            )
        if mode != "write" and ("-" in inputs or output != "-"):
            raise click.UsageError(f"--{mode} works on files: it takes neither - nor -o")
        codes = [
            annotate_one(annotator, name, output, kind, encoding, html_options, mode, backup_suffix, quiet) for name in inputs
        ]
        sys.exit(max(codes))
    if output_format == "terminal":
        if len(inputs) != 1:
            raise click.UsageError("--format terminal previews one input at a time")
        sys.exit(preview_one(annotator, inputs[0], output, kind, encoding, notes, pager, color, quiet))
    failures = 0
    with contextlib.ExitStack() as stack:
        target: Any = (
            sys.stdout if output == "-" else io.TextIOWrapper(stack.enter_context(atomic_writer(output)), encoding="utf-8")
        )
        for name in inputs:
            try:
                for piece in json_lines(annotator, name, kind, encoding):
                    target.write(piece)
                target.flush()
            except InputError as exc:
                click.echo(shown(f"Error: {exc}"), err=True)
                failures += 1
        target.flush()
        if output != "-":
            target.detach()
    if failures:
        sys.exit(1)
