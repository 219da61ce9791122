"""Where in a page terms are annotated (``--scope``): the article, not the site's chrome.

Site headers, menus, breadcrumbs and footers name the same terms on every page; annotated there, they
use up each term's first occurrence before the reader reaches the article.  By default gloss annotates
the page's ``<main>`` (or its articles) and never nav, header, footer or aside outside an article.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ptce_gloss import load_glossaries
from ptce_gloss.annotate import Annotator
from ptce_gloss.annotate.options import AnnotateOptions
from ptce_gloss.html.document import Document
from ptce_gloss.html.scan import project
from ptce_gloss.html.scope import Scope
from ptce_gloss.html.tags import Tokens

GLOSSARY = load_glossaries()
HEADER = "<header><p>L’actualité de l’ESS en Bretagne</p><nav><ul><li>Les SCOP</li></ul></nav></header>"
FOOTER = "<footer><p>Une SCOP et l’ESS, depuis 2001.</p></footer>"
ARTICLE = "<p>Les acteurs de l’ESS se retrouvent. Une SCOP témoigne.</p>"


def found(body: str, scope: str = "auto", occurrences: str = "first") -> list[tuple[str, str]]:
    """(entry id, the text before the match) of each occurrence annotated in a page with this body."""
    source = f"<!DOCTYPE html><html lang='fr'><head><title>t</title></head><body>{body}</body></html>"
    annotator = Annotator(GLOSSARY, AnnotateOptions(occurrences, scope=scope))  # type: ignore[arg-type]
    matches = annotator.find(Document(source, "html", "utf-8"))
    return [(m.entry.id, _where(source, m.start)) for m in matches]


def _where(source: str, start: int) -> str:
    """The landmark the match stands in: the innermost of header, nav, main, article, aside, footer."""
    best, position = "body", -1
    for name in ("header", "nav", "main", "article", "aside", "footer", "div", "section"):
        at = source.rfind(f"<{name}", 0, start)
        if at > position and source.find(f"</{name}>", at) > start:
            best, position = name, at
    return best


def test_the_first_occurrence_is_the_article_s_not_the_site_header_s():
    assert found(HEADER + f"<main>{ARTICLE}</main>" + FOOTER) == [("ess", "main"), ("scop", "main")]


def test_without_main_the_articles_are_the_scope():
    assert found(HEADER + f"<div><article>{ARTICLE}</article></div>" + FOOTER) == [("ess", "article"), ("scop", "article")]


def test_without_main_or_article_the_page_is_the_scope_minus_its_chrome():
    assert found(HEADER + f"<div>{ARTICLE}</div>" + FOOTER) == [("ess", "div"), ("scop", "div")]
    assert found(f"<aside><p>Une SCOP</p></aside><section>{ARTICLE}</section>") == [("ess", "section"), ("scop", "section")]


def test_an_article_s_own_header_footer_and_aside_are_the_article():
    body = "<main><article><header><p>Une SCOP en Bretagne</p></header><aside><p>L’ESS en chiffres</p></aside></article></main>"
    assert found(body) == [("scop", "header"), ("ess", "aside")]


def test_chrome_inside_main_but_outside_an_article_is_skipped():
    body = f"<main><nav aria-label='fil d’Ariane'>Accueil › ESS</nav>{ARTICLE}<aside>Une SCOP</aside></main>"
    assert found(body, occurrences="all") == [("ess", "main"), ("scop", "main")]


def test_landmark_roles_count_as_their_elements():
    body = f"<div role='banner'>L’ESS</div><div role=navigation>SCOP</div><div role='main' id='c'>{ARTICLE}</div>"
    assert found(body) == [("ess", "div"), ("scop", "div")]


@pytest.mark.parametrize(
    "hidden",
    ["<!-- <main> -->", "<script>var m = '<main>';</script>", "<textarea><main></textarea>"],
    ids=["comment", "script", "textarea"],
)
def test_a_main_in_a_comment_or_raw_text_is_no_main(hidden):
    assert found(hidden + f"<div>{ARTICLE}</div><p>Une SCIC.</p>") == [("ess", "div"), ("scop", "div"), ("scic", "body")]


def test_scope_body_annotates_the_whole_page_as_before():
    assert found(HEADER + f"<main>{ARTICLE}</main>", scope="body") == [("ess", "header"), ("scop", "nav")]


def test_scope_main_or_article_annotates_only_there():
    page = HEADER + f"<article>{ARTICLE}</article><main><p>Une SCIC et l’ESS.</p></main>"
    assert found(page, scope="main") == [("scic", "main"), ("ess", "main")]
    assert found(page, scope="article") == [("ess", "article"), ("scop", "article")]
    assert found(f"<div>{ARTICLE}</div>", scope="main") == []  # no <main>: nothing is annotated


@pytest.mark.parametrize(
    ("selector", "where"),
    [("#contenu", "div"), ("div#contenu", "div"), (".entry-content", "section"), ("[itemprop=articleBody]", "section")],
)
def test_a_simple_selector_chooses_the_scope(selector, where):
    page = (
        "<div id='ailleurs'><p>Une SCIC.</p></div>"
        f"<div id='contenu'>{ARTICLE}</div>"
        f"<section class='post entry-content' itemprop='articleBody'>{ARTICLE}</section>"
    )
    got = found(page, scope=selector)
    assert got and all(place == where for _, place in got) and "scic" not in {entry for entry, _ in got}


@pytest.mark.parametrize("bad", ["div p", "main > p", "a:hover", "a, b", ""])
def test_selectors_gloss_cannot_read_are_refused(bad):
    with pytest.raises(ValueError, match="simple selector"):
        AnnotateOptions(scope=bad)


def test_the_command_line_and_every_view(gloss, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(f"<html lang='fr'><body>{HEADER}<main>{ARTICLE}</main></body></html>", encoding="utf-8")
    report = json.loads(gloss("annotate", "-f", "json", str(page)).stdout)
    positions = [m["start"] for m in report["matches"]]
    main = page.read_text(encoding="utf-8").index("<main>")
    assert positions and all(p > main for p in positions)
    html = gloss("annotate", str(page)).stdout
    assert html.index('class="gloss-term"') > html.index("<main>")
    everywhere = json.loads(gloss("annotate", "-f", "json", "--scope", "body", str(page)).stdout)
    assert min(m["start"] for m in everywhere["matches"]) < main
    refused = gloss("annotate", "--scope", "main p", str(page))
    assert refused.exit_code == 2 and "simple selector" in refused.stderr


CHROME = {"nav", "header", "footer", "aside"}
UNCLOSED = [
    "<header><nav><ul><li>Accueil</li></ul></header><p>Une SCOP.</p>",  # the nav ends with its header
    "<header><table><tr><td><nav>Menu</td></tr></table></header><p>Une SCOP.</p>",  # with its cell
    "<div><nav>Menu</div><p>Une SCOP.</p>",
    "<ul><li><nav>Menu</li><li>Une SCOP.</li></ul>",
    "<nav>Menu</div><p>Une SCOP.</p>",  # a stray end tag closes nothing
    "<nav>Menu<p>Une SCOP.</p>",  # never closed: to the end of the page
    "<b><nav>Menu</b><p>Une SCOP.</p></nav>",  # a formatting end tag leaves the nav open
    "<p>Texte<nav>Menu</nav>Une SCOP.</p>",
    "<div><main><p>Texte</div><p>Une SCOP.</p>",  # the main ends with its div: the term is outside
    "<main><section><nav>Menu</section><p>Une SCOP.</p></main>",
]

SOUP = [
    *"<main> </main> <nav> </nav> <article> </article> <header> </header> <footer> </footer> <aside> </aside>".split(),
    *"<div> </div> <span> </span> <b> </b> <p> </p> <ul> <li> </ul> <table> <td> </table> <svg> </svg> <br> <hr>".split(),
    "<div role=main>",
    "<span role=navigation>",
    "<p role=banner>",
    "<li role=complementary>",
    "<main/>",
    "<a href=x/>",
    "<a href=x>",
    "</a>",
    "<!-- c -->",
    "ESS ",
    "texte ",
]
"""Pieces of tag soup: landmarks, blocks, inline and void elements, tags closed implicitly, roles, text."""


def _annotated_per_html5lib(body: str) -> bool:
    """Whether the page's one SCOP stands where --scope auto annotates, per the tree html5lib builds."""
    html5lib = pytest.importorskip("html5lib")
    tree = html5lib.parse(f"<!DOCTYPE html><html lang='fr'><body>{body}</body></html>", namespaceHTMLElements=False)

    def path(element, above):
        names = [*above, element.tag]
        if element.text and "SCOP" in element.text:
            return names
        for child in element:
            found_below = path(child, names)
            if found_below:
                return found_below
            if child.tail and "SCOP" in child.tail:
                return names
        return None

    names = path(tree, [])
    assert names is not None
    has_main = tree.find(".//main") is not None
    if has_main and "main" not in names:
        return False
    inside = names[names.index("main") :] if has_main else names
    return not CHROME & set(inside)


@pytest.mark.parametrize("body", UNCLOSED)
def test_an_element_left_open_ends_where_a_browser_ends_it(body):
    """A landmark left unclosed ends as a browser's tree builder ends it (with the element around it, a
    cell, a list item; never at a stray end tag), so that legacy pages with an unclosed <nav> inside
    their header are annotated, and the chrome they keep is still skipped."""
    expected = _annotated_per_html5lib(body)
    assert bool(found(body)) == expected, body


@pytest.mark.parametrize("letters", ["İ", "İstanbul ẞ ﬁ", "İ" * 40])
def test_letters_whose_lower_case_is_longer_in_the_markup_do_not_move_the_landmarks(letters):
    """« İ » lower-cased is two characters (ﬁ and ẞ change too): in an attribute before the article, it
    must not shift where gloss reads the page's landmarks, so the article is annotated and the chrome not."""
    chrome = f'<nav title="{letters}"><p>Les SCOP</p></nav>'
    assert found(chrome + f"<main>{ARTICLE}</main>") == found(f"<nav><p>Les SCOP</p></nav><main>{ARTICLE}</main>") != []
    assert {where for _, where in found(chrome + f'<main><p title="{letters}">x</p>{ARTICLE}</main>')} == {"main"}


@pytest.mark.parametrize(
    "body",
    [
        "<div><nav>Les SCOP</div><p>Une SCOP.</p>",  # the nav, open where the first term stands, ends before the second
        "<ul><li><nav>Les SCOP</li><li>Une SCOP.</li></ul>",
        "<span role='navigation'></span><p>Une SCOP.</p>",  # a landmark opened and closed at once
        "<span role='navigation'><a href='/'>Accueil</a></span><p>Une SCOP.</p>",
        "<svg><g/><span/></svg><span role='navigation'><b>Les SCOP</b></span><p>Une SCOP.</p>",
        "<ul><li><span role='navigation'></span></li></ul><p>Une SCOP.</p>",  # a landmark in a list item
        "<ul><li role='navigation'>Menu<li><span>Une SCOP</span></li></ul>",  # the second item closes the first
        "<ol><li role='navigation'>Menu</li><li><span>Une SCOP</span></li></ol>",
    ],
)
def test_the_page_is_read_only_as_far_as_the_terms_and_still_the_same(body):
    """gloss reads the page's structure only as far as the terms it looks at: an element still open
    where one term stands may end before the next, and the answer must be the one a reading of the
    whole page gives (here, per html5lib: the second SCOP is annotated, the one in the menu is not)."""
    assert _annotated_per_html5lib(body.replace("Les SCOP", "Les coopératives")) is True
    assert found(body) == [("scop", "body")]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(SOUP), min_size=1, max_size=30), st.sampled_from(["auto", "main", "article", "div", "[role=main]"])
)
def test_reading_part_of_the_page_answers_as_reading_all_of_it(pieces, scope):
    """Whatever the tags, a scope asked about its spans in order (reading the page as far as each) says
    what it says once it has read the whole page."""
    source = "".join(pieces)
    markup = project(source, True).markup
    assert markup is not None
    spans = [(a, b) for a, b in zip(markup.before[0::2], markup.before[1::2], strict=False) if a < b]

    def fresh() -> Scope:
        tokens = Tokens(markup.parts, markup.before)
        return Scope(tokens, tokens.lowered, scope)

    asked_in_order, whole = fresh(), fresh()
    whole.covers(len(source), len(source))  # reads every tag
    for start, _ in spans:
        for _, end in spans:
            if start < end:
                assert asked_in_order.covers(start, end) == whole.covers(start, end), (source, start, end)
