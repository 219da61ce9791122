"""Invariants over generated HTML and every test corpus file: strip(annotate(x)) == x, idempotence."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ptce_gloss import load_glossaries
from ptce_gloss.annotate import Annotator
from ptce_gloss.annotate.options import AnnotateOptions
from ptce_gloss.errors import InputError
from ptce_gloss.html.document import Document, decode, encode
from ptce_gloss.markup import strip_gloss

from .conftest import CORPORA

ANNOTATOR = Annotator(load_glossaries(), AnnotateOptions(occurrences="all"))
WORDS = [
    "l’ESS",
    "SCOP",
    "des coopératives",
    "économie sociale",
    "et",
    "solidaire",
    "pôle",
    "territorial",
    "de coopération économique",
    "tiers-lieux",
    "&eacute;",
    "&nbsp;",
    "ESSEC",
    "x",
    "\u00ad",
    "«",
    "»",
    " ",
    "\n",
]
TAGS = ["p", "em", "b", "a", "code", "h2", "div", "span", "script", "style", "textarea", "svg", "title", "li"]


@st.composite
def html_fragments(draw: st.DrawFn) -> str:
    pieces = []
    for _ in range(draw(st.integers(1, 25))):
        kind = draw(st.sampled_from(["word", "open", "close", "odd"]))
        if kind == "word":
            pieces.append(draw(st.sampled_from(WORDS)))
        elif kind == "open":
            tag = draw(st.sampled_from(TAGS))
            attribute = draw(st.sampled_from(["", ' class="no-gloss"', ' lang="en"', " title='a>b'", ' id="gloss-ess"']))
            pieces.append(f"<{tag}{attribute}>")
        elif kind == "close":
            pieces.append(f"</{draw(st.sampled_from(TAGS))}>")
        else:
            pieces.append(
                draw(
                    st.sampled_from(
                        [
                            "<!-- ESS -->",
                            "<!--",
                            "<br>",
                            "{{ ESS }}",
                            "<",
                            ">",
                            "&",
                            "<?x ESS ?>",
                            "</",
                            "<!DOCTYPE html>",
                            "<![CDATA[ESS]]>",
                        ]
                    )
                )
            )
    return " ".join(pieces) if draw(st.booleans()) else "".join(pieces)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(html_fragments())
@example("l’ESSl’ESS<l’ESS<script>")  # "<script" inside a tag name opens no script: the appendix goes after it
@example("l’ESS</")  # "</" + the appendix would be a bogus comment: the appendix goes before it
@example("</p>&SCOPSCOP")  # « &SCOP… » is no reference: no SCOP in it, nor a link around it that strip misses
def test_strip_gives_back_any_page_and_annotating_twice_changes_nothing(page):
    once = ANNOTATOR.annotate(Document.from_text(page, "html"))
    assert strip_gloss(once) == page
    assert ANNOTATOR.annotate(Document.from_text(once, "html")) == once


def corpus_files() -> list:
    if not CORPORA.exists():
        return []
    folders = ["hostile/html", "hostile/encodings", "hostile/text", "xss-vectors", "naughty-strings"]
    return sorted(p for folder in folders for p in (CORPORA / folder).rglob("*") if p.is_file() and p.stat().st_size < 2_000_000)


@pytest.mark.skipif(not CORPORA.exists(), reason="../shared/corpora is missing (it sits beside the checkout)")
@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: str(p.relative_to(CORPORA)))
def test_every_corpus_file_round_trips_byte_for_byte(path):
    data = path.read_bytes()
    try:
        document = decode(data, path.name, "html")
    except InputError:
        pytest.skip("refused as binary or undecodable input (tested elsewhere)")
    annotated = encode(document, ANNOTATOR.annotate(document))
    again = decode(annotated, path.name, "html", encoding=document.encoding)
    assert encode(again, strip_gloss(again.text)) == data
