"""The documentation stays true: the MkDocs site builds strictly, and its examples run.

Every ``sh`` block of README.md and docs/*.md that runs ``gloss``, and every ``python`` block, is run
in a scratch folder holding a copy of ``examples/`` and ``crawl.warc.gz`` (a small crawl of the example
pages), with a fresh home and cache; it must exit 0. A block that cannot run there says why in a
``<!-- not run: … -->`` comment on the line above it. The README's ``console`` examples are run and
their output compared with the lines shown (up to a line ``…``). The README's Set-up commands are what
CI itself runs (tests/test_packaging.py).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import EXAMPLES, ROOT

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(\w+)[^\n]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
NOT_RUN = re.compile(r"<!--\s*not run:\s*(\S[^>]*?)\s*-->\s*\n\Z")
GLOSS_COMMAND = re.compile(r"(?:^|[|;&(]\s*|&&\s*|\|\|\s*)gloss\s", re.MULTILINE)
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Block:
    page: Path
    line: int
    language: str
    code: str
    not_run: str | None

    @property
    def id(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def blocks() -> list[Block]:
    found = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        if page.name == "README.md":  # its Set-up is what CI runs; the rest is checked here
            start = text.index("## Set-up")
            end = text.index("\n## ", start + 1)
            text = text[:start] + "\n" * text.count("\n", start, end) + text[end:]
        for fence in FENCE.finditer(text):
            reason = NOT_RUN.search(text, 0, fence.start())
            found.append(
                Block(
                    page,
                    text.count("\n", 0, fence.start()) + 1,
                    fence.group(1),
                    fence.group(2),
                    reason.group(1) if reason else None,
                )
            )
    return found


BLOCKS = blocks()
SHELL = [block for block in BLOCKS if block.language == "sh" and GLOSS_COMMAND.search(block.code)]
PYTHON = [block for block in BLOCKS if block.language == "python"]
CONSOLE = [block for block in BLOCKS if block.language == "console"]


def crawl(path: Path) -> None:
    """A WARC of the example pages, as a crawler writes it: one gzip member per record."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for page in sorted(EXAMPLES.glob("*.html")):
            body = page.read_bytes()
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                f"https://www.exemple.org/{page.name}",
                "response",
                payload=io.BytesIO(body),
                length=len(body),
                http_headers=headers,
            )
            writer.write_record(record)


@pytest.fixture()
def scratch(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    folder = tmp_path / "scratch"
    shutil.copytree(EXAMPLES, folder / "examples")
    crawl(folder / "crawl.warc.gz")
    (folder / "home").mkdir()
    env = {name: value for name, value in os.environ.items() if not name.startswith("GLOSS_")}
    env.update(
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        HOME=str(folder / "home"),
        GLOSS_CACHE_DIR=str(folder / "cache"),
        NO_COLOR="1",
        PYTHONPATH=str(ROOT),
    )
    env.pop("XDG_CONFIG_HOME", None)
    return folder, env


def test_the_examples_are_found():
    """The collection itself: blocks of each kind are there, and every reason to skip one is given."""
    assert len(SHELL) >= 15 and len(PYTHON) >= 4 and CONSOLE
    assert all(block.not_run is None or len(block.not_run) > 10 for block in BLOCKS)


@pytest.mark.parametrize("block", SHELL, ids=lambda block: block.id)
def test_shell_examples_run(block: Block, scratch: tuple[Path, dict[str, str]]):
    if block.not_run:
        pytest.skip(f"not run: {block.not_run}")
    folder, env = scratch
    result = subprocess.run(
        ["bash", "-e", "-c", block.code],
        cwd=folder,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, (
        f"{block.id}:\n{block.code}\nstdout:\n{result.stdout[-2000:]}\nstderr:\n{result.stderr[-2000:]}"
    )


@pytest.mark.parametrize("block", PYTHON, ids=lambda block: block.id)
def test_python_examples_run(block: Block, scratch: tuple[Path, dict[str, str]]):
    if block.not_run:
        pytest.skip(f"not run: {block.not_run}")
    folder, env = scratch
    (folder / "example.py").write_text(block.code, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "example.py"], cwd=folder, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, f"{block.id}:\n{block.code}\nstderr:\n{result.stderr[-3000:]}"


@pytest.mark.parametrize("block", CONSOLE, ids=lambda block: block.id)
def test_console_examples_show_what_gloss_prints(block: Block, scratch: tuple[Path, dict[str, str]]):
    folder, env = scratch
    sessions = re.split(r"^\$ ", block.code, flags=re.MULTILINE)[1:]
    assert sessions, f"{block.id}: a console block shows commands as '$ command'"
    for session in sessions:
        command, _, shown = session.partition("\n")
        expected = shown.split("\n…", 1)[0].rstrip("\n").split("\n")
        result = subprocess.run(
            ["bash", "-e", "-c", command],
            cwd=folder,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.split("\n")[: len(expected)] == expected, f"{block.id}: {command}"


def test_the_documentation_site_builds_strictly(tmp_path: Path):
    mkdocs = shutil.which("mkdocs", path=str(BIN))
    if mkdocs is None:
        pytest.skip("mkdocs is not installed (pip install -e '.[test]')")
    result = subprocess.run(
        [mkdocs, "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "site" / "library" / "index.html").is_file()


def test_every_page_is_in_the_navigation():
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    missing = [page.name for page in PAGES[1:] if f": {page.name}" not in nav]
    assert not missing, f"mkdocs.yml's nav leaves out {missing}"


def test_gloss_help_points_to_the_documentation():
    result = subprocess.run(
        [str(BIN / "gloss"), "--help"], capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60, check=True
    )
    assert "docs/index.md" in result.stdout
