"""``gloss annotate`` on one document: write, rewrite, check or diff the page, its JSON record, its terminal preview."""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, BinaryIO

import click

from ..annotate import Annotator
from ..atomic import UnsafeTarget, atomic_writer, check_rewritable, write_atomically
from ..errors import InputError, shown
from ..html.document import decode, encode, kind_from_name, sniff_kind
from ..views.jsonl import document_record
from .common import open_input, read_input, write_output
from .options import Preview, Reading

if TYPE_CHECKING:
    from rich.console import Console

    from ..markup import HtmlOptions


def _annotate_text(
    annotator: Annotator, head: bytes, stream: BinaryIO, name: str, output: str, encoding: str | None, options: HtmlOptions
) -> int:
    """Annotate a plain text as an HTML page, reading and writing it in parts (bounded memory)."""
    from ..annotate.stream import parts, read_text, text_to_annotated_html

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


def json_lines(annotator: Annotator, name: str, kind: str | None, encoding: str | None) -> Iterator[str]:
    """The JSON Lines record of one input; plain text is read and reported in parts."""
    head, stream = open_input(name)
    with stream:
        kind = kind or kind_from_name(name) or sniff_kind(head[:4096].decode("latin-1"))
        if kind == "text":
            from ..annotate.stream import json_record, parts, read_text

            whatwg, pieces = read_text(head, stream, name, encoding)
            yield from json_record(annotator, parts(pieces), name, whatwg)
            return
        data = head + stream.read()
    document = decode(data, name, kind, encoding)  # type: ignore[arg-type]
    yield json.dumps(document_record(name, document, annotator.find(document)), ensure_ascii=False) + "\n"


def annotate_one(
    annotator: Annotator,
    name: str,
    output: str,
    reading: Reading,
    options: HtmlOptions,
    mode: str = "write",
    suffix: str = "",
    quiet: bool = False,
    output_format: str | None = None,
) -> int:
    """Annotate one input and write it, rewrite it, check it or diff it; return the exit code.

    ``output_format`` is ``html`` (a Markdown input becomes a page), ``markdown`` (only Markdown
    inputs) or None (each input as it came: HTML, Markdown, plain text made a page).

    ``mode`` is ``write`` (to ``output``), ``in-place`` (keeping a copy with ``suffix`` if
    given), ``check`` (1 if annotating would change the file) or ``diff`` (print a unified
    diff of what would change; 1 if anything would).
    """
    try:
        return _annotate_one_file(
            annotator, name, output, reading.kind, reading.encoding, options, mode, suffix, quiet, output_format
        )
    except OSError as exc:  # a write the file system refused: this input only, the others go on
        target = name if mode == "in-place" or output == "-" else output
        click.echo(shown(f"Error: {target}: cannot write: {exc.strerror or exc}"), err=True)
        return 1


def _annotate_one_file(
    annotator: Annotator,
    name: str,
    output: str,
    kind: str | None,
    encoding: str | None,
    options: HtmlOptions,
    mode: str,
    suffix: str,
    quiet: bool,
    output_format: str | None = None,
) -> int:
    if mode == "in-place":
        try:
            check_rewritable(name)
        except UnsafeTarget as exc:
            click.echo(shown(f"Error: {name}: {exc.strerror}"), err=True)
            return 1
        except OSError:
            pass  # missing or unreadable: open_input says so
    elif mode == "write" and output != "-" and name != "-" and _same_file(name, output):
        click.echo(shown(f"Error: {output}: is the input itself; use --in-place to rewrite it"), err=True)
        return 1
    try:
        head, stream = open_input(name)
        with stream:
            kind = kind or kind_from_name(name) or sniff_kind(head[:4096].decode("latin-1"))
            if kind == "text" and mode == "write":  # plain text is read, annotated and written in parts
                return _annotate_text(annotator, head, stream, name, output, encoding, options)
            original = head + stream.read()
        document = decode(original, name, kind, encoding)  # type: ignore[arg-type]
    except InputError as exc:
        click.echo(shown(f"Error: {exc}"), err=True)
        return 1
    if output_format == "markdown" and document.kind != "markdown":
        click.echo(shown(f"Error: {name}: is not Markdown; --format markdown writes Markdown inputs back"), err=True)
        return 1
    as_page = document.kind == "text" or (document.kind == "markdown" and output_format == "html")
    if as_page and mode == "in-place":
        what = "plain text" if document.kind == "text" else "Markdown"
        click.echo(shown(f"Error: {name}: {what} annotated in place would become HTML; use -o to write a page"), err=True)
        return 1
    if document.kind == "markdown" and as_page:
        from ..markup.markdown import markdown_page

        document = markdown_page(document)
    annotation = annotator.annotate_page(document, options)
    annotated = annotation.text
    if not quiet and mode != "check":
        for note in annotation.notes:
            click.echo(shown(f"warning: {name}: {note}"), err=True)
    if document.kind == "text":
        data = annotated.encode("utf-8")
    else:
        data = original if annotated == document.text and not as_page else encode(document, annotated)
    before = document.text if not as_page else original.decode("utf-8", "replace")
    return _deliver(name, output, mode, suffix, quiet, original, data, before, annotated)


def _deliver(
    name: str, output: str, mode: str, suffix: str, quiet: bool, original: bytes, data: bytes, before: str, after: str
) -> int:
    """Write, rewrite, check or diff one annotated input (``data``, from ``original``); return the exit code."""
    changed = data != original
    if mode == "check":
        if changed and not quiet:
            click.echo(shown(f"would annotate {name}"), err=True)
        return int(changed)
    if mode == "diff":
        if changed:
            import difflib  # only for --diff

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
    write_output(output, data)
    return 0


def _same_file(first: str, second: str) -> bool:
    try:
        return os.path.samefile(first, second)
    except OSError:
        return False


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


def preview_one(
    annotator: Annotator,
    name: str,
    output: str,
    reading: Reading,
    preview: Preview,
    quiet: bool,
) -> int:
    """Print the terminal preview of one input; return the exit code."""
    from ..views.preview import print_preview, render_preview
    from ..views.textview import html_blocks, text_blocks

    try:
        document = decode(read_input(name), name, reading.kind, reading.encoding)  # type: ignore[arg-type]
    except InputError as exc:
        click.echo(shown(f"Error: {exc}"), err=True)
        return 1
    notes, pager, color = preview.notes, preview.pager, preview.color
    document = annotator.prepare(document)  # what the annotated page and the JSON report read
    if document.kind == "markdown":  # read on its shadow page, where its prose is HTML
        read = annotator.read_markdown(document)
        matches = read.matches
        blocks = html_blocks(read.shadow.text, read.found)
    else:
        matches = annotator.find(document)
        blocks = html_blocks(document.text, matches) if document.kind == "html" else text_blocks(document.text, matches)
    console = _console(output, color)
    pager_command = os.environ.get("GLOSS_PAGER") or os.environ.get("PAGER")
    if output == "-" and console.is_terminal and (pager or (pager is None and pager_command)):
        text = render_preview(blocks, matches, console, notes)
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
        counts = f"{terms} term{'s' * (terms != 1)}, {len(matches)} occurrence{'s' * (len(matches) != 1)}"
        click.echo(shown(f"{name}: {counts}"), err=True)
    return 0


def _page(text: str, command: str) -> None:
    """Show ``text`` through a pager; print it if the pager cannot run."""
    import subprocess

    args, env = pager_invocation(command, os.environ)
    try:
        subprocess.run(args, input=text.encode("utf-8"), check=False, env=env)
    except (OSError, ValueError):
        sys.stdout.write(text)


def pager_invocation(command: str, environ: Mapping[str, str]) -> tuple[list[str], dict[str, str]]:
    """The arguments and environment to run the pager ``command`` with, so that it shows colours
    rather than their escape codes: ``less`` gets ``LESS=FRX`` when LESS is unset (as git does) and
    ``-R`` when LESS is set without R or r; other pagers run as they are."""
    import shlex

    args = shlex.split(command)
    env = dict(environ)
    if args and os.path.basename(args[0]) == "less":
        if "LESS" not in env:
            env["LESS"] = "FRX"
        elif not {"R", "r"} & set(env["LESS"]) and not any(a in ("-R", "-r", "--RAW-CONTROL-CHARS") for a in args[1:]):
            args.append("-R")
    return args, env
