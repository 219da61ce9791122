"""Finding terms: the glossary compiled into automata (``matcher``), cached between runs (``cache``),
and the occurrences chosen (``occurrence``)."""

from __future__ import annotations

from .cache import load_compiled
from .matcher import CompiledGlossary, compile_glossary
from .occurrence import Match

__all__ = ["CompiledGlossary", "Match", "compile_glossary", "load_compiled"]
