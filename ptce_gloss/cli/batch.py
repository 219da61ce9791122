"""``gloss annotate`` on a batch: telling a batch, the --max-size value, the run with its progress bar, the summary."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..annotate import Annotator
from ..errors import shown
from .options import Batching, Rewriting, Site

if TYPE_CHECKING:
    from ..markup import HtmlOptions


def is_batch(inputs: Sequence[str], output: str, in_place: bool) -> bool:
    """Tell whether a run is a batch: a folder, archive or WARC in, or a folder, archive or WARC out."""
    from ..batch.kinds import is_archive, is_url, is_warc, local

    def many(name: str) -> bool:  # a URL is read and written by the batch machinery
        return is_url(name) or os.path.isdir(name) or is_archive(name) or is_warc(name)

    if any(many(local(name)) for name in inputs if name != "-"):
        return True
    return output != "-" and (many(local(output)) or output.endswith(("/", os.sep)))


def files_to_compare(inputs: Sequence[str], batching: Batching) -> tuple[list[str], list[str]]:
    """For ``--check`` and ``--diff``, which write nothing: the files of each folder among ``inputs``
    that a batch would rewrite in place (``--include``, ``--exclude``, ``--max-size``), in the batch's
    order, to be compared one by one as files given alone are, and the ``NAME: reason`` of those it
    would refuse.  Plain texts are left out, as a batch does not rewrite them in place (they would
    become pages).  Archives, WARCs and URLs are refused: they are not rewritten in place either.

    Raises:
        click.UsageError: an input is an archive, a WARC or a URL.
    """
    from ..batch.inputs import DEFAULT_PATTERNS, read_directory
    from ..batch.kinds import is_archive, is_url, is_warc, local
    from ..html.document import kind_from_name

    max_size = _max_size(batching)
    files: list[str] = []
    refused: list[str] = []
    for name in inputs:
        if is_url(local(name)) or is_archive(name) or is_warc(name):
            raise click.UsageError(f"{name}: --check and --diff compare files and folders with their annotation, not archives")
        if not os.path.isdir(name):
            files.append(name)
            continue
        for item in read_directory(Path(name), batching.include or DEFAULT_PATTERNS, batching.exclude, max_size, defer=True):
            path = os.path.join(name, *item.name.split("/"))
            if item.error is not None:
                refused.append(f"{path}: {item.error}")
            elif kind_from_name(item.name) != "text":
                files.append(path)
    return files, refused


def _max_size(batching: Batching) -> int:
    try:
        return parse_size(batching.max_size)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def parse_size(text: str) -> int:
    units = {"K": 1024, "M": 1024**2, "G": 1024**3}
    text = text.strip().upper().rstrip("B")
    if text and text[-1] in units:
        return int(float(text[:-1]) * units[text[-1]])
    if not text.isdigit():
        raise ValueError(f"--max-size takes a size such as 50M, not {text!r}")
    return int(text)


def batch_command(
    annotator: Annotator,
    inputs: Sequence[str],
    output: str,
    options: HtmlOptions,
    batching: Batching,
    rewriting: Rewriting,
    quiet: bool,
    site: Site | None = None,
) -> int:
    """Run a batch with a progress bar on a terminal and a summary at the end; return the exit code."""
    from ..batch import DEFAULT_PATTERNS, BatchError, run_batch, write_report
    from ..match.cache import fingerprint

    max_size = _max_size(batching)
    output = _batch_output(inputs, output, rewriting.in_place, batching.changed_only)
    key = fingerprint(annotator.compiled.entries, annotator.options, options) if batching.changed_only else None
    patterns = batching.include or DEFAULT_PATTERNS
    index = _index_options(site, inputs, output, rewriting) if site is not None else None
    exclude = batching.exclude
    if index is not None and rewriting.in_place:
        import glob  # only for --index

        exclude = (*exclude, glob.escape(index.name))  # the page of the last run, proven gloss's: not a page to annotate
    shown_progress = _Progress(quiet)

    def run() -> Any:
        return run_batch(
            annotator,
            inputs,
            output,
            options,
            batching.jobs or 0,  # by default, one per core (none for a small batch)
            patterns,
            exclude,
            max_size,
            shown_progress.file_done,
            key,
            backup_suffix=rewriting.backup_suffix if rewriting.in_place else "",
            in_place=rewriting.in_place,
            engine=batching.engine,
            scheduler=batching.scheduler,
            partition_size=batching.partition_size,
            index=index,
        )

    try:
        report = shown_progress.run(run, inputs, patterns, batching.exclude)
    except BatchError as exc:
        raise click.ClickException(shown(str(exc))) from None
    for warning in report.warnings:
        click.echo(shown(f"warning: {warning}"), err=True)
    if batching.report_path:
        try:
            write_report(report, batching.report_path, [e.id for e in annotator.compiled.entries])
        except OSError as exc:
            why = exc.strerror or exc
            raise click.ClickException(shown(f"{batching.report_path}: cannot write the report: {why}")) from None
    if not quiet:
        _summary(report)
    return 1 if report.counts().get("failed") else 0


def _index_options(site: Site, inputs: Sequence[str], output: str, rewriting: Rewriting) -> Any:
    """The ``--index`` page's options, its name checked: a relative path inside the output, an HTML
    page, replacing no input (in place: only the page a last run wrote, unedited), its template valid."""
    if site.index_name is None:
        if site.index_template is not None:
            raise click.UsageError("--index-template writes the --index page: give --index NAME too")
        return None
    from ..batch import BatchError, safe_name
    from ..batch.index import IndexOptions, check_template, is_signed_page
    from ..batch.kinds import is_url, is_warc, local

    name = safe_name(site.index_name.replace(os.sep, "/"))
    if name is None or not name.lower().endswith((".html", ".htm", ".md", ".markdown")):
        raise click.BadParameter(
            f"{site.index_name!r}: give the page's path inside the output, ending in .html (glossaire.html) or .md",
            param_hint="--index",
        )
    if is_warc(output) or is_url(local(output)):
        raise click.UsageError("--index writes into an output folder or archive (not a WARC, nor a URL)")
    if rewriting.mode in ("check", "diff"):
        raise click.UsageError(f"--index writes a page: not with --{rewriting.mode}")
    for folder in inputs:
        path = os.path.join(folder, *name.split("/"))
        if not os.path.isdir(folder) or not os.path.lexists(path):
            continue
        if not rewriting.in_place:
            raise click.UsageError(f"--index {name}: {path} is one of the inputs; choose another name for the page")
        try:
            ours = not os.path.islink(path) and os.path.isfile(path) and is_signed_page(Path(path).read_bytes())
        except OSError:
            ours = False
        if not ours:
            raise click.UsageError(
                f"--index {name}: {path} exists and is not a glossary page gloss wrote (or it was edited since); "
                "choose another name for the page"
            )
    if site.index_template is not None:
        try:
            check_template(site.index_template)
        except BatchError as exc:
            raise click.ClickException(shown(str(exc))) from None
    return IndexOptions(name=name, template=site.index_template, most=site.index_pages, every_entry=site.index_all)


def _batch_output(inputs: Sequence[str], output: str, in_place: bool, changed_only: bool) -> str:
    """Where a batch writes: ``-o``, or the folder itself with ``--in-place``."""
    from ..batch.kinds import is_archive, is_warc

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
    return output


class _Progress:
    """What a batch shows on stderr as it runs: a progress bar on a terminal (with failures and warnings
    printed above it), else one line per failure and warning; nothing when quiet."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.terminal = sys.stderr.isatty() and not quiet
        self.bar: Any = None
        self.task: Any = None
        self.failures = self.done = 0

    def file_done(self, file_report: Any, size: int) -> None:
        self.failures += file_report.status == "failed"
        lines = [f"warning: {file_report.name}: {note}" for note in file_report.warnings] if not self.quiet else []
        failure = shown(f"{file_report.name}: {file_report.error}") if file_report.status == "failed" else None
        if self.bar is None:
            if failure is not None and not self.quiet:
                click.echo(f"Error: {failure}", err=True)
            for line in lines:
                click.echo(shown(line), err=True)
        else:
            from rich.markup import escape  # rich only under the bar: 20 ms to import

            self.bar.update(self.task, advance=size, files=self.done + 1, failures=self.failures)
            if failure is not None:
                self.bar.console.print(f"[red]failed[/red] {escape(failure)}", markup=True, highlight=False)
            for line in lines:
                self.bar.console.print(escape(shown(line)), markup=True, highlight=False)
        self.done += 1

    def run(self, run: Any, inputs: Sequence[str], patterns: Sequence[str], exclude: Sequence[str]) -> Any:
        """Call ``run()`` under the progress bar, on a terminal."""
        if not self.terminal:
            return run()
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeRemainingColumn, TransferSpeedColumn

        from ..batch import measure_inputs

        measured = measure_inputs(inputs, patterns, exclude)
        total_files, total = measured if measured is not None else (None, None)
        self.bar = Progress(
            SpinnerColumn(),
            TextColumn("{task.fields[files]}" + (f"/{total_files:,}" if total_files is not None else "") + " files"),
            BarColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            TextColumn("[red]{task.fields[failures]} failed"),
            transient=True,
        )
        with self.bar:
            self.task = self.bar.add_task("annotate", total=total or None, files=0, failures=0)
            return run()


def _summary(report: Any) -> None:
    """Print the batch's summary table on stderr."""
    from rich.console import Console
    from rich.markup import escape
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
        table.add_row("most frequent", escape(shown(", ".join(f"{entry_id} ({e['occurrences']:,})" for entry_id, e in top))))
    Console(stderr=True, highlight=False).print(table)
