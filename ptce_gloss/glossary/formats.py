"""Glossary files in every format gloss reads and writes, chosen by suffix or by name.

=========  ==========================================  ================================
format     suffixes                                    module
=========  ==========================================  ================================
yaml       ``.yaml``, ``.yml`` (and any other)          :mod:`.schema`, :mod:`.yamlout`
csv        ``.csv``, ``.tsv``                           :mod:`.spreadsheet`
xlsx       ``.xlsx``                                    :mod:`.spreadsheet` (openpyxl)
tbx        ``.tbx`` (TBX-Basic and TBX-Min, v3 and v2)  :mod:`.tbx`
skos       ``.ttl`` (Turtle), ``.rdf`` (RDF/XML)         :mod:`.skos` (rdflib)
=========  ==========================================  ================================
"""

from __future__ import annotations

from typing import Literal

from ..errors import Diagnostic, GlossaryError
from .entries import Glossary
from .files import read_bytes

Format = Literal["yaml", "csv", "xlsx", "tbx", "skos"]
FORMATS: tuple[Format, ...] = ("yaml", "csv", "xlsx", "tbx", "skos")
SUFFIXES: dict[str, Format] = {
    ".yaml": "yaml", ".yml": "yaml", ".csv": "csv", ".tsv": "csv", ".xlsx": "xlsx", ".tbx": "tbx",
    ".ttl": "skos", ".rdf": "skos", ".owl": "skos", ".skos": "skos",
}  # fmt: skip


def format_of(name: str, default: Format = "yaml") -> Format:
    """The format a file name's suffix names (``default`` for another suffix)."""
    lower = name.lower()
    return next((fmt for suffix, fmt in SUFFIXES.items() if lower.endswith(suffix)), default)


def parse_glossary_file(data: bytes, name: str, fmt: Format | None = None) -> Glossary:
    """Read a glossary file's bytes in ``fmt`` (by default, the one its name's suffix names).

    Raises:
        GlossaryError: listing every problem, each located by line (a row, an element) and column.
    """
    fmt = fmt or format_of(name)
    if fmt == "yaml":
        from .build import parse_glossary

        return parse_glossary(read_bytes(data, name), name)
    if fmt == "csv":
        from .spreadsheet import read_csv

        return read_csv(read_bytes(data, name), name, tab=name.lower().endswith(".tsv"))
    if fmt == "xlsx":
        from .spreadsheet import read_xlsx

        return read_xlsx(data, name)
    if fmt == "tbx":
        from .tbx import read_tbx

        return read_tbx(data, name)
    if fmt == "skos":
        from .skos import read_skos

        return read_skos(data, name)
    raise GlossaryError([Diagnostic(name, 0, 0, f"unknown glossary format {fmt!r}; use one of {', '.join(FORMATS)}")])


def write_glossary(glossary: Glossary, fmt: Format, name: str = "") -> bytes:
    """The bytes of ``glossary`` written in ``fmt``; ``name`` picks TSV over CSV, Turtle over RDF/XML."""
    if fmt == "yaml":
        from .yamlout import glossary_yaml

        return glossary_yaml(glossary).encode("utf-8")
    if fmt == "csv":
        from .spreadsheet import write_csv

        return write_csv(glossary, tab=name.lower().endswith(".tsv"))
    if fmt == "xlsx":
        from .spreadsheet import write_xlsx

        return write_xlsx(glossary)
    if fmt == "tbx":
        from .tbx import write_tbx

        return write_tbx(glossary)
    if fmt == "skos":
        from .skos import write_skos

        return write_skos(glossary, "xml" if name.lower().endswith((".rdf", ".owl")) else "turtle")
    raise ValueError(f"unknown glossary format {fmt!r}")
