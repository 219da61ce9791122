"""Configuration files: ``gloss.toml`` or ``[tool.gloss]`` in ``pyproject.toml``, and the user's file.

A file holds one table per command, whose keys are the command's long options without
dashes (``occurrences = "all"``, ``glossary = ["mine.yaml"]``); keys at the top level apply
to every command that has that option.  The project's file (found upward from the current
folder) overrides the user's (``$XDG_CONFIG_HOME/gloss/config.toml``); environment
variables and command-line flags override both.
"""

from __future__ import annotations

import difflib
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import GlossError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

COMMANDS = ("annotate", "check", "terms", "strip")


class ConfigError(GlossError):
    """A configuration file cannot be used."""


def user_config_path() -> Path:
    """Return ``$XDG_CONFIG_HOME/gloss/config.toml`` (``~/.config/gloss/config.toml`` by default)."""
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "gloss" / "config.toml"


def project_config_path(start: Path | None = None) -> tuple[Path, bool] | None:
    """Find ``gloss.toml``, or a ``pyproject.toml`` with ``[tool.gloss]``, upward from ``start``.

    Returns:
        The file and whether it is a pyproject.toml, or None.
    """
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / "gloss.toml").is_file():
            return candidate / "gloss.toml", False
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and b"[tool.gloss" in pyproject.read_bytes():
            return pyproject, True
    return None


def read_config(path: Path, pyproject: bool = False) -> dict[str, Any]:
    """Read one configuration file into ``{command: {option: value}}`` (top-level keys under ``""``).

    Raises:
        ConfigError: the file cannot be read or is not valid TOML, naming the file and line.
    """
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
            close = difflib.get_close_matches(key, COMMANDS, n=1)
            hint = f" (did you mean [{close[0]}]?)" if close else f"; the tables are {', '.join(COMMANDS)}"
            raise ConfigError(f"{path}: unknown table [{key}]{hint}")
        else:
            config[""][key] = value
    return config


def default_map(options: Mapping[str, Mapping[str, str]], explicit: Path | None, use_files: bool) -> dict[str, dict[str, Any]]:
    """Build click's ``default_map`` from the configuration files.

    Args:
        options: for each command, its long option names (``format``) and the parameter each sets.
        explicit: a file given with ``--config`` (replaces the project's file).
        use_files: False with ``--no-config``.

    Raises:
        ConfigError: a file is invalid, or names an option no command has.
    """
    if not use_files:
        return {}
    layers: list[tuple[Path, dict[str, Any]]] = []
    user = user_config_path()
    if user.is_file():
        layers.append((user, read_config(user)))
    if explicit is not None:
        layers.append((explicit, read_config(explicit, explicit.name == "pyproject.toml")))
    elif (found := project_config_path()) is not None:
        layers.append((found[0], read_config(*found)))
    merged: dict[str, dict[str, Any]] = {command: {} for command in options}
    for path, config in layers:
        for section, values in config.items():
            for key, value in values.items():
                name = key.replace("_", "-")
                targets = [section] if section else [c for c in options if name in options[c]]
                if (section and name not in options.get(section, {})) or not targets:
                    known = sorted({n for o in options.values() for n in o} if not section else options[section])
                    close = difflib.get_close_matches(name, known, n=1)
                    hint = f" (did you mean '{close[0]}'?)" if close else ""
                    where = f"[{section}]" if section else "the top level"
                    raise ConfigError(f"{path}: unknown option '{key}' in {where}{hint}")
                for target in targets:
                    merged[target][options[target][name]] = value
    return {command: values for command, values in merged.items() if values}
