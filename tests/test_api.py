"""The public API: one place (``ptce_gloss.__all__``), cheap to import, and gloss 0.1's import paths kept."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import ptce_gloss


def test_every_public_name_resolves_and_is_listed():
    for name in ptce_gloss.__all__:
        assert getattr(ptce_gloss, name) is not None, name
    assert sorted(ptce_gloss.__all__) == sorted(set(ptce_gloss.__all__))
    assert set(ptce_gloss.__all__) <= set(dir(ptce_gloss))


def test_an_unknown_name_is_an_attribute_error():
    try:
        ptce_gloss.no_such_name  # noqa: B018
    except AttributeError as exc:
        assert "no_such_name" in str(exc)
    else:
        raise AssertionError("no AttributeError")


def test_importing_the_package_imports_nothing_else():
    code = "import sys, ptce_gloss; print(sorted(m for m in sys.modules if m.startswith('ptce_gloss')))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "['ptce_gloss', 'ptce_gloss.lazy', 'ptce_gloss.version']"


def test_the_import_paths_of_gloss_0_1_still_work():
    from ptce_gloss.annotate import Annotator
    from ptce_gloss.distributed import annotate_bag, annotate_partition
    from ptce_gloss.document import Document, decode, encode
    from ptce_gloss.options import AnnotateOptions

    assert Annotator is ptce_gloss.Annotator and AnnotateOptions is ptce_gloss.AnnotateOptions
    assert (decode, encode, Document) == (ptce_gloss.decode, ptce_gloss.encode, ptce_gloss.Document)
    assert (annotate_bag, annotate_partition) == (ptce_gloss.annotate_bag, ptce_gloss.annotate_partition)


def test_the_api_annotates_as_the_command_does():
    annotator = ptce_gloss.Annotator(ptce_gloss.load_glossaries())
    page = annotator.annotate(ptce_gloss.decode(b"<p>Une SCOP et une SCIC.</p>", "page.html"))
    assert page.count('class="gloss-term"') == 2
    assert ptce_gloss.strip_gloss(page) == "<p>Une SCOP et une SCIC.</p>"


LAZY_PACKAGES = [
    "ptce_gloss",
    "ptce_gloss.glossary",
    "ptce_gloss.match",
    "ptce_gloss.markup",
    "ptce_gloss.batch",
    "ptce_gloss.batch.warc",
]


def test_lazy_packages_list_their_names_alike():
    """Each name a package exports on first use is in its TYPE_CHECKING imports, its mapping and __all__."""
    import ast
    import importlib

    from .conftest import ROOT

    for name in LAZY_PACKAGES:
        package = importlib.import_module(name)
        tree = ast.parse((ROOT / Path(*name.split(".")) / "__init__.py").read_text(encoding="utf-8"))
        guarded = {
            alias.asname or alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING"
            for statement in node.body
            if isinstance(statement, ast.ImportFrom)
            for alias in statement.names
        }
        exported = set(package.__all__) - {"__version__"}
        assert guarded == exported, name
        for attribute in exported:
            assert getattr(package, attribute) is not None, (name, attribute)


def test_a_page_without_references_is_annotated_without_loading_the_entity_table():
    """html.unescape's 2,231 entities load only for a text holding '&' (1.4 ms of a small page's run);
    a page with a reference still has it decoded."""
    code = (
        "import sys\n"
        "from ptce_gloss import Annotator, decode, load_glossaries\n"
        "annotator = Annotator(load_glossaries())\n"
        "plain = annotator.find(decode('<p class=\"x\">Les SCOP de l’ESS.</p>'.encode(), 'a.html'))\n"
        "print([m.entry.id for m in plain], 'html.entities' in sys.modules)\n"
        "named = annotator.find(decode('<p title=\"a&amp;b\">Les SCOP de l&rsquo;ESS.</p>'.encode(), 'b.html'))\n"
        "print([m.surface for m in named], 'html.entities' in sys.modules)\n"
    )
    lines = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.splitlines()
    assert lines == ["['scop', 'ess'] False", "['SCOP', 'ESS'] True"]
