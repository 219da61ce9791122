"""Plain text read in parts gives the same output as read whole, in bounded memory."""

from __future__ import annotations

import io
import json

import pytest

from ptce_gloss import load_glossaries
from ptce_gloss.annotate import Annotator, stream
from ptce_gloss.annotate.options import AnnotateOptions
from ptce_gloss.html.document import Document
from ptce_gloss.views.jsonl import document_record

from .conftest import EXAMPLES

LETTER = (EXAMPLES / "lettre-scic.txt").read_text(encoding="utf-8")
TEXT = "\n\n".join([LETTER] * 6) + "\n\nFin de l’ESS et des SCOP\n\nDernier mot sur les coopératives."


@pytest.fixture
def small_parts(monkeypatch):
    monkeypatch.setattr(stream, "PART_CHARS", 700)


@pytest.mark.parametrize("policy", ["first", "first-per-section", "all"])
def test_html_page_is_the_same_in_one_part_or_many(small_parts, policy):
    annotator = Annotator(load_glossaries(), AnnotateOptions(occurrences=policy))  # type: ignore[arg-type]
    pieces = [TEXT[i : i + 333] for i in range(0, len(TEXT), 333)]
    many = list(stream.parts(pieces))
    assert len(many) > 5
    assert "".join(part for part, _ in many) == TEXT
    streamed = "".join(stream.text_to_annotated_html(annotator, many, "lettre.txt"))
    whole = "".join(stream.text_to_annotated_html(annotator, [(TEXT, False)], "lettre.txt"))
    assert streamed == whole
    assert whole == annotator.annotate(Document.from_text(TEXT, "text", name="lettre.txt"))


@pytest.mark.parametrize("policy", ["first", "all"])
def test_json_record_is_the_same_in_one_part_or_many(small_parts, policy):
    annotator = Annotator(load_glossaries(), AnnotateOptions(occurrences=policy))  # type: ignore[arg-type]
    pieces = [TEXT[i : i + 250] for i in range(0, len(TEXT), 250)]
    streamed = json.loads("".join(stream.json_record(annotator, stream.parts(pieces), "-", "utf-8")))
    document = Document.from_text(TEXT, "text", name="-")
    assert streamed == document_record("-", document, annotator.find(document))
    assert len(streamed["matches"]) >= (17 if policy == "first" else 100)


def test_reading_a_stream_decodes_across_read_boundaries(monkeypatch):
    monkeypatch.setattr(stream, "READ_BYTES", 7)
    data = ("L’économie sociale — « coopératives » à Noël.\n\n" * 50).encode()
    encoding, pieces = stream.read_text(data[:64], io.BytesIO(data[64:]), "-")
    assert encoding == "utf-8" and "".join(pieces) == data.decode()
    legacy = ("L’économie sociale à Noël.\n\n" * 50).encode("cp1252")
    encoding, pieces = stream.read_text(legacy[:30], io.BytesIO(legacy[30:]), "-")
    assert encoding == "windows-1252" and "".join(pieces) == legacy.decode("cp1252")


def test_a_term_never_runs_across_a_blank_line():
    annotator = Annotator(load_glossaries(), AnnotateOptions(occurrences="all"))
    found = annotator.find(Document.from_text("Vive l’économie\n\nsociale et solidaire. L’économie\nsociale.", "text"))
    assert [m.surface for m in found] == ["économie sociale"]


def test_cli_streams_piped_text(gloss, tmp_path):
    result = gloss("annotate", "-", input=TEXT.encode())
    assert result.exit_code == 0
    assert result.stdout == Annotator(load_glossaries()).annotate(Document.from_text(TEXT, "text", name="-"))
    out = tmp_path / "page.html"
    assert gloss("annotate", "-", "-o", str(out), input=TEXT.encode()).exit_code == 0
    assert out.read_text(encoding="utf-8") == result.stdout
    report = json.loads(gloss("annotate", "-f", "json", "-", input=TEXT.encode()).stdout)
    assert report["format"] == "text" and report["matches"]
    refused = gloss("annotate", "--in-place", str(EXAMPLES / "lettre-scic.txt"))
    assert refused.exit_code == 1 and "would become HTML" in refused.stderr
