"""Glossaries: the entries (``entries``), their files (``files``), read from YAML (``yamlsafe``, ``schema``,
``load``), checked (``checks``) and searched (``explore``).  Names are imported on first use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import exports

if TYPE_CHECKING:
    from .build import parse_glossary
    from .entries import Entry, Glossary
    from .files import MAX_GLOSSARY_BYTES, GlossarySource, default_glossary_path, read_bytes, read_glossary_file
    from .load import combine_glossaries, load_glossaries, load_glossary

_EXPORTS = {
    "Entry": ".entries",
    "Glossary": ".entries",
    "GlossarySource": ".files",
    "MAX_GLOSSARY_BYTES": ".files",
    "default_glossary_path": ".files",
    "read_bytes": ".files",
    "read_glossary_file": ".files",
    "combine_glossaries": ".load",
    "load_glossaries": ".load",
    "load_glossary": ".load",
    "parse_glossary": ".build",
}
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
__getattr__, __dir__ = exports(__name__, _EXPORTS)
