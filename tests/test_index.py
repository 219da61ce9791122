"""A site's glossary page (``gloss annotate --index``): French order, back-links that resolve, terms
linked to it from nested folders (``--link-to index``), templates that escape hostile text, schema.org
JSON-LD, and the incremental update with ``--changed-only``."""

from __future__ import annotations

import json
import posixpath
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import html5lib
import lxml.html
import pytest

from ptce_gloss import IndexOptions, build_index, load_glossaries, run_batch
from ptce_gloss.annotate import Annotator
from ptce_gloss.batch.index import is_signed_page
from ptce_gloss.batch.report import FileReport
from ptce_gloss.glossary import Entry, parse_glossary
from ptce_gloss.markup import HtmlOptions, strip_gloss

from .conftest import EXAMPLES, corpus

TERM = ".//a[contains(concat(' ', @class, ' '), ' gloss-term ')]"

GLOSSARY = """\
entries:
  - id: zebre
    term: zèbre solidaire
    definition: Une entreprise qui allie rentabilité et utilité sociale.
  - id: economie
    term: économie circulaire
    definition: Une économie qui réemploie et recycle.
    see: [oeuvre]
    tags: [Économie]
  - id: eau
    term: eau partagée
    definition: Une ressource gérée en commun.
    tags: [communs]
  - id: oeuvre
    term: œuvre sociale
    definition: Une action d'entraide.
    tags: [économie]
  - id: oasis
    term: oasis
    definition: Un lieu de vie collectif.
  - id: asso
    term: association
    acronyms: [ASSO]
    definition: Un groupement de personnes.
  - id: elan
    term: Élan coopératif
    definition: Un réseau de coopératives.
  - id: un-pour-cent
    term: 1 % solidaire
    definition: Une part des ventes donnée.
"""

PAGES = {
    "index.html": "<!DOCTYPE html><html lang=fr><head><title>Accueil &amp; nouvelles</title></head>"
    "<body><p>Une association gère l'eau partagée et une œuvre sociale.</p></body></html>",
    "actus/2026/mars.html": "<html><head><title>Mars</title></head><body><h1>Mars</h1>"
    "<p>L'économie circulaire, une association et une association encore.</p></body></html>",
    "docs/guide.md": "---\ntitle: Le guide\n---\n\n# Guide\n\nUn zèbre solidaire et une association.\n",
    "textes/lettre.txt": "Lettre d'avril\n\nUne oasis, une association, un Élan coopératif et le 1 % solidaire.\n",
    "sans-terme.html": "<p>Rien ici.</p>",
}


@pytest.fixture
def site(tmp_path: Path) -> tuple[Path, Path]:
    source = tmp_path / "site"
    for name, text in PAGES.items():
        path = source / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (tmp_path / "g.yaml").write_text(GLOSSARY, encoding="utf-8")
    return source, tmp_path / "g.yaml"


def annotate(gloss, source: Path, out: Path, glossary: Path, *args: str):
    result = gloss("annotate", str(source), "-o", str(out), "--no-default", "-g", str(glossary), "-j", "1", "-q", *args)
    assert result.exit_code == 0, result.output
    return result


def ids_of(path: Path) -> set[str]:
    if path.suffix == ".md":  # the raw HTML gloss wrote into Markdown
        return set(re.findall(r'\sid="([^"]+)"', path.read_text(encoding="utf-8")))
    return set(lxml.html.fromstring(path.read_bytes()).xpath("//@id"))  # in the page's own encoding


def local_links(page: Path, root: Path, xpath: str = ".//a[@href]") -> list[tuple[str, Path, str]]:
    """(href, file it names, fragment) of each link of ``page`` that stays on the site."""
    tree = lxml.html.fromstring(page.read_bytes())
    found = []
    for link in tree.xpath(xpath):
        href = link.get("href")
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            continue
        target = page if not parts.path else Path(posixpath.normpath(posixpath.join(page.parent.as_posix(), unquote(parts.path))))
        assert root in target.parents or target == root, f"{href} leaves the output"
        found.append((href, target, parts.fragment))
    return found


def entries_on(page: Path) -> list[str]:
    tree = lxml.html.fromstring(page.read_text(encoding="utf-8"))
    return [dt.text_content().strip() for dt in tree.xpath(".//main//dt")]


def test_entries_in_french_order_grouped_by_letter(gloss, site, tmp_path):
    source, glossary = site
    annotate(gloss, source, tmp_path / "out", glossary, "--index", "glossaire.html", "--index-all")
    page = tmp_path / "out" / "glossaire.html"
    assert entries_on(page) == [
        "1 % solidaire",
        "association (ASSO)",
        "eau partagée",
        "économie circulaire",  # accents ignored in the order: eau < économie < élan
        "Élan coopératif",
        "oasis",
        "œuvre sociale",  # œ as oe: oasis < oeuvre
        "zèbre solidaire",
    ]
    tree = lxml.html.fromstring(page.read_text(encoding="utf-8"))
    letters = {
        h2.text_content(): [dt.text_content() for dt in h2.getparent().xpath(".//dt")] for h2 in tree.xpath(".//main//section/h2")
    }
    assert list(letters)[:5] == ["0–9", "A", "E", "O", "Z"]
    assert letters["E"] == ["eau partagée", "économie circulaire", "Élan coopératif"]  # É under E
    assert letters["O"] == ["oasis", "œuvre sociale"]  # Œ under O
    nav = [a.text_content() for a in tree.xpath(".//header//nav//a")]
    assert nav == ["0–9", "A", "E", "O", "Z"]
    # the index by tag, in the same order (É like E), each tag its entries
    tags = {h3.text_content(): [a.text_content() for a in h3.getnext().xpath(".//a")] for h3 in tree.xpath(".//section/h3")}
    assert list(tags) == ["communs", "Économie", "économie"]  # the same letters: capital first
    assert tags["économie"] == ["œuvre sociale"] and tags["Économie"] == ["économie circulaire"]
    assert len({h3.get("id") for h3 in tree.xpath(".//section/h3")}) == 3  # ids kept apart


def test_only_the_entries_the_pages_use_by_default(gloss, site, tmp_path):
    source, glossary = site
    (source / "textes" / "lettre.txt").unlink()
    annotate(gloss, source, tmp_path / "out", glossary, "--index", "glossaire.html")
    assert entries_on(tmp_path / "out" / "glossaire.html") == [
        "association (ASSO)",
        "eau partagée",
        "économie circulaire",
        "œuvre sociale",
        "zèbre solidaire",
    ]


@pytest.mark.parametrize("name", ["glossaire.html", "ressources/lexique/glossaire.html"])
def test_every_back_link_resolves_to_an_output_and_its_anchor(gloss, site, tmp_path, name):
    source, glossary = site
    out = tmp_path / "out"
    annotate(gloss, source, out, glossary, "--index", name)
    page = out / name
    links = local_links(page, out)
    pages = [(href, target, fragment) for href, target, fragment in links if target != page]
    assert pages, "the page lists the pages where its entries are used"
    for href, target, fragment in links:
        assert target.is_file(), f"{href}: no such output"
        if fragment:
            assert fragment in ids_of(target), f"{href}: no such anchor in {target.name}"
    targets = {target.relative_to(out).as_posix() for _, target, _ in pages}
    assert targets == {"index.html", "actus/2026/mars.html", "docs/guide.md", "textes/lettre.html"}
    # each back-link goes to the entry's first occurrence on that page
    mars = out / "actus" / "2026" / "mars.html"
    anchor = next(fragment for _, target, fragment in pages if target == mars)
    first = lxml.html.fromstring(mars.read_text(encoding="utf-8")).get_element_by_id(anchor)
    assert "gloss-term" in first.get("class") and first.text_content() in ("économie circulaire", "association")
    # pages are named by their titles: <title>, front matter, a text's first line
    titles = {
        a.text_content() for a in lxml.html.fromstring(page.read_text(encoding="utf-8")).xpath(".//*[@class='gloss-pages']//a")
    }
    assert titles == {"Accueil & nouvelles", "Mars", "Le guide", "Lettre d'avril"}


def test_pages_most_used_first_and_capped(gloss, site, tmp_path):
    source, glossary = site
    annotate(gloss, source, tmp_path / "out", glossary, "--index", "g.html", "--index-pages", "2", "--occurrences", "all")
    tree = lxml.html.fromstring((tmp_path / "out" / "g.html").read_text(encoding="utf-8"))
    entry = tree.get_element_by_id("gloss-asso").getnext()  # its <dd>
    listed = entry.xpath(".//*[@class='gloss-pages']/li")
    assert [li.xpath(".//a")[0].text_content() for li in listed[:2]] == ["Mars", "Accueil & nouvelles"]  # 2 uses, then by title
    assert listed[2].text_content() == "et 2 autres pages"
    assert "4 pages" in entry.xpath(".//*[@class='gloss-used']")[0].text_content()


def test_link_to_index_from_nested_folders(gloss, site, tmp_path):
    source, glossary = site
    out = tmp_path / "out"
    annotate(gloss, source, out, glossary, "--index", "ressources/glossaire.html", "--link-to", "index")
    index = out / "ressources" / "glossaire.html"
    anchors = ids_of(index)
    checked = 0
    for page in [out / "index.html", out / "actus" / "2026" / "mars.html", out / "textes" / "lettre.html"]:
        text = page.read_text(encoding="utf-8")
        assert "<aside" not in text  # no appendix: the terms link to the site's page
        for href, target, fragment in local_links(page, out, TERM):
            assert target == index, href
            assert fragment in anchors, href
            checked += 1
        for term in lxml.html.fromstring(text).xpath(TERM):
            assert term.get("data-gloss-def") and term.get("aria-description") == term.get("data-gloss-def")
    md = (out / "docs" / "guide.md").read_text(encoding="utf-8")
    hrefs = re.findall(r'class="gloss-term" href="([^"]+)"', md)
    assert hrefs and all(h.startswith("../ressources/glossaire.html#gloss-") and h.split("#")[1] in anchors for h in hrefs)
    assert checked >= 5
    assert (out / "actus" / "2026" / "mars.html").read_text(encoding="utf-8").count(
        'href="../../ressources/glossaire.html#gloss-'
    ) >= 2


def test_link_style_markdown_links_to_the_index_and_strips_back(gloss, site, tmp_path):
    source, glossary = site
    out = tmp_path / "out"
    annotate(gloss, source, out, glossary, "--index", "glossaire.html", "--link-to", "index", "--markdown-style", "link")
    md = (out / "docs" / "guide.md").read_text(encoding="utf-8")
    assert '[zèbre solidaire](../glossaire.html#gloss-zebre "' in md
    assert "## Glossaire" not in md
    stripped = gloss("strip", str(out / "docs" / "guide.md"))
    assert stripped.stdout == PAGES["docs/guide.md"]


def test_hostile_definitions_terms_and_titles_stay_text(tmp_path):
    lines = [line for line in corpus("xss-vectors", "xss-vectors.txt").read_text(encoding="utf-8").split("\n") if line.strip()]
    entries = [
        Entry(f"e{number}", f"terme {number} {line}", f"définition {line}", tags=(line[:40],))
        for number, line in enumerate(lines)
    ]
    files = [
        FileReport(f"p{n}.html", "annotated", None, {e.id: 1 for e in entries[n::7]}, [], f"p{n}.html", lines[n], {})
        for n in range(7)
    ]
    template = tmp_path / "site.html.j2"
    template.write_text(
        "<!DOCTYPE html><html lang=fr><head><meta charset=utf-8><title>{{ title }}</title>{{ structured_data }}</head><body>"
        "<main>{% for e in entries %}<h2 id='{{ e.anchor }}'>{{ e.term }}</h2><p title='{{ e.definition }}'>{{ e.definition }}</p>"
        "{% for p in e.pages %}<a href='{{ p.href }}'>{{ p.title }}</a>{% endfor %}{% endfor %}</main></body></html>",
        encoding="utf-8",
    )
    for chosen in (None, str(template)):
        page = build_index(files, entries, IndexOptions(template=chosen))
        document = html5lib.parse(page, namespaceHTMLElements=False)
        scripts = document.findall(".//script")
        assert [s.get("type") for s in scripts] == ["application/ld+json"], "no script but the JSON-LD"
        for element in document.iter():
            assert not [a for a in element.attrib if a.lower().startswith("on")], (element.tag, element.attrib)
            for attribute in ("href", "src", "action", "formaction"):
                value = element.get(attribute)
                assert value is None or not value.strip().lower().startswith(("javascript:", "data:", "vbscript:")), value
        texts = {"".join(h.itertext()) for h in document.iter("h2" if chosen else "dfn")}
        assert {e.term for e in entries} <= texts  # read back as the very text, not markup
        data = json.loads(scripts[0].text)
        assert {t["name"]: t["description"] for t in data["hasDefinedTerm"]} == {e.term: e.definition for e in entries}


def test_json_ld_of_the_index_and_of_the_pages(gloss, site, tmp_path):
    source, glossary = site
    out = tmp_path / "out"
    annotate(gloss, source, out, glossary, "--index", "glossaire.html", "--link-to", "index", "--structured-data")
    tree = lxml.html.fromstring((out / "glossaire.html").read_text(encoding="utf-8"))
    (block,) = tree.xpath("//script[@type='application/ld+json']")
    data = json.loads(block.text)
    assert data["@context"] == "https://schema.org" and data["@type"] == "DefinedTermSet"
    assert data["name"] and data["@id"] == "glossaire.html"
    ids = ids_of(out / "glossaire.html")
    for term in data["hasDefinedTerm"]:
        assert term["@type"] == "DefinedTerm"
        assert isinstance(term["name"], str) and isinstance(term["description"], str) and term["description"]
        assert term["inDefinedTermSet"] == data["@id"]
        assert term["url"].split("#")[1] in ids
    asso = next(t for t in data["hasDefinedTerm"] if t["name"] == "association")
    assert asso["alternateName"] == "ASSO"
    for name in ("index.html", "actus/2026/mars.html", "textes/lettre.html"):
        page = out / name
        (block,) = lxml.html.fromstring(page.read_text(encoding="utf-8")).xpath("//script[@type='application/ld+json']")
        graph = json.loads(block.text)["@graph"]
        used = {a.text_content() for a in lxml.html.fromstring(page.read_text(encoding="utf-8")).xpath(TERM)}
        assert {t["name"] for t in graph} <= {t["name"] for t in data["hasDefinedTerm"]} and len(graph) == len(used)
        for term in graph:
            assert term["@type"] == "DefinedTerm" and term["description"]
            target, fragment = term["url"].split("#")
            assert (page.parent / target).resolve() == (out / "glossaire.html").resolve() and fragment in ids
            assert (page.parent / term["inDefinedTermSet"]).resolve() == (out / "glossaire.html").resolve()
    # gloss strip takes the block out with the rest
    original = (source / "index.html").read_bytes()
    assert strip_gloss((out / "index.html").read_text(encoding="utf-8")).encode() == original


def test_structured_data_with_the_page_appendix(gloss, site, tmp_path):
    source, glossary = site
    result = gloss("annotate", str(source / "index.html"), "--no-default", "-g", str(glossary), "--structured-data")
    tree = lxml.html.fromstring(result.stdout)
    (block,) = tree.xpath("//script[@type='application/ld+json']")
    graph = json.loads(block.text)["@graph"]
    assert all(t["url"].startswith("#") and t["url"][1:] in set(tree.xpath("//@id")) for t in graph)
    assert all(t["inDefinedTermSet"]["@type"] == "DefinedTermSet" for t in graph)


def test_the_index_is_updated_from_the_record_of_unchanged_pages(gloss, site, tmp_path):
    source, glossary = site
    out = tmp_path / "out"
    args = ("--index", "glossaire.html", "--changed-only", "--report", str(tmp_path / "r.json"))
    annotate(gloss, source, out, glossary, *args)
    first = (out / "glossaire.html").read_text(encoding="utf-8")
    (source / "actus" / "nouveau.html").write_text(
        "<title>Nouveau</title><p>Une oasis et un zèbre solidaire.</p>", encoding="utf-8"
    )
    annotate(gloss, source, out, glossary, *args)
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    statuses = {f["name"]: f["status"] for f in report["files"]}
    assert statuses["actus/nouveau.html"] == "annotated"
    assert statuses["index.html"] == statuses["actus/2026/mars.html"] == "unchanged"  # not read again
    second = (out / "glossaire.html").read_text(encoding="utf-8")
    assert second != first
    tree = lxml.html.fromstring(second)
    zebre = [a.get("href") for a in tree.get_element_by_id("gloss-zebre").getnext().xpath(".//*[@class='gloss-pages']//a")]
    assert zebre == ["docs/guide.md#gloss-in-zebre", "actus/nouveau.html#gloss-in-zebre"]  # the old one kept; by title
    for href, target, fragment in local_links(out / "glossaire.html", out):
        assert target.is_file() and (not fragment or fragment in ids_of(target)), href


def test_build_index_from_a_run_batch_report_and_from_records(tmp_path, site):
    source, _ = site
    glossary = parse_glossary(GLOSSARY, "g.yaml")
    annotator = Annotator(glossary)
    report = run_batch(annotator, [str(source)], str(tmp_path / "out"), HtmlOptions(anchors=True))
    page = build_index(report, glossary, IndexOptions(name="glossaire.html"))
    assert 'href="actus/2026/mars.html#gloss-in-economie"' in page
    records = [
        {
            "name": "a/b.html",
            "status": "annotated",
            "occurrences": {"oasis": 2},
            "title": "B",
            "anchors": {"oasis": "gloss-in-oasis"},
        }
    ]
    page = build_index(records, glossary, IndexOptions(name="x/glossaire.html"))
    assert 'href="../a/b.html#gloss-in-oasis">B</a>' in page
    assert entries_on_text(page) == ["oasis"]


def entries_on_text(page: str) -> list[str]:
    return [dt.text_content().strip() for dt in lxml.html.fromstring(page).xpath(".//main//dt")]


def test_the_page_is_valid_html5_in_french(gloss, site, tmp_path):
    source, glossary = site
    annotate(gloss, source, tmp_path / "out", glossary, "--index", "glossaire.html", "--index-all")
    text = (tmp_path / "out" / "glossaire.html").read_text(encoding="utf-8")
    parser = html5lib.HTMLParser(strict=True)
    parser.parse(text.split("<!--gloss-index")[0])  # raises on any parse error
    tree = lxml.html.fromstring(text)
    assert tree.get("lang") == "fr" and tree.findtext(".//title") == "Glossaire"
    every_id = tree.xpath("//@id")
    assert len(every_id) == len(set(every_id))


def test_an_index_template_wraps_the_page_in_the_site_layout(gloss, site, tmp_path):
    source, glossary = site
    template = tmp_path / "layout.html.j2"
    (tmp_path / "header.html.j2").write_text("<header><p>Mon site</p></header>", encoding="utf-8")
    template.write_text(
        "<!DOCTYPE html><html lang=fr><head><title>{{ title }} – Mon site</title><style>{{ style }}</style>"
        "{{ structured_data }}</head><body>{% include 'header.html.j2' %}<main>{% for letter in letters %}<h2>{{ letter.letter }}</h2>"
        "{% for e in letter.entries %}<p id='{{ e.anchor }}'>{{ e.term }} : {{ e.definition }}</p>{% endfor %}{% endfor %}</main></body></html>",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    annotate(gloss, source, out, glossary, "--index", "glossaire.html", "--link-to", "index", "--index-template", str(template))
    text = (out / "glossaire.html").read_text(encoding="utf-8")
    assert "<title>Glossaire – Mon site</title>" in text and "<p>Mon site</p>" in text
    for _, target, fragment in local_links(out / "index.html", out, TERM):
        assert fragment in ids_of(target)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--index", "../dehors.html"), "inside the output"),
        (("--index", "/tmp/abs.html"), "inside the output"),
        (("--index", "glossaire.txt"), "ending in .html"),
        (("--index", "index.html"), "is one of the inputs"),
        (("--link-to", "index"), "--link-to index needs --index"),
        (("--index-template", "t.j2"), "give --index NAME too"),
    ],
)
def test_wrong_index_options_are_usage_errors(gloss, site, tmp_path, args, message):
    source, glossary = site
    result = gloss("annotate", str(source), "-o", str(tmp_path / "out"), "--no-default", "-g", str(glossary), "-q", *args)
    assert result.exit_code == 2 and message in result.output
    assert not (tmp_path / "out").exists()


def test_index_needs_a_batch_that_writes(gloss, site, tmp_path):
    source, glossary = site
    single = gloss("annotate", str(source / "index.html"), "-o", str(tmp_path / "a.html"), "--index", "g.html")
    assert single.exit_code == 2 and "give a folder, archive or WARC to annotate (a batch)" in single.output
    assert not (tmp_path / "a.html").exists()
    before = {p: p.read_bytes() for p in source.rglob("*") if p.is_file()}
    check = gloss("annotate", "--in-place", "--check", str(source), "--no-default", "-g", str(glossary), "--index", "g.html")
    assert check.exit_code == 2 and "--index writes a page: not with --check" in check.output
    assert {p: p.read_bytes() for p in source.rglob("*") if p.is_file()} == before


def test_a_broken_template_is_one_line_naming_its_line(gloss, site, tmp_path):
    source, glossary = site
    template = tmp_path / "t.html.j2"
    command = ("annotate", str(source), "-o", str(tmp_path / "out"), "--no-default", "-g", str(glossary))
    command += ("--index", "g.html", "--index-template", str(template))
    template.write_text("<p>\n{% for x in %}\n", encoding="utf-8")
    result = gloss(*command)
    assert result.exit_code == 1 and f"{template}:2: the index template is not valid Jinja2" in result.output
    template.write_text("<p>{{ nothing_of_that_name }}</p>", encoding="utf-8")
    result = gloss(*command)
    assert result.exit_code == 1 and "the index template failed" in result.output and "nothing_of_that_name" in result.output
    assert "Traceback" not in result.output


def test_in_place_the_page_replaces_only_its_own_last_version(gloss, site, tmp_path):
    source, glossary = site
    run = ("annotate", "--in-place", str(source), "--no-default", "-g", str(glossary), "-q", "--index", "glossaire.html")
    assert gloss(*run).exit_code == 0
    page = source / "glossaire.html"
    assert is_signed_page(page.read_bytes())
    assert gloss(*run).exit_code == 0  # the last run's page: replaced, not annotated as a page of the site
    assert "gloss-term" not in page.read_text(encoding="utf-8")
    page.write_text(page.read_text(encoding="utf-8").replace("Glossaire", "Lexique", 1), encoding="utf-8")
    edited = page.read_bytes()
    result = gloss(*run)
    assert result.exit_code == 2 and "not a glossary page gloss wrote" in result.output
    assert page.read_bytes() == edited  # an edited page is never overwritten


def test_an_archive_output_holds_the_page(gloss, site, tmp_path):
    import zipfile

    source, glossary = site
    annotate(gloss, source, tmp_path / "out.zip", glossary, "--index", "glossaire.html", "--link-to", "index")
    with zipfile.ZipFile(tmp_path / "out.zip") as archive:
        names = set(archive.namelist())
        page = archive.read("glossaire.html").decode("utf-8")
        mars = archive.read("actus/2026/mars.html").decode("utf-8")
    assert {"glossaire.html", "actus/2026/mars.html", "textes/lettre.html"} <= names
    assert 'href="actus/2026/mars.html#gloss-in-' in page and 'href="../../glossaire.html#gloss-' in mars


def test_the_examples_site_index(gloss, tmp_path):
    """The examples as a site: every back-link of the page resolves (what the screenshot shows)."""
    source = tmp_path / "examples"
    shutil.copytree(EXAMPLES, source, ignore=shutil.ignore_patterns("mkdocs-site", "*.yaml", "*.yml"))
    out = tmp_path / "out"
    result = gloss("annotate", str(source), "-o", str(out), "-q", "--index", "glossaire.html", "--link-to", "index")
    assert result.exit_code == 0, result.output
    links = local_links(out / "glossaire.html", out)
    assert len({target for _, target, _ in links}) >= 4
    for href, target, fragment in links:
        assert target.is_file() and (not fragment or fragment in ids_of(target)), href
    assert load_glossaries()  # the bundled glossary the examples use


def markdown_page(text: str) -> lxml.html.HtmlElement:
    """A Markdown page as a site renders it (CommonMark, raw HTML allowed)."""
    from markdown_it import MarkdownIt

    return lxml.html.fromstring(f"<html><body>{MarkdownIt('commonmark').render(text)}</body></html>")


def test_a_markdown_site_gets_a_markdown_page(gloss, site, tmp_path):
    source, glossary = site
    out = tmp_path / "out"
    annotate(gloss, source, out, glossary, "--index", "docs/glossaire.md", "--link-to", "index", "--index-all")
    text = (out / "docs" / "glossaire.md").read_text(encoding="utf-8")
    assert text.startswith("# Glossaire\n") and is_signed_page(text.encode("utf-8"))
    tree = markdown_page(text)
    terms = [b.text_content() for b in tree.xpath(".//p/strong")]
    assert terms == [
        "1 % solidaire",
        "association",
        "eau partagée",
        "économie circulaire",
        "Élan coopératif",
        "oasis",
        "œuvre sociale",
        "zèbre solidaire",
    ]
    assert [h.text_content() for h in tree.xpath(".//h2")][:5] == ["0–9", "A", "E", "O", "Z"]
    ids = set(tree.xpath("//@id"))
    pages = 0
    for link in tree.xpath(".//a[@href]"):
        href = link.get("href")
        path, _, fragment = href.partition("#")
        if not path:
            assert fragment in ids, href
            continue
        target = Path(posixpath.normpath(posixpath.join((out / "docs").as_posix(), unquote(path))))
        assert target.is_file(), href
        assert not fragment or fragment in ids_of(target), href
        pages += 1
    assert pages >= 5
    # the pages' terms link to the entries of the Markdown page
    md = (out / "docs" / "guide.md").read_text(encoding="utf-8")
    assert 'href="glossaire.md#gloss-zebre"' in md
    (data,) = tree.xpath("//script[@type='application/ld+json']")
    assert json.loads(data.text)["@type"] == "DefinedTermSet"


def test_hostile_texts_stay_text_on_a_markdown_page():
    lines = [line for line in corpus("xss-vectors", "xss-vectors.txt").read_text(encoding="utf-8").split("\n") if line.strip()]
    entries = [Entry(f"e{n}", f"terme {n} {line}", f"{line} définition", tags=(line[:40],)) for n, line in enumerate(lines)]
    files = [
        FileReport(f"p{n}.md", "annotated", None, {e.id: 1 for e in entries[n::7]}, [], f"p{n}.md", lines[n], {})
        for n in range(7)
    ]
    page = build_index(files, entries, IndexOptions(name="glossaire.md"))
    tree = markdown_page(page)
    assert [s.get("type") for s in tree.iter("script")] == ["application/ld+json"]
    for element in tree.iter():
        assert not [a for a in element.attrib if a.lower().startswith("on")], (element.tag, element.attrib)
        assert element.tag not in ("iframe", "img", "svg", "object", "embed", "style", "form", "input", "math")
        href = element.get("href")
        assert href is None or not href.strip().lower().startswith(("javascript:", "data:", "vbscript:")), href
    terms = {b.text_content() for b in tree.xpath(".//p/strong")}
    assert {" ".join(e.term.split()) for e in entries} == terms  # each read back as its very text
    titles = {a.text_content() for a in tree.xpath(".//li/a")}
    assert {" ".join(line.split()) for line in lines[:7]} <= titles
