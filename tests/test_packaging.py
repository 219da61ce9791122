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


def test_ci_runs_the_readme_test_command():
    """CI runs `.ci/run`; the README promises that it is the README's own test command."""
    import re

    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)\n```", setup, re.DOTALL)
    assert len(blocks) == 2, "the README's Set-up has the install command and the test command"
    test_command = blocks[1].strip()
    commands = [line.strip() for line in (root / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    assert test_command in commands
    script = (root / test_command.split()[-1]).read_text(encoding="utf-8")
    assert "-m pytest" in script.splitlines()[-1]  # and that command ends by running the whole suite
