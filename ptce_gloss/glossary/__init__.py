"""Glossaries: the entries (``entries``), read from YAML (``yamlsafe``, ``schema``, ``load``), checked
(``checks``) and searched (``explore``)."""

from __future__ import annotations

from .entries import Entry, Glossary
from .load import (
    MAX_GLOSSARY_BYTES,
    GlossarySource,
    combine_glossaries,
    default_glossary_path,
    load_glossaries,
    load_glossary,
    parse_glossary,
    read_bytes,
    read_glossary_file,
)

__all__ = [
    "MAX_GLOSSARY_BYTES",
    "Entry",
    "Glossary",
    "GlossarySource",
    "combine_glossaries",
    "default_glossary_path",
    "load_glossaries",
    "load_glossary",
    "parse_glossary",
    "read_bytes",
    "read_glossary_file",
]
