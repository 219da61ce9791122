"""Family 2 — where annotations may go: only in the text a reader reads as prose.

On `hostile/html/raw-text-contexts.html` the paragraphs marked ``ANNOTER:`` are the targets and
``ANNOTER?:`` are policy decisions (we annotate headings? no: headings are skipped by default; pre:
skipped; contenteditable: annotated); nothing else may change (script, style, title, textarea,
template, noscript, xmp, iframe, noembed, noframes, plaintext, svg, math, a, button, select, option,
code, pre, attributes, comments, and gloss's own elements).
"""

from __future__ import annotations

import html5lib
import pytest

from ..conftest import corpus

GLOSSARY = """entries:
  - term: glossaire
    definition: Liste de termes et de leurs définitions.
  - term: archive
    definition: Document conservé.
"""
FORBIDDEN = {
    "script", "style", "title", "textarea", "template", "noscript", "xmp", "iframe", "noembed", "noframes",
    "plaintext", "svg", "math", "a", "button", "select", "option", "code", "pre", "kbd", "samp", "var", "abbr", "dfn",
}  # fmt: skip
NS = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture
def annotated(gloss, tmp_path):
    page = corpus("hostile", "html", "raw-text-contexts.html")
    (tmp_path / "g.yaml").write_text(GLOSSARY, encoding="utf-8")
    result = gloss("annotate", "--no-default", "-g", str(tmp_path / "g.yaml"), "--occurrences", "all", "--no-appendix", str(page))
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _links(tree):
    parents = {child: parent for parent in tree.iter() for child in parent}
    for element in tree.iter(f"{NS}a"):
        if "gloss-term" in (element.get("class") or "").split():
            chain = []
            node = parents.get(element)
            while node is not None:
                chain.append(node.tag.split("}")[-1])
                node = parents.get(node)
            yield element, chain, parents


def test_annotations_only_in_the_marked_paragraphs(annotated):
    tree = html5lib.parse(annotated)
    found = []
    for link, chain, parents in _links(tree):
        assert not FORBIDDEN & set(chain), f"an annotation inside {chain}"
        block = parents[link]
        while block.tag.split("}")[-1] in ("b", "i", "em", "strong", "span"):
            block = parents[block]
        text = "".join(block.itertext())
        assert text.startswith(("ANNOTER:", "ANNOTER?:")), f"annotated outside the targets: {text[:60]!r}"
        found.append("".join(link.itertext()).lower())
    # The targets are annotated: 1 + 1 in the first two paragraphs, the entity and NBSP forms, the escaped ones.
    assert found.count("archive") >= 3 and found.count("glossaire") >= 3, found


def test_everything_else_is_byte_for_byte_the_same(annotated):
    from ptce_gloss.markup import strip_gloss

    source = corpus("hostile", "html", "raw-text-contexts.html").read_text(encoding="utf-8")
    assert strip_gloss(annotated) == source
    for raw in ("<title>glossaire dans le titre</title>", '<script>var glossaire = "glossaire </p> archive";</script>',
                "<textarea>glossaire dans textarea</textarea>", '<iframe srcdoc="<p>glossaire dans srcdoc</p>"></iframe>',
                "<!-- glossaire dans un commentaire -->", '<p title="glossaire dans un attribut" data-x="archive">'):  # fmt: skip
        assert raw in annotated
