"""Finding 6 — a page whose own context defeats the annotation: a ``<base href>`` that sends the
``#gloss-…`` links to another page, a ``<base target>`` that opens them elsewhere, a
Content-Security-Policy that blocks the inline style and script.  gloss makes the links and assets
work where it can (absolute links from the page's address, a nonce or hash the policy names), else
leaves out what cannot work and says so in one line; the real-browser side is in tests/test_browser.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ptce_gloss import load_glossaries
from ptce_gloss.annotate import Annotator
from ptce_gloss.batch import run_batch
from ptce_gloss.html.context import PageContext, _allows_url, plan, read_context, source_hash
from ptce_gloss.html.document import Document
from ptce_gloss.markup import HtmlOptions, script_content, strip_gloss, style_content

from ..test_warc import records_of, response, write_warc

ANNOTATOR = Annotator(load_glossaries())
BODY = "<body><main><p>Une SCOP et une SCIC de l’économie sociale et solidaire.</p></main></body></html>"


def page(head: str, body: str = BODY) -> str:
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head>{body}"


def annotate(source: str, options: HtmlOptions | None = None, **document: object):
    annotation = ANNOTATOR.annotate_page(Document(source, "html", "utf-8", "page.html", **document), options)  # type: ignore[arg-type]
    assert annotation.matches, "the page must have terms to annotate"
    assert strip_gloss(annotation.text) == source  # whatever was written, strip gives the page back
    return annotation


def term_tags(text: str) -> list[str]:
    return re.findall(r'<a class="gloss-term"[^>]*>', text)


def ids(text: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', text))


# --- <base href> and <base target> ---------------------------------------------------------------


def test_a_base_elsewhere_without_the_page_address_keeps_terms_off_other_pages_and_says_so():
    annotation = annotate(page('<base href="https://cdn.example.org/assets/">'))
    tags = term_tags(annotation.text)
    assert tags and all("href=" not in tag for tag in tags)  # no link may leave for cdn.example.org/#gloss-…
    for tag in tags:
        assert 'role="button"' in tag and 'tabindex="0"' in tag  # still focusable, so its bubble shows
        described = re.search(r'aria-describedby="([^"]+)"', tag)
        assert described and described.group(1) in ids(annotation.text)  # the description is on the page
    assert len(annotation.notes) == 1 and "--page-url" in annotation.notes[0] and "cdn.example.org" in annotation.notes[0]


@pytest.mark.parametrize(
    ("base", "url", "expected"),
    [
        ("/", "https://www.cress-bretagne.org/actus/scop.html", "https://www.cress-bretagne.org/actus/scop.html#gloss-"),
        ("https://cdn.example.org/", "https://ess.example.org/page?id=3#top", "https://ess.example.org/page?id=3#gloss-"),
    ],
)
def test_a_base_elsewhere_with_the_page_address_gets_absolute_links_to_the_page_itself(base, url, expected):
    annotation = annotate(page(f'<base href="{base}">'), HtmlOptions(page_url=url))
    tags = term_tags(annotation.text)
    assert tags and all(f'href="{expected.replace("&", "&amp;")}' in tag for tag in tags)
    assert annotation.notes == []


def test_a_warc_page_uses_its_own_address():
    annotation = annotate(page('<base href="/">'), url="https://www.example.org/a/b.html")
    assert all('href="https://www.example.org/a/b.html#gloss-' in tag for tag in term_tags(annotation.text))


@pytest.mark.parametrize("base", ['<base href="">', '<base href="#haut">', '<base href="b.html">', "<base target=_top>"])
def test_a_base_that_leaves_links_on_the_page_changes_nothing_in_them(base):
    annotation = annotate(page(base), HtmlOptions(page_url="https://www.example.org/a/b.html"))
    assert all(re.search(r'href="#gloss-[^"]+"', tag) for tag in term_tags(annotation.text))
    assert annotation.notes == []


@pytest.mark.parametrize("target", ["_blank", "fenetre", "_parent"])
def test_a_base_target_does_not_open_term_links_elsewhere(target):
    annotation = annotate(page(f'<base target="{target}">'))
    assert all('target="_self"' in tag for tag in term_tags(annotation.text))


@pytest.mark.parametrize(
    "where",
    ["<!-- <base href='https://x.example/'> -->", "<script>var b = '<base href=\"https://x.example/\">';</script>"],
    ids=["comment", "script"],
)
def test_a_base_in_a_comment_or_a_script_is_no_base(where):
    annotation = annotate(page(where))
    assert all('href="#gloss-' in tag for tag in term_tags(annotation.text)) and annotation.notes == []


# --- Content-Security-Policy -----------------------------------------------------------------------


def csp(policy: str) -> str:
    return f'<meta http-equiv="Content-Security-Policy" content="{policy}">'


STYLE, SCRIPT = '<style id="gloss-style"', '<script id="gloss-script"'


def test_a_policy_that_blocks_inline_styles_leaves_out_style_and_script_and_names_the_fixes():
    annotation = annotate(page(csp("default-src 'self'")))
    assert STYLE not in annotation.text and SCRIPT not in annotation.text
    assert term_tags(annotation.text) and 'class="gloss-glossary"' in annotation.text  # links to the glossary still work
    (note,) = annotation.notes
    assert "--assets link=URL" in note
    assert source_hash(style_content()) in note and source_hash(script_content()) in note


def test_a_policy_that_blocks_only_scripts_keeps_the_style():
    annotation = annotate(page(csp("default-src 'none'; style-src 'unsafe-inline'")))
    assert STYLE in annotation.text and SCRIPT not in annotation.text
    (note,) = annotation.notes
    assert "inline scripts" in note and source_hash(script_content()) in note


def test_the_policy_s_hashes_of_the_assets_let_them_in():
    hashes = f"style-src {source_hash(style_content())}; script-src {source_hash(script_content())}"
    annotation = annotate(page(csp(hashes)))
    assert STYLE in annotation.text and SCRIPT in annotation.text and annotation.notes == []


def test_a_nonce_of_the_policy_is_reused():
    annotation = annotate(page(csp("default-src 'self'; style-src 'nonce-r4nd0m'; script-src 'nonce-s3cr3t' 'strict-dynamic'")))
    assert '<style id="gloss-style" nonce="r4nd0m" ' in annotation.text
    assert '<script id="gloss-script" nonce="s3cr3t" ' in annotation.text
    assert annotation.notes == []


def test_unsafe_inline_next_to_a_nonce_is_ignored_as_browsers_do():
    annotation = annotate(page(csp("style-src 'unsafe-inline' 'nonce-abc'; script-src 'unsafe-inline' 'sha256-AAAA'")))
    assert '<style id="gloss-style" nonce="abc" ' in annotation.text and SCRIPT not in annotation.text


@pytest.mark.parametrize(
    "place",
    [
        lambda meta: page("", BODY.replace("<main>", meta + "<main>")),  # in the body: browsers ignore it
        lambda meta: page(f"<!-- {meta} -->"),
        lambda meta: page(f"<noscript-x></noscript-x>{meta}"),  # after an element of the body
    ],
    ids=["in-body", "in-comment", "after-body-content"],
)
def test_a_policy_meta_outside_the_head_does_not_count(place):
    annotation = annotate(place(csp("default-src 'none'")))
    assert STYLE in annotation.text and annotation.notes == []


def test_an_http_policy_counts_as_the_meta_does():
    annotation = annotate(page(""), policies=("default-src 'self', style-src 'unsafe-inline'",))
    assert STYLE not in annotation.text and len(annotation.notes) == 1


def test_a_stylesheet_link_is_checked_against_the_policy():
    policy = page(csp("style-src 'self' https://static.example.org/css/"))
    assert annotate(policy, HtmlOptions(assets="link=/static/gloss.css")).notes == []
    assert annotate(policy, HtmlOptions(assets="link=https://static.example.org/css/gloss.css")).notes == []
    blocked = annotate(policy, HtmlOptions(assets="link=https://elsewhere.example.net/gloss.css"))
    assert '<link id="gloss-style"' not in blocked.text and "elsewhere.example.net" in blocked.notes[0]


def test_assets_none_is_never_second_guessed():
    assert annotate(page(csp("default-src 'none'")), HtmlOptions(assets="none")).notes == []


@pytest.mark.parametrize(
    ("source", "url", "allowed"),
    [
        ("*", "https://a.example/x.css", True),
        ("*", "data:text/css,x", False),
        ("https:", "https://a.example/x.css", True),
        ("https:", "http://a.example/x.css", False),
        ("*.example.org", "https://cdn.example.org/x.css", True),
        ("*.example.org", "https://example.org/x.css", False),
        ("cdn.example.org:8443", "https://cdn.example.org:8443/x.css", True),
        ("cdn.example.org", "https://cdn.example.org:8443/x.css", False),
        ("https://cdn.example.org/css/", "https://cdn.example.org/css/a.css", True),
        ("https://cdn.example.org/css/a.css", "https://cdn.example.org/css/b.css", False),
        ("http://cdn.example.org", "https://cdn.example.org/x.css", True),  # http allows its upgrade
        ("'none'", "https://a.example/x.css", False),
        ("'self'", "/static/gloss.css", True),
        ("'self'", "https://www.example.org/gloss.css", True),
        ("'self'", "https://other.example/gloss.css", False),
    ],
)
def test_source_expressions_match_as_in_csp3(source, url, allowed):
    assert _allows_url(f"style-src {source}", "style", url, "https://www.example.org/page.html") is allowed


def test_reading_the_context_needs_no_more_than_one_search_on_ordinary_pages():
    assert read_context(page("<title>Rien</title>")) == PageContext()
    assert plan(PageContext(), None, "inline").notes == []


# --- the command line and batches ------------------------------------------------------------------


def test_the_command_warns_in_one_line_naming_the_file(gloss, tmp_path):
    source = tmp_path / "page.html"
    source.write_text(page(csp("default-src 'self'")), encoding="utf-8")
    result = gloss("annotate", str(source), "-o", str(tmp_path / "out.html"))
    assert result.exit_code == 0
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"warning: {source}: its Content-Security-Policy blocks inline styles")
    assert gloss("annotate", "-q", str(source), "-o", str(tmp_path / "out2.html")).stderr == ""


def test_page_url_is_for_one_page(gloss, tmp_path):
    source = tmp_path / "page.html"
    source.write_text(page('<base href="https://cdn.example.org/">'), encoding="utf-8")
    result = gloss("annotate", str(source), "--page-url", "https://ess.example.org/p.html", "-o", str(tmp_path / "o.html"))
    assert result.exit_code == 0 and result.stderr == ""
    assert 'href="https://ess.example.org/p.html#gloss-' in (tmp_path / "o.html").read_text(encoding="utf-8")
    assert gloss("annotate", str(source), "--page-url", "javascript:alert(1)").exit_code == 2
    assert gloss("annotate", str(tmp_path), "-o", str(tmp_path / "out"), "--page-url", "https://x.example/").exit_code == 2


def test_a_discovered_config_cannot_point_links_elsewhere(gloss, tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    (tmp_path / "gloss.toml").write_text('[annotate]\npage_url = "https://evil.example/"\n', encoding="utf-8")
    source = tmp_path / "page.html"
    source.write_text(page('<base href="https://cdn.example.org/">'), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = gloss("annotate", "page.html")
    assert "evil.example" not in result.stdout


def test_a_warc_page_served_with_a_policy_and_a_base(tmp_path: Path):
    html = page('<base href="/">').encode()
    headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Security-Policy", "default-src 'self'")]
    source = tmp_path / "in.warc"
    write_warc(source, [response("https://www.example.org/actus/scop.html", html, headers)])
    target, report = tmp_path / "out.warc", tmp_path / "report.json"
    from ptce_gloss.batch import write_report

    result = run_batch(ANNOTATOR, [str(source)], str(target), jobs=1)
    write_report(result, str(report), [])
    body = records_of(target)[-1].body.decode()
    assert 'href="https://www.example.org/actus/scop.html#gloss-' in body
    assert STYLE not in body
    (record,) = json.loads(report.read_text(encoding="utf-8"))["files"]
    assert record["status"] == "annotated" and "Content-Security-Policy" in record["warnings"][0]


def test_gloss_assets_csp_prints_the_sources_that_let_the_inline_assets_in(gloss):
    printed = gloss("assets", "--csp").stdout.strip()
    assert printed == f"style-src {source_hash(style_content())}; script-src {source_hash(script_content())}"
    annotation = annotate(page(csp(f"default-src 'none'; {printed}")))
    assert STYLE in annotation.text and SCRIPT in annotation.text and annotation.notes == []
