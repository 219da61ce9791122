"""Each Markdown style rendered by real renderers: markdown-it-py (CommonMark, GFM tables, footnotes)
and Python-Markdown (the one MkDocs uses, with abbr, tables and footnotes). In the rendered HTML the
term is marked, its definition is reachable, and the text of every paragraph is what it was."""

from __future__ import annotations

from typing import Any

import lxml.html
import pytest

from ptce_gloss import AnnotateOptions, Annotator, load_glossaries
from ptce_gloss.html.document import Document
from ptce_gloss.markup import HtmlOptions
from ptce_gloss.markup.markdown import render_markdown_html

from .conftest import EXAMPLES

markdown = pytest.importorskip("markdown", reason="Python-Markdown is a test dependency (pip install -e '.[test]')")

MARKDOWN_EXAMPLES = sorted(path.name for path in EXAMPLES.glob("*.md"))
BLOCKS = "//p | //li | //td | //th | //h1 | //h2 | //h3 | //h4 | //h5 | //h6 | //blockquote"


@pytest.fixture(scope="module")
def annotator() -> Annotator:
    return Annotator(load_glossaries(), AnnotateOptions(occurrences="first"))


@pytest.fixture(scope="module")
def definitions() -> dict[str, str]:
    return {entry.id: entry.definition for entry in load_glossaries().entries}


def markdown_it(text: str) -> Any:
    return lxml.html.fromstring(f"<div>{render_markdown_html(text)}</div>")


def python_markdown(text: str) -> Any:
    from ptce_gloss.md.scan import front_matter_end

    rendered = markdown.markdown(text[front_matter_end(text) :], extensions=["abbr", "tables", "footnotes"])
    return lxml.html.fromstring(f"<div>{rendered}</div>")


RENDERERS = {"markdown-it": markdown_it, "python-markdown": python_markdown}


def annotate(annotator: Annotator, text: str, style: str) -> str:
    return annotator.annotate_page(Document(text, "markdown", "utf-8", "page.md"), HtmlOptions(markdown_style=style)).text


def paragraphs(tree: Any) -> list[str]:
    """The text of every block, in order, as a reader reads it."""
    return [" ".join(node.text_content().split()) for node in tree.xpath(BLOCKS)]


def without(tree: Any, xpath: str) -> Any:
    for node in tree.xpath(xpath):
        node.drop_tree()
    return tree


def source_of(name: str) -> str:
    return (EXAMPLES / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("renderer", RENDERERS)
@pytest.mark.parametrize("name", MARKDOWN_EXAMPLES)
def test_html_style_marks_terms_with_their_definition(annotator, definitions, name, renderer):
    render = RENDERERS[renderer]
    source = source_of(name)
    tree = render(annotate(annotator, source, "html"))
    terms = tree.xpath('//a[@class="gloss-term"]')
    assert len(terms) >= 5
    for term in terms:
        entry = term.get("href").removeprefix("#gloss-")
        assert term.get("data-gloss-def") == definitions[entry]
        target = tree.xpath(f'//*[@id="{term.get("aria-describedby")}"]')
        assert target and target[0].text_content() == definitions[entry], "the definition in the glossary section"
        assert not term.xpath("ancestor::code | ancestor::pre | ancestor::h1 | ancestor::h2 | ancestor::a")
    assert tree.xpath('//style[@id="gloss-style"]') and tree.xpath('//script[@id="gloss-script"]')
    original = paragraphs(render(source))
    assert paragraphs(without(tree, '//aside[@class="gloss-glossary"]')) == original


@pytest.mark.parametrize("renderer", RENDERERS)
@pytest.mark.parametrize("name", MARKDOWN_EXAMPLES)
def test_link_style_marks_terms_with_a_titled_link_and_a_glossary_section(annotator, definitions, name, renderer):
    render = RENDERERS[renderer]
    source = source_of(name)
    tree = render(annotate(annotator, source, "link"))
    links = tree.xpath('//a[starts-with(@href, "#gloss-")]')
    assert len(links) >= 5
    for link in links:
        entry = link.get("href").removeprefix("#gloss-")
        assert definitions[entry] in link.get("title")
    heading = tree.xpath('//h2[text()="Glossaire"]')
    assert heading, "the glossary section"
    section = heading[0].getnext()
    assert section.tag == "ul" and len(section) == len({link.get("href") for link in links})
    for item, link in zip(section, dict.fromkeys(link.get("href") for link in links), strict=True):
        assert definitions[link.removeprefix("#gloss-")] in item.text_content()
    assert "](#gloss-" not in tree.text_content(), "every link is read as a link"
    assert "raw" not in tree.text_content() and "<a" not in tree.text_content()
    section.drop_tree()
    heading[0].drop_tree()
    assert paragraphs(tree) == paragraphs(render(source))


@pytest.mark.parametrize("name", MARKDOWN_EXAMPLES)
def test_abbr_style_is_read_by_python_markdown_abbr(annotator, definitions, name):
    source = source_of(name)
    annotated = annotate(annotator, source, "abbr")
    tree = python_markdown(annotated)
    abbreviations = tree.xpath("//abbr")
    assert {node.text for node in abbreviations} >= {"SCOP", "SCIC"}
    for node in abbreviations:
        assert node.get("title") and node.text in annotated.split("[gloss-start]")[1]
    scop = next(node for node in abbreviations if node.text == "SCOP")
    assert definitions["scop"][:60] in scop.get("title")
    assert paragraphs(tree) == paragraphs(python_markdown(source))


@pytest.mark.parametrize("renderer", RENDERERS)
@pytest.mark.parametrize("name", MARKDOWN_EXAMPLES)
def test_footnote_style_calls_a_footnote_holding_the_definition(annotator, definitions, name, renderer):
    render = RENDERERS[renderer]
    source = source_of(name)
    annotated = annotate(annotator, source, "footnote")
    tree = render(annotated)
    ours = 0
    for call in tree.xpath("//sup//a[starts-with(@href, '#')]"):
        note = tree.xpath(f'//*[@id="{call.get("href")[1:]}"]')
        assert note, f"footnote {call.get('href')} is missing"
        ours += any(definition in note[0].text_content() for definition in definitions.values())
    assert ours >= 5
    assert "[^gloss-" not in tree.text_content(), "every call is read as a call"
    notes = "//section[@class='footnotes'] | //div[@class='footnote'] | //hr[@class='footnotes-sep']"
    original = paragraphs(without(without(render(source), notes), "//sup"))
    assert paragraphs(without(without(tree, notes), "//sup")) == original
