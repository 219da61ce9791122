"""Family 11 — fuzzing: random HTML fragments with naughty and XSS strings as terms, definitions and text.

Invariants (those of families 1 and 4): no exception; ``strip`` gives the page back exactly; annotating
twice equals annotating once; the re-parsed output has no element and no ``on*`` attribute gloss did
not create; every link gloss writes points inside the page or to http, https or mailto; the stored
definition, un-escaped by the parser, is the glossary's exactly.

Examples per test: 200 locally, 1,000 in CI (``CI=true``), 10,000 with ``pytest --full`` (or
``GLOSS_TEST_FULL=1``: hypothesis profile ``full``, for nightly runs).
"""

from __future__ import annotations

import json
import os

import html5lib
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ptce_gloss.annotate import Annotator
from ptce_gloss.annotate.options import AnnotateOptions
from ptce_gloss.errors import GlossaryError
from ptce_gloss.glossary import load_glossary
from ptce_gloss.html.document import Document
from ptce_gloss.markup import strip_gloss

from ..conftest import CORPORA, full

settings.register_profile("full", max_examples=10_000, deadline=None, suppress_health_check=list(HealthCheck))
settings.register_profile("ci", max_examples=1_000, deadline=None, suppress_health_check=list(HealthCheck))
settings.register_profile("dev", max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
PROFILE = "full" if full() else "ci" if os.environ.get("CI") else "dev"


def _strings() -> list[str]:
    found: list[str] = []
    naughty = CORPORA / "naughty-strings" / "blns.json"
    if naughty.exists():
        found += json.loads(naughty.read_text(encoding="utf-8"))
    xss = CORPORA / "xss-vectors" / "xss-vectors.txt"
    if xss.exists():
        found += xss.read_text(encoding="utf-8").splitlines()
    return [s for s in found if s.strip() and "\0" not in s and not any("\ud800" <= c <= "\udfff" for c in s)]


STRINGS = _strings()
NS = "{http://www.w3.org/1999/xhtml}"
TAGS = ["p", "em", "b", "a", "code", "div", "span", "script", "style", "textarea", "svg", "title", "li", "h2"]


@st.composite
def cases(draw: st.DrawFn) -> tuple[str, str, str]:
    term = draw(st.sampled_from(STRINGS)).strip()[:60]
    definition = draw(st.sampled_from(STRINGS))
    pieces = []
    for _ in range(draw(st.integers(1, 12))):
        kind = draw(st.sampled_from(["term", "text", "open", "close"]))
        if kind == "term":
            pieces.append(f" {term} ")
        elif kind == "text":
            pieces.append(draw(st.sampled_from(STRINGS)))
        elif kind == "open":
            pieces.append(f"<{draw(st.sampled_from(TAGS))}>")
        else:
            pieces.append(f"</{draw(st.sampled_from(TAGS))}>")
    return term, definition, "".join(pieces)


def _elements(markup: str) -> list[tuple[str, tuple[str, ...]]]:
    tree = html5lib.parse(markup)
    return [
        (e.tag, tuple(sorted(k for k in e.attrib if k.lower().startswith("on")))) for e in tree.iter() if isinstance(e.tag, str)
    ]


@pytest.mark.skipif(not STRINGS, reason="../shared/corpora naughty-strings and xss-vectors are missing")
@settings(settings.get_profile(PROFILE))
@given(cases())
@example(  # a page's unclosed « {{ », which a definition's « }} » would have closed around gloss's link
    ('{{ "".__class__.__mro__[2].__subclasses__()[40]("/etc/passwd', '{{ "".__class__.__mro__[2].__subclasses__()[40]("/etc/passwd").read() }}',
     ' {{ "".__class__.__mro__[2].__subclasses__()[40]("/etc/passwd ')
)  # fmt: skip
@example(("undefined", "undefined", ' undefined <base href="javascript:alert(1)//">'))  # the term is then no link
def test_hostile_terms_definitions_and_text(case):
    term, definition, page = case
    yaml = f"entries:\n  - term: {json.dumps(term)}\n    definition: {json.dumps(definition)}\n    url: https://exemple.fr/\n"
    try:
        annotator = Annotator(load_glossary(yaml), AnnotateOptions(occurrences="all"))
    except GlossaryError:
        return  # a term gloss refuses (empty once folded, no word character…): checked by gloss check
    once = annotator.annotate(Document.from_text(page, "html"))
    assert strip_gloss(once) == page
    assert annotator.annotate(Document.from_text(once, "html")) == once
    if once == page:
        return
    before, after = _elements(page), _elements(once)
    ours = [element for element in after if element not in before]
    assert all(tag in (f"{NS}a", f"{NS}aside", f"{NS}h2", f"{NS}dl", f"{NS}dt", f"{NS}dd", f"{NS}dfn", f"{NS}span",
                       f"{NS}p", f"{NS}style", f"{NS}script", f"{NS}ul", f"{NS}li")
               and not handlers for tag, handlers in ours), ours  # fmt: skip
    tree = html5lib.parse(once)
    for link in tree.iter(f"{NS}a"):
        if "gloss-term" in (link.get("class") or "").split():
            href = link.get("href")  # none under a <base href> that points elsewhere: a button, its bubble still works
            assert (
                href.startswith(("#gloss-", "https://", "http://", "mailto:"))
                if href is not None
                else link.get("role") == "button"
            )
            assert link.get("data-gloss-def") == definition.strip() or link.get("data-gloss-def") is None


@pytest.mark.parametrize(
    "page",
    [
        "Une SCOP <svg>",  # left open at the end: the appendix would be SVG
        "Une SCOP <textarea>",  # ... or the textarea's text
        '<p>Une SCOP</p><IMG SRC="javascript:alert(1)"',  # an unfinished tag would take the appendix as attributes
        "<p>Une SCOP <!-- pas fini",
        "</<svg><p>Une SCOP</p>",  # a bogus comment, not an svg
        " Une SCOP <svg/onload=alert(1)>//INJECTX</p>",  # </p> ends the svg for new parsers, not for html5lib
    ],
)
def test_cases_found_by_fuzzing_the_appendix_stays_html(page):
    from ptce_gloss import load_glossaries

    once = Annotator(load_glossaries()).annotate(Document.from_text(page, "html"))
    asides = [e for e in html5lib.parse(once).iter(f"{NS}aside") if "gloss-glossary" in (e.get("class") or "")]
    assert len(asides) == 1 and "".join(asides[0].itertext()).count("SCOP") >= 1
    assert strip_gloss(once) == page


def test_a_stray_end_tag_does_not_open_svg():
    from ptce_gloss import load_glossaries

    once = Annotator(load_glossaries()).annotate(Document.from_text("</svg><svg><text>Une SCOP</text></svg>", "html"))
    assert 'class="gloss-term"' not in once
