"""Family 3 — pathological HTML: annotated correctly, within bounds of work and memory, never truncated.

The large pages are made at test time by `hostile/generate.py`; the committed ones are read in place.
No bound is in seconds of wall-clock time, which a busy machine stretches: the CPU time of the ``gloss``
process (user + system, from the kernel) must stay under 10 times that of the same command on a plain
page of the same size (at most 5 MB, scaled linearly above), measured in the same test; its peak memory
under 1 GB (measured: 130 MB for the 10 MB word, 860 MB for the 50 MB page).
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from ..conftest import CORPORA, corpus
from ..ptyrun import gloss_command

GLOSSARY = "entries:\n  - term: glossaire\n    definition: Liste de termes.\n  - term: archive\n    definition: Document.\n"
GENERATED = {  # name -> generator arguments, whether a term is free to annotate
    "deep-html": ([], True),
    "many-attrs": ([], True),
    "long-attr": (["--size", "10M"], True),
    "long-word": (["--size", "10M"], True),
    "huge-html": (["--size", "50M"], True),
}
BASELINE_MAX = 5_000_000
COMMITTED = ["deep-div-100k.html", "misnested-adoption-5000.html", "formatting-elements-2000.html",
             "unclosed-table-cells-20000.html"]  # fmt: skip


def _run(arguments: list[str], output) -> tuple[int, float, float]:
    """Run gloss; return (exit code, CPU seconds, peak resident MB of that process)."""
    with open(output, "wb") as sink:
        process = subprocess.Popen([*gloss_command(), *arguments], stdin=subprocess.DEVNULL, stdout=sink)
        _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here: tell Popen
    return process.returncode, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def _plain_cpu(size: int, tmp_path) -> float:
    """CPU seconds of the same command on a plain French page of ``size`` bytes (at most BASELINE_MAX,
    scaled linearly above)."""
    measured = min(size, BASELINE_MAX)
    sentence = "<p>Le glossaire de la page explique chaque mot aux lecteurs.</p>\n"
    plain = tmp_path / "plain.html"
    plain.write_text(sentence * max(1, measured // len(sentence)), encoding="utf-8")
    code, cpu, _ = _run(["annotate", "--no-default", "-g", str(tmp_path / "g.yaml"), str(plain)], tmp_path / "p.html")
    assert code == 0
    return cpu * max(1.0, size / measured)


def _check(page, tmp_path, expect_link: bool) -> None:
    (tmp_path / "g.yaml").write_text(GLOSSARY, encoding="utf-8")
    code, cpu, peak = _run(["annotate", "--no-default", "-g", str(tmp_path / "g.yaml"), str(page)], tmp_path / "out.html")
    assert code == 0
    allowed = 10 * _plain_cpu(page.stat().st_size, tmp_path)
    assert cpu < allowed and peak < 1024, f"{cpu:.1f} s of CPU (allowed {allowed:.1f}), {peak:.0f} MB"
    annotated = (tmp_path / "out.html").read_bytes()
    if expect_link:
        assert b'class="gloss-term"' in annotated
    code, _, _ = _run(["strip", str(tmp_path / "out.html")], tmp_path / "back.html")
    assert code == 0 and (tmp_path / "back.html").read_bytes() == page.read_bytes(), "text was lost or changed"


@pytest.mark.parametrize("kind", sorted(GENERATED))
def test_generated_pathological_pages(tmp_path, kind):
    generator = CORPORA / "hostile" / "generate.py"
    if not generator.exists():
        pytest.skip(f"{generator} is missing (../shared/corpora sits beside the checkout)")
    arguments, expect_link = GENERATED[kind]
    page = tmp_path / f"{kind}.html"
    subprocess.run([sys.executable, str(generator), kind, str(page), *arguments], check=True, capture_output=True)
    _check(page, tmp_path, expect_link)


@pytest.mark.parametrize("name", COMMITTED)
def test_committed_pathological_pages(tmp_path, name):
    _check(corpus("hostile", "html", name), tmp_path, name != "misnested-adoption-5000.html")
