"""Family 4 — escaping: every XSS vector and naughty string as a term, a variant, a definition, a url and input text.

Vectors: each line of ``xss-vectors/xss-vectors.txt``, each item of ``xss-vectors/xss-vectors-special.json``,
each string line of ``naughty-strings/blns.txt`` (``#`` comments and blank separators left out) and each
string of ``naughty-strings/blns.json`` that blns.txt does not hold (the two files are meant to match but
do not quite).  Test ids name the file and line (``blns.txt:38``) or item (``blns.json[3]``).

For each vector and role, glossaries are built in memory with ``yaml.safe_dump`` (so any string a YAML
scalar can hold is a valid one) and the page is annotated with and without the appendix.  Re-parsing
input and output with html5lib:

(a) the elements the output has beyond the input's are exactly those gloss writes (term links, the
    appendix, the assets); no ``on*`` attribute is added;
(b) every href gloss writes is ``#gloss-…`` or has an http, https or mailto scheme, as a browser's URL
    parser reads it; any other url is dropped with a located warning;
(c) the definition, un-escaped by the parser, is the glossary's definition (``schema.py`` strips the
    whitespace around it; nothing else changes) in ``data-gloss-def``, in the appendix and in
    ``aria-description``;
(d) whenever gloss finds the term, the page gets at least one link (so every test above can fail).

A vector YAML cannot hold (a lone surrogate) or a form the documented limits refuse (empty, too long)
must be refused by ``load_glossary`` with a located ``GlossaryError``.  ``gloss check`` is run once for
the dropped urls, and the Chromium test of ``tests/test_browser.py`` is run again here so that the
family is complete in tests/hardening.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import html5lib
import pytest
import yaml

from ptce_gloss.annotate import Annotator
from ptce_gloss.annotate.options import AnnotateOptions
from ptce_gloss.errors import GlossaryError
from ptce_gloss.glossary import Glossary, load_glossary
from ptce_gloss.html.document import Document
from ptce_gloss.markup import HtmlOptions

from .. import browser as bw
from ..conftest import CORPORA, corpus

# --- the vectors ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Vector:
    """One hostile string and where it comes from."""

    parts: tuple[str, ...]
    """The corpus file, as parts of a path under ../shared/corpora."""
    where: str
    """``:LINE`` for one-per-line files, ``[INDEX]`` for JSON arrays."""
    text: str
    """The string itself (empty in the placeholder of a missing file)."""

    @property
    def id(self) -> str:
        return f"{self.parts[-1]}{self.where}"


SOURCES = [
    ("xss-vectors", "xss-vectors.txt"),
    ("xss-vectors", "xss-vectors-special.json"),
    ("naughty-strings", "blns.txt"),
    ("naughty-strings", "blns.json"),
]


def _read(parts: tuple[str, ...], already: set[str]) -> list[Vector]:
    path = CORPORA.joinpath(*parts)
    if parts[-1].endswith(".json"):
        items = [(f"[{index}]", text) for index, text in enumerate(json.loads(path.read_text(encoding="utf-8")))]
    else:  # split on LF only: blns.txt holds raw controls (\x0b, \x1c, \x85…) that splitlines() would also cut at
        lines = path.read_text(encoding="utf-8").split("\n")
        items = [(f":{number}", text) for number, text in enumerate(lines, 1) if text and not text.startswith("#")]
    vectors = []
    for where, text in items:
        if parts[-1] == "blns.json" and text in already:
            continue  # the same string is tested under an earlier id (its blns.txt line, mostly)
        already.add(text)
        vectors.append(Vector(parts, where, text))
    return vectors


def _vectors() -> list[Any]:
    """Every vector as a pytest param; a missing file gives one param whose test skips with the reason."""
    params: list[Any] = []
    seen: set[str] = set()
    for parts in SOURCES:
        if not CORPORA.joinpath(*parts).is_file():
            params.append(pytest.param(Vector(parts, ":missing", ""), id=f"{parts[-1]}:missing"))
            continue
        found = _read(parts, seen if parts[0] == "naughty-strings" else set())
        params += [pytest.param(vector, id=vector.id) for vector in found]
    return params


VECTORS = _vectors()
ALL_VECTORS = [param.values[0] for param in VECTORS if param.values[0].where != ":missing"]


def _text(vector: Vector) -> str:
    """The vector's string, skipping the test (with the helper's reason) when its corpus file is missing."""
    corpus(*vector.parts)
    return vector.text


# --- building and annotating ---------------------------------------------------------------------

PAGE = (
    '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8"><title>Essai</title></head>\n'
    "<body><main>{}</main></body></html>\n"
)
TERM = "coopérative"
DEFINITION = "Entreprise dont les associés décident ensemble."
LAYOUTS = {"appendix": HtmlOptions(), "no-appendix": HtmlOptions(appendix=False)}
MAX_FORM_CHARS, MAX_DEFINITION_CHARS = 300, 4000  # docs/glossaries.md, "Glossary format"


def glossary_yaml(entry: dict[str, Any]) -> str:
    """A one-entry glossary whose scalars hold any string exactly (YAML escapes what it cannot show)."""
    return yaml.safe_dump({"entries": [entry]}, allow_unicode=True, sort_keys=False, width=1 << 30)


def refusal(role: str, value: str) -> str | None:
    """Why the documented rules refuse ``value`` in a glossary's ``role`` field, or None when it must load."""
    if any("\ud800" <= c <= "\udfff" for c in value):
        return "a lone surrogate is no Unicode character, so YAML text cannot hold it"
    if role in ("term", "variant", "definition") and not value.strip():
        return "a term, variant or definition may not be empty"
    if role in ("term", "variant") and len(" ".join(value.split())) > MAX_FORM_CHARS:
        return f"a term or variant has at most {MAX_FORM_CHARS} characters"
    if role == "definition" and len(value.strip()) > MAX_DEFINITION_CHARS:
        return f"a definition has at most {MAX_DEFINITION_CHARS} characters"
    return None


def load(role: str, value: str, entry: dict[str, Any]) -> Glossary | None:
    """Load a one-entry glossary; None when it is refused, as it must be, with a located error."""
    text = glossary_yaml(entry)
    why = refusal(role, value)
    try:
        glossary = load_glossary(text)
    except GlossaryError as error:
        assert why is not None, f"{role} {value!r} refused although no documented rule refuses it: {error}"
        errors = [d for d in error.diagnostics if d.severity == "error"]
        assert errors and all(d.line >= 1 for d in errors), f"the error is not located: {error}"
        return None
    assert why is None, f"{role} {value!r} loaded although {why}"
    return glossary


@cache
def annotator(glossary: Glossary) -> Annotator:
    return Annotator(glossary, AnnotateOptions(occurrences="all"))


def annotate(glossary: Glossary, page: str, layout: str) -> str:
    return annotator(glossary).annotate(Document.from_text(page, "html"), LAYOUTS[layout])


def found(glossary: Glossary, page: str) -> int:
    """How many occurrences gloss finds (what ``--format json`` reports, wrapped in a link or not)."""
    return len(annotator(glossary).find(Document.from_text(page, "html")))


# --- reading the output back ---------------------------------------------------------------------

Signature = tuple[str, tuple[str, ...]]
FORMATTING = {"a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u"}
C0_AND_SPACE = "".join(map(chr, range(0x21)))
ALLOWED_SCHEMES = {"http", "https", "mailto"}
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")


@dataclass(frozen=True, slots=True)
class Parsed:
    """A page as an HTML5 parser (a browser) reads it."""

    elements: Counter[Signature]
    """Each element as (tag, sorted attribute names), counted."""
    handlers: set[tuple[str, str, str]]
    """Every ``on*`` attribute as (tag, name, value)."""
    hrefs: set[str]
    """Every href value."""
    root: Any
    """The html5lib tree (etree, without the XHTML namespace)."""


@lru_cache(maxsize=64)  # the same input page is read for every layout
def parse(markup: str) -> Parsed:
    root = html5lib.parse(markup, namespaceHTMLElements=False)
    elements = [e for e in root.iter() if isinstance(e.tag, str)]  # comments have a function as tag
    return Parsed(
        Counter((e.tag, tuple(sorted(e.attrib))) for e in elements),
        {(e.tag, k, v) for e in elements for k, v in e.attrib.items() if k.lower().startswith("on")},
        {v for e in elements for k, v in e.attrib.items() if k == "href"},
        root,
    )


def scheme(href: str) -> str | None:
    """The scheme a browser reads in ``href`` (None for a relative URL).

    The WHATWG URL parser first strips leading and trailing C0 controls and spaces and removes
    every tab and newline: ``" java\\tscript:"`` is ``javascript:``.
    """
    cleaned = re.sub(r"[\t\n\r]", "", href.strip(C0_AND_SPACE))
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else None


def gloss_made(parsed: Parsed, layout: str, url: str | None) -> Counter[Signature]:
    """The elements gloss writes for one entry linked ``n`` times (docs/annotate.md)."""
    n = len(term_links(parsed))
    made: Counter[Signature] = Counter({("style", ("data-gloss-sig", "id")): 1, ("script", ("data-gloss-sig", "id")): 1})
    if layout == "appendix":
        made[("a", ("aria-describedby", "class", "data-gloss-def", "data-gloss-sig", *_link_attributes(parsed)))] += n
        for tag, attributes in [("aside", ("aria-labelledby", "class", "data-gloss-sig")), ("h2", ("id",)), ("dl", ()), ("dt", ()),
                                ("dfn", ("id",)), ("dd", ()), ("span", ("id",))]:  # fmt: skip
            made[(tag, attributes)] += 1
        if url:
            made[("a", ("href",))] += 1  # "En savoir plus"
    elif url:
        made[("a", ("aria-description", "class", "data-gloss-def", "data-gloss-sig", "href"))] += n
    else:
        made[("a", ("aria-description", "class", "data-gloss-def", "data-gloss-sig", "role", "tabindex"))] += n
    return made


def _link_attributes(parsed: Parsed) -> tuple[str, ...]:
    """How a term links to its entry (docs/annotate.md, "Pages that defeat the annotation"): by href, with
    target="_self" under a <base target>, or not at all (role and tabindex) under a <base href> that
    points elsewhere, the page's address being unknown."""
    bases = list(parsed.root.iter("base"))
    href = next((b.get("href") for b in bases if b.get("href") is not None), None)
    if href is not None and href.strip() and not href.strip().startswith("#"):
        return ("role", "tabindex")
    target = next((b.get("target") for b in bases if b.get("target") is not None), None)
    return ("href", "target") if target and target.strip().lower() != "_self" else ("href",)


def term_links(parsed: Parsed) -> list[Any]:
    return [e for e in parsed.root.iter("a") if e.get("class") == "gloss-term"]


def check_inert(page: str, out: str, layout: str, url: str | None, *, page_has_markup: bool = False) -> Parsed:
    """Assert (a) and (b) for one annotated page; return its parse."""
    before, after = parse(page), parse(out)
    added = after.elements - before.elements
    expected = gloss_made(after, layout, url)
    unexplained = added - expected
    if page_has_markup:
        # An element the page left open may be copied by the parser where gloss's text goes on ("reconstruct
        # the active formatting elements"): the page's own element, with the page's own attributes.
        unexplained = Counter({s: n for s, n in unexplained.items() if not (s[0] in FORMATTING and s in before.elements)})
    assert not unexplained, f"{layout}: elements gloss did not write: {dict(unexplained)}"
    if not page_has_markup:
        assert added == expected, f"{layout}: gloss's elements are {dict(added)}, expected {dict(expected)}"
    assert after.handlers <= before.handlers, f"{layout}: on* attributes added: {after.handlers - before.handlers}"
    for href in after.hrefs - before.hrefs:
        assert href.startswith("#gloss-") or scheme(href) in ALLOWED_SCHEMES, f"{layout}: gloss wrote href={href!r}"
    for link in term_links(after):
        href = link.get("href")
        assert href is None or href.startswith("#gloss-") or scheme(href) in ALLOWED_SCHEMES, f"{layout}: term href={href!r}"
    return after


def read_back(text: str) -> str:
    """What an HTML parser can give back of ``text`` written in a page.

    HTML cannot carry U+0000 at all: the standard reads it as U+FFFD (or drops it), as
    tests/test_markup.py also expects.  Every other character must come back as it was.
    """
    return text.replace("\0", "\ufffd")


def page_with(text: str) -> str:
    """A French page whose text is ``text`` (escaped: it is text, not markup) inside a sentence."""
    return PAGE.format(f"<p>Nous parlons de {html.escape(text)} dans ce texte.</p>")


TERM_PAGE = PAGE.format(f"<p>Une {TERM} du territoire.</p>")


# --- one test per vector and role ----------------------------------------------------------------


def check_form(role: str, value: str, entry: dict[str, Any]) -> None:
    """The vector as a term or a variant, found in a sentence of the page."""
    glossary = load(role, value, entry)
    if glossary is None:
        return
    page = page_with(value)
    occurrences = found(glossary, page)
    for layout in LAYOUTS:
        out = annotate(glossary, page, layout)
        if not occurrences:  # the matcher does not find this form (see test_most_forms_are_found): nothing to escape
            assert out == page
            continue
        parsed = check_inert(page, out, layout, None)
        assert term_links(parsed), f"{layout}: gloss finds {occurrences} occurrence(s) but wrote no link"


@pytest.mark.parametrize("vector", VECTORS)
def test_vector_as_term(vector):
    value = _text(vector)
    check_form("term", value, {"term": value, "definition": DEFINITION})


@pytest.mark.parametrize("vector", VECTORS)
def test_vector_as_variant(vector):
    value = _text(vector)
    check_form("variant", value, {"term": TERM, "variants": [value], "definition": DEFINITION})


@pytest.mark.parametrize("vector", VECTORS)
def test_vector_as_definition(vector):
    value = _text(vector)
    glossary = load("definition", value, {"term": TERM, "definition": value})
    if glossary is None:
        return
    [entry] = glossary.entries
    assert entry.definition == value.strip(), "schema.py only strips the whitespace around a definition"
    expected = read_back(entry.definition)
    for layout in LAYOUTS:
        parsed = check_inert(TERM_PAGE, annotate(glossary, TERM_PAGE, layout), layout, None)
        links = term_links(parsed)
        assert links, f"{layout}: no link for {TERM!r}"
        for link in links:
            assert link.get("data-gloss-def") == expected, f"{layout}: data-gloss-def"
            if layout == "no-appendix":
                assert link.get("aria-description") == expected, f"{layout}: aria-description"
        if layout == "appendix":
            [shown] = [e for e in parsed.root.iter("span") if e.get("id") == links[0].get("aria-describedby")]
            assert "".join(shown.itertext()) == expected, f"{layout}: the appendix's definition text"


def test_a_definition_s_template_syntax_is_written_as_references():
    # A page a server renders as a template (Jinja, Twig, Liquid) must not receive template code from
    # a glossary, nor have a « {{ » it leaves unclosed closed by one.
    value = '{{ "".__class__ }} {% include "x" %} {# n #}'
    glossary = load("definition", value, {"term": TERM, "definition": value})
    assert glossary is not None
    for layout in LAYOUTS:
        out = annotate(glossary, TERM_PAGE, layout)
        written = re.sub(r"<(style|script)\b[^>]*>[\s\S]*?</\1>", "", out)  # gloss's own stylesheet and script aside
        assert not any(syntax in written for syntax in ("{{", "}}", "{%", "%}", "{#", "#}")), layout
        assert {link.get("data-gloss-def") for link in term_links(parse(out))} == {value}, layout


@pytest.mark.parametrize("vector", VECTORS)
def test_vector_as_url(vector):
    value = _text(vector)
    glossary = load("url", value, {"term": TERM, "definition": DEFINITION, "url": value})
    if glossary is None:
        return
    [entry] = glossary.entries
    if entry.url is None:
        dropped = [w for w in glossary.warnings if "is not an http, https or mailto link" in w.message]
        assert not value.strip() or (dropped and all(w.line >= 1 for w in dropped)), "url dropped without a located warning"
    else:
        assert entry.url == value.strip() and scheme(entry.url) in ALLOWED_SCHEMES, f"url kept: {entry.url!r}"
    for layout in LAYOUTS:
        out = annotate(glossary, TERM_PAGE, layout)
        parsed = check_inert(TERM_PAGE, out, layout, entry.url)
        links = term_links(parsed)
        assert links, f"{layout}: no link for {TERM!r}"
        written = {href for href in parsed.hrefs if not href.startswith("#gloss-")}
        assert written == ({entry.url} if entry.url else set()), f"{layout}: links written: {written}"


@cache
def plain_glossary() -> Glossary:
    """The glossary of the input-text roles: one ordinary entry."""
    return load_glossary(glossary_yaml({"term": TERM, "definition": DEFINITION}))


@pytest.mark.parametrize("vector", VECTORS)
def test_vector_in_input_text(vector):
    value = _text(vector)
    # Raw, as markup of the page, between two occurrences: the first one is always prose.
    page = PAGE.format(f"<p>Une {TERM} {value} une {TERM}.</p>")
    for layout in LAYOUTS:
        parsed = check_inert(page, annotate(plain_glossary(), page, layout), layout, None, page_has_markup=True)
        assert term_links(parsed), f"{layout}: the first {TERM!r}, before the vector, has no link"


TEXT_PAGE = {("html", ("lang",)), ("head", ()), ("meta", ("charset",)), ("meta", ("content", "name")), ("title", ()),
             ("body", ()), ("main", ()), ("h1", ()), ("h2", ()), ("p", ()), ("style", ())}  # fmt: skip


@pytest.mark.parametrize("vector", VECTORS)
def test_vector_in_plain_text_input(vector):
    """Plain text becomes a page (docs/annotate.md): the vector must stay text in it."""
    value = _text(vector)
    out = annotator(plain_glossary()).annotate(Document.from_text(f"Une {TERM} {value} une {TERM}.\n", "text"))
    parsed = parse(out)
    unexplained = set(parsed.elements) - TEXT_PAGE - set(gloss_made(parsed, "appendix", None))
    assert not unexplained, f"elements gloss did not write: {unexplained}"
    assert not parsed.handlers, f"on* attributes: {parsed.handlers}"
    assert not parsed.hrefs - {"#gloss-cooperative"}, f"links: {parsed.hrefs}"
    assert term_links(parsed), f"the first {TERM!r}, before the vector, has no link"


def test_most_forms_are_found():
    """Guard for (d): the roles term and variant skip the link checks for forms gloss does not find.

    Those are matching limits (forms without a word, template syntax, combining marks, escape
    sequences), not escaping; but if they grew, the family would test little.  The list is in the message.
    """
    if not ALL_VECTORS:
        pytest.skip(f"test corpora are missing in {CORPORA} (../shared/corpora sits beside the checkout)")
    entries = {"term": lambda v: {"term": v, "definition": DEFINITION},
               "variant": lambda v: {"term": TERM, "variants": [v], "definition": DEFINITION}}  # fmt: skip
    for role, entry in entries.items():
        loaded = [(v, glossary) for v in ALL_VECTORS if (glossary := load(role, v.text, entry(v.text))) is not None]
        missed = [v.id for v, glossary in loaded if not found(glossary, page_with(v.text))]
        assert len(missed) <= len(loaded) // 20, f"{role}: {len(missed)} of {len(loaded)} forms never found: {missed}"


# --- gloss check drops every url that is not http, https or mailto --------------------------------


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("javascript:alert(1)", id="javascript"),
        pytest.param("JaVaScRiPt:alert(document.domain)", id="javascript-mixed-case"),
        pytest.param("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", id="data"),
        pytest.param("vbscript:msgbox(1)", id="vbscript"),
        pytest.param("../glossaire.html#scop", id="relative"),
        pytest.param("//evil.example/x.js", id="protocol-relative"),
        pytest.param("\x01javascript:alert(1)", id="control-then-javascript"),
    ],
)
def test_gloss_check_warns_and_annotate_drops_the_url(gloss, write_yaml, tmp_path, url):
    path = write_yaml(glossary_yaml({"term": TERM, "definition": DEFINITION, "url": url}))
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "url:" in text)
    checked = gloss("check", "--no-default", str(path))
    assert checked.exit_code == 0, checked.output
    [warning] = checked.stdout.splitlines()
    assert re.fullmatch(rf"{re.escape(str(path))}:{line}:\d+: warning: url '.*' is not an http, https or mailto link; it is ignored",
                        warning), warning  # fmt: skip
    assert gloss("check", "--no-default", "--strict", str(path)).exit_code == 1
    page = tmp_path / "page.html"
    page.write_text(TERM_PAGE, encoding="utf-8")
    for layout in ([], ["--no-appendix"]):
        result = gloss("annotate", "--no-default", "-g", str(path), *layout, str(page))
        assert result.exit_code == 0, result.stderr
        assert 'class="gloss-term"' in result.stdout
        hrefs = parse(result.stdout).hrefs
        assert all(href.startswith("#gloss-") for href in hrefs), hrefs
        assert html.escape(url) not in result.stdout and url not in result.stdout


# --- Chromium: the XSS glossary on its page calls no alert, prompt or confirm ---------------------

_MISSING_BROWSER = bw.missing_browser()
if not _MISSING_BROWSER:
    # The fixtures and the test itself are those of tests/test_browser.py (imported only when Chromium and
    # Playwright are there: that module skips itself otherwise).
    from ..test_browser import browser, build, open_page  # noqa: F401
    from ..test_browser import test_hostile_definitions_and_terms_stay_inert as stays_inert_in_chromium
else:
    stays_inert_in_chromium: Callable[..., None] | None = None  # type: ignore[no-redef]


@pytest.mark.browser
@pytest.mark.skipif(bool(_MISSING_BROWSER), reason=_MISSING_BROWSER or "")
@pytest.mark.parametrize("layout", [[], ["--no-appendix"]], ids=["appendix", "no-appendix"])
def test_xss_glossary_records_no_dialog_in_chromium(build, open_page, layout):
    assert stays_inert_in_chromium is not None
    stays_inert_in_chromium(build, open_page, layout)
