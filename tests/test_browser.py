"""Annotated pages in a real browser (headless Chromium via Playwright): bubbles, keyboard, print, ARIA, XSS, axe-core.

Pages are built from examples/ by the installed ``gloss annotate`` and opened as file:// URLs.
Every test skips with the reason when /usr/bin/chromium or playwright (or, for axe tests, axe.min.js) is missing;
``bash scripts/test.sh`` installs them.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from ptce_gloss import load_glossaries

from . import browser as bw
from .conftest import EXAMPLES, ROOT, corpus

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

_MISSING = bw.missing_browser()
if _MISSING:
    pytest.skip(_MISSING, allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402  (only once we know playwright is there)

HTML_EXAMPLES = ["ptce-bretagne.html", "archives-cress-1252.html"]
ALL_EXAMPLES = [*HTML_EXAMPLES, "lettre-scic.txt"]
NARROW = 400


def squash(text: str) -> str:
    return " ".join(text.split())


# --- fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole module."""
    with bw.chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """build(name, *args) -> the annotated page, built once per module (and with the tests' private glossary cache)."""
    folder = tmp_path_factory.mktemp("annotated")
    cache = str(tmp_path_factory.getbasetemp() / "gloss-cache")
    built: dict[tuple[str, ...], Path] = {}

    def run(name: str | Path, *args: str) -> Path:
        key = (str(name), *args)
        if key not in built:
            with pytest.MonkeyPatch.context() as patch:
                patch.setenv("GLOSS_CACHE_DIR", cache)
                built[key] = bw.annotate_example(folder, name, *args)
        return built[key]

    return run


@pytest.fixture
def open_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """open_page(path, width=1000, height=800, init_script=None) -> a page in a fresh context, closed after the test."""
    opened: list[Page] = []

    def run(
        path: Path, width: int = bw.SCREEN["width"], height: int = bw.SCREEN["height"], init_script: str | None = None
    ) -> Page:
        page = bw.new_page(browser, width, height)
        opened.append(page)
        if init_script:
            page.add_init_script(init_script)
        page.goto(path.resolve().as_uri())
        return page

    yield run
    for page in opened:
        page.context.close()


@pytest.fixture(scope="module")
def definitions() -> dict[str, str]:
    """The bundled glossary's definitions by id: the oracle the page's texts are checked against."""
    return {entry.id: entry.definition for entry in load_glossaries()}


# --- helpers -------------------------------------------------------------------------------------


def bubble(page: Page, index: int) -> dict[str, Any]:
    box: dict[str, Any] = page.locator(".gloss-term").nth(index).evaluate(bw.BUBBLE_BOX_JS)
    return box


def term_count(page: Page) -> int:
    count: int = page.evaluate("document.querySelectorAll('.gloss-term').length")
    return count


def tab_to_next_term(page: Page, limit: int = 100) -> int:
    """Press Tab until an annotated term has the focus; return its index among the page's terms."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        index: int = page.evaluate("[...document.querySelectorAll('.gloss-term')].indexOf(document.activeElement)")
        if index >= 0:
            return index
    pytest.fail(f"no annotated term got the focus after {limit} presses of Tab")


def chromium_ax(page: Page) -> list[dict[str, str]]:
    """Role, name and description of every .gloss-term in Chromium's own accessibility tree (what screen readers get)."""
    cdp = page.context.new_cdp_session(page)
    try:
        root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        found = []
        for node_id in cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": ".gloss-term"})["nodeIds"]:
            node = cdp.send("Accessibility.getPartialAXTree", {"nodeId": node_id, "fetchRelatives": False})["nodes"][0]
            found.append({key: (node.get(key) or {}).get("value", "") for key in ("role", "name", "description")})
        return found
    finally:
        cdp.detach()


def entry_ids(page: Page) -> list[str]:
    """The glossary id of each term, from its href="#gloss-ID"."""
    hrefs: list[str] = page.evaluate("[...document.querySelectorAll('.gloss-term')].map(t => t.getAttribute('href'))")
    ids = []
    for href in hrefs:
        assert href and href.startswith("#gloss-"), href
        ids.append(href.removeprefix("#gloss-"))
    return ids


def axe(page: Page, options: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    reason = bw.missing_axe()
    if reason:
        pytest.skip(reason)
    page.add_script_tag(path=str(bw.AXE_JS))
    result: dict[str, Any] = page.evaluate("options => axe.run(document, options || {})", options)
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def describe(violations: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}, {len(v['nodes'])} node(s)): {v['help']}; first: {v['nodes'][0]['target']} "
        f"{v['nodes'][0]['html'][:120]!r}"
        for v in violations
    )


# --- the bubble ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ALL_EXAMPLES)
def test_bubbles_are_hidden_at_rest(build, open_page, name):
    page = open_page(build(name))
    count = term_count(page)
    assert count >= 5, f"only {count} annotated terms in {name}"
    for index in range(count):
        box = bubble(page, index)
        assert box["display"] == "none", f"term {index} {box['text']!r} shows its bubble at rest"
        # The bubble is styled (gloss.css is in the page), not merely absent: its content is the definition attribute.
        assert box["content"].startswith('"') and box["content"].endswith('/ ""'), box["content"][:80]


def test_bubble_appears_on_hover_and_goes_with_the_mouse(build, open_page, definitions):
    page = open_page(build("ptce-bretagne.html"))
    bw.hover_term(page, 2)
    box = bubble(page, 2)
    assert box["display"] == "block"
    assert box["width"] > 100 and box["height"] > 20, box
    assert box["top"] >= box["termBottom"], "the bubble is drawn below the term"
    entry = entry_ids(page)[2]
    assert definitions[entry][:40] in box["content"]
    page.mouse.move(1, 1)
    assert bubble(page, 2)["display"] == "none"


def test_bubble_appears_on_keyboard_focus(build, open_page):
    page = open_page(build("ptce-bretagne.html"))
    index = tab_to_next_term(page)
    assert page.evaluate("document.activeElement.matches(':focus-visible')")
    assert bubble(page, index)["display"] == "block"
    # The next term takes the bubble over.
    following = tab_to_next_term(page)
    assert following > index
    assert bubble(page, following)["display"] == "block"
    assert bubble(page, index)["display"] == "none"


def test_escape_hides_the_bubble_of_the_hovered_and_of_the_focused_term(build, open_page):
    page = open_page(build("ptce-bretagne.html"))
    bw.hover_term(page, 2)
    assert bubble(page, 2)["display"] == "block"
    page.keyboard.press("Escape")
    assert bubble(page, 2)["display"] == "none"
    page.mouse.move(1, 1)
    bw.hover_term(page, 2)
    assert bubble(page, 2)["display"] == "block", "hovering again shows the definition again"
    page.mouse.move(1, 1)

    index = tab_to_next_term(page)
    assert bubble(page, index)["display"] == "block"
    page.keyboard.press("Escape")
    assert bubble(page, index)["display"] == "none"
    assert page.evaluate("document.activeElement.classList.contains('gloss-term')"), "Escape keeps the focus"


def _right_edge_term(page: Page) -> int:
    """The one-line term whose bubble, drawn from the term's left edge, would overflow the viewport the most."""
    boxes = [bubble(page, i) for i in range(term_count(page))]
    candidates = [(box["termLeft"], i) for i, box in enumerate(boxes) if box["lines"] == 1]
    return max(candidates)[1]


def test_bubble_of_a_term_at_the_right_edge_stays_inside_a_narrow_viewport(build, open_page, browser):
    page = open_page(build("ptce-bretagne.html"), width=NARROW)
    index = _right_edge_term(page)
    bw.hover_term(page, index)
    box = bubble(page, index)
    assert box["display"] == "block"
    assert box["viewport"] == NARROW
    assert box["termLeft"] + box["width"] > NARROW, "this term would overflow if its bubble started at its left edge"
    assert box["right"] <= box["viewport"], f"the bubble of {box['text']!r} ends at {box['right']:.1f}px"
    # The JS geometry agrees with the pixels: the bubble's colour spans the same columns in a screenshot.
    found = bw.find_colour(browser, page.screenshot())
    assert found["count"] > 1000, found
    assert abs(found["maxX"] + 1 - min(box["right"], NARROW)) <= 2, (found, box)
    assert abs(found["minX"] - max(box["left"], 0)) <= 2, (found, box)


def test_every_bubble_stays_inside_a_narrow_viewport(build, open_page):
    page = open_page(build("ptce-bretagne.html"), width=NARROW)
    outside = []
    for index in range(term_count(page)):
        bw.hover_term(page, index)
        box = bubble(page, index)
        assert box["display"] == "block"
        if box["lines"] == 1 and (box["left"] < 0 or box["right"] > box["viewport"]):
            outside.append(f"{box['text']!r}: {box['left']:.0f}..{box['right']:.0f}px (shift={box['shift']})")
    assert not outside, f"{len(outside)} bubbles leave the {NARROW}px viewport:\n" + "\n".join(outside)


# --- accessibility tree --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ALL_EXAMPLES)
def test_term_is_a_link_named_by_its_text_and_described_by_its_definition(build, open_page, definitions, name):
    page = open_page(build(name))
    terms = page.locator(".gloss-term")
    ids = entry_ids(page)
    texts = terms.all_text_contents()
    assert len(ids) >= 5
    for index, (entry, text) in enumerate(zip(ids, texts, strict=True)):
        expect(terms.nth(index)).to_have_accessible_name(squash(text))
        expect(terms.nth(index)).to_have_accessible_description(squash(definitions[entry]))
    # Chromium's own tree, once at rest and once with a bubble shown: the bubble (CSS content with empty
    # alternative text) never leaks into the name.
    for state in ("rest", "hover"):
        if state == "hover":
            bw.hover_term(page, 2)
            assert bubble(page, 2)["display"] == "block"
        for entry, text, node in zip(ids, texts, chromium_ax(page), strict=True):
            assert node == {"role": "link", "name": squash(text), "description": squash(definitions[entry])}, state


def test_without_appendix_the_definition_is_the_description(build, open_page, definitions):
    page = open_page(build("ptce-bretagne.html", "--no-appendix"))
    assert page.locator(".gloss-glossary").count() == 0
    nodes = chromium_ax(page)
    hrefs = page.evaluate("[...document.querySelectorAll('.gloss-term')].map(t => t.getAttribute('href'))")
    definition_of = page.evaluate("[...document.querySelectorAll('.gloss-term')].map(t => t.getAttribute('aria-description'))")
    assert len(nodes) >= 5
    for node, href, description in zip(nodes, hrefs, definition_of, strict=True):
        assert description in definitions.values()
        assert node["description"] == squash(description)
        if href:
            assert node["role"] == "link"


def test_without_appendix_every_focusable_term_has_a_role_and_its_name(build, open_page):
    page = open_page(build("ptce-bretagne.html", "--no-appendix"))
    texts = page.locator(".gloss-term").all_text_contents()
    for text, node in zip(texts, chromium_ax(page), strict=True):
        assert node["role"] not in ("generic", "none", "") and node["name"] == squash(text), (text, node)


# --- the text is the page's ----------------------------------------------------------------------


PARAGRAPHS_JS = "[...document.querySelectorAll('p')].map(p => p.innerText)"
BLOCKS_JS = "[...document.querySelectorAll('main > *')].map(p => p.innerText)"


@pytest.mark.parametrize("name", HTML_EXAMPLES)
def test_paragraphs_read_as_in_the_original_html(build, open_page, name):
    original = open_page(EXAMPLES / name).evaluate(PARAGRAPHS_JS)
    annotated_page = open_page(build(name))
    annotated = annotated_page.evaluate(PARAGRAPHS_JS)
    assert len(original) >= 5
    assert annotated == original
    assert annotated_page.evaluate("document.querySelectorAll('p .gloss-term').length") >= 3, "terms were annotated in <p>"


def test_paragraphs_of_the_text_page_read_as_the_text(build, open_page):
    text = (EXAMPLES / "lettre-scic.txt").read_text(encoding="utf-8")
    expected = [paragraph.strip() for paragraph in re.split(r"\n[ \t]*\n", text) if paragraph.strip()]
    page = open_page(build("lettre-scic.txt"))
    assert page.evaluate(BLOCKS_JS) == expected  # the title (h1), headings (h2) and paragraphs, in order
    assert page.evaluate("document.querySelectorAll('p .gloss-term').length") >= 3


# --- print ---------------------------------------------------------------------------------------


def test_print_hides_bubbles_even_on_focus_and_shows_the_glossary(build, open_page):
    page = open_page(build("ptce-bretagne.html"))
    index = tab_to_next_term(page)
    assert bubble(page, index)["display"] == "block", "on screen the focused term shows its bubble"
    page.emulate_media(media="print")
    assert page.evaluate("matchMedia('print').matches")
    assert bubble(page, index)["display"] == "none", "printed, the focused term hides its bubble"
    bw.hover_term(page, 2)
    assert bubble(page, 2)["display"] == "none", "printed, the hovered term hides its bubble"
    glossary = page.locator("aside.gloss-glossary")
    expect(glossary).to_be_visible()
    assert glossary.evaluate("g => getComputedStyle(g).display") == "block"
    ids = entry_ids(page)
    for entry in ids:
        expect(page.locator(f"aside.gloss-glossary dfn[id='gloss-{entry}']")).to_be_visible()
        expect(page.locator(f"aside.gloss-glossary [id='gloss-{entry}-def']")).to_be_visible()


# --- hostile glossary ----------------------------------------------------------------------------

RECORD_DIALOGS = """
(() => {
  const calls = [], hovered = new Set(), focused = new Set();
  Object.defineProperty(window, "__glossCalls", {value: calls});
  Object.defineProperty(window, "__glossReached", {value: () => [hovered.size, focused.size]});
  for (const name of ["alert", "prompt", "confirm", "print", "open"]) {
    window[name] = function (...args) { calls.push([name, String(args[0])]); return null; };
  }
  const term = (event) => event.target && event.target.closest ? event.target.closest(".gloss-term") : null;
  document.addEventListener("pointerover", (event) => { const t = term(event); if (t) { hovered.add(t); } }, true);
  document.addEventListener("focusin", (event) => { const t = term(event); if (t) { focused.add(t); } }, true);
})();
"""

# Scroll the next unvisited term to the top and return the centres of the terms from there that fit in the viewport.
NEXT_SCREENFUL_JS = """start => {
  const terms = [...document.querySelectorAll(".gloss-term")].slice(start);
  if (!terms.length) { return []; }
  terms[0].scrollIntoView({block: "start"});
  const points = [];
  for (const t of terms) {
    const r = t.getBoundingClientRect();
    if (points.length && r.bottom > innerHeight) { break; }
    points.push([r.left + r.width / 2, r.top + r.height / 2]);
  }
  return points;
}"""

ALLOWED_BODY_TAGS = {"P", "A", "ASIDE", "H2", "DL", "DT", "DD", "DFN", "SPAN", "BR"}


@pytest.mark.parametrize("layout", [[], ["--no-appendix"]], ids=["appendix", "no-appendix"])
def test_hostile_definitions_and_terms_stay_inert(build, open_page, layout):
    source = corpus("hostile", "html", "xss-terms-input.html")
    glossary = corpus("hostile", "yaml", "glossary-xss.yaml")
    base = ["-g", str(glossary), "--no-default", "--occurrences", "all"]
    args = [*base, *layout]
    dialogs: list[str] = []
    page = open_page(build(source, *args), init_script=RECORD_DIALOGS)
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    report = subprocess.run(
        [sys.executable, "-m", "ptce_gloss", "annotate", "-f", "json", str(source), *base],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        stdin=subprocess.DEVNULL,
    )
    expected = len(json.loads(report.stdout)["matches"])
    count = term_count(page)
    assert count == expected and count > 400

    hovered = 0
    while points := page.evaluate(NEXT_SCREENFUL_JS, hovered):
        for point in reversed(points):  # upwards: a bubble (below its term, hoverable) never covers the next target
            page.mouse.move(*point)
        hovered += len(points)
    for _ in range(count + 5):
        page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    page.wait_for_timeout(200)  # let any late handler (onerror of an image, a timer) run

    assert page.evaluate("window.__glossCalls") == []
    assert dialogs == []
    assert page.evaluate("window.__glossReached()") == [count, count], "every term was hovered, and reached with Tab"
    page.evaluate("alert('probe')")  # the recorder is in place: a call would have been seen
    assert page.evaluate("window.__glossCalls") == [["alert", "probe"]]
    dom = page.evaluate(
        """() => ({
        scripts: [...document.scripts].map(s => s.id),
        handlers: [...document.querySelectorAll('*')].flatMap(e => [...e.attributes].filter(a => /^on/i.test(a.name))
                    .map(a => e.tagName + ' ' + a.name)),
        tags: [...new Set([...document.body.querySelectorAll('*')].map(e => e.tagName))],
        hrefs: [...document.querySelectorAll('[href]')].map(e => e.getAttribute('href'))
                 .filter(h => !/^(#|https:\\/\\/|http:\\/\\/|mailto:)/.test(h)),
        definitions: [...document.querySelectorAll('.gloss-term')].map(t => [t.textContent, t.dataset.glossDef,
                 t.hasAttribute('aria-describedby') ? document.getElementById(t.getAttribute('aria-describedby')).textContent
                                                    : t.getAttribute('aria-description')]),
    })"""
    )
    assert dom["scripts"] == ["gloss-script"]
    assert dom["handlers"] == []
    assert set(dom["tags"]) <= ALLOWED_BODY_TAGS, set(dom["tags"]) - ALLOWED_BODY_TAGS
    assert dom["hrefs"] == []
    # Each hostile definition reaches the page as text, character for character.
    by_term = {entry.term: entry.definition for entry in load_glossaries([glossary], include_default=False)}
    shown = {text: (data, description) for text, data, description in dom["definitions"] if text in by_term}
    assert len(shown) >= 421
    for term, (data, description) in shown.items():
        assert data == by_term[term] and description == by_term[term], term


# --- axe-core ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, args",
    [
        pytest.param("ptce-bretagne.html", (), id="ptce-bretagne"),
        pytest.param("ptce-bretagne.html", ("--no-appendix",), id="ptce-bretagne-no-appendix"),
        pytest.param(
            "archives-cress-1252.html",
            (),
            id="archives-cress-1252",
        ),
        pytest.param(
            "lettre-scic.txt",
            (),
            id="lettre-scic",
        ),
    ],
)
def test_axe_finds_no_violation_on_the_annotated_page(build, open_page, name, args):
    violations = axe(open_page(build(name, *args)))
    assert violations == [], describe(violations)


@pytest.mark.parametrize("name", HTML_EXAMPLES)
def test_gloss_adds_no_axe_violation(build, open_page, name):
    def found(page: Page) -> set[tuple[str, str]]:
        return {(v["id"], json.dumps(node["target"])) for v in axe(page) for node in v["nodes"]}

    before = found(open_page(EXAMPLES / name))
    after = found(open_page(build(name)))
    assert after - before == set(), f"new: {sorted(after - before)}; the original page already had: {sorted(before)}"


def test_text_page_meets_wcag_a_and_aa_in_axe(build, open_page):
    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
    violations = axe(open_page(build("lettre-scic.txt")), {"runOnly": {"type": "tag", "values": tags}})
    assert violations == [], describe(violations)


# --- screenshot ----------------------------------------------------------------------------------


def test_take_screenshot_writes_a_png_with_the_bubble(build, browser, tmp_path):
    png = bw.take_screenshot(build("ptce-bretagne.html"), tmp_path / "shot.png", browser)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    assert (int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")) == (1000, 800)
    found = bw.find_colour(browser, data)
    assert found["count"] > 10_000, f"the hovered bubble is not in the screenshot: {found}"


XHTML_PAGE = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="fr" xml:lang="fr">
<head><title>Les SCIC</title></head>
<body><main><p>Une SCIC &amp; une SCOP de l’économie sociale et solidaire, en Bretagne.</p></main></body>
</html>
"""


def test_an_annotated_xhtml_page_opens_as_xml_and_its_bubbles_work(open_page, tmp_path):
    """Chromium reads a .xhtml file as application/xhtml+xml: one ill-formed byte and it shows an XML error."""
    source = tmp_path / "page.xhtml"
    source.write_text(XHTML_PAGE, encoding="utf-8")
    output = tmp_path / "page.gloss.xhtml"
    command = [sys.executable, "-m", "ptce_gloss", "annotate", str(source), "-o", str(output)]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True, stdin=subprocess.DEVNULL, timeout=120)
    page = open_page(output)
    assert page.evaluate("document.contentType") == "application/xhtml+xml"
    assert page.evaluate("document.getElementsByTagName('parsererror').length") == 0
    assert term_count(page) >= 2
    bw.hover_term(page, 0)
    assert bubble(page, 0)["display"] == "block"
    assert page.evaluate("typeof document.getElementById('gloss-script').textContent") == "string"


# --- pages whose context defeats the annotation (docs/annotate.md, "Pages that defeat the annotation") ---------

CONTEXT_PAGE = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8">{head}<title>Contexte</title></head>
<body><main><p>Une SCIC et une SCOP de l’économie sociale et solidaire.</p>{filler}</main></body></html>
"""
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(e.violatedDirective));
"""


def annotate_context_page(tmp_path: Path, head: str, *args: str, filler: str = "") -> tuple[Path, str]:
    source = tmp_path / "page.html"
    source.write_text(CONTEXT_PAGE.format(head=head, filler=filler), encoding="utf-8")
    output = tmp_path / "page.gloss.html"
    command = [sys.executable, "-m", "ptce_gloss", "annotate", str(source), *args, "-o", str(output)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120)
    assert done.returncode == 0, done.stderr
    return output, done.stderr


def gloss_csp_sources() -> str:
    command = [sys.executable, "-m", "ptce_gloss", "assets", "--csp"]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True, timeout=60).stdout.strip()


def test_a_policy_with_the_hashes_gloss_prints_runs_its_style_and_script(open_page, tmp_path):
    policy = f"default-src 'none'; {gloss_csp_sources()}"
    output, stderr = annotate_context_page(tmp_path, f'<meta http-equiv="Content-Security-Policy" content="{policy}">')
    assert stderr == ""
    page = open_page(output, init_script=RECORD_VIOLATIONS)
    bw.hover_term(page, 0)
    assert bubble(page, 0)["display"] == "block"  # the style applies
    page.keyboard.press("Escape")
    assert "gloss-dismissed" in page.locator(".gloss-term").nth(0).get_attribute("class")  # the script runs
    assert page.evaluate("window.__violations") == []


def test_a_policy_that_blocks_inline_code_meets_nothing_blocked_and_the_links_still_work(open_page, tmp_path):
    output, stderr = annotate_context_page(
        tmp_path, """<meta http-equiv="Content-Security-Policy" content="default-src 'self'">"""
    )
    assert "Content-Security-Policy blocks inline styles" in stderr
    page = open_page(output, init_script=RECORD_VIOLATIONS)
    page.locator(".gloss-term").nth(0).click()
    assert page.evaluate("location.hash").startswith("#gloss-")
    assert page.evaluate("window.__violations") == []  # gloss inserted nothing the policy refuses


def test_under_a_base_elsewhere_the_page_address_keeps_term_links_on_the_page(open_page, tmp_path):
    filler = "<p>…</p>" * 80  # the glossary is below the fold: following a link scrolls
    target = (tmp_path / "page.gloss.html").resolve().as_uri()
    head = '<base href="https://cdn.example.invalid/assets/" target="_blank">'
    output, stderr = annotate_context_page(tmp_path, head, "--page-url", target, filler=filler)
    assert stderr == ""
    page = open_page(output)
    page.locator(".gloss-term").nth(0).click()
    assert page.evaluate("location.href").startswith(target + "#gloss-")
    assert len(page.context.pages) == 1  # not opened in another window
    assert page.evaluate("window.scrollY") > 0


def test_under_a_base_elsewhere_without_the_address_terms_stay_on_the_page_and_keep_their_bubble(open_page, tmp_path):
    output, stderr = annotate_context_page(tmp_path, '<base href="https://cdn.example.invalid/">')
    assert "--page-url" in stderr
    page = open_page(output)
    before = page.evaluate("location.href")
    term = page.locator(".gloss-term").nth(0)
    term.focus()
    assert bubble(page, 0)["display"] == "block"
    page.keyboard.press("Enter")
    assert page.evaluate("location.href") == before


# --- the site's glossary page (--index) ----------------------------------------------------------


@pytest.fixture(scope="module")
def site_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The examples annotated as a site, with its glossary page (--index --link-to index)."""
    if bw.missing_browser():
        pytest.skip(bw.missing_browser() or "")
    return bw.build_index_example(tmp_path_factory.mktemp("site-index"))


def test_axe_finds_no_violation_on_the_site_glossary_page(site_index, open_page):
    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
    violations = axe(open_page(site_index), {"runOnly": {"type": "tag", "values": tags}})
    assert violations == [], describe(violations)


def test_axe_finds_no_violation_on_a_page_linked_to_the_site_glossary(site_index, open_page):
    page = open_page(site_index.parent / "ptce-bretagne.html")
    assert page.locator(".gloss-term").count() > 3
    violations = axe(page)
    assert violations == [], describe(violations)


def test_a_term_link_opens_its_entry_on_the_site_glossary_page(site_index, open_page):
    page = open_page(site_index.parent / "ptce-bretagne.html")
    term = page.locator(".gloss-term").first
    wanted = term.get_attribute("href").split("#")[1]
    term.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"glossaire.html#{wanted}")
    assert page.evaluate("document.querySelector(':target').id") == wanted
    assert page.locator(f"#{wanted}").is_visible()


def test_the_site_glossary_page_works_without_script(site_index, browser):
    context = browser.new_context(java_script_enabled=False, viewport=bw.SCREEN, locale="fr-FR")
    try:
        page = context.new_page()
        page.goto(site_index.resolve().as_uri())
        entries = page.locator("main dt")
        assert entries.count() > 20 and entries.first.is_visible()
        back = page.locator('.gloss-pages a[href*=".html#"]').first  # (a Markdown page is text to a browser)
        href = back.get_attribute("href")
        back.click()
        page.wait_for_load_state()
        assert page.url.endswith(href.split("/")[-1]) and page.locator(".gloss-term").count() > 0
    finally:
        context.close()


def test_the_site_glossary_page_reads_well_printed(site_index, open_page):
    page = open_page(site_index)
    page.emulate_media(media="print")
    assert not page.locator("header nav").is_visible()  # the letters are for the screen
    assert page.locator("main dt").first.is_visible() and page.locator("main dd").first.is_visible()
    after = page.evaluate(
        "() => { const a = document.querySelector('main dd p a[href^=\"http\"]');"
        " return a ? getComputedStyle(a, '::after').content : null; }"
    )
    assert after is None or "http" in after  # a printed link shows where it goes
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)")


def test_take_index_screenshot_writes_a_png_at_the_entry(site_index, browser, tmp_path):
    png = bw.take_index_screenshot(site_index, tmp_path / "index.png", browser).read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")) == (1000, 800)
    found = bw.find_colour(browser, png, (0xFE, 0xF3, 0xC7))  # the :target highlight of the entry
    assert found["count"] > 2_000, found
