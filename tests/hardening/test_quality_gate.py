"""Family 12 — a quality gate: the examples' annotations, reviewed once, must not regress.

`quality_gate.json` lists, per example, every annotated occurrence as ``entry-id=surface`` (reviewed
by hand when written). Changing the matcher or the bundled glossary so that one of them is lost,
gained or found under another entry fails here; update the file only after reviewing the new list.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ptce_gloss import load_glossaries
from ptce_gloss.annotate import Annotator
from ptce_gloss.markup import strip_gloss

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = json.loads((Path(__file__).with_name("quality_gate.json")).read_text(encoding="utf-8"))
ANNOTATOR = Annotator(load_glossaries())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_examples_keep_their_reviewed_annotations(name):
    data = (ROOT / "examples" / name).read_bytes()
    from ptce_gloss.html.document import decode

    _, matches = ANNOTATOR.annotate_document(decode(data, name))
    assert sorted(f"{m.entry.id}={m.surface}" for m in matches) == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if n.endswith(".html")))
def test_examples_text_is_preserved(name):
    data = (ROOT / "examples" / name).read_bytes()
    annotated = ANNOTATOR.annotate_bytes(data, name)
    assert annotated.count(b'class="gloss-term"') == len(EXPECTED[name])
    from ptce_gloss.html.document import decode, encode

    document = decode(annotated, name)
    assert encode(document, strip_gloss(document.text)) == data
