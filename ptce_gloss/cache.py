"""A disk cache of compiled glossaries, keyed by the content of the glossary files.

Parsing and compiling a large glossary takes a second or two; loading it back from the
cache takes milliseconds.  The key is a hash of every file's name and bytes, the package
version and the Python version, so an edited glossary is never served stale.  A cache
that cannot be read or written is ignored: it only ever saves time.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .errors import GlossaryError
from .glossary import (
    Glossary,
    GlossarySource,
    combine_glossaries,
    default_glossary_path,
    parse_glossary,
    read_bytes,
    read_glossary_file,
)
from .matcher import CompiledGlossary, compile_glossary


def cache_dir() -> Path:
    """Return the cache folder: ``$GLOSS_CACHE_DIR``, else ``$XDG_CACHE_HOME/ptce_gloss``, else ``~/.cache/ptce_gloss``."""
    if os.environ.get("GLOSS_CACHE_DIR"):
        return Path(os.environ["GLOSS_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "ptce_gloss"


def _read(source: GlossarySource) -> tuple[str, bytes]:
    if isinstance(source, bytes):
        return "<bytes>", source
    name = os.fspath(source)
    return name, read_glossary_file(name)


def load_compiled(
    paths: Sequence[GlossarySource] = (), *, include_default: bool = True, use_cache: bool = True
) -> tuple[Glossary, CompiledGlossary]:
    """Load glossaries as :func:`~ptce_gloss.load_glossaries` does, compiled, from the cache when possible.

    Raises:
        GlossaryError: a glossary is missing or invalid (listing every problem).
    """
    sources: list[GlossarySource] = [default_glossary_path()] if include_default else []
    files = [_read(source) for source in [*sources, *paths]]
    digest = hashlib.sha256(f"{__version__}\0{sys.version_info[:2]}".encode())
    for name, data in files:
        digest.update(name.encode("utf-8", "surrogateescape") + b"\0" + len(data).to_bytes(8, "big") + data)
    path = cache_dir() / f"{digest.hexdigest()}.pickle"
    if use_cache:
        try:
            with open(path, "rb") as handle:
                cached = pickle.load(handle)
            if isinstance(cached, tuple) and isinstance(cached[1], CompiledGlossary):
                return cached
        except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, IndexError, TypeError):
            pass  # a missing or stale cache entry: compile again
    loaded, problems = [], []
    for name, data in files:
        try:
            loaded.append(parse_glossary(read_bytes(data, name), name))
        except GlossaryError as exc:
            problems += exc.diagnostics
    if problems:
        raise GlossaryError(problems)
    glossary = combine_glossaries(loaded)
    compiled = compile_glossary(glossary)
    if use_cache:
        _store(path, (glossary, compiled))
    return glossary, compiled


def _store(path: Path, value: object) -> None:
    """Write a cache entry atomically; a cache that cannot be written is simply not used."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, prefix=".tmp-", delete=False) as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, path)
    except OSError:
        with contextlib.suppress(OSError, NameError):
            os.unlink(handle.name)
