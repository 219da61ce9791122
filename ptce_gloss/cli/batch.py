"""``gloss annotate`` on a batch: telling a batch, the --max-size value, the run with its progress bar, the summary."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any

import click

from ..annotate import Annotator
from ..errors import shown
from ..markup import HtmlOptions


def is_batch(inputs: Sequence[str], output: str, in_place: bool) -> bool:
    """Tell whether a run is a batch: a folder, archive or WARC in, or a folder, archive or WARC out."""
    from ..batch import is_archive
    from ..batch.remote import is_url, local
    from ..batch.warc import is_warc

    def many(name: str) -> bool:  # a URL is read and written by the batch machinery
        return is_url(name) or os.path.isdir(name) or is_archive(name) or is_warc(name)

    if any(many(local(name)) for name in inputs if name != "-"):
        return True
    return output != "-" and (many(local(output)) or output.endswith(("/", os.sep)))


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
    from rich.markup import escape

    from ..batch import DEFAULT_PATTERNS, BatchError, is_archive, measure_inputs, run_batch, write_report
    from ..batch.warc import is_warc
    from ..match.cache import fingerprint

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
        key = fingerprint(annotator.compiled.entries, annotator.options, options)
    stderr_terminal = sys.stderr.isatty() and not quiet
    progress_bar, task = None, None
    failures = done = 0

    def progress(file_report: Any, size: int) -> None:
        nonlocal failures, done
        failures += file_report.status == "failed"
        lines = [f"warning: {file_report.name}: {note}" for note in file_report.warnings] if not quiet else []
        if file_report.status == "failed" and not quiet and not stderr_terminal:
            click.echo(shown(f"Error: {file_report.name}: {file_report.error}"), err=True)
        if not stderr_terminal:
            for line in lines:
                click.echo(shown(line), err=True)
        if progress_bar is not None and task is not None:
            progress_bar.update(task, advance=size, files=done + 1, failures=failures)
            if file_report.status == "failed":
                progress_bar.console.print(
                    f"[red]failed[/red] {escape(shown(f'{file_report.name}: {file_report.error}'))}",
                    markup=True,
                    highlight=False,
                )
            for line in lines:
                progress_bar.console.print(escape(shown(line)), markup=True, highlight=False)
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
            in_place=in_place,
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
        raise click.ClickException(shown(str(exc))) from None
    for warning in report.warnings:
        click.echo(shown(f"warning: {warning}"), err=True)
    if report_path:
        try:
            write_report(report, report_path, [e.id for e in annotator.compiled.entries])
        except OSError as exc:
            raise click.ClickException(shown(f"{report_path}: cannot write the report: {exc.strerror or exc}")) from None
    if not quiet:
        _summary(report)
    return 1 if report.counts().get("failed") else 0


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
