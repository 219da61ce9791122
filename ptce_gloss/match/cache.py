"""A disk cache of compiled glossaries, keyed by the content of the glossary files.

Parsing and compiling a large glossary takes a second or two; loading it back from the
cache takes milliseconds.  The key is a hash of every file's name and bytes, the package
version, the Python version and the cache format, so an edited glossary is never served stale.

The cache holds data only, never code: a JSON document whose every field is checked against
the shape gloss writes (:func:`decode_compiled`) before use, and whose digest must match the
key.  A cache file that another user owns, that others may write, or that is a link, is not
read; nor is one that is corrupt or of the wrong shape: the glossary is compiled again and the
caller is told why (``on_warning``).  A cache that cannot be read or written only costs time.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import stat
import sys
from collections.abc import Callable, Iterable, Sequence
from itertools import chain, repeat
from pathlib import Path
from typing import Any

from ..errors import Diagnostic, GlossaryError
from ..glossary.entries import Entry, Glossary
from ..glossary.files import GlossarySource, default_glossary_path, read_glossary_file
from ..lazy import sha256
from ..version import __version__
from .matcher import CompiledGlossary, compile_glossary

FORMAT = 5
"""The cache format; version 1 was a pickle, which is never read."""
MAX_CACHE_BYTES = 256 * 1024 * 1024


class CacheError(ValueError):
    """A cache file is not what gloss writes (its message says what is wrong)."""


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
    paths: Sequence[GlossarySource] = (),
    *,
    include_default: bool = True,
    use_cache: bool = True,
    on_warning: Callable[[str], None] | None = None,
) -> tuple[Glossary, CompiledGlossary]:
    """Load glossaries as :func:`~ptce_gloss.load_glossaries` does, compiled, from the cache when possible.

    Args:
        on_warning: called with a one-line message when a cache file is ignored (foreign, writable by
            others, corrupt); by default the message goes to the ``ptce_gloss`` logger.

    Raises:
        GlossaryError: a glossary is missing or invalid (listing every problem).
    """
    warn = on_warning or _log_warning
    sources: list[GlossarySource] = [default_glossary_path()] if include_default else []
    files = [_read(source) for source in [*sources, *paths]]
    digest = sha256(f"{__version__}\0{sys.version_info[:2]}\0{FORMAT}".encode())
    for name, data in files:
        digest.update(name.encode("utf-8", "surrogateescape") + b"\0" + len(data).to_bytes(8, "big") + data)
    key = digest.hexdigest()
    path = cache_dir() / f"{key}.json"
    if use_cache:
        try:
            return decode_compiled(_read_trusted(path), key)
        except FileNotFoundError:
            pass
        except (OSError, CacheError, UnicodeDecodeError, ValueError, RecursionError) as exc:
            warn(f"ignoring the glossary cache {path}: {exc}; compiling the glossary again")
    from ..glossary.formats import parse_glossary_file  # the readers, only when they must read
    from ..glossary.load import combine_glossaries

    loaded, problems = [], []
    for name, data in files:
        try:
            loaded.append(parse_glossary_file(data, name))
        except GlossaryError as exc:
            problems += exc.diagnostics
    if problems:
        raise GlossaryError(problems)
    glossary = combine_glossaries(loaded)
    compiled = compile_glossary(glossary)
    if use_cache:
        _store(path, encode_compiled(glossary, compiled, key))
    return glossary, compiled


def _read_trusted(path: Path) -> bytes:
    """Read a cache file that only this user can have written: not a link, owned by this user, not
    writable by group or others.

    Raises:
        FileNotFoundError: there is no such file.
        CacheError: the file is not to be trusted.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        if os.path.islink(path):
            raise CacheError("it is a symbolic link") from None
        raise
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise CacheError("it is not a regular file")
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            raise CacheError(f"it belongs to another user (uid {info.st_uid})")
        if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            raise CacheError("other users may write it")
        if info.st_size > MAX_CACHE_BYTES:
            raise CacheError("it is too large")
        return handle.read(MAX_CACHE_BYTES + 1)


def _store(path: Path, data: bytes) -> None:
    """Write a cache entry atomically, readable and writable by this user only; a cache that cannot be
    written is simply not used."""
    temporary = path.with_name(f".tmp-{os.getpid()}-{os.urandom(4).hex()}.json")
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


# The JSON form: plain lists, strings, numbers and booleans, each checked on the way back.

_ENTRY_TEXT = ("id", "term", "definition", "source")
_ENTRY_LISTS = ("acronyms", "variants", "tags", "see", "not_after", "not_before", "only_in")
_ENTRY_FLAGS = ("case_sensitive", "inflect", "override")
_ENTRY_FIELDS = (*_ENTRY_TEXT, *_ENTRY_LISTS, *_ENTRY_FLAGS, "url", "line")
_ENTRY_ORDER = dataclasses.fields(Entry)
"""Entry's fields in the order its constructor takes them; those the cache does not hold (``languages``)
get their default."""


def encode_compiled(glossary: Glossary, compiled: CompiledGlossary, key: str) -> bytes:
    """Return the JSON cache form of a glossary and its compilation."""
    document = {
        "format": FORMAT,
        "key": key,
        "title": glossary.title,
        "lang": glossary.lang,
        "sources": list(glossary.sources),
        "warnings": [_diagnostic(d) for d in glossary.warnings],
        "entries": _columns(glossary.entries),
        "compiled": {
            "same_entries": compiled.entries == glossary.entries,
            "folded": compiled.folded,
            "folded_owner": compiled.folded_owner,
            "case_forms": [[k, v] for k, v in compiled.case_forms.items()],
            "exact": compiled.exact,
            "exact_owner": compiled.exact_owner,
            "warnings": [_diagnostic(d) for d in compiled.warnings],
            "fast_fold": compiled.fast_fold,
            "homonyms": [[index, others] for index, others in compiled.homonyms.items()],
        },
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def decode_compiled(data: bytes, key: str) -> tuple[Glossary, CompiledGlossary]:
    """Read back what :func:`encode_compiled` wrote, checking every field.

    Raises:
        CacheError: the data is not valid JSON of that shape, or was written for another key.
    """
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise CacheError(f"it is not valid JSON ({type(exc).__name__})") from None
    top = _object(document, "the cache")
    if top.get("format") != FORMAT or top.get("key") != key:
        raise CacheError("it was written for another glossary or version")
    entries = _entries(top.get("entries"))
    glossary = Glossary(
        entries,
        _optional_text(top.get("title"), "title"),
        _text(top.get("lang"), "lang"),
        tuple(_texts(top.get("sources"), "sources")),
        tuple(_diagnostics(top.get("warnings"))),
    )
    part = _object(top.get("compiled"), "compiled")
    if part.get("same_entries") is not True:
        raise CacheError("its compiled entries differ from its glossary")
    count = len(entries)
    folded, exact = _texts(part.get("folded"), "folded"), _texts(part.get("exact"), "exact")
    folded_owner = _indexes(part.get("folded_owner"), "folded_owner", count, len(folded))
    exact_owner = _indexes(part.get("exact_owner"), "exact_owner", count, len(exact))
    case_forms: dict[int, str] = {}
    for pair in _list(part.get("case_forms"), "case_forms"):
        if not (isinstance(pair, list) and len(pair) == 2):
            raise CacheError("case_forms holds something other than pairs")
        (index,) = _indexes([pair[0]], "case_forms", len(folded), 1)
        case_forms[index] = _text(pair[1], "case_forms")
    fast_fold = part.get("fast_fold")
    if not isinstance(fast_fold, bool):
        raise CacheError("fast_fold is not a boolean")
    homonyms: dict[int, list[int]] = {}
    for pair in _list(part.get("homonyms"), "homonyms"):
        if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[1], list)):
            raise CacheError("homonyms holds something other than pairs")
        (index,) = _indexes([pair[0]], "homonyms", count, 1)
        homonyms[index] = _indexes(pair[1], "homonyms", count, len(pair[1]))
    warnings = list(_diagnostics(part.get("warnings")))
    compiled = CompiledGlossary(entries, folded, folded_owner, case_forms, exact, exact_owner, warnings, fast_fold, homonyms)
    return glossary, compiled


def _diagnostic(d: Diagnostic) -> list[Any]:
    return [d.path, d.line, d.column, d.message, d.severity, d.kind]


def _diagnostics(value: object) -> list[Diagnostic]:
    found = []
    for item in _list(value, "warnings"):
        if not (isinstance(item, list) and len(item) == 6 and item[4] in ("error", "warning")):
            raise CacheError("a warning is not of the expected shape")
        path, line, column, message = _text(item[0], "warnings"), item[1], item[2], _text(item[3], "warnings")
        if not (_is_int(line) and _is_int(column)):
            raise CacheError("a warning's line or column is not a number")
        found.append(Diagnostic(path, line, column, message, item[4], _text(item[5], "warnings")))
    return found


def _columns(entries: Sequence[Entry]) -> dict[str, list[Any]]:
    """The entries by field, each a list with one value per entry: read back with a check per list."""
    columns: dict[str, list[Any]] = {name: [getattr(e, name) for e in entries] for name in _ENTRY_FIELDS}
    for name in _ENTRY_LISTS:
        columns[name] = [list(items) for items in columns[name]]
    return columns


def _entries(value: object) -> tuple[Entry, ...]:
    columns = _object(value, "entries")
    if set(columns) != set(_ENTRY_FIELDS) or not _only(list, columns.values()):
        raise CacheError("entries are not the fields gloss writes")
    if len({len(column) for column in columns.values()}) > 1:
        raise CacheError("entries' fields are not all of the same length")
    for name in _ENTRY_TEXT:
        if not _only(str, columns[name]):
            raise CacheError(f"{name} holds something other than text")
    for name in _ENTRY_LISTS:
        if not _only(list, columns[name]) or not _only(str, chain.from_iterable(columns[name])):
            raise CacheError(f"{name} holds something other than lists of text")
    if not set(map(type, columns["url"])) <= {str, type(None)}:
        raise CacheError("url holds something other than text")
    if not all(_only(bool, columns[name]) for name in _ENTRY_FLAGS):
        raise CacheError("an entry's flags are not booleans")
    if not _only(int, columns["line"]) or min(columns["line"], default=0) < 0:
        raise CacheError("an entry's line is not a number")
    for name in _ENTRY_LISTS:
        columns[name] = list(map(tuple, columns[name]))
    # Entry's own fields in its order, given by position: faster than by name, 336 times at every start.
    count = len(columns["id"])
    return tuple(map(Entry, *(columns[f.name] if f.name in columns else repeat(f.default, count) for f in _ENTRY_ORDER)))


def _only(kind: type, values: Iterable[Any]) -> bool:
    """Whether every item of ``values`` is exactly of type ``kind``, checked in C: a column holds one per entry."""
    return set(map(type, values)) <= {kind}


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _object(value: object, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise CacheError(f"{what} is not an object")
    return value


def _list(value: object, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise CacheError(f"{what} is not a list")
    return value


def _text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise CacheError(f"{what} holds something other than text")
    return value


def _optional_text(value: object, what: str) -> str | None:
    return None if value is None else _text(value, what)


def _texts(value: object, what: str) -> list[str]:
    items = _list(value, what)
    if not _only(str, items):
        raise CacheError(f"{what} holds something other than text")
    return items


def _indexes(value: object, what: str, bound: int, length: int) -> list[int]:
    items = _list(value, what)
    if len(items) != length or not _only(int, items) or not 0 <= min(items, default=0) <= max(items, default=0) < bound:
        raise CacheError(f"{what} does not point into the glossary")
    return items


def fingerprint(*values: object) -> str:
    """Return a digest of plain values (dataclasses, sets, sequences, text, numbers) that is the same on
    every run and machine: a canonical JSON encoding is hashed, never ``pickle`` or ``hash()``, which
    change with Python's hash randomisation.  ``--changed-only`` keys its manifest with it."""
    text = json.dumps([__version__, *map(_canonical, values)], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _canonical(value: object) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"": type(value).__name__, **{f.name: _canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    if isinstance(value, (set, frozenset)):
        return sorted((_canonical(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"cannot fingerprint a {type(value).__name__}")


def _log_warning(message: str) -> None:
    """The default of ``on_warning``: the ``ptce_gloss`` logger (imported only when there is something to say)."""
    import logging

    logger = logging.getLogger("ptce_gloss")
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())  # a library says nothing unless its user listens
    logger.warning(message)
