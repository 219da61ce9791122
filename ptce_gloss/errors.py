"""The exceptions ptce_gloss raises, and the diagnostics a glossary check produces."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in a glossary file, located to the character."""

    path: str
    """The file as the user named it (or ``<string>`` for text)."""
    line: int
    """1-based line; 0 when the problem concerns the whole file."""
    column: int
    """1-based column; 0 when unknown."""
    message: str
    """What is wrong and how to fix it."""
    severity: Severity = "error"
    """``error`` makes the glossary unusable; ``warning`` does not."""
    kind: str = ""
    """A name for warnings that commands other than ``gloss check`` also show (``override``)."""

    def __str__(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        return shown(f"{where}: {self.severity}: {self.message}")  # a glossary's text may hold escape codes


class GlossError(Exception):
    """Base class of every error ptce_gloss raises on bad input."""


class GlossaryError(GlossError):
    """A glossary cannot be used; ``diagnostics`` lists every problem found."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        errors = [d for d in diagnostics if d.severity == "error"] or diagnostics
        super().__init__("\n".join(str(d) for d in errors))


class InputError(GlossError):
    """An input document cannot be read or decoded."""


class BatchError(GlossError):
    """A batch cannot run at all (bad output, unreadable archive)."""


def shown(text: str) -> str:
    """``text`` safe to print on one line: control, format (bidi) and other unprintable characters
    become ``\\xNN``/``\\uNNNN`` escapes, so that a hostile file name cannot break or disguise a message."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def printable(text: str) -> str:
    """``text`` safe to print as it is, on several lines: like :func:`shown`, but line breaks and
    tabs stay what they are."""
    return "\n".join("\t".join(shown(cell) for cell in line.split("\t")) for line in text.split("\n"))


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice closest to a mistyped word, if one is close (for "did you mean …?")."""
    import difflib  # only when a name is wrong: not at every start

    close = difflib.get_close_matches(word, list(choices), n=1)
    return close[0] if close else None
