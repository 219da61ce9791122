"""Trust — gloss removes only what it provably inserted, reading the page as insertion does.

Every piece gloss inserts carries ``data-gloss-sig``, a digest of the piece, checked on removal; only
real markup counts (never a comment, a raw-text or RCDATA element, an attribute value).  A site's own
elements that look like gloss's stay byte for byte; strip is the exact inverse of annotate even when a
term is split by a comment or by a tag whose attribute holds ``</a>``; annotating twice equals once.
XHTML stays well-formed XML.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from ptce_gloss import load_glossaries
from ptce_gloss.annotate import Annotator
from ptce_gloss.html.document import Document, decode, encode
from ptce_gloss.markup import SIGNATURE, strip_gloss

from ..conftest import full

ANNOTATOR = Annotator(load_glossaries())


def annotate(page: str) -> str:
    return ANNOTATOR.annotate(Document.from_text(page, "html"))


LOOK_ALIKES = {
    "site-glossary-section": '<aside class="gloss-glossary"><h2>Notre lexique</h2><p>Nos mots.</p></aside>',
    "style-in-textarea": '<textarea><style id="gloss-style">p{}</style></textarea>',
    "script-in-textarea": '<textarea><script id="gloss-script">x()</script></textarea>',
    "term-in-comment": '<!-- <a class="gloss-term" href="#gloss-ess">ESS</a> -->',
    "site-term-link": '<a class="gloss-term" href="/lexique/scop" data-gloss-def="Notre définition">SCOP</a>',
    "term-in-attribute": '<span title=\'<a class="gloss-term" href="#x">ESS</a>\'>x</span>',
    "style-in-title": '<title><style id="gloss-style">t</style></title>',
    "aside-in-script": '<script>var s = \'<aside class="gloss-glossary">\' + "</aside>";</script>',
    "forged-signature": f'<a class="gloss-term" href="#gloss-ess" {SIGNATURE}="{"0" * 20}">ESS</a>',
}


@pytest.mark.parametrize("piece", LOOK_ALIKES.values(), ids=LOOK_ALIKES.keys())
@pytest.mark.parametrize("with_terms", [True, False], ids=["with-terms", "nothing-to-annotate"])
def test_a_sites_own_look_alikes_survive_annotate_and_strip(piece, with_terms):
    text = "<p>Les SCIC et les coopératives de l’ESS.</p>" if with_terms else "<p>Rien à signaler.</p>"
    page = f"<!DOCTYPE html><html><head><title>t</title></head><body>{piece}{text}</body></html>"
    out = annotate(page)
    assert piece in out, "gloss changed markup it did not write"
    assert strip_gloss(out) == page
    assert annotate(out) == out
    if not with_terms:
        assert out == page


SPLIT = [
    "<p>économie <!-- </a> --> sociale et solidaire</p>",
    '<p>économie <span title="</a>">sociale</span> et solidaire</p>',
    "<p>économie <b title='</aside>'>sociale</b> et solidaire, une SCIC</p>",
    '<p><em data-x="</a></a>">pôle</em> territorial de coopération économique</p>',
]


@pytest.mark.parametrize("page", SPLIT)
def test_strip_is_the_inverse_when_markup_inside_a_term_holds_end_tags(page):
    out = annotate(page)
    assert "gloss-term" in out
    assert strip_gloss(out) == page
    assert annotate(out) == out


@st.composite
def pages(draw: st.DrawFn) -> str:
    pieces = draw(
        st.lists(
            st.sampled_from(
                [
                    "économie",
                    "sociale",
                    "et solidaire",
                    "SCIC",
                    " ",
                    "<!-- </a> -->",
                    '<span title="</a>">',
                    "</span>",
                    "<b>",
                    "</b>",
                    '<a class="gloss-term" href="/x">',
                    "</a>",
                    '<aside class="gloss-glossary">',
                    "</aside>",
                    '<textarea><a class="gloss-term"></a></textarea>',
                    '<!-- <aside class="gloss-glossary"> -->',
                    f'<a class="gloss-term" {SIGNATURE}="{"1" * 20}">',
                    "<p>",
                    "</p>",
                ]
            ),
            max_size=24,
        )
    )
    return "<p>" + "".join(pieces)


@settings(max_examples=2_000 if full() else 200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pages())
def test_strip_gives_back_any_page_and_annotating_is_stable(page):
    out = annotate(page)
    assert strip_gloss(out) == page
    assert annotate(out) == out


def test_output_of_gloss_0_is_removed_only_when_asked(gloss, tmp_path):
    old = (
        '<p>Les <a class="gloss-term" href="#gloss-scic" aria-describedby="gloss-scic-def" data-gloss-def="x">SCIC</a>.</p>'
        '<aside class="gloss-glossary" aria-labelledby="gloss-title"><h2 id="gloss-title">Glossaire</h2></aside>'
    )
    path = tmp_path / "old.html"
    path.write_text(old, encoding="utf-8")
    assert gloss("strip", str(path)).stdout == old
    assert gloss("strip", "--legacy", str(path)).stdout == "<p>Les SCIC.</p>"
    commented = "<!-- " + old + " -->"
    path.write_text(commented, encoding="utf-8")
    assert gloss("strip", "--legacy", str(path)).stdout == commented  # a comment is no markup


def test_a_page_written_back_with_character_references_still_strips():
    """An ASCII page gets letters as references (&#8217;): the signatures still match."""
    page = b"<html><body><p>Les SCIC et l'economie sociale et solidaire.</p></body></html>"
    document = decode(page, "p.html")
    out = encode(document, ANNOTATOR.annotate(document))
    assert out.isascii() and b"&#" in out
    back = decode(out, "p.html")
    assert encode(back, strip_gloss(back.text)) == page


XHTML = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="fr" xml:lang="fr">
<head><title>Les SCIC</title><link rel="stylesheet" href="site.css"/></head>
<body><p>Une SCIC &amp; une SCOP de l’économie sociale et solidaire.</p><br/></body>
</html>
"""


@pytest.mark.parametrize("assets", ["inline", "link=/css/gloss.css", "none"])
def test_xhtml_stays_well_formed(gloss, tmp_path, assets):
    etree.fromstring(XHTML.encode())  # the input is well-formed
    page = tmp_path / "page.xhtml"
    page.write_text(XHTML, encoding="utf-8")
    result = gloss("annotate", "--assets", assets, str(page))
    assert result.exit_code == 0 and "gloss-term" in result.stdout
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    tree = etree.fromstring(result.stdout.encode(), parser)
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    assert tree.xpath("//h:a[@class='gloss-term']", namespaces=ns)
    if assets == "inline":
        [script] = tree.xpath("//h:script[@id='gloss-script']", namespaces=ns)
        assert "addEventListener" in script.text and "<" in script.text  # raw JavaScript, read back whole
    (tmp_path / "out.xhtml").write_text(result.stdout, encoding="utf-8")
    assert gloss("strip", str(tmp_path / "out.xhtml")).stdout == XHTML


def test_every_inserted_piece_is_signed():
    out = annotate("<html><head></head><body><p>Les SCIC de l’ESS.</p></body></html>")
    pieces = re.findall(
        r'<(?:a class="gloss-term"|style id="gloss-style"|script id="gloss-script"|aside class="gloss-glossary")[^>]*>', out
    )
    assert len(pieces) == 5 and all(SIGNATURE in piece for piece in pieces)
