"""The glossary's data: immutable entries, and a glossary as an ordered set of them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from ..errors import Diagnostic


@dataclass(frozen=True, slots=True)
class Entry:
    """One glossary entry: a term, the forms it is written in, and its definition."""

    id: str
    """Unique key, ASCII letters, digits, ``-`` and ``_``; used in links and ``see``."""
    term: str
    """Canonical form, singular (``pôle territorial de coopération économique``)."""
    definition: str
    """Plain text, shown as written (never interpreted as HTML)."""
    acronyms: tuple[str, ...] = ()
    """Matched exactly as listed (``SCOP``, ``Scop``)."""
    variants: tuple[str, ...] = ()
    """Other surface forms (synonyms, former names, irregular forms)."""
    url: str | None = None
    """Where to read more: http, https or mailto."""
    tags: tuple[str, ...] = ()
    """Free labels used to filter and colour."""
    case_sensitive: bool = False
    """Match the term and variants with their case as written."""
    inflect: bool = True
    """Generate regular plural forms of the term and variants."""
    see: tuple[str, ...] = ()
    """Ids of related entries."""
    override: bool = False
    """The entry replaces, on purpose, an entry of an earlier glossary with the same id."""
    not_after: tuple[str, ...] = ()
    """Guards: words or phrases (folded like terms) after which an occurrence is not annotated
    (``banque`` for the noun « coopérative », so that « banque coopérative » is left alone)."""
    not_before: tuple[str, ...] = ()
    """Guards: words or phrases before which an occurrence is not annotated (``avec``: « en association avec »)."""
    only_in: tuple[str, ...] = ()
    """Guards: HTML elements (``p``, ``li``, ``td``…; in Markdown as in HTML) outside which an occurrence
    is not annotated; none means anywhere."""
    languages: tuple[str, ...] = field(default=(), compare=False)
    """Sections in other languages that a TBX file held (as TBX XML), written back when it is exported."""
    source: str = field(default="", compare=False)
    """The file the entry was read from."""
    line: int = field(default=0, compare=False)
    """The line of the entry in that file."""

    @property
    def guarded(self) -> bool:
        """Whether the entry has guards (``not_after``, ``not_before`` or ``only_in``)."""
        return bool(self.not_after or self.not_before or self.only_in)

    @property
    def label(self) -> str:
        """Return the term followed by its acronyms: ``société coopérative et participative (SCOP)``."""
        return f"{self.term} ({', '.join(self.acronyms)})" if self.acronyms else self.term


def acronym_forms(entry: Entry) -> list[str]:
    """The forms gloss generates for an entry's acronyms written in capitals: dotted (``S.C.O.P.``) and,
    unless ``inflect`` is false, plural (``SCOPs``)."""
    forms = []
    for acronym in entry.acronyms:
        if not (2 <= len(acronym) <= 8 and acronym.isalpha() and acronym.isupper()):
            continue
        forms.append(".".join(acronym) + ".")
        if entry.inflect:
            forms.append(acronym + "s")
    return forms


@dataclass(frozen=True, slots=True)
class Glossary:
    """An ordered, immutable set of entries with unique ids."""

    entries: tuple[Entry, ...]
    title: str | None = None
    lang: str = "fr"
    sources: tuple[str, ...] = field(default=(), compare=False)
    warnings: tuple[Diagnostic, ...] = field(default=(), compare=False)
    """Problems that did not prevent loading (``gloss check`` prints them)."""

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __getitem__(self, entry_id: str) -> Entry:
        for entry in self.entries:
            if entry.id == entry_id:
                return entry
        raise KeyError(entry_id)

    def __contains__(self, entry_id: object) -> bool:
        return any(entry.id == entry_id for entry in self.entries)
