"""The ``gloss`` command line: a thin click layer over the library (``app``: the group and the small
commands; ``annotate``, ``document``, ``batch``: annotation of one document or of many; ``common``:
glossary options and input reading; ``config``: ``gloss.toml`` and ``pyproject.toml``)."""

from __future__ import annotations

from .app import main

__all__ = ["main"]
