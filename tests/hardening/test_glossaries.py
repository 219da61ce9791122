"""Family 6 — hostile glossaries are refused quickly, in little memory, with a located one-line error;
a very large honest glossary works.
"""

from __future__ import annotations

import subprocess
import sys
import time
import tracemalloc

import pytest

from ptce_gloss.errors import GlossaryError
from ptce_gloss.glossary import load_glossary

from ..conftest import CORPORA, ROOT, corpus

YAML = CORPORA / "hostile" / "yaml"
HOSTILE = sorted(p.name for p in YAML.glob("*.yaml") if p.name != "glossary-xss.yaml") if YAML.is_dir() else []


def _cpu_to_load_the_bundled_glossary() -> float:
    """CPU seconds to read and check the bundled glossary (about 160 entries), the yardstick of a refusal."""
    started = time.process_time()
    load_glossary(ROOT / "glossaries" / "ess.yaml")
    return time.process_time() - started


@pytest.mark.parametrize("name", HOSTILE or ["(corpus missing)"])
def test_hostile_glossaries_are_refused_with_a_located_error(name):
    path = corpus("hostile", "yaml", name)
    yardstick = _cpu_to_load_the_bundled_glossary()
    tracemalloc.start()
    started = time.process_time()
    with pytest.raises(GlossaryError) as refused:
        load_glossary(path)
    seconds = time.process_time() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    first = str(refused.value.diagnostics[0])
    assert first.startswith(f"{path}:") and first.split(":")[1].isdigit(), first  # file:line
    assert "\n" not in first
    # Bounds of work, not of wall-clock time: CPU time under 10 times that of loading the bundled glossary
    # (measured: a few ms against about 50 ms) and 100 MB; a bomb would blow through both.
    assert seconds < 10 * yardstick and peak < 100 * 1024 * 1024, (seconds, yardstick, peak)


def test_the_french_word_on_stays_a_word(write_yaml):
    glossary = load_glossary(
        write_yaml("entries:\n  - term: on\n    definition: Le pronom.\n  - term: oui\n    definition: yes\n")
    )
    assert [e.term for e in glossary.entries] == ["on", "oui"] and glossary.entries[1].definition == "yes"


def test_a_100000_entry_glossary_loads_and_annotates_a_large_page(tmp_path):
    generator = CORPORA / "hostile" / "generate.py"
    if not generator.exists():
        pytest.skip(f"{generator} is missing (../shared/corpora sits beside the checkout)")
    subprocess.run([sys.executable, str(generator), "big-glossary", str(tmp_path / "big.yaml")], check=True, capture_output=True)
    from ptce_gloss.annotate import Annotator

    glossary = load_glossary(tmp_path / "big.yaml")
    assert len(glossary.entries) == 100_000
    annotator = Annotator(glossary)
    paragraph = "<p>" + " ".join(f"terme{n * 7919 % 100_000} et termes{n * 104_729 % 100_000}" for n in range(40)) + ".</p>\n"
    page = ("<html><body>" + paragraph * (1_000_000 // len(paragraph)) + "</body></html>").encode()
    output = annotator.annotate_bytes(page, "big.html")
    expected = {f"terme{n * 7919 % 100_000}" for n in range(40)} | {f"terme{n * 104_729 % 100_000}" for n in range(40)}
    assert output.count(b'class="gloss-term"') == len(expected)  # the first occurrence of each entry
