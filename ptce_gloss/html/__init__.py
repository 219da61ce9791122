"""Reading pages: bytes decoded as a browser would (``document``), the markup split into tokens and
the text a reader sees (``scan``), where terms may go (``zones``), what the page's context allows
(``context``), and other glossary tools' markup (``foreign``)."""

from __future__ import annotations

from .document import Document, Kind, decode, encode, kind_from_name, sniff_kind
from .scan import Projection, project

__all__ = ["Document", "Kind", "Projection", "decode", "encode", "kind_from_name", "project", "sniff_kind"]
