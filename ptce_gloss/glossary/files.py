"""Glossary files as bytes: where the bundled one is, and reading and decoding a file with a located error."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Union

from ..errors import Diagnostic, GlossaryError

MAX_GLOSSARY_BYTES = 32 * 1024 * 1024
"""A glossary file larger than this is refused before it is parsed."""

GlossarySource = Union[str, "os.PathLike[str]", bytes]


def default_glossary_path() -> Path:
    """Return the path of the bundled ESS glossary (package data, or the source tree)."""
    package = Path(__file__).resolve().parent.parent
    for folder in (package / "glossaries", package.parent / "glossaries"):
        if (folder / "ess.yaml").is_file():
            return folder / "ess.yaml"
    raise GlossaryError([Diagnostic("ess.yaml", 0, 0, "the bundled glossary is missing; reinstall ptce_gloss")])


def read_bytes(data: bytes, name: str) -> str:
    """Decode a glossary file's bytes (UTF-8, or UTF-16 with a BOM) with a located error."""
    if len(data) > MAX_GLOSSARY_BYTES:
        message = f"file is {len(data):,} bytes; glossaries are limited to {MAX_GLOSSARY_BYTES:,} bytes"
        raise GlossaryError([Diagnostic(name, 0, 0, message)])
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        byte = data[exc.start]
        raise GlossaryError(
            [
                Diagnostic(
                    name,
                    line,
                    column,
                    f"byte 0x{byte:02X} is not UTF-8; save the glossary as UTF-8 "
                    "(for a windows-1252 file: iconv -f windows-1252 -t utf-8 OLD > NEW)",
                )
            ]
        ) from None


def read_glossary_file(name: str) -> bytes:
    """Read a glossary file's bytes (at most one byte over the size limit).

    Raises:
        GlossaryError: the file cannot be read.
    """
    try:
        with open(name, "rb") as handle:
            return handle.read(MAX_GLOSSARY_BYTES + 1)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise GlossaryError([Diagnostic(name, 0, 0, f"cannot read the glossary: {reason}")]) from None
