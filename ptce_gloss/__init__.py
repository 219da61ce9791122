"""ptce_gloss: annotate French texts of the social and solidarity economy with glossary tooltips."""

from __future__ import annotations

import logging

from .errors import Diagnostic, GlossaryError, GlossError, InputError
from .glossary import (
    Entry,
    Glossary,
    combine_glossaries,
    default_glossary_path,
    load_glossaries,
    load_glossary,
    parse_glossary,
)

__version__ = "0.1.0"
__all__ = [
    "Diagnostic",
    "Entry",
    "GlossError",
    "Glossary",
    "GlossaryError",
    "InputError",
    "__version__",
    "combine_glossaries",
    "default_glossary_path",
    "load_glossaries",
    "load_glossary",
    "parse_glossary",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
