"""Kept for code written against gloss 0.1 (``from ptce_gloss.options import …``): the names now live in
:mod:`ptce_gloss.annotate.options`, and the usual ones in :mod:`ptce_gloss` itself."""

from __future__ import annotations

from .annotate.options import OCCURRENCES, AnnotateOptions

__all__ = ["OCCURRENCES", "AnnotateOptions"]
