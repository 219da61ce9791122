"""A non-editable install into a fresh virtual environment gives a working `gloss`."""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from .conftest import ROOT

IGNORE = shutil.ignore_patterns(
    ".venv", ".git", "build", "dist", "__pycache__", "*.egg-info", ".pytest_cache", ".hypothesis", "benchmarks"
)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build a wheel from a copy of the source tree and install it into a new venv; return its bin/."""
    work = tmp_path_factory.mktemp("install")
    source = work / "src"
    shutil.copytree(ROOT, source, ignore=IGNORE)
    venv.create(work / "venv", with_pip=True)
    bin_dir = work / "venv" / ("Scripts" if sys.platform == "win32" else "bin")
    pip = [str(bin_dir / "python"), "-m", "pip", "--disable-pip-version-check", "--quiet"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(work / "dist"), str(source)], check=True)
    [wheel] = (work / "dist").glob("ptce_gloss-*.whl")
    subprocess.run([*pip, "install", str(wheel)], check=True)
    shutil.rmtree(source)  # the installed tool must not lean on the source tree
    return bin_dir


def test_wheel_ships_the_bundled_glossary_and_the_gloss_command(installed: Path):
    check = subprocess.run([str(installed / "gloss"), "check"], capture_output=True, text=True, cwd=installed)
    assert check.returncode == 0, check.stdout + check.stderr
    assert (
        "site-packages"
        in subprocess.run(
            [str(installed / "python"), "-c", "import ptce_gloss; print(ptce_gloss.default_glossary_path())"],
            capture_output=True,
            text=True,
            check=True,
            cwd=installed,
        ).stdout
    )
    terms = subprocess.run([str(installed / "gloss"), "terms", "PTCE"], capture_output=True, text=True, cwd=installed)
    assert terms.returncode == 0 and terms.stdout.startswith("ptce\t")
    version = subprocess.run([str(installed / "gloss"), "--version"], capture_output=True, text=True, cwd=installed)
    assert version.stdout.startswith("gloss, version ")
