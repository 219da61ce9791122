"""Kept for code written against gloss 0.1 (``from ptce_gloss.document import …``): the names now live in
:mod:`ptce_gloss.html.document`, and the usual ones in :mod:`ptce_gloss` itself."""

from __future__ import annotations

from .html.document import Document, Kind, decode, encode, kind_from_name, sniff_kind

__all__ = ["Document", "Kind", "decode", "encode", "kind_from_name", "sniff_kind"]
