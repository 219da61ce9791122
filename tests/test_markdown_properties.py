"""Properties of the Markdown path on generated documents (hypothesis): the walk over the source agrees
with the parser's inline tokens, every style round-trips byte for byte, annotating twice is annotating
once, and nothing is ever inserted where a CommonMark renderer reads code."""

from __future__ import annotations

import html
import os
import re
from collections import Counter
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from ptce_gloss import AnnotateOptions, Annotator
from ptce_gloss.glossary import Entry, Glossary
from ptce_gloss.html.document import Document
from ptce_gloss.html.tokens import markup_pattern
from ptce_gloss.markup import HtmlOptions
from ptce_gloss.markup.markdown import STYLES, render_markdown_html, strip_markdown
from ptce_gloss.md.inline import Lines, Unaligned, block_positions
from ptce_gloss.md.scan import front_matter_end, parser, shadow

from .conftest import full

GLOSSARY = Glossary(
    (
        Entry(
            id="scop",
            term="société coopérative et participative",
            definition="Une coopérative | de salariés.",
            acronyms=("SCOP",),
        ),
        Entry(id="ess", term="économie sociale et solidaire", definition="Entreprendre *autrement*.", acronyms=("ESS",)),
    )
)
ANNOTATOR = Annotator(GLOSSARY, AnnotateOptions(occurrences="all"))
PIECES = [
    "SCOP",
    "ESS",
    "économie",
    "sociale",
    "et",
    "solidaire",
    "l'",
    "une",
    " ",
    " ",
    " ",
    "\n",
    "\n\n",
    "\r\n",
    "*",
    "**",
    "_",
    "~~",
    "`",
    "``",
    "[",
    "]",
    "](https://x.fr)",
    '](u "t")',
    "][r]",
    "(",
    ")",
    "!",
    "![",
    "<span>",
    "</span>",
    "<b>",
    "<!--",
    "-->",
    "<div>\n",
    "</div>\n",
    "&amp;",
    "&nbsp;",
    "&eacute;",
    "&",
    "<",
    ">",
    "\\",
    "\\*",
    "\\[",
    "> ",
    "- ",
    "1. ",
    "# ",
    "## ",
    "|",
    "| --- |",
    "```\n",
    "~~~\n",
    "    ",
    "\t",
    "[^1]",
    "[^1]: ",
    "[r]: https://r.fr\n",
    "<https://a.fr/SCOP>",
    "https://b.fr/ESS",
    "---\n",
    "===\n",
]
documents = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)
EXAMPLES = int(os.environ.get("GLOSS_MD_EXAMPLES", 400 if full() else 120))
SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)


def annotate(text: str, style: str) -> str:
    return ANNOTATOR.annotate_page(Document(text, "markdown", "utf-8", "x.md"), HtmlOptions(markdown_style=style)).text


def parser_blocks(text: str) -> Counter[str]:
    """The readable text of each block of prose as the parser's inline tokens give it."""
    blocks: Counter[str] = Counter()
    fm_end = front_matter_end(text)  # front matter is no Markdown: the parser reads the rest
    for token in parser().parse(re.sub(r"[^\r\n]", "", text[:fm_end]) + text[fm_end:]):
        if token.type != "inline":
            continue
        pieces, autolink = [], False
        for child in token.children or []:
            if child.type == "link_open" and child.markup == "autolink":
                autolink = True
            elif child.type == "link_close" and autolink:
                autolink = False
            elif autolink:
                continue
            elif child.type in ("text", "text_special"):
                pieces.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                pieces.append(" ")
        readable = " ".join("".join(pieces).split())
        if readable:
            blocks[readable] += 1
    return blocks


_WIKI_LINK = re.compile(r"\[\[[^\]\n]+\]\]")
_UNIT = re.compile(r"(?:<tr>|<li>)?<(?:p|h[1-6]|td|th)>")


def shadow_blocks(text: str) -> tuple[Counter[str], int]:
    """The readable text of each block of prose of the shadow page, and how many were left out."""
    read = shadow(text, html_blocks=False)
    blocks: Counter[str] = Counter()
    for unit in _UNIT.split(read.text):
        readable = " ".join(html.unescape(markup_pattern().sub("", unit)).split())
        if readable:
            blocks[readable] += 1
    return blocks, read.unaligned


@SETTINGS
@given(documents)
def test_the_walk_reads_the_prose_the_parser_reads(text: str) -> None:
    # [[…]] and template tags are protected on purpose: text for CommonMark
    assume(not _WIKI_LINK.search(text) and "{" not in text)
    ours, left_out = shadow_blocks(text)
    assert left_out == 0, "a block the walk could not follow"
    assert ours == parser_blocks(text)


@SETTINGS
@given(st.lists(st.sampled_from([*PIECES, "\t", " \t", "  \t", "\n\t", "\n   ", "\n> ", "\n- "]), max_size=60).map("".join))
@example("- x\n \tSCOP\n")  # the tab's two columns left to the item come out as two spaces, both at the tab
@example("> - a\n>\t\tb\n")
def test_the_runs_of_a_block_break_where_its_source_offsets_do(text: str) -> None:
    # The walk copies prose between these breaks: one left out would copy the markers between two lines.
    lines, tokens = Lines(text), parser().parse(text)
    for opening, token in pairwise(tokens):
        if token.type != "inline" or token.map is None or opening.type not in ("paragraph_open", "heading_open"):
            continue
        try:
            positions, breaks = block_positions(text, lines, token.map[0], token.content, opening.type == "heading_open")
        except Unaligned:
            continue
        assert breaks == [i for i in range(1, len(positions)) if positions[i] != positions[i - 1] + 1]


@SETTINGS
@given(documents, st.sampled_from(STYLES))
def test_every_style_round_trips_and_is_idempotent(text: str, style: str) -> None:
    annotated = annotate(text, style)
    assert strip_markdown(annotated) == text
    assert annotate(annotated, style) == annotated


def _code(rendered: str) -> list[Any]:
    return re.findall(r"<code[^>]*>([\s\S]*?)</code>", rendered)


@SETTINGS
@given(documents, st.sampled_from(STYLES))
def test_nothing_is_inserted_where_code_is_read(text: str, style: str) -> None:
    annotated = annotate(text, style)
    before, after = _code(render_markdown_html(text)), _code(render_markdown_html(annotated))
    assert after == before or not any("gloss" in code for code in after)
    assert all("gloss" not in code for code in after)


@pytest.mark.parametrize(
    "text",
    [
        "une *SCOP* et l'**économie sociale** et solidaire\n",
        "> - SCOP\n>   ESS\n",
        "| SCOP | \\| ESS |\n| --- | --- |\n| x | économie sociale et solidaire |\n",
        "[SCOP](u) ![ESS](i) <https://a.fr/SCOP> `ESS` SCOP[^1]\n\n[^1]: ESS\n",
    ],
)
def test_the_walk_agrees_with_the_parser_on_known_shapes(text: str) -> None:
    ours, left_out = shadow_blocks(text)
    assert left_out == 0 and ours == parser_blocks(text)
