"""Annotated HTML: the markup gloss writes, where it writes it, and that nothing else changes."""

from __future__ import annotations

import html
import re

import pytest

from ptce_gloss import parse_glossary
from ptce_gloss.annotate import Annotator
from ptce_gloss.annotate.options import AnnotateOptions
from ptce_gloss.html.document import Document, decode, encode
from ptce_gloss.html.foreign import remove_foreign
from ptce_gloss.markup import HtmlOptions, strip_gloss, text_to_html

from .conftest import EXAMPLES

GLOSSARY = parse_glossary("""entries:
  - {id: ess, term: économie sociale et solidaire, acronyms: [ESS], definition: "L’économie « sociale » & <solidaire>.", url: "https://example.org/ess?a=1&b=2"}
  - {id: scop, term: société coopérative et participative, acronyms: [SCOP], definition: Une coopérative de salariés.}
  - {id: ptce, term: pôle territorial de coopération économique, acronyms: [PTCE], definition: Un pôle.}
""")


def annotate(text: str, kind: str = "html", **options) -> str:
    annotator = Annotator(GLOSSARY, AnnotateOptions(occurrences=options.pop("occurrences", "first")))
    return annotator.annotate(Document.from_text(text, kind), HtmlOptions(**options))  # type: ignore[arg-type]


def unsigned(out: str) -> str:
    """The output without gloss's signatures (checked in tests/hardening/test_provable_strip.py)."""
    return re.sub(r' data-gloss-sig="[0-9a-f]{20}"', "", out)


PAGE = (
    '<!DOCTYPE html><html lang="fr"><head><title>ESS</title></head>'
    "<body><p>Vive l’ESS et les SCOP.</p><p>Encore l’ESS.</p></body></html>"
)


def test_each_first_occurrence_becomes_a_described_link():
    out = unsigned(annotate(PAGE))
    links = re.findall(r'<a class="gloss-term" [^>]*>[^<]*</a>', out)
    assert links == [
        '<a class="gloss-term" href="#gloss-ess" aria-describedby="gloss-ess-def" '
        'data-gloss-def="L’économie « sociale » &amp; &lt;solidaire&gt;.">ESS</a>',
        '<a class="gloss-term" href="#gloss-scop" aria-describedby="gloss-scop-def" '
        'data-gloss-def="Une coopérative de salariés.">SCOP</a>',
    ]
    assert "<p>Encore l’ESS.</p>" in out  # only the first occurrence


def test_assets_go_in_head_and_the_appendix_before_body_end():
    out = unsigned(annotate(PAGE))
    head = out[out.index("<head>") : out.index("</head>")]
    assert head.count('<style id="gloss-style">') == 1 and head.count('<script id="gloss-script">') == 1
    appendix = out[out.index('<aside class="gloss-glossary"') : out.index("</body>")]
    assert appendix.startswith('<aside class="gloss-glossary" aria-labelledby="gloss-title"><h2 id="gloss-title">Glossaire</h2>')
    assert '<dfn id="gloss-ess">économie sociale et solidaire (ESS)</dfn>' in appendix
    assert '<span id="gloss-ess-def">L’économie « sociale » &amp; &lt;solidaire&gt;.</span>' in appendix
    assert '<a href="https://example.org/ess?a=1&amp;b=2">En savoir plus</a>' in appendix
    assert out.endswith("</aside></body></html>")


def test_nothing_else_changes_and_strip_gives_the_page_back():
    page = (
        "<!-- commentaire ESS --><!DOCTYPE html>\n<html><head>\n<title>x</title></head>\r\n<body class=x>"
        "<p title='ESS'>{{ ESS }} {% if %} <?php echo 'ESS'; ?> l&rsquo;ESS<br/>unknown <x-y>tag</x-y><p>unclosed"
        "</body></html>"
    )
    out = annotate(page)
    assert strip_gloss(out) == page
    assert out.count('class="gloss-term"') == 1 and 'l&rsquo;<a class="gloss-term"' in out


def test_nothing_to_annotate_is_byte_identical():
    page = "<html><head></head><body><p>Rien à signaler ici.</p></body></html>"
    assert annotate(page) == page


def test_fragments_stay_fragments():
    out = unsigned(annotate("<p>Les SCOP du pays.</p>"))
    assert out.startswith('<style id="gloss-style">') and "<html" not in out and "<body" not in out
    assert out.endswith("</aside>")


def test_annotating_twice_changes_nothing_and_a_new_glossary_replaces_old_links():
    once = annotate(PAGE)
    assert annotate(once) == once
    other = parse_glossary("entries:\n  - {id: ess2, term: autre, acronyms: [SCOP], definition: Autre.}\n")
    again = Annotator(other).annotate(Document.from_text(once, "html"))
    assert 'href="#gloss-ess"' not in again and again.count('class="gloss-term"') == 1 and strip_gloss(again) == PAGE


def test_ids_never_collide_with_the_page():
    page = '<p id="gloss-ess">L’ESS</p><div id="gloss-title"></div>'
    out = annotate(page)
    assert 'href="#gloss-ess-2"' in out and 'id="gloss-ess-2"' in out and 'id="gloss-title-2"' in out
    ids = re.findall(r'\sid="([^"]+)"', out)
    assert len(ids) == len(set(ids))


def test_split_terms_are_wrapped_whole_and_nest_well():
    out = unsigned(annotate("<p>Un <em>pôle</em> territorial de coopération économique.</p>"))
    assert (
        '<a class="gloss-term" href="#gloss-ptce" aria-describedby="gloss-ptce-def" data-gloss-def="Un pôle."><em>pôle</em> '
        "territorial de coopération économique</a>" in out
    )
    out = annotate("<p><b>économie sociale</b> et solidaire</p>")
    assert "<b>économie sociale</b> et solidaire</a>" in out and out.index('class="gloss-term"') < out.index("<b>")


def test_no_appendix_uses_the_url_or_nothing_and_an_aria_description():
    out = annotate(PAGE, appendix=False)
    assert "<aside" not in out
    assert '<a class="gloss-term" href="https://example.org/ess?a=1&amp;b=2" aria-description="L’économie' in out
    assert '<a class="gloss-term" role="button" tabindex="0" aria-description="Une coopérative de salariés."' in out


@pytest.mark.parametrize(
    "assets, expected",
    [("none", None), ("link=/css/gloss.css", '<link id="gloss-style" rel="stylesheet" href="/css/gloss.css" />')],
)
def test_assets_options(assets, expected):
    out = annotate(PAGE, assets=assets)
    assert "<style" not in out and "<script" not in out
    if expected:
        assert expected in unsigned(out)[: out.index("</head>")]
    assert strip_gloss(out) == PAGE
    with pytest.raises(ValueError):
        HtmlOptions(assets="link=")


def test_appendix_follows_the_page_language():
    out = annotate('<html lang="en-GB"><body><p>The SCOP.</p><p lang="fr">Les SCOP.</p></body></html>')
    assert out.count('class="gloss-term"') == 1 and '<p lang="fr">Les <a class="gloss-term"' in out
    assert '<h2 id="gloss-title">Glossary</h2><dl lang="fr">' in out


def test_output_encoding_is_the_input_encoding_with_references_for_what_it_lacks():
    page = '<meta charset="iso-8859-15"><p>L’ESS coûte 5 €.</p>'.replace("’", "'").encode("iso8859-15")
    document = decode(page, "p.html")
    out = encode(document, Annotator(GLOSSARY).annotate(document))
    assert b'data-gloss-def="L&#8217;\xe9conomie' in out  # ’ is not in ISO-8859-15, é is
    assert encode(document, strip_gloss(decode(out, "p.html").text)) == page


def test_windows_1252_example_round_trips_byte_for_byte():
    data = (EXAMPLES / "archives-cress-1252.html").read_bytes()
    document = decode(data, "x.html")
    out = encode(document, Annotator(GLOSSARY).annotate(document))
    assert out != data and b"gloss-term" in out
    again = decode(out, "x.html")
    assert again.encoding == "windows-1252" and encode(again, strip_gloss(again.text)) == data


def test_plain_text_becomes_a_standalone_page():
    out = annotate("Titre\n\nLes SCOP et l’ESS.\nSuite <ici> & là.\n\nFin.", kind="text")
    assert out.startswith('<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">')
    assert "<title>Titre</title>" in out and "<main>\n<h1>Titre</h1>" in out
    assert "\nSuite &lt;ici&gt; &amp; là.</p>" in out and "<p>Fin.</p>" in out
    assert "<style>main p { white-space: pre-line; }</style>" in out  # the text's line breaks stay, by CSS
    assert out.count('class="gloss-term"') == 2
    assert text_to_html("Une phrase.\nSur deux lignes.", "/chemin/note.txt").count("<title>note</title>") == 1
    assert "<h2>Deuxième partie</h2>" in text_to_html("Titre\n\nUn texte.\n\nDeuxième partie\n\nSuite.")
    underlined = text_to_html("Titre\n\nUn texte.\n\nDeuxième partie\n---------------\nSuite.")
    assert "<h2>Deuxième partie</h2>\n<p>Suite.</p>" in underlined and "---" not in underlined


HOSTILE = [
    '"><script>alert(1)</script>',
    "' onmouseover='alert(1)",
    "</a><img src=x onerror=alert(1)>",
    "<!--",
    "]]>",
    "&lt;b&gt;",
    "\u202e\u0000\ufeff",
    "javascript:alert(1)",
]


@pytest.mark.parametrize("payload", HOSTILE)
def test_glossary_text_is_always_escaped(payload):
    from html5lib import parse

    yaml = f"entries:\n  - id: x\n    term: SCOP\n    definition: {html.escape(payload) and repr(payload).replace(chr(92), chr(92) * 2)}\n"
    glossary = parse_glossary(
        'entries:\n  - id: x\n    term: SCOP\n    definition: "'
        + payload.replace("\\", "\\\\").replace('"', '\\"').replace("\u0000", "\\0")
        + '"\n'
    )
    del yaml
    out = Annotator(glossary).annotate(Document.from_text("<p>Les SCOP.</p>", "html"))
    tree = parse(out, namespaceHTMLElements=False)
    elements = [e.tag for e in tree.iter() if isinstance(e.tag, str)]
    assert "script" not in [t for t in elements] or all(e.get("id") == "gloss-script" for e in tree.iter("script"))
    assert "img" not in elements
    assert not any(k.startswith("on") for e in tree.iter() for k in e.attrib)
    [term] = [e for e in tree.iter("a") if e.get("class") == "gloss-term"]
    expected = glossary["x"].definition
    assert term.get("data-gloss-def") == expected.replace("\u0000", "\ufffd")


FOREIGN = {
    "spip": (
        '<p>De l’<a name="mot1" class="cs_glossaire"><span class="gl_mot">ESS</span><span class="gl_dl">'
        '<span class="gl_dt">ESS</span><span class="gl_dd">Le terme d’Économie sociale…</span></span></a> ici.</p>'
    ),
    "wordpress": (
        '<p>Une <span class="glossary-tooltip glossary-term-12" tabindex="0"><span class="glossary-link">'
        '<a href="/g/scop/">SCOP</a></span><span class="hidden glossary-tooltip-content clearfix">'
        '<span class="glossary-tooltip-text">Société coopérative…</span></span></span> ici.</p>'
    ),
    "lingo": (
        '<p>La <span class="mw-lingo-tooltip"><span class="mw-lingo-tooltip-abbr">ESS</span>'
        '<span class="mw-lingo-tooltip-tip">Économie sociale…</span></span> et la '
        '<span class="mw-lingo-term" data-lingo-term-id="x">SCOP</span>.</p>'
        '<div class="mw-lingo-definition" id="x"><div class="mw-lingo-definition-text">Coopérative…</div></div>'
    ),
}


@pytest.mark.parametrize("tool", FOREIGN)
def test_foreign_glossary_markup_is_replaced_by_the_term(tool):
    cleaned = remove_foreign(FOREIGN[tool])
    assert "…" not in cleaned and "gl_" not in cleaned and "glossary-" not in cleaned and "lingo" not in cleaned
    assert re.sub(r"<[^>]+>", "", cleaned) in ("De l’ESS ici.", "Une SCOP ici.", "La ESS et la SCOP.")


def test_cli_replace_foreign_and_strip(gloss, tmp_path):
    page = tmp_path / "spip.html"
    page.write_text(FOREIGN["spip"], encoding="utf-8")
    out = tmp_path / "out.html"
    result = gloss("annotate", "--replace-foreign", str(page), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "cs_glossaire" not in text and ">ESS</a>" in text
    plain = gloss("annotate", str(page), "-o", str(tmp_path / "kept.html"))
    assert plain.exit_code == 0 and "cs_glossaire" in (tmp_path / "kept.html").read_text(encoding="utf-8")
    stripped = gloss("strip", str(out))
    assert stripped.stdout == remove_foreign(FOREIGN["spip"])
    assert gloss("strip", "--in-place", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8") == remove_foreign(FOREIGN["spip"])
    assert gloss("strip", "--in-place", "-").exit_code == 2


def test_cli_html_is_the_default_and_one_input_at_a_time(gloss, tmp_path):
    result = gloss("annotate", "-", input=b"<p>Les SCOP.</p>")
    assert result.exit_code == 0 and 'class="gloss-term"' in result.stdout
    two = gloss("annotate", str(EXAMPLES / "lettre-scic.txt"), str(EXAMPLES / "ptce-bretagne.html"))
    assert two.exit_code == 2 and "annotates one input at a time" in two.stderr
    bad = gloss("annotate", "--assets", "bogus", "-", input=b"<p>x</p>")
    assert bad.exit_code == 2 and "--assets" in bad.stderr


def test_text_page_and_annotated_examples_are_valid_html5():
    from html5lib import HTMLParser

    page = annotate("Titre\n\nLes SCOP et l’ESS.\nSuite.", kind="text")
    HTMLParser(strict=True).parse(page)  # raises on any parse error
    for name in ("ptce-bretagne.html", "archives-cress-1252.html"):
        document = decode((EXAMPLES / name).read_bytes(), name)
        parser = HTMLParser()
        parser.parse(Annotator(GLOSSARY).annotate(document))
        original = HTMLParser()
        original.parse(document.text)
        assert len(parser.errors) == len(original.errors)  # gloss adds no parse error


@pytest.mark.parametrize(
    ("page", "after"),
    [
        ("<!DOCTYPE html><p>Une SCOP.</p>", "<!DOCTYPE html>"),  # before a doctype, the page would be in quirks mode
        ("<!DOCTYPE html>\n<!-- x -->\n<html>\n<p>Une SCOP.</p>", "<html>\n"),
        ('<meta charset="windows-1252"><title>t</title><p>Une SCOP.</p>', "<title>t</title>"),  # keep <meta> first
        ("<html><head><!-- </head> --><title>t</title></head><p>Une SCOP.</p>", "<title>t</title>"),
        ("<script>var s = '<body>';</script><p>Une SCOP.</p>", "</script>"),
    ],
)
def test_assets_go_in_the_head_after_the_doctype_and_meta_read_as_html_reads_them(page, after):
    output = annotate(page)
    assert output.index('<style id="gloss-style"') == output.index(after) + len(after)


@pytest.mark.parametrize(
    "page",
    [
        '<script><!-- document.write("<script src=x></script>"); var s = "SCOP"; //--></script><p>fin</p>',
        "<table> SCOP <tr><td>cellule</td></tr></table>",  # HTML moves this text out of the table
        "<table><tr><td>x</td> SCOP </tr></table>",
    ],
)
def test_no_annotation_in_an_escaped_script_nor_between_table_cells(page):
    assert 'class="gloss-term"' not in annotate(page)


def test_text_in_a_cell_of_a_nested_table_is_annotated():
    assert (
        annotate("<table><tr><td><table><tr><td>a</td></tr></table> Une SCOP</td></tr></table>").count('class="gloss-term"') == 1
    )


def test_a_comment_opener_inside_a_style_does_not_move_the_appendix():
    output = annotate("<style> <!-- </style><p>Une SCOP.</p>")
    assert output.index("<aside") > output.index("Une")


def test_an_unclosed_quote_does_not_turn_the_appendix_into_links():
    # The "</body>" is inside a quoted value never closed: no tag. The appendix must not close the quote.
    page = '<p>Une SCOP <a href="javascript:alert(1)// </p></body>'
    output = annotate(page)
    assert output.endswith(page[page.index("<a href") :])
    assert output.index("<aside") < output.index('<a href="javascript')


def test_an_unquoted_value_with_quotes_and_equals_signs_ends_at_its_tag():
    output = annotate("<p>Une SCOP <img src=x onerror=eval(atob('YWxlcnQoMSk='))> une SCOP.</p>", occurrences="all")
    assert output.count('class="gloss-term"') == 2


@pytest.mark.parametrize(
    "page",
    [
        "<p>Une SCOP <svg></p><p>Suite.</p>",
        "<p>Une SCOP <svg><g><div>Suite.</div>",
        "<p>Une SCOP <svg><g></p>Suite.",  # </p> with a <p> open: every parser closes the svg
    ],
)
def test_html_breaking_out_of_an_svg_keeps_the_appendix_at_the_end(page):
    output = annotate(page)
    assert output.index("<aside") > output.index("Suite.")


def test_an_svg_left_open_still_keeps_the_appendix_out_of_it():
    output = annotate("<p>Une SCOP</p><svg><g><text>x</text>")
    assert output.index("<aside") < output.index("<svg>")


@pytest.mark.parametrize(
    "svg",
    [
        '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',  # a style in svg holds markup
        '<svg><rect title="<div>x</div>">',
        '<svg id="<img>"><g>',
        "<svg><![CDATA[ a > b <div> ]]>",
        "<svg><!-- <div> -->",
    ],
)
def test_html_in_an_svg_s_attribute_values_cdata_and_style_does_not_end_it(svg):
    """Tags in svg are read whole, quotes and all: an HTML tag inside a value breaks nothing out, so the
    svg is still open at the end and the appendix goes before it, read as HTML."""
    import html5lib

    output = annotate(f"<p>Une SCOP</p>{svg}")
    assert output.index("<aside") < output.index("<svg") and output.endswith(svg)
    asides = html5lib.parse(output).findall(".//{http://www.w3.org/1999/xhtml}aside")
    assert len(asides) == 1


@pytest.mark.parametrize("definition", ["ligne\r\nsuivante", "nul\0ici", "\0"])
def test_carriage_returns_and_nul_in_definitions_read_back_as_the_parser_keeps_them(definition):
    import json

    import html5lib

    glossary = parse_glossary(f"entries:\n  - term: coopérative\n    definition: {json.dumps(definition)}\n")
    output = Annotator(glossary).annotate(Document.from_text("<p>Une coopérative.</p>", "html"))
    tree = html5lib.parse(output, namespaceHTMLElements=False)
    expected = glossary.entries[0].definition.replace("\0", "\ufffd")
    assert tree.find(".//a").get("data-gloss-def") == expected
    assert "".join(tree.find(".//dd/span").itertext()) == expected


def test_the_assets_read_beside_the_modules_are_those_importlib_resources_reads(monkeypatch):
    """gloss reads its stylesheet and script from the package folder (importlib.resources costs 7 ms to
    import), and through importlib.resources when the package is no folder (imported from a zip)."""
    from importlib import resources

    from ptce_gloss.markup import assets

    for name in ("gloss.css", "gloss.js"):
        packaged = resources.files("ptce_gloss").joinpath("assets", name).read_text(encoding="ascii")
        assets.asset.cache_clear()
        assert assets.asset(name) == packaged != ""
        assets.asset.cache_clear()
        monkeypatch.setattr(assets.os.path, "isfile", lambda _path: False)
        assert assets.asset(name) == packaged
        monkeypatch.undo()
    assets.asset.cache_clear()


def test_inserted_text_is_escaped_as_html_escape_does_and_keeps_cr_and_nul():
    """escape() is one str.translate: every string of up to three of these characters comes out as
    html.escape writes it, with CR and NUL made references a parser reads back."""
    from itertools import product

    from ptce_gloss.markup.pieces import escape

    alphabet = "&<>\"'\r\0aé€;#x"
    for size in range(4):
        for letters in product(alphabet, repeat=size):
            value = "".join(letters)
            expected = html.escape(value, quote=True).replace("\r", "&#13;").replace("\0", "&#xFFFD;")
            assert escape(value) == expected, repr(value)
