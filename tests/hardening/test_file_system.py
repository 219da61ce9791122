"""Family 9 (file system) — a hostile input tree: links out of it, cycles, a FIFO, odd names.

gloss must not hang on the FIFO, must not follow a link (out of the tree or in it), must stop on
cycles, and must annotate every regular file whatever its name, writing nothing outside its output.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from ..conftest import CORPORA
from ..ptyrun import gloss_command

GENERATOR = CORPORA / "hostile" / "generate.py"


@pytest.fixture
def tree(tmp_path):
    if not GENERATOR.exists():
        pytest.skip(f"{GENERATOR} is missing (../shared/corpora sits beside the checkout)")
    if os.name != "posix":
        pytest.skip("the hostile tree needs POSIX links and FIFOs")
    subprocess.run([sys.executable, str(GENERATOR), "fs-tree", str(tmp_path / "in" / "tree")], check=True, capture_output=True)
    return tmp_path / "in" / "tree"


@pytest.mark.parametrize("output", ["out", "out.zip"])
def test_a_hostile_tree_is_annotated_without_hanging_or_escaping(tree, tmp_path, output):
    outside = tmp_path / "in" / "tree-outside-target.html"
    before = outside.read_bytes()
    target = tmp_path / output
    result = subprocess.run(
        [*gloss_command(), "annotate", str(tree), "-o", str(target), "-j", "2", "--report", str(tmp_path / "r.json")],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=120,  # the FIFO would block an open() for ever
    )
    assert result.returncode == 1  # links and the FIFO are reported as failures
    assert b"Traceback" not in result.stderr
    assert all(line.startswith(b"Error: ") for line in result.stderr.splitlines()[:5])
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    status = {f["name"]: f["status"] for f in report["files"]}
    for link in ("articles/link-out.html", "articles/link-abs.html", "articles/dangling.html", "articles/fifo.html"):
        assert status[link] == "failed", link
    for regular in ("articles/ok.html", "articles/upper.HTML", "articles/-rf.html", "articles/new\nline.html"):
        assert status[regular] in ("annotated", "unchanged"), regular
    assert not any("loop" in name for name in status)  # cycles are not followed
    assert outside.read_bytes() == before
    if target.suffix == ".zip":
        import zipfile

        with zipfile.ZipFile(target) as archive:
            names = set(archive.namelist())
        assert "articles/ok.html" in names and "articles/link-out.html" not in names
    else:
        written = list(target.rglob("*"))
        assert not any(p.is_symlink() for p in written)
        assert (target / "articles" / "ok.html").is_file() and (target / "articles" / "new\nline.html").is_file()
        assert not (target / "articles" / "link-out.html").exists()
    assert {p.name for p in tmp_path.iterdir()} <= {"in", "out", "out.zip", "r.json"}
