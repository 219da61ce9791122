"""Names a package exports, imported on first use, so that importing the package costs nothing.

A package's ``__init__`` lists them twice: in an ``if TYPE_CHECKING:`` block, for type checkers and
readers, and in the mapping given to :func:`exports`, for Python (tests/test_architecture.py checks
that the two agree).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


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
