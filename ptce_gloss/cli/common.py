"""What the gloss commands share: the glossary options, reading inputs, glossary errors as click errors."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar

import click

from ..atomic import write_atomically
from ..errors import GlossaryError, InputError

if TYPE_CHECKING:
    from ..glossary import Glossary

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
        help="A glossary file to add (YAML, or .csv, .tsv, .xlsx, .tbx, .ttl, .rdf); repeat to combine several, "
        "later ones replacing entries with the same id.",
    )(func)
    return func


def output_option(help: str = "Write there (atomically) instead of standard output.") -> Callable[[F], F]:
    """``-o/--output FILE``, standard output by default (``-``)."""
    return click.option("-o", "--output", default="-", type=click.Path(dir_okay=False, allow_dash=True), help=help)


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


def write_output(target: str, data: bytes) -> None:
    """Write ``data`` to standard output (``-``) or, atomically, to the file ``target``."""
    if target == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        write_atomically(target, data)


def fail_on_glossary(exc: GlossaryError) -> click.ClickException:
    """Turn a glossary error into a click error listing every problem, one per line."""
    lines = [str(d) for d in exc.diagnostics if d.severity == "error"]
    return click.ClickException("\n".join(lines) if len(lines) == 1 else "invalid glossary:\n  " + "\n  ".join(lines))


def open_glossary(paths: Sequence[Path], no_default: bool) -> Glossary:
    """Load the glossaries a command was given, as a click error when they are bad."""
    from ..glossary import load_glossaries

    if no_default and not paths:
        raise click.UsageError("--no-default needs at least one -g/--glossary file")
    try:
        return load_glossaries(paths, include_default=not no_default)
    except GlossaryError as exc:
        raise fail_on_glossary(exc) from None
