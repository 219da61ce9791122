"""The MkDocs plugin (``plugins: [gloss]``): a small French site built with ``mkdocs build --strict``, its
pages read as files, then opened in Chromium (bubbles on hover and focus, axe-core)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import lxml.html
import pytest

from ptce_gloss import load_glossaries
from ptce_gloss.markup.assets import asset

from .conftest import EXAMPLES

pytest.importorskip("mkdocs", reason="MkDocs is a test dependency (pip install -e '.[test]')")
pytest.importorskip("material", reason="Material for MkDocs is a test dependency (pip install -e '.[test]')")

SITE = EXAMPLES / "mkdocs-site"


def build_site(root: Path, config: str, pages: dict[str, str]) -> subprocess.CompletedProcess[str]:
    (root / "mkdocs.yml").write_text(textwrap.dedent(config), encoding="utf-8")
    for name, text in pages.items():
        path = root / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root, capture_output=True, text=True, env=env, timeout=300
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site (examples/mkdocs-site), built in a copy."""
    root = tmp_path_factory.mktemp("mkdocs-site") / "site-src"
    shutil.copytree(SITE, root)
    built = build_site(root, (SITE / "mkdocs.yml").read_text(encoding="utf-8"), {})
    assert built.returncode == 0, built.stderr
    assert "WARNING" not in built.stderr, built.stderr
    return root / "site"


def page(site: Path, name: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((site / name).read_bytes())


def test_terms_link_to_the_site_glossary_page(site):
    ids = {node.get("id") for node in page(site, "glossaire/index.html").xpath("//dl[@class='gloss-site-glossary']/dt")}
    assert len(ids) == len(load_glossaries().entries)
    for name, prefix in [("index.html", "glossaire/"), ("guide/cooperatives/index.html", "../../glossaire/")]:
        terms = page(site, name).xpath("//a[@class='gloss-term']")
        assert terms, name
        for term in terms:
            href = term.get("href")
            assert href.startswith(prefix + "#gloss-"), href
            assert href.removeprefix(prefix + "#") in ids
            assert term.get("aria-description") == term.get("data-gloss-def")


def test_only_the_content_is_annotated(site):
    tree = page(site, "index.html")
    assert {t.text_content() for t in tree.xpath("//a[@class='gloss-term']")} >= {"économie sociale et solidaire", "SCOP"}
    assert "jamais annoté" in tree.xpath("//pre")[0].text_content()
    assert not tree.xpath(
        "//nav//a[@class='gloss-term'] | //header//a[@class='gloss-term'] | //code//a | //h1//a[@class='gloss-term']"
    )
    nested = page(site, "guide/cooperatives/index.html")
    assert nested.xpath("//h1")[0].text_content().startswith("Les SCOP")
    assert [t.text_content() for t in nested.xpath("//a[@class='gloss-term']")][:3] == ["SCOP", "associés salariés", "SCIC"]


def test_assets_are_added_once_per_site(site):
    assert (site / "assets/gloss/gloss.css").read_text(encoding="ascii") == asset("gloss.css")
    assert (site / "assets/gloss/gloss.js").read_text(encoding="ascii") == asset("gloss.js")
    for name in ("index.html", "guide/cooperatives/index.html", "glossaire/index.html"):
        tree = page(site, name)
        assert len(tree.xpath("//link[contains(@href, 'assets/gloss/gloss.css')]")) == 1
        assert len(tree.xpath("//script[contains(@src, 'assets/gloss/gloss.js')]")) == 1
        assert not tree.xpath("//style[@id='gloss-style'] | //aside[@class='gloss-glossary']")


def test_options_and_an_existing_glossary_page(tmp_path):
    glossary = tmp_path / "local.yaml"
    glossary.write_text(
        "entries:\n  - id: tiers-lieu\n    term: tiers-lieu\n    definition: Un lieu partagé, ouvert à tous.\n",
        encoding="utf-8",
    )
    config = """\
        site_name: Essai
        plugins:
          - gloss:
              glossaries: [local.yaml]
              default_glossary: false
              occurrences: all
              no_skip: [heading]
              glossary_page: lexique.md
              assets: false
        """
    pages = {"index.md": "# Un tiers-lieu\n\nLe tiers-lieu, puis les tiers-lieux.\n", "lexique.md": "# Lexique\n\nNos mots.\n"}
    built = build_site(tmp_path, config, pages)
    assert built.returncode == 0, built.stderr
    terms = page(tmp_path / "site", "index.html").xpath("//a[@class='gloss-term']")
    assert [t.text_content() for t in terms] == ["tiers-lieu", "tiers-lieu", "tiers-lieux"]
    assert all(t.get("href") == "lexique/#gloss-tiers-lieu" for t in terms)
    lexicon = page(tmp_path / "site", "lexique/index.html")
    assert "Nos mots." in lexicon.text_content()
    assert [dt.get("id") for dt in lexicon.xpath("//dt")] == ["gloss-tiers-lieu"]
    assert not (tmp_path / "site" / "assets" / "gloss").exists()  # assets: false, the theme ships them
    assert "gloss.css" not in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


def test_a_bad_glossary_stops_the_build_with_one_line(tmp_path):
    (tmp_path / "broken.yaml").write_text("entries: [\n", encoding="utf-8")
    config = "site_name: Essai\nplugins:\n  - gloss:\n      glossaries: [broken.yaml]\n"
    built = build_site(tmp_path, config, {"index.md": "# Essai\n"})
    assert built.returncode != 0
    assert "broken.yaml" in built.stderr and "Traceback" not in built.stderr


# --- in Chromium ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium():
    from . import browser as bw

    reason = bw.missing_browser()
    if reason:
        pytest.skip(reason)
    with bw.chromium() as launched:
        yield launched


def open_site_page(chromium, path: Path):
    from . import browser as bw

    opened = bw.new_page(chromium)
    opened.goto(path.resolve().as_uri())
    return opened


@pytest.mark.browser
@pytest.mark.parametrize("name", ["index.html", "guide/cooperatives/index.html"])
def test_bubbles_show_on_hover_and_focus_in_the_built_site(site, chromium, name):
    from . import browser as bw

    opened = open_site_page(chromium, site / name)
    try:
        definitions = {entry.id: entry.definition for entry in load_glossaries().entries}
        term = opened.locator(".gloss-term").nth(0)
        box = term.evaluate(bw.BUBBLE_BOX_JS)
        assert box["display"] == "none", "no bubble at rest"
        bw.hover_term(opened, 0)
        box = term.evaluate(bw.BUBBLE_BOX_JS)
        assert box["display"] == "block" and box["width"] > 100
        entry = term.get_attribute("href").rsplit("#gloss-", 1)[1]
        assert definitions[entry][:40] in box["content"]
        opened.mouse.move(1, 1)
        for _ in range(60):
            opened.keyboard.press("Tab")
            if opened.evaluate("document.activeElement.classList.contains('gloss-term')"):
                break
        else:
            pytest.fail("no term took the focus")
        assert opened.evaluate("getComputedStyle(document.activeElement, '::after').display") == "block"
    finally:
        opened.context.close()


@pytest.mark.browser
@pytest.mark.parametrize("name", ["index.html", "guide/cooperatives/index.html", "glossaire/index.html"])
def test_axe_finds_no_violation_in_the_built_site(site, chromium, name):
    from . import browser as bw

    reason = bw.missing_axe()
    if reason:
        pytest.skip(reason)
    opened = open_site_page(chromium, site / name)
    try:
        opened.add_script_tag(path=str(bw.AXE_JS))
        violations = opened.evaluate("() => axe.run(document)")["violations"]
        assert not violations, [(v["id"], v["nodes"][0]["html"][:120]) for v in violations]
    finally:
        opened.context.close()
