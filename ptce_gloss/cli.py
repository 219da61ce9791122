"""The ``gloss`` command line: a thin click layer over the library."""

from __future__ import annotations

import contextlib
import difflib
import io
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar

import click

from . import __version__
from .annotate import Annotator
from .atomic import atomic_writer, write_atomically
from .cache import load_compiled
from .config import ConfigError, default_map
from .document import decode, encode, kind_from_name, sniff_kind
from .errors import Diagnostic, GlossaryError, InputError
from .explore import entry_record, filter_entries, plain_entry, plain_line, suggest_id
from .foreign import remove_foreign
from .glossary import Glossary, combine_glossaries, default_glossary_path, load_glossaries, load_glossary
from .jsonl import document_record
from .markup import HtmlOptions, strip_gloss
from .matcher import compile_glossary
from .options import OCCURRENCES, AnnotateOptions
from .zones import DEFAULT_SKIP

if TYPE_CHECKING:
    from rich.console import Console

F = TypeVar("F", bound=Callable[..., Any])


def glossary_options(func: F) -> F:
    """Add ``-g/--glossary`` and ``--no-default`` to a command."""
    func = click.option(
        "--no-default",
        is_flag=True,
        help="Leave out the bundled ESS glossary (use only the -g files).",
    )(func)
    func = click.option(
        "-g",
        "--glossary",
        "glossaries",
        multiple=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="A glossary YAML file to add; repeat to combine several, later ones replacing entries with the same id.",
    )(func)
    return func


def open_input(name: str) -> tuple[bytes, BinaryIO]:
    """Open an input (``-`` for standard input) and read its first 64 KiB.

    Raises:
        InputError: the file cannot be opened or read, naming it and the reason.
    """
    try:
        stream: BinaryIO = sys.stdin.buffer if name == "-" else open(name, "rb")  # noqa: SIM115 - closed by the caller
        return stream.read(65536), stream
    except OSError as exc:
        raise InputError(f"{name}: cannot read: {exc.strerror or exc}") from None


def _annotate_text(
    annotator: Annotator, head: bytes, stream: BinaryIO, name: str, output: str, encoding: str | None, options: HtmlOptions
) -> int:
    """Annotate a plain text as an HTML page, reading and writing it in parts (bounded memory)."""
    from .stream import parts, read_text, text_to_annotated_html

    _, pieces = read_text(head, stream, name, encoding)
    chunks = text_to_annotated_html(annotator, parts(pieces), name, options)
    if output == "-":
        for chunk in chunks:
            sys.stdout.buffer.write(chunk.encode("utf-8", "surrogateescape"))
        sys.stdout.flush()
    else:
        with atomic_writer(output) as handle:
            for chunk in chunks:
                handle.write(chunk.encode("utf-8", "surrogateescape"))
    return 0


def read_input(name: str) -> bytes:
    """Read an input's bytes: a file, or standard input for ``-``.

    Raises:
        InputError: the file cannot be read, naming it and the reason.
    """
    if name == "-":
        return sys.stdin.buffer.read()
    try:
        with open(name, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise InputError(f"{name}: cannot read: {exc.strerror or exc}") from None


def fail_on_glossary(exc: GlossaryError) -> click.ClickException:
    """Turn a glossary error into a click error listing every problem, one per line."""
    lines = [str(d) for d in exc.diagnostics if d.severity == "error"]
    return click.ClickException("\n".join(lines) if len(lines) == 1 else "invalid glossary:\n  " + "\n  ".join(lines))


def open_glossary(paths: Sequence[Path], no_default: bool) -> Glossary:
    """Load the glossaries a command was given, as a click error when they are bad."""
    if no_default and not paths:
        raise click.UsageError("--no-default needs at least one -g/--glossary file")
    try:
        return load_glossaries(paths, include_default=not no_default)
    except GlossaryError as exc:
        raise fail_on_glossary(exc) from None


class GlossGroup(click.Group):
    """The gloss command group: Ctrl-C exits with status 130 and no traceback."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # --in-place[=SUFFIX]: the suffix only ever comes after '=', so FILE after --in-place stays a FILE.
        expanded: list[str] = []
        for arg in args:
            if arg.startswith("--in-place="):
                expanded += ["--in-place", "--backup-suffix", arg.split("=", 1)[1]]
            else:
                expanded.append(arg)
        return super().parse_args(ctx, expanded)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("", err=True)
            ctx.exit(130)


@click.group(
    cls=GlossGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100, "auto_envvar_prefix": "GLOSS"},
)
@click.version_option(__version__, "-V", "--version", prog_name="gloss")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Read options from this TOML file instead of the project's gloss.toml or pyproject.toml [tool.gloss].",
)
@click.option("--no-config", is_flag=True, help="Read no configuration file.")
@click.pass_context
def main(ctx: click.Context, config_path: Path | None, no_config: bool) -> None:
    """Annotate French texts of the social and solidarity economy (ESS) with glossary tooltips.

    gloss finds glossary terms as French readers write them (l'ESS, pôles territoriaux,
    COOPÉRATIVES…) in HTML or plain text. It ships with a glossary of the ESS and reads
    glossaries of your own written in YAML.

    Options come, in order of precedence, from the command line, from environment
    variables (GLOSS_<COMMAND>_<OPTION>, e.g. GLOSS_ANNOTATE_OCCURRENCES=all), from
    gloss.toml or [tool.gloss] in pyproject.toml (found upward from the current
    folder), and from $XDG_CONFIG_HOME/gloss/config.toml.

    Exit codes: 0 success, 1 error (bad input or glossary), 2 usage error,
    130 interrupted.

    \b
    Examples:
      gloss terms coopérative
      gloss check mon-glossaire.yaml
    """
    options = {
        name: {
            flag.lstrip("-"): param.name
            for param in command.params
            if isinstance(param, click.Option) and param.name
            for flag in param.opts
            if flag.startswith("--")
        }
        for name, command in main.commands.items()
    }
    try:
        ctx.default_map = default_map(options, config_path, not no_config)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


@main.command()
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


@main.command()
@click.argument("query", required=False)
@glossary_options
@click.option("-t", "--tag", "tags", multiple=True, help="Only entries with this tag (repeat to require several).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of entries (schema in the README).")
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

            from .preview import print_entry

            print_entry(entry, Console())
        else:
            click.echo(plain_entry(entry))
        return
    entries = filter_entries(glossary, query, tags)
    if as_json:
        click.echo(json.dumps([entry_record(e) for e in entries], ensure_ascii=False, indent=2))
    elif sys.stdout.isatty():
        from rich.console import Console

        from .preview import print_terms_table

        print_terms_table(entries, Console(), title=f"{len(entries)} of {len(glossary)} entries")
    else:
        for entry in entries:
            click.echo(plain_line(entry))
    if not entries:
        click.echo("no entry matches", err=True)
        sys.exit(1)


@main.command()
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
    input_format: str,
    encoding: str | None,
    assets: str,
    no_appendix: bool,
    replace_foreign: bool,
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
        _, compiled = load_compiled(glossaries, include_default=not no_default, use_cache=not no_cache)
    except GlossaryError as exc:
        raise fail_on_glossary(exc) from None
    skip = (DEFAULT_SKIP | {t.lower() for t in skip_more}) - {t.lower() for t in skip_less}
    annotator = Annotator(compiled, AnnotateOptions(occurrences, frozenset(skip)))  # type: ignore[arg-type]
    if not inputs:
        if sys.stdin.isatty():
            click.echo(click.get_current_context().get_help())
            return
        inputs = ("-",)
    kind = None if input_format == "auto" else input_format
    if _is_batch(inputs, output, in_place):
        if output_format != "html":
            raise click.UsageError("batches write annotated HTML: leave out --format")
        try:
            html_options = HtmlOptions(assets, not no_appendix)
            size = _size(max_size)
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None
        sys.exit(
            _batch(
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
            html_options = HtmlOptions(assets, not no_appendix)
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
            _annotate_one(annotator, name, output, kind, encoding, html_options, replace_foreign, mode, backup_suffix, quiet)
            for name in inputs
        ]
        sys.exit(max(codes))
    if output_format == "terminal":
        if len(inputs) != 1:
            raise click.UsageError("--format terminal previews one input at a time")
        sys.exit(_preview_one(annotator, inputs[0], output, kind, encoding, notes, pager, color, quiet))
    failures = 0
    with contextlib.ExitStack() as stack:
        target: Any = (
            sys.stdout if output == "-" else io.TextIOWrapper(stack.enter_context(atomic_writer(output)), encoding="utf-8")
        )
        for name in inputs:
            try:
                for piece in _json_lines(annotator, name, kind, encoding):
                    target.write(piece)
                target.flush()
            except InputError as exc:
                click.echo(f"Error: {exc}", err=True)
                failures += 1
        target.flush()
        if output != "-":
            target.detach()
    if failures:
        sys.exit(1)


def _json_lines(annotator: Annotator, name: str, kind: str | None, encoding: str | None) -> Iterator[str]:
    """The JSON Lines record of one input; plain text is read and reported in parts."""
    from .stream import json_record, parts, read_text

    head, stream = open_input(name)
    with stream:
        kind = kind or kind_from_name(name) or sniff_kind(head[:4096].decode("latin-1"))
        if kind == "text":
            whatwg, pieces = read_text(head, stream, name, encoding)
            yield from json_record(annotator, parts(pieces), name, whatwg)
            return
        data = head + stream.read()
    document = decode(data, name, kind, encoding)  # type: ignore[arg-type]
    yield json.dumps(document_record(name, document, annotator.find(document)), ensure_ascii=False) + "\n"


def _annotate_one(
    annotator: Annotator,
    name: str,
    output: str,
    kind: str | None,
    encoding: str | None,
    options: HtmlOptions,
    replace_foreign: bool,
    mode: str = "write",
    suffix: str = "",
    quiet: bool = False,
) -> int:
    """Annotate one input as HTML and write it, rewrite it, check it or diff it; return the exit code.

    ``mode`` is ``write`` (to ``output``), ``in-place`` (keeping a copy with ``suffix`` if
    given), ``check`` (1 if annotating would change the file) or ``diff`` (print a unified
    diff of what would change; 1 if anything would).
    """
    try:
        head, stream = open_input(name)
        with stream:
            kind = kind or kind_from_name(name) or sniff_kind(head[:4096].decode("latin-1"))
            if kind == "text" and mode == "write":  # plain text is read, annotated and written in parts
                return _annotate_text(annotator, head, stream, name, output, encoding, options)
            original = head + stream.read()
        document = decode(original, name, kind, encoding)  # type: ignore[arg-type]
    except InputError as exc:
        click.echo(f"Error: {exc}", err=True)
        return 1
    if document.kind != "html" and mode == "in-place":
        click.echo(f"Error: {name}: plain text annotated in place would become HTML; use -o to write a page", err=True)
        return 1
    if replace_foreign and document.kind == "html":
        document = replace(document, text=remove_foreign(document.text))
    annotated = annotator.annotate(document, options)
    if document.kind != "html":
        data = annotated.encode("utf-8")
    else:
        data = original if annotated == document.text and not replace_foreign else encode(document, annotated)
    changed = data != original
    if mode == "check":
        if changed and not quiet:
            click.echo(f"would annotate {name}", err=True)
        return int(changed)
    if mode == "diff":
        if changed:
            before = document.text if document.kind == "html" else original.decode("utf-8", "replace")
            after = annotated
            click.echo(
                "".join(difflib.unified_diff(before.splitlines(True), after.splitlines(True), f"{name}", f"{name} (annotated)")),
                nl=False,
            )
        return int(changed)
    if mode == "in-place":
        if changed:
            if suffix:
                write_atomically(name + suffix, original)
            write_atomically(name, data)
        return 0
    if output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        write_atomically(output, data)
    return 0


@main.command()
@click.argument("input_file", metavar="FILE", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    default="-",
    help="Write there (atomically) instead of standard output.",
)
@click.option("--in-place", is_flag=True, help="Rewrite FILE itself (atomically).")
def strip(input_file: str, output: str, in_place: bool) -> None:
    """Remove everything gloss inserted in an annotated page, giving back the original bytes.

    \b
    Examples:
      gloss strip page.gloss.html -o page.html
      gloss strip --in-place page.html
    """
    if in_place and (input_file == "-" or output != "-"):
        raise click.UsageError("--in-place rewrites FILE itself: it takes neither - nor -o")
    try:
        document = decode(read_input(input_file), input_file, "html")
    except InputError as exc:
        raise click.ClickException(str(exc)) from None
    data = encode(document, strip_gloss(document.text))
    target = input_file if in_place else output
    if target == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        write_atomically(target, data)


def _console(output: str, color: bool | None) -> Console:
    """A rich console for the preview: styled on a terminal, plain when piped, as the user asked."""
    from rich.console import Console

    stream = sys.stdout if output == "-" else io.StringIO()
    terminal = stream.isatty() if output == "-" else False
    if color is None:
        color = terminal and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
        color = color or bool(os.environ.get("FORCE_COLOR"))
    width = None if terminal else 100_000  # piped: one line per paragraph, left for the reader to wrap
    return Console(
        file=stream,
        force_terminal=color,
        no_color=not color,
        width=width,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=False,
        color_system="auto" if color else None,
    )


def _preview_one(
    annotator: Annotator,
    name: str,
    output: str,
    kind: str | None,
    encoding: str | None,
    notes: str,
    pager: bool | None,
    color: bool | None,
    quiet: bool,
) -> int:
    """Print the terminal preview of one input; return the exit code."""
    from .preview import print_preview
    from .textview import html_blocks, text_blocks

    try:
        document = decode(read_input(name), name, kind, encoding)  # type: ignore[arg-type]
    except InputError as exc:
        click.echo(f"Error: {exc}", err=True)
        return 1
    matches = annotator.find(document)
    blocks = html_blocks(document.text, matches) if document.kind == "html" else text_blocks(document.text, matches)
    console = _console(output, color)
    pager_command = os.environ.get("GLOSS_PAGER") or os.environ.get("PAGER")
    if output == "-" and console.is_terminal and (pager or (pager is None and pager_command)):
        with console.capture() as capture:
            print_preview(blocks, matches, console, notes)
        text = capture.get()
        if pager or text.count("\n") > console.height:
            _page(text, pager_command or "less -R")
        else:
            console.file.write(text)
    else:
        print_preview(blocks, matches, console, notes)
    if output != "-":
        write_atomically(output, console.file.getvalue().encode("utf-8"))  # type: ignore[attr-defined]
    if not quiet:
        terms = len({m.entry.id for m in matches})
        click.echo(f"{name}: {terms} term{'s' * (terms != 1)}, {len(matches)} occurrence{'s' * (len(matches) != 1)}", err=True)
    return 0


def _page(text: str, command: str) -> None:
    """Show ``text`` through a pager; print it if the pager cannot run."""
    import shlex
    import subprocess

    try:
        subprocess.run(shlex.split(command), input=text.encode("utf-8"), check=False)
    except OSError:
        sys.stdout.write(text)


@main.command()
@click.argument("folder", default=".", type=click.Path(file_okay=False, path_type=Path))
def assets(folder: Path) -> None:
    """Write the tooltip stylesheet and script (gloss.css, gloss.js) into FOLDER, for --assets none or link=URL.

    \b
    Examples:
      gloss assets static/
      gloss annotate --assets link=/static/gloss.css page.html -o page.gloss.html
    """
    from .markup import asset

    folder.mkdir(parents=True, exist_ok=True)
    for name in ("gloss.css", "gloss.js"):
        write_atomically(folder / name, asset(name).encode("ascii"))
        click.echo(str(folder / name))


@main.command()
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def completion(shell: str) -> None:
    """Print the shell completion script for SHELL.

    \b
    Examples:
      gloss completion bash > ~/.local/share/bash-completion/completions/gloss
      gloss completion zsh > "${fpath[1]}/_gloss"
      gloss completion fish > ~/.config/fish/completions/gloss.fish
    """
    from click.shell_completion import get_completion_class

    completer = get_completion_class(shell)
    assert completer is not None
    click.echo(completer(main, {}, "gloss", "_GLOSS_COMPLETE").source())


for _command in main.commands.values():
    for _param in _command.params:
        if isinstance(_param, click.Option):
            _param.show_envvar = True


def _is_batch(inputs: Sequence[str], output: str, in_place: bool) -> bool:
    """Tell whether a run is a batch: a folder, archive or WARC in, or a folder, archive or WARC out."""
    from .batch import is_archive
    from .remote import is_url, local
    from .warc import is_warc

    def many(name: str) -> bool:  # a URL is read and written by the batch machinery
        return is_url(name) or os.path.isdir(name) or is_archive(name) or is_warc(name)

    if any(many(local(name)) for name in inputs if name != "-"):
        return True
    return output != "-" and (many(local(output)) or output.endswith(("/", os.sep)))


def _size(text: str) -> int:
    units = {"K": 1024, "M": 1024**2, "G": 1024**3}
    text = text.strip().upper().rstrip("B")
    if text and text[-1] in units:
        return int(float(text[:-1]) * units[text[-1]])
    if not text.isdigit():
        raise ValueError(f"--max-size takes a size such as 50M, not {text!r}")
    return int(text)


def _batch(
    annotator: Annotator,
    inputs: Sequence[str],
    output: str,
    options: HtmlOptions,
    jobs: int,
    include: Sequence[str],
    exclude: Sequence[str],
    max_size: int,
    report_path: str | None,
    changed_only: bool,
    in_place: bool,
    backup_suffix: str,
    quiet: bool,
    engine_options: dict[str, Any] | None = None,
) -> int:
    """Run a batch with a progress bar on a terminal and a summary at the end; return the exit code."""
    import hashlib
    import pickle

    from rich.markup import escape

    from .batch import DEFAULT_PATTERNS, BatchError, is_archive, measure_inputs, run_batch, write_report
    from .errors import shown
    from .warc import is_warc

    if in_place:
        if len(inputs) != 1 or not os.path.isdir(inputs[0]) or output != "-":
            raise click.UsageError("--in-place rewrites one folder: give it alone, without -o")
        output = inputs[0]
    elif output == "-":
        raise click.UsageError(
            "a batch needs -o FOLDER, -o ARCHIVE (.zip, .tar, .tar.gz, .tar.bz2, .tar.xz) or -o WARC (.warc, .warc.gz)"
        )
    if changed_only and (is_archive(output) or is_warc(output)):
        raise click.UsageError("--changed-only needs an output folder: an output archive or WARC is written whole each time")
    key = None
    if changed_only:
        key = hashlib.sha256(pickle.dumps((annotator.compiled.entries, annotator.options, options))).hexdigest()
    stderr_terminal = sys.stderr.isatty() and not quiet
    progress_bar, task = None, None
    failures = done = 0

    def progress(file_report: Any, size: int) -> None:
        nonlocal failures, done
        failures += file_report.status == "failed"
        if file_report.status == "failed" and not quiet and not stderr_terminal:
            click.echo(shown(f"Error: {file_report.name}: {file_report.error}"), err=True)
        if progress_bar is not None and task is not None:
            progress_bar.update(task, advance=size, files=done + 1, failures=failures)
            if file_report.status == "failed":
                progress_bar.console.print(
                    f"[red]failed[/red] {escape(shown(f'{file_report.name}: {file_report.error}'))}",
                    markup=True,
                    highlight=False,
                )
        done += 1

    patterns = include or DEFAULT_PATTERNS

    def run() -> Any:
        return run_batch(
            annotator,
            inputs,
            output,
            options,
            jobs,
            patterns,
            exclude,
            max_size,
            progress,
            key,
            backup_suffix=backup_suffix if in_place else "",
            **(engine_options or {}),
        )

    try:
        if stderr_terminal:
            from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeRemainingColumn, TransferSpeedColumn

            measured = measure_inputs(inputs, patterns, exclude)
            total_files, total = measured if measured is not None else (None, None)
            progress_bar = Progress(
                SpinnerColumn(),
                TextColumn("{task.fields[files]}" + (f"/{total_files:,}" if total_files is not None else "") + " files"),
                BarColumn(),
                TransferSpeedColumn(),
                TimeRemainingColumn(),
                TextColumn("[red]{task.fields[failures]} failed"),
                transient=True,
            )
            with progress_bar:
                task = progress_bar.add_task("annotate", total=total or None, files=0, failures=0)
                report = run()
        else:
            report = run()
    except BatchError as exc:
        raise click.ClickException(str(exc)) from None
    if report_path:
        write_report(report, report_path, [e.id for e in annotator.compiled.entries])
    if not quiet:
        _summary(report)
    return 1 if report.counts().get("failed") else 0


def _summary(report: Any) -> None:
    """Print the batch's summary table on stderr."""
    from rich.console import Console
    from rich.table import Table

    counts = report.counts()
    entries = report.entries()
    table = Table(title="gloss annotate", show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column(justify="right")
    for label, value in (
        ("files read", report.total),
        ("annotated", counts.get("annotated", 0)),
        ("unchanged", counts.get("unchanged", 0)),
        ("skipped", counts.get("skipped", 0)),
        ("failed", counts.get("failed", 0)),
        ("occurrences", sum(e["occurrences"] for e in entries.values())),
    ):
        table.add_row(label, f"{value:,}")
    top = sorted(entries.items(), key=lambda item: (-item[1]["occurrences"], item[0]))[:10]
    if top:
        table.add_row("most frequent", ", ".join(f"{entry_id} ({e['occurrences']:,})" for entry_id, e in top))
    Console(stderr=True, highlight=False).print(table)
