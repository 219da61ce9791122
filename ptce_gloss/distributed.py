"""Kept for code written against gloss 0.1 (``from ptce_gloss.distributed import …``): the names now live in
:mod:`ptce_gloss.batch.distributed`, and the usual ones in :mod:`ptce_gloss` itself."""

from __future__ import annotations

from .batch.distributed import annotate_bag, annotate_partition

__all__ = ["annotate_bag", "annotate_partition"]
