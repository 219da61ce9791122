"""Markdown in, Markdown out: where terms are found, what is never touched, byte-exact round trips,
the four styles, and the command line (single files, --in-place, --check, --diff, batches)."""

from __future__ import annotations

import json
import re
import zipfile

import pytest

from ptce_gloss import AnnotateOptions, Annotator, load_glossaries
from ptce_gloss.glossary import Entry, Glossary
from ptce_gloss.html.document import Document, decode
from ptce_gloss.markup import HtmlOptions
from ptce_gloss.markup.markdown import STYLES, strip_markdown
from ptce_gloss.md.scan import front_matter_end, shadow

from .conftest import EXAMPLES

MARKDOWN_EXAMPLES = sorted(path.name for path in EXAMPLES.glob("*.md"))


SMALL = Glossary(
    (
        Entry(
            id="scop",
            term="société coopérative et participative",
            definition="Société coopérative dont les salariés sont associés.",
            acronyms=("SCOP",),
        ),
        Entry(
            id="scic",
            term="société coopérative d'intérêt collectif",
            definition="Coopérative à plusieurs collèges.",
            acronyms=("SCIC",),
        ),
        Entry(id="ess", term="économie sociale et solidaire", definition="Entreprendre autrement.", acronyms=("ESS",)),
        Entry(id="esus", term="entreprise solidaire d'utilité sociale", definition="Un agrément.", acronyms=("ESUS",)),
    )
)


@pytest.fixture(scope="module")
def every() -> Annotator:
    """A small glossary, every occurrence annotated."""
    return Annotator(SMALL, AnnotateOptions(occurrences="all"))


@pytest.fixture(scope="module")
def bundled() -> Annotator:
    """The bundled glossary, every occurrence annotated."""
    return Annotator(load_glossaries(), AnnotateOptions(occurrences="all"))


def md(text: str, name: str = "page.md") -> Document:
    return Document(text, "markdown", "utf-8", name)


def found(annotator: Annotator, text: str) -> list[str]:
    """The source text of each occurrence found in a Markdown text."""
    return [text[m.start : m.end] for m in annotator.find(md(text))]


def annotate(annotator: Annotator, text: str, style: str = "html") -> str:
    return annotator.annotate_page(md(text), HtmlOptions(markdown_style=style)).text


# --- where terms are found ------------------------------------------------------------------------

PROSE = [
    ("paragraph", "Une SCOP est une coopérative.\n", "SCOP"),
    ("list item", "- une SCOP\n- autre chose\n", "SCOP"),
    ("ordered item", "1. une SCOP\n2. autre chose\n", "SCOP"),
    ("block quote", "> Une SCOP, dit-elle.\n", "SCOP"),
    ("nested quote in a list", "- > une SCOP\n", "SCOP"),
    ("table cell", "| a | b |\n|---|---|\n| une SCOP | x |\n", "SCOP"),
    ("emphasis", "Une *SCOP* ici.\n", "SCOP"),
    ("strong", "Une __SCOP__ ici.\n", "SCOP"),
    ("strikethrough", "Une ~~SCOP~~ ici.\n", "SCOP"),
    ("split by emphasis", "Une économie *sociale* et solidaire.\n", "économie *sociale* et solidaire"),
    ("split by strong", "L'**économie sociale** et solidaire.\n", "économie sociale** et solidaire"),
    ("across a line break", "l'économie sociale\net solidaire\n", "économie sociale\net solidaire"),
    ("across a quoted line", "> l'économie sociale\n> et solidaire\n", "économie sociale\n> et solidaire"),
    ("character reference", "L&rsquo;&eacute;conomie sociale et solidaire.\n", "&eacute;conomie sociale et solidaire"),
    ("no-break space reference", "Une SCOP&nbsp;: oui.\n", "SCOP"),
    ("escape before", "\\*SCOP\\* ici.\n", "SCOP"),
    ("after raw inline html", 'Une <span class="x">SCOP</span>.\n', "SCOP"),
    ("html block", "<div>\nUne SCOP ici.\n</div>\n", "SCOP"),
    ("footnote text", "Texte[^1].\n\n[^1]: Une SCOP.\n", "SCOP"),
    ("hugo shortcode content", "{{% notice %}}\nUne SCOP.\n{{% /notice %}}\n", "SCOP"),
    ("setext heading is skipped but text after is not", "Titre\n=====\n\nUne SCOP.\n", "SCOP"),
    ("CRLF line endings", "Titre\r\n\r\nUne SCOP\r\nici.\r\n", "SCOP"),
]


@pytest.mark.parametrize(("text", "expected"), [(t, e) for _, t, e in PROSE], ids=[n for n, _, _ in PROSE])
def test_terms_are_found_in_the_prose_a_reader_sees(every, text, expected):
    spans = found(every, text)
    if expected is None:
        assert spans, f"nothing found in {text!r}"
    else:
        assert spans == [expected]


PROTECTED = [
    ("yaml front matter", "---\ntitle: La SCOP\ntags: [SCOP]\n---\nTexte.\n"),
    ("toml front matter", "+++\ntitle = 'La SCOP'\n+++\nTexte.\n"),
    ("fenced code", "```\nune SCOP\n```\n"),
    ("tilde fence with info", "~~~python\nSCOP = 1\n~~~\n"),
    ("indented code", "Texte.\n\n    une SCOP\n"),
    ("inline code", "Le mot `SCOP` ici.\n"),
    ("double-backtick code", "Le mot ``une ` SCOP`` ici.\n"),
    ("link target", "Voir [ici](https://exemple.fr/SCOP).\n"),
    ("link title", 'Voir [ici](https://exemple.fr "La SCOP").\n'),
    ("reference definition", 'Voir [ici][r].\n\n[r]: https://exemple.fr/SCOP "Une SCOP"\n'),
    ("image alt and target", '![une SCOP](scop.png "SCOP")\n'),
    ("autolink", "Voir <https://exemple.fr/SCOP>.\n"),
    ("email autolink", "Écrire à <scop@exemple.fr>.\n"),
    ("bare URL", "Voir https://exemple.fr/SCOP/ici.\n"),
    ("raw html attribute", 'Voir <span title="une SCOP">ici</span>.\n'),
    ("html comment", "Texte <!-- une SCOP --> ici.\n"),
    ("html comment block", "<!--\nune SCOP\n-->\n"),
    ("script block", "<script>\nvar SCOP = 1;\n</script>\n"),
    ("footnote label", "Texte[^SCOP].\n\n[^SCOP]: Rien.\n"),
    ("jinja expression", "Texte {{ page.SCOP }} ici.\n"),
    ("hugo shortcode", '{{< figure src="x.png" caption="La SCOP" >}}\n'),
    ("hugo markdown shortcode", '{{% ref "SCOP" %}}\n'),
    ("liquid tag", '{% include "SCOP.html" %}\n'),
    ("gitbook tab", '{% tab title="SCOP" %}\nTexte.\n{% endtab %}\n'),
    ("liquid raw block", "{% raw %}\nune SCOP\n{% endraw %}\n"),
    ("liquid comment", "{% comment %}une SCOP{% endcomment %}\n"),
    ("erb", "Texte <%= SCOP %> ici.\n"),
    ("jinja comment", "Texte {# une SCOP #} ici.\n"),
    ("attribute list", "## Titre {#SCOP}\n\nTexte {.SCOP} ici.\n"),
    ("wiki link", "Voir [[SCOP]] ici.\n"),
    ("heading (skipped by default)", "# La SCOP\n\nTexte.\n"),
    ("link text (skipped by default)", "Voir [la SCOP](https://exemple.fr).\n"),
    ("unclosed fence", "Texte.\n\n```\nune SCOP\n"),
    ("fence in a list", "- item\n\n  ```\n  une SCOP\n  ```\n"),
]


@pytest.mark.parametrize("text", [t for _, t in PROTECTED], ids=[n for n, _ in PROTECTED])
def test_nothing_is_found_in_protected_syntax(every, text):
    assert found(every, text) == []
    for style in STYLES:
        annotated = annotate(every, text, style)
        assert annotated == text, f"{style}: {annotated!r}"


def test_headings_and_links_come_in_with_no_skip():
    options = AnnotateOptions(occurrences="all", skip=AnnotateOptions().skip - {"h1", "h2", "a"})
    annotator = Annotator(SMALL, options)
    text = "# La SCOP\n\nVoir [la SCIC](https://exemple.fr).\n"
    assert found(annotator, text) == ["SCOP", "SCIC"]


def test_the_cli_reads_heading_and_link_as_element_kinds(gloss, tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# La SCOP\n\nVoir [la SCIC](https://exemple.fr).\n", encoding="utf-8")
    result = gloss("annotate", "--format", "json", "--no-skip", "heading", "--no-skip", "link", str(page))
    assert [m["surface"] for m in json.loads(result.stdout)["matches"]] == ["SCOP", "SCIC"]
    result = gloss("annotate", "--format", "json", str(page))
    assert json.loads(result.stdout)["matches"] == []


def test_the_json_offsets_are_in_the_markdown_source(gloss):
    source = (EXAMPLES / "hugo-article.md").read_text(encoding="utf-8")
    result = gloss("annotate", "--format", "json", "--occurrences", "all", str(EXAMPLES / "hugo-article.md"))
    record = json.loads(result.stdout)
    assert record["format"] == "markdown"
    assert len(record["matches"]) >= 10
    lines = source.split("\n")
    for match in record["matches"]:
        written = source[match["start"] : match["end"]]
        assert " ".join(written.replace("*", "").split()) == match["surface"].replace("*", "")
        line = lines[match["line"] - 1]
        assert line[match["column"] - 1 :].startswith(written.split("\n")[0])
        assert match["start"] >= front_matter_end(source)


# --- the round trip -------------------------------------------------------------------------------


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("name", MARKDOWN_EXAMPLES)
def test_examples_round_trip_byte_for_byte(bundled, name, style):
    source = (EXAMPLES / name).read_text(encoding="utf-8")
    annotated = annotate(bundled, source, style)
    assert annotated != source
    assert strip_markdown(annotated) == source
    assert annotate(bundled, annotated, style) == annotated  # annotating twice is annotating once
    # Insertions only: the source is a subsequence of the annotated text, in order.
    position = 0
    for char in source:
        position = annotated.index(char, position) + 1


@pytest.mark.parametrize("name", MARKDOWN_EXAMPLES)
def test_a_new_style_replaces_the_old_one(bundled, name):
    source = (EXAMPLES / name).read_text(encoding="utf-8")
    footnotes = annotate(bundled, source, "footnote")
    assert annotate(bundled, footnotes, "link") == annotate(bundled, source, "link")


@pytest.mark.parametrize("name", MARKDOWN_EXAMPLES)
def test_examples_keep_protected_syntax_untouched(bundled, name):
    """In the examples, every line of front matter, code, template tags and link targets is kept
    as it is: insertions land in prose only."""
    source = (EXAMPLES / name).read_text(encoding="utf-8")
    read = shadow(source)
    annotated = annotate(bundled, source, "html")
    for match in bundled.find(md(source)):
        for low, high in [(0, read.front_matter)] + read.footnote_calls:
            assert not (low <= match.start < high)
        for link in read.links:
            assert not (link.open_start <= match.start < link.close_end)
    # An oracle of our own for the examples' protected syntax: no occurrence may touch it.
    protected = re.compile(
        r"\A---\n[\s\S]*?\n---\n|^```[\s\S]*?^```|`[^`\n]+`|\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}|\]\([^)]*\)"
        r"|<[^>\n]+>|\[\^[^\]]+\]",
        re.MULTILINE,
    )
    spans = [m.span() for m in protected.finditer(source)]
    assert len(spans) >= 9
    for match in bundled.find(md(source)):
        for low, high in spans:
            assert match.end <= low or match.start >= high, f"{source[match.start : match.end]!r} in {source[low:high]!r}"
    protected_lines = [
        line
        for line in source.split("\n")
        if line.startswith(("{%", "{{", "```", "taxonomies", "  tag:", "title:", "tags:", "summary:", "description:"))
    ]
    annotated_lines = set(annotated.split("\n"))
    for line in protected_lines:
        assert line in annotated_lines, f"changed: {line!r}"


def test_a_site_own_gloss_like_markup_in_code_is_never_stripped(every):
    text = 'Le code `<a class="gloss-term" data-gloss-sig="0123456789abcdef0123">x</a>` reste.\n\n```\n[gloss-signature]: #gloss "0123456789abcdef0123 link"\n```\n'
    assert strip_markdown(text) == text
    annotated = annotate(every, text + "\nUne SCOP.\n")
    assert strip_markdown(annotated) == text + "\nUne SCOP.\n"


def test_a_tampered_trailer_is_not_removed(every):
    annotated = annotate(every, "Une SCOP.\n", "footnote")
    tampered = annotated.replace("Société coopérative", "Société anonyme")
    assert tampered != annotated
    assert strip_markdown(tampered) == tampered  # unproven: nothing taken out


@pytest.mark.parametrize("style", STYLES)
def test_the_trailer_goes_before_an_unclosed_fence(every, style):
    source = "Une SCOP et une SCIC.\n\n```\nune SCOP dans du code\n"
    annotated = annotate(every, source, style)
    fence = annotated.index("```")
    assert annotated[fence:] == source[source.index("```") :], "nothing may be written inside the code"
    assert strip_markdown(annotated) == source


def test_abbr_writes_definitions_for_acronyms_only(every):
    annotated = annotate(every, "Une SCOP pratique l'économie sociale et solidaire.\n", "abbr")
    lines = [line for line in annotated.split("\n") if line.startswith("*[")]
    assert [line.split("]")[0] for line in lines] == ["*[SCOP", "*[ESS"]
    assert annotated.startswith("Une SCOP pratique l'économie sociale et solidaire.\n")


def test_footnote_labels_never_collide_with_the_page_own(every):
    source = "Une SCOP[^gloss-scop].\n\n[^gloss-scop]: Ma note.\n\nEt une SCIC.\n"
    annotated = annotate(every, source, "footnote")
    assert "[^gloss-scic]" in annotated
    assert "[^gloss-scop-2]: " in annotated or "SCOP[^gloss-scop][^" not in annotated
    assert strip_markdown(annotated) == source


def test_definitions_cannot_break_a_table_row():
    entry = Entry(id="scop", term="SCOP", definition="Une | barre\net un `accent grave` *étoile*", acronyms=("SCOP",))
    annotator = Annotator(Glossary((entry,)))
    source = "| a | b |\n|---|---|\n| SCOP | x |\n"
    for style in ("html", "link"):
        annotated = annotator.annotate_page(md(source), HtmlOptions(markdown_style=style)).text
        row = annotated.split("\n")[2]
        assert row.count("|") - row.count("\\|") == 3, row
        assert strip_markdown(annotated) == source


# --- bad input ------------------------------------------------------------------------------------


def test_invalid_utf8_markdown_gets_the_text_error(gloss, tmp_path):
    broken = b"\xef\xbb\xbf" + ("Une SCOP " * 10).encode() + b"\xff\xfe\xfa" * 40
    errors = {}
    for name in ("page.md", "page.txt"):
        (tmp_path / name).write_bytes(broken)
        result = gloss("annotate", str(tmp_path / name), "-o", str(tmp_path / "out"))
        assert result.exit_code == 1
        errors[name] = result.stderr.replace(name, "NAME")
        assert not (tmp_path / "out").exists()
    assert errors["page.md"] == errors["page.txt"]
    assert "not valid UTF-8" in errors["page.md"] and len(errors["page.md"].strip().split("\n")) == 1


@pytest.mark.parametrize(
    "text",
    [
        "Une SCOP\n\n```\nnon fermé SCOP\n\nUne SCIC\n",
        "<div>\n\nUne SCOP <span title='x\n\nUne SCIC\n",
        "Une `SCOP\n\nUne SCIC ``\n",
        "> Une SCOP\n> ```\n> SCIC\n\nsuite SCOP\n",
        "- Une SCOP\n    ```\n    SCIC\n",
        "<!-- SCOP\n\nSCIC\n",
        "Texte\n<pre>\nSCOP\n\nSCIC\n",
    ],
)
@pytest.mark.parametrize("style", STYLES)
def test_markdown_parsers_could_disagree_on_stays_exact(every, text, style):
    annotated = annotate(every, text, style)
    assert strip_markdown(annotated) == text
    rendered = _render(annotated)
    for code in _code_texts(rendered):
        assert "gloss" not in code, f"{style}: an insertion inside code: {code!r}"


def _render(text: str) -> str:
    from ptce_gloss.markup.markdown import render_markdown_html

    return render_markdown_html(text)


def _code_texts(rendered: str) -> list[str]:
    import re

    return re.findall(r"<code[^>]*>([\s\S]*?)</code>|<!--([\s\S]*?)-->", rendered) and [
        a or b for a, b in re.findall(r"<code[^>]*>([\s\S]*?)</code>|<!--([\s\S]*?)-->", rendered)
    ]


# --- the command line -----------------------------------------------------------------------------


def test_a_markdown_file_is_written_back_as_markdown(gloss, tmp_path):
    out = tmp_path / "out.md"
    result = gloss("annotate", str(EXAMPLES / "hugo-article.md"), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith("---\ntitle:")
    assert '<a class="gloss-term"' in text and "<!DOCTYPE" not in text
    stripped = gloss("strip", str(out))
    assert stripped.stdout_bytes == (EXAMPLES / "hugo-article.md").read_bytes()


def test_standard_input_is_read_as_markdown_when_asked(gloss):
    source = (EXAMPLES / "gitbook-page.md").read_text(encoding="utf-8")
    result = gloss("annotate", "--input-format", "markdown", "--markdown-style", "footnote", "-", input=source)
    assert result.exit_code == 0, result.stderr
    assert "[^gloss-scop]" in result.stdout and result.stdout.startswith("---\ndescription:")


def test_format_html_renders_a_standalone_page(gloss):
    result = gloss("annotate", "--format", "html", str(EXAMPLES / "hugo-article.md"))
    page = result.stdout
    assert page.startswith("<!DOCTYPE html>")
    assert "<title>Coopérer sur son territoire : l&#x27;exemple d&#x27;un PTCE en Bretagne</title>" in page
    assert "<table>" in page and 'class="gloss-term"' in page
    assert "draft: false" not in page  # the front matter is no content


def test_format_markdown_refuses_html_input(gloss):
    result = gloss("annotate", "--format", "markdown", str(EXAMPLES / "ptce-bretagne.html"))
    assert result.exit_code == 1
    assert "is not Markdown" in result.stderr


def test_in_place_check_and_diff_work_on_markdown(gloss, tmp_path):
    page = tmp_path / "page.md"
    original = (EXAMPLES / "gitbook-page.md").read_bytes()
    page.write_bytes(original)
    assert gloss("annotate", "--check", str(page)).exit_code == 1
    diff = gloss("annotate", "--diff", "--markdown-style", "link", str(page))
    assert diff.exit_code == 1 and "+[^" not in diff.stdout and "](#gloss-" in diff.stdout
    assert page.read_bytes() == original
    assert gloss("annotate", "--in-place", "--markdown-style", "link", str(page)).exit_code == 0
    assert gloss("annotate", "--check", "--markdown-style", "link", str(page)).exit_code == 0
    assert gloss("strip", "--in-place", str(page)).exit_code == 0
    assert page.read_bytes() == original


def test_format_html_cannot_rewrite_markdown_in_place(gloss, tmp_path):
    page = tmp_path / "page.md"
    page.write_text("Une SCOP.\n", encoding="utf-8")
    result = gloss("annotate", "--format", "html", "--in-place", str(page))
    assert result.exit_code == 1 and "would become HTML" in result.stderr
    assert page.read_text(encoding="utf-8") == "Une SCOP.\n"


def test_a_batch_keeps_markdown_names_and_kind(gloss, tmp_path):
    site = tmp_path / "content"
    (site / "posts").mkdir(parents=True)
    for name in MARKDOWN_EXAMPLES:
        (site / "posts" / name).write_bytes((EXAMPLES / name).read_bytes())
    (site / "notes.markdown").write_text("Une SCIC.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = gloss("annotate", str(site), "-o", str(out), "-j", "1", "-q", "--markdown-style", "abbr")
    assert result.exit_code == 0, result.stderr
    names = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert names == ["notes.markdown", *(f"posts/{n}" for n in MARKDOWN_EXAMPLES)]
    for path in out.rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        assert "*[SCOP]: " in text and "<a class" not in text
        assert strip_markdown(text).encode() == (site / "posts" / path.name).read_bytes()
    archive = tmp_path / "site.zip"
    result = gloss("annotate", str(site), "-o", str(archive), "-j", "1", "-q")
    assert result.exit_code == 0, result.stderr
    with zipfile.ZipFile(archive) as zipped:
        assert sorted(zipped.namelist()) == names


def test_in_place_on_a_folder_of_markdown(gloss, tmp_path):
    site = tmp_path / "docs"
    site.mkdir()
    for name in MARKDOWN_EXAMPLES:
        (site / name).write_bytes((EXAMPLES / name).read_bytes())
    assert gloss("annotate", "--in-place", str(site), "-j", "1", "-q").exit_code == 0
    for name in MARKDOWN_EXAMPLES:
        written = (site / name).read_text(encoding="utf-8")
        assert "[gloss-signature]: #gloss" in written
        assert strip_markdown(written).encode() == (EXAMPLES / name).read_bytes()
    assert gloss("annotate", "--check", *(str(site / name) for name in MARKDOWN_EXAMPLES)).exit_code == 0


def test_the_terminal_preview_reads_markdown_as_prose(gloss):
    result = gloss("annotate", "--format", "terminal", "--no-color", str(EXAMPLES / "gitbook-page.md"))
    assert result.exit_code == 0
    assert "{% tab" not in result.stdout and "```" not in result.stdout and "| ---" not in result.stdout
    assert "SCOP[" in result.stdout


def test_the_library_reads_markdown_files_by_name(tmp_path):
    document = decode((EXAMPLES / "gitbook-page.md").read_bytes(), "gitbook-page.md")
    assert document.kind == "markdown"
    assert decode(b"# Titre\n\nUne SCOP.\n", "-").kind == "text"  # standard input is Markdown only when asked


def test_the_style_can_come_from_gloss_toml(gloss, tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    (tmp_path / "gloss.toml").write_text('[annotate]\nmarkdown-style = "footnote"\n', encoding="utf-8")
    (tmp_path / "page.md").write_text("Une SCOP.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert gloss("annotate", "page.md").stdout.startswith("Une SCOP[^gloss-scop].\n")
    assert gloss("annotate", "--markdown-style", "link", "page.md").stdout.startswith("Une [SCOP](#gloss-scop ")


def test_strip_reads_standard_input_as_markdown_when_asked(gloss):
    source = 'Une SCOP.\n\n`<a class="gloss-term">` reste du code.\n'
    annotated = gloss("annotate", "--input-format", "markdown", "-", input=source).stdout
    assert annotated != source
    assert gloss("strip", "--input-format", "markdown", "-", input=annotated).stdout == source
    as_html = gloss("strip", "--input-format", "html", "-", input=annotated).stdout
    assert as_html != source  # read as HTML, the Markdown trailer is no signed HTML piece


def test_a_page_that_names_its_glossaire_is_read_once(every, monkeypatch):
    # « gloss » in a page makes gloss look for its own earlier markup: when there is none, the page read
    # for that is the page annotated, not read a second time (a site's pages link to its glossaire).
    from ptce_gloss.markup import markdown
    from ptce_gloss.md import scan

    reads: list[bool] = []

    def counted(text: str, html_blocks: bool = True) -> scan.Shadow:
        reads.append(html_blocks)
        return shadow(text, html_blocks)

    monkeypatch.setattr(markdown, "shadow", counted)
    monkeypatch.setattr(scan, "shadow", counted)
    page = md("Les SCOP de l'ESS, voir le [glossaire](/glossaire/).\n")
    assert [m.entry.id for m in every.find(page)] == ["scop", "ess"] and reads == [True]
    reads.clear()
    annotated = every.annotate_page(page, HtmlOptions(markdown_style="html")).text
    assert annotated.count('<a class="gloss-term"') == 2 and reads == [True]
    reads.clear()
    again = every.find(md(annotated))  # gloss's markup is taken out first: then the page left is read
    assert [m.entry.id for m in again] == ["scop", "ess"] and reads == [True, True]
