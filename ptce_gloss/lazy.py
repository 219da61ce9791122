"""Imported on first use, so that importing gloss costs little: the names a package exports
(:func:`exports`), regular expressions (:func:`regex`), SHA-256 without OpenSSL (:func:`sha256`), and
the HTML entities only for a text with a reference (:func:`unescape`).

A package's ``__init__`` lists its names twice: in an ``if TYPE_CHECKING:`` block, for type checkers
and readers, and in the mapping given to :func:`exports`, for Python (tests/test_api.py checks that
the two agree).
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any, AnyStr, Protocol, cast


def exports(package: str, names: Mapping[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``package``, which exports each of ``names`` from the
    module mapped to it (relative to the package: ``".entries"``)."""

    def __getattr__(name: str) -> Any:
        module = names.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module, package), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted({*vars(sys.modules[package]), *names})

    return __getattr__, __dir__


class _LazyPattern:
    """A regular expression compiled on first use; its methods are then looked up as fast as the
    compiled pattern's own."""

    def __init__(self, pattern: str | bytes, flags: int) -> None:
        self._source = (pattern, flags)

    def __getattr__(self, name: str) -> Any:
        compiled = re.compile(*self._source)  # type: ignore[type-var]
        for method in ("search", "match", "fullmatch", "finditer", "findall", "split", "sub", "subn"):
            setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)


def regex(source: AnyStr, flags: int = 0) -> re.Pattern[AnyStr]:
    """``re.compile(source, flags)``, done the first time the pattern is used: importing a module
    then compiles none of the expressions only some documents need."""
    return cast("re.Pattern[AnyStr]", _LazyPattern(source, flags))


def unescape(text: str) -> str:
    """``html.unescape(text)``, importing :mod:`html` (whose table of 2,231 entities takes 1.4 ms to load)
    only for a text that holds a reference: one without '&' is returned as it is, as html.unescape does."""
    if "&" not in text:
        return text
    from html import unescape as decode

    return decode(text)


class Digest(Protocol):
    """What :func:`sha256` returns: a hash object as ``hashlib`` makes them."""

    def update(self, data: bytes, /) -> None: ...
    def digest(self) -> bytes: ...
    def hexdigest(self) -> str: ...


def sha256(data: bytes = b"") -> Digest:
    """``hashlib.sha256(data)`` from Python's own implementation when it has one: importing
    ``hashlib`` loads OpenSSL, about 2 ms of every start, for a digest that is the same either way."""
    return cast(Digest, _sha256_implementation()(data))


@cache
def _sha256_implementation() -> Callable[[bytes], Any]:
    for name in ("_sha2", "_sha256", "hashlib"):  # 3.12 and later, 3.10 and 3.11, any other build
        try:
            return cast("Callable[[bytes], Any]", importlib.import_module(name).sha256)
        except ImportError:
            continue
    raise ImportError("no SHA-256 implementation")  # pragma: no cover - hashlib always has one
