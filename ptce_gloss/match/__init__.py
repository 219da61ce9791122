"""Finding terms: the glossary compiled into automata (``matcher``), cached between runs (``cache``),
and the occurrences chosen (``occurrence``).  Names are imported on first use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import exports

if TYPE_CHECKING:
    from .cache import load_compiled
    from .matcher import CompiledGlossary, compile_glossary
    from .occurrence import Match

_EXPORTS = {
    "load_compiled": ".cache",
    "CompiledGlossary": ".matcher",
    "compile_glossary": ".matcher",
    "Match": ".occurrence",
}
__all__ = [
    "CompiledGlossary",
    "Match",
    "compile_glossary",
    "load_compiled",
]
__getattr__, __dir__ = exports(__name__, _EXPORTS)
