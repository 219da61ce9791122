"""Annotating documents: the :class:`Annotator` (a compiled glossary applied to documents, with its
options), and plain texts read and annotated in parts (``stream``)."""

from __future__ import annotations

from ..match.occurrence import Match
from .annotator import Annotation, Annotator, annotate_find
from .options import OCCURRENCES, AnnotateOptions
from .progress import Progress

__all__ = ["OCCURRENCES", "AnnotateOptions", "Annotation", "Annotator", "Match", "Progress", "annotate_find"]
