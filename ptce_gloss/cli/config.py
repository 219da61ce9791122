"""Configuration files: ``gloss.toml`` or ``[tool.gloss]`` in ``pyproject.toml``, and the user's file.

A file holds one table per command, whose keys are the command's long options without
dashes (``occurrences = "all"``, ``glossary = ["mine.yaml"]``); keys at the top level apply
to every command that has that option.  The project's file (found upward from the current
folder, no higher than the repository's root or the user's home) overrides the user's
(``$XDG_CONFIG_HOME/gloss/config.toml``); environment variables and command-line flags override both.

A file found rather than named is obeyed only when no one else can have written it
(:func:`untrusted_reason`), and never for the options that choose where gloss writes, what it
rewrites or where it sends documents (:data:`DESTINATIONS`).
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import GlossError, closest

COMMANDS = ("annotate", "check", "terms", "strip")


class ConfigError(GlossError):
    """A configuration file cannot be used."""


def user_config_path() -> Path:
    """Return ``$XDG_CONFIG_HOME/gloss/config.toml`` (``~/.config/gloss/config.toml`` by default)."""
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "gloss" / "config.toml"


def _stop_folders() -> set[Path]:
    home = Path(os.path.expanduser("~"))
    with contextlib.suppress(OSError):
        home = home.resolve()
    return {home}


def project_config_candidates(start: Path | None = None) -> list[Path]:
    """Return the folders searched for a project configuration, nearest first.

    The search goes up from ``start`` (the current folder) to the first folder that holds ``.git`` (the
    repository's root) or to the user's home, both included.  When neither is above ``start``, only
    ``start`` itself is searched: a ``gloss.toml`` planted in ``/tmp`` or in a shared parent folder is
    never read from below it.
    """
    folder = (start or Path.cwd()).resolve()
    chain = [folder, *folder.parents]
    stops = _stop_folders()
    for index, candidate in enumerate(chain):
        if (candidate / ".git").exists() or candidate in stops:
            return chain[: index + 1]
    return [folder]


def project_config_path(start: Path | None = None) -> tuple[Path, bool] | None:
    """Find ``gloss.toml``, or a ``pyproject.toml`` with ``[tool.gloss]``, in the folders of
    :func:`project_config_candidates`.

    Returns:
        The file and whether it is a pyproject.toml, or None.
    """
    for candidate in project_config_candidates(start):
        if (candidate / "gloss.toml").is_file():
            return candidate / "gloss.toml", False
        pyproject = candidate / "pyproject.toml"
        try:
            if pyproject.is_file() and b"[tool.gloss" in pyproject.read_bytes():
                return pyproject, True
        except OSError:
            continue
    return None


def untrusted_reason(path: Path) -> str | None:
    """Tell why a discovered configuration file must not be obeyed, or None when it may.

    A file is trusted when it and its folder belong to the user (or to root), the file is writable by
    no one else, and its folder cannot be written by others (unless it is sticky, as /tmp is).
    """
    if not hasattr(os, "getuid"):  # pragma: no cover - Windows: no owners to compare
        return None
    me = os.getuid()
    try:
        file_info, folder_info = os.stat(path), os.stat(path.parent)
    except OSError as exc:
        return f"cannot inspect it ({exc.strerror or exc})"
    if file_info.st_uid not in (me, 0):
        return f"it belongs to another user (uid {file_info.st_uid})"
    if file_info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return "other users may write it"
    if folder_info.st_uid not in (me, 0):
        return f"its folder belongs to another user (uid {folder_info.st_uid})"
    if folder_info.st_mode & stat.S_IWOTH and not folder_info.st_mode & stat.S_ISVTX:
        return "anyone may replace it (its folder is writable by all)"
    return None


def read_config(path: Path, pyproject: bool = False) -> dict[str, Any]:
    """Read one configuration file into ``{command: {option: value}}`` (top-level keys under ``""``).

    Raises:
        ConfigError: the file cannot be read or is not valid TOML, naming the file and line.
    """
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the configuration: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: the configuration is not UTF-8; save it as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}; fix the line it names") from None
    if pyproject:
        data = data.get("tool", {}).get("gloss", {})
    config: dict[str, Any] = {"": {}}
    for key, value in data.items():
        if isinstance(value, dict) and key in COMMANDS:
            config[key] = value
        elif isinstance(value, dict):
            close = closest(key, COMMANDS)
            hint = f" (did you mean [{close}]?)" if close else f"; the tables are {', '.join(COMMANDS)}"
            raise ConfigError(f"{path}: unknown table [{key}]{hint}")
        else:
            config[""][key] = value
    return config


#: Options that choose where gloss writes, what it rewrites, where documents are sent or where their links
#: point: only the command line, the environment or a file named with ``--config`` may set them, never a
#: file gloss found itself.
DESTINATIONS = frozenset(
    {
        "output",
        "in-place",
        "backup-suffix",
        "check",
        "diff",
        "report",
        "engine",
        "scheduler",
        "changed-only",
        "page-url",
        "index",
        "index-template",
        "link-to",
    }
)


@dataclass
class Layer:
    """One configuration file considered, and what came of it."""

    path: Path
    origin: str
    """``user``, ``project`` or ``--config``."""
    ignored: str | None = None
    """Why the whole file was not read, if it was not."""
    settings: list[tuple[str, str, Any]] = field(default_factory=list)
    """(command or "" for every command, option, value) as the file sets them."""
    refused: list[tuple[str, int, str]] = field(default_factory=list)
    """(option, line, reason) of the keys that were not obeyed."""


def _line_of(path: Path, key: str) -> int:
    """The line that sets ``key`` in a TOML file (0 when it cannot be told)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 0
    pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
    return next((n for n, line in enumerate(lines, 1) if pattern.match(line)), 0)


def _refusal(name: str, value: Any) -> str | None:
    if name in DESTINATIONS:
        return "where gloss writes, sends documents or points links is set on the command line (or with --config) only"
    if name == "assets" and isinstance(value, str) and value.startswith("link="):
        target = value[5:]
        if "//" in target or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", target):
            return "a stylesheet on another host is set on the command line (or with --config) only"
    return None


def load_layers(explicit: Path | None, use_files: bool) -> list[Layer]:
    """Read the configuration files gloss would obey, in order of increasing precedence.

    Raises:
        ConfigError: a file that is read is invalid.
    """
    if not use_files:
        return []
    layers: list[tuple[Layer, bool]] = []
    user = user_config_path()
    if user.is_file():
        layers.append((Layer(user, "user"), False))
    if explicit is not None:
        layers.append((Layer(explicit, "--config"), explicit.name == "pyproject.toml"))
    elif (found := project_config_path()) is not None:
        layers.append((Layer(found[0], "project"), found[1]))
    for layer, pyproject in layers:
        if layer.origin != "--config" and (reason := untrusted_reason(layer.path)) is not None:
            layer.ignored = reason
            continue
        for section, values in read_config(layer.path, pyproject).items():
            for key, value in values.items():
                layer.settings.append((section, key, value))
    return [layer for layer, _ in layers]


def default_map(options: Mapping[str, Mapping[str, str]], layers: Sequence[Layer]) -> dict[str, dict[str, Any]]:
    """Build click's ``default_map`` from the configuration files read by :func:`load_layers`.

    Keys a discovered file may not set are left out and recorded in the layer's ``refused``.

    Args:
        options: for each command, its long option names (``format``) and the parameter each sets.

    Raises:
        ConfigError: a file names an option no command has.
    """
    merged: dict[str, dict[str, Any]] = {command: {} for command in options}
    for layer in layers:
        for section, key, value in layer.settings:
            name = key.replace("_", "-")
            targets = [section] if section else [c for c in options if name in options[c]]
            if (section and name not in options.get(section, {})) or not targets:
                known = sorted({n for o in options.values() for n in o} if not section else options[section])
                close = closest(name, known)
                hint = f" (did you mean '{close}'?)" if close else ""
                where = f"[{section}]" if section else "the top level"
                line = _line_of(layer.path, key)
                raise ConfigError(f"{layer.path}{f':{line}' if line else ''}: unknown option '{key}' in {where}{hint}")
            if layer.origin != "--config" and (reason := _refusal(name, value)) is not None:
                layer.refused.append((key, _line_of(layer.path, key), reason))
                continue
            for target in targets:
                merged[target][options[target][name]] = value
    return {command: values for command, values in merged.items() if values}
