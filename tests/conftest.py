"""Shared fixtures: the repository's paths and a CLI runner with separate stdout and stderr."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ptce_gloss.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
CORPORA = ROOT.parent / "shared" / "corpora"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--full",
        action="store_true",
        help="run the expensive families (fuzzing, crash safety, hostile archives) at their full counts; "
        "the same as GLOSS_TEST_FULL=1",
    )


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--full"):
        os.environ["GLOSS_TEST_FULL"] = "1"


def full() -> bool:
    """Whether this run asked for the full counts (``--full`` or ``GLOSS_TEST_FULL=1``); test modules read it
    when they are collected, after ``pytest_configure``."""
    return os.environ.get("GLOSS_TEST_FULL") == "1"


def corpus(*parts: str) -> Path:
    """Return a path in ../shared/corpora, skipping the test when the corpora are not there."""
    path = CORPORA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"test corpus {path} is missing (../shared/corpora sits beside the checkout)")
    return path


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep compiled glossaries out of the user's cache folder."""
    monkeypatch.setenv("GLOSS_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "gloss-cache"))


@pytest.fixture
def gloss():
    """Run the ``gloss`` command in-process; returns the click Result (stdout, stderr, exit_code)."""

    def run(*args: str, input: str | bytes | None = None) -> Result:
        return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False, prog_name="gloss")

    return run


@pytest.fixture
def write_yaml(tmp_path: Path):
    """Write a glossary file in tmp_path and return its path."""

    def write(text: str, name: str = "g.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write
