"""Every view of a document (the annotated page, the terminal preview, the JSON report, a batch) reads
the same document: the same title, the same terms, the same options (issue 12, "every view must see
the same document")."""

from __future__ import annotations

import json
import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ptce_gloss import load_glossaries
from ptce_gloss.annotate import Annotator
from ptce_gloss.annotate.options import AnnotateOptions
from ptce_gloss.html.document import Document

from .test_markup import FOREIGN

ANNOTATOR = Annotator(load_glossaries(), AnnotateOptions(occurrences="all"))
LINK = re.compile(r'<a class="gloss-term"[^>]*>(.*?)</a>', re.DOTALL)
LINES = [
    "Les SCOP, un modèle",
    "Les SCOP",
    "La SCIC et l’ESS.",
    "PTCE : la formule",
    "l’ESS en 2024 ;",
    "Des coopératives " * 12,
    "SCOP",
    "# Les SCIC",
    "Un PTCE\n=====",
    "",
    " ",
    "\t",
    "UNE SCOP DÉMOCRATIQUE",
]


def _surfaces(page: str) -> list[str]:
    return [" ".join(re.sub(r"<[^>]+>", "", inner).split()) for inner in LINK.findall(page)]


@st.composite
def texts(draw: st.DrawFn) -> str:
    lines = draw(st.lists(st.sampled_from(LINES), min_size=1, max_size=8))
    return draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines) + draw(st.sampled_from(["", "\n"]))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts())
@example("Les SCOP, un modèle\n\nLa SCIC aussi.")  # a title with a comma: the page's <h1>, not annotated
@example("économie \r\n   sociale")  # CR LF is one line break, not a blank line
def test_a_text_page_and_the_report_find_the_same_occurrences(text):
    document = Document.from_text(text, "text")
    page, _ = ANNOTATOR.annotate_document(document)
    reported = [" ".join(m.surface.split()) for m in ANNOTATOR.find(document)]
    assert _surfaces(page) == reported


def test_the_title_line_is_left_alone_in_every_view(gloss, tmp_path):
    note = tmp_path / "note.txt"
    note.write_text("Les SCOP, un modèle qui dure\n\nUne SCOP réunit ses salariés.\n", encoding="utf-8")
    page = gloss("annotate", str(note)).stdout
    assert "<h1>Les SCOP, un modèle qui dure</h1>" in page and _surfaces(page) == ["SCOP"]
    report = json.loads(gloss("annotate", "-f", "json", str(note)).stdout)
    assert [(m["surface"], m["line"]) for m in report["matches"]] == [("SCOP", 3)]
    preview = gloss("annotate", "-f", "terminal", str(note)).stdout
    assert preview.startswith("Les SCOP, un modèle qui dure\n") and "Une SCOP[1] réunit" in preview


def test_replace_foreign_applies_to_every_view(gloss, tmp_path):
    """The hidden definition of another tool is taken out before the terms are found, in every view."""
    page = tmp_path / "spip.html"
    page.write_text(FOREIGN["spip"] + "<p>Une SCOP.</p>", encoding="utf-8")
    annotated = gloss("annotate", "--replace-foreign", "--occurrences", "all", str(page)).stdout
    assert "cs_glossaire" not in annotated and _surfaces(annotated) == ["ESS", "SCOP"]
    report = json.loads(gloss("annotate", "--replace-foreign", "--occurrences", "all", "-f", "json", str(page)).stdout)
    assert [m["surface"] for m in report["matches"]] == ["ESS", "SCOP"]
    preview = gloss("annotate", "--replace-foreign", "--occurrences", "all", "-f", "terminal", str(page)).stdout
    assert "Le terme d’Économie sociale" not in preview.split("\n\n\n")[0] and "De l’ESS[1] ici." in preview
    kept = gloss("annotate", "--occurrences", "all", "-f", "terminal", str(page)).stdout
    assert "Le terme d’Économie sociale" in kept  # without the option, the page is read as it is
    site = tmp_path / "site"
    site.mkdir()
    (site / "spip.html").write_text(FOREIGN["spip"], encoding="utf-8")
    batch = gloss("annotate", "--replace-foreign", "-q", str(site), "-o", str(tmp_path / "out"))
    assert batch.exit_code == 0, batch.stderr
    written = (tmp_path / "out" / "spip.html").read_text(encoding="utf-8")
    assert "cs_glossaire" not in written and _surfaces(written) == ["ESS"]


def test_an_annotated_page_is_read_as_its_original_in_every_view(gloss, tmp_path):
    """gloss's own earlier links and glossary are not the page's text: the report and the preview of an
    annotated page are those of the page before."""
    page = tmp_path / "page.html"
    page.write_text("<h1>Titre</h1><p>Les SCOP et l’ESS.</p><p>Une SCIC.</p>", encoding="utf-8")
    annotated = tmp_path / "annotated.html"
    assert gloss("annotate", str(page), "-o", str(annotated)).exit_code == 0
    before = json.loads(gloss("annotate", "-f", "json", str(page)).stdout)["matches"]
    after = json.loads(gloss("annotate", "-f", "json", str(annotated)).stdout)["matches"]
    assert [m["surface"] for m in after] == [m["surface"] for m in before] == ["SCOP", "ESS", "SCIC"]
    assert gloss("annotate", "-f", "terminal", str(annotated)).stdout == gloss("annotate", "-f", "terminal", str(page)).stdout
