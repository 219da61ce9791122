"""Lint and type checks, so style and typing regressions fail CI like any other bug."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from .conftest import ROOT


def tool(name: str) -> str:
    found = shutil.which(name, path=str(ROOT / ".venv" / "bin")) or shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (pip install -e '.[test]')")
    return found


def test_ruff_finds_nothing():
    folders = [name for name in ("ptce_gloss", "tests", "benchmarks") if (ROOT / name).is_dir()]
    result = subprocess.run([tool("ruff"), "check", *folders], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_code_is_formatted_as_ruff_formats_it():
    """`ruff format` (its version pinned in setup.cfg, since each minor version may format differently)."""
    folders = [name for name in ("ptce_gloss", "tests", "benchmarks") if (ROOT / name).is_dir()]
    result = subprocess.run([tool("ruff"), "format", "--check", *folders], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr + "\n(run: ruff format ptce_gloss tests benchmarks)"


def test_core_is_strictly_typed():
    result = subprocess.run([sys.executable, "-m", "mypy", "--strict", "ptce_gloss"], cwd=ROOT, capture_output=True, text=True)
    if "No module named mypy" in result.stderr:
        pytest.skip("mypy is not installed (pip install -e '.[test]')")
    assert result.returncode == 0, result.stdout + result.stderr
