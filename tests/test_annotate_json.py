"""`gloss annotate --format json`: the JSON Lines schema, files and stdin, errors, and the library API."""

from __future__ import annotations

import json
import pickle

import pytest

from ptce_gloss import load_glossaries
from ptce_gloss.annotate import Annotator
from ptce_gloss.annotate.options import AnnotateOptions
from ptce_gloss.html.document import Document, decode

from .conftest import EXAMPLES

SCHEMA = {"source", "format", "encoding", "matches"}
MATCH_SCHEMA = {"id", "term", "surface", "start", "end", "line", "column"}


def records(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines()]


def test_json_lines_one_record_per_document_in_input_order(gloss):
    files = [str(EXAMPLES / "ptce-bretagne.html"), str(EXAMPLES / "lettre-scic.txt")]
    result = gloss("annotate", "--format", "json", *files)
    assert result.exit_code == 0, result.stderr
    html, text = records(result.stdout)
    assert [html["source"], text["source"]] == files
    assert (html["format"], html["encoding"], text["format"]) == ("html", "utf-8", "text")
    for record in (html, text):
        assert set(record) == SCHEMA
        assert record["matches"] and all(set(m) == MATCH_SCHEMA for m in record["matches"])


def test_offsets_lines_and_columns_point_into_the_decoded_input(gloss):
    path = EXAMPLES / "lettre-scic.txt"
    text = path.read_text(encoding="utf-8")
    [record] = records(gloss("annotate", "-f", "json", "--occurrences", "all", str(path)).stdout)
    lines = text.split("\n")
    for match in record["matches"]:
        piece = text[match["start"] : match["end"]]
        assert " ".join(piece.split()) == match["surface"]
        line = lines[match["line"] - 1]
        assert line[match["column"] - 1 :].startswith(piece.split()[0])


def test_windows_1252_page_is_decoded_and_reported(gloss):
    path = EXAMPLES / "archives-cress-1252.html"
    [record] = records(gloss("annotate", "-f", "json", "--occurrences", "all", str(path)).stdout)
    assert record["encoding"] == "windows-1252"
    text = path.read_bytes().decode("cp1252")
    surfaces = {m["surface"] for m in record["matches"]}
    assert "Chambre régionale de l’économie sociale et solidaire" in surfaces
    for match in record["matches"]:
        assert "’" not in match["surface"] or "’" in text[match["start"] : match["end"]]


def test_stdin_is_read_with_dash_and_kind_detected_from_content(gloss):
    html = gloss("annotate", "-f", "json", "-", input=b"<p>L&rsquo;<b>ESS</b> et les SCOP</p>")
    text = gloss("annotate", "-f", "json", input=b"L'ESS et les <SCOP>\n")
    [html_record], [text_record] = records(html.stdout), records(text.stdout)
    assert (html_record["source"], html_record["format"]) == ("-", "html")
    assert [m["surface"] for m in html_record["matches"]] == ["ESS", "SCOP"]
    assert (text_record["source"], text_record["format"]) == ("-", "text")
    assert [m["id"] for m in text_record["matches"]] == ["ess", "scop"]


def test_input_format_overrides_detection(gloss):
    result = gloss("annotate", "-f", "json", "--input-format", "text", "-", input=b"<p>SCOP</p>")
    assert records(result.stdout)[0]["format"] == "text"


def test_occurrence_policies(gloss, tmp_path):
    page = tmp_path / "p.html"
    page.write_text("<p>ESS, ESS.</p><h2>Suite</h2><p>ESS encore.</p>", encoding="utf-8")
    counts = {}
    for policy in ("first", "first-per-section", "all"):
        [record] = records(gloss("annotate", "-f", "json", "--occurrences", policy, str(page)).stdout)
        counts[policy] = len(record["matches"])
    assert counts == {"first": 1, "first-per-section": 2, "all": 3}


def test_skip_options_change_where_terms_are_found(gloss, tmp_path):
    page = tmp_path / "p.html"
    page.write_text("<h2>Les SCOP</h2><p>Une <span class=x>SCIC</span></p>", encoding="utf-8")
    default = records(gloss("annotate", "-f", "json", str(page)).stdout)[0]["matches"]
    opened = records(gloss("annotate", "-f", "json", "--no-skip", "h2", "--skip", "span", str(page)).stdout)[0]["matches"]
    assert [m["surface"] for m in default] == ["SCIC"]
    assert [m["surface"] for m in opened] == ["SCOP"]


def test_bad_input_is_reported_and_the_others_still_processed(gloss, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Les SCOP.", encoding="utf-8")
    binary = tmp_path / "image.html"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0")
    result = gloss("annotate", "-f", "json", str(tmp_path / "absent.html"), str(binary), str(good))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: {tmp_path / 'absent.html'}: cannot read: No such file or directory",
        f"Error: {binary}: binary data, not a text or HTML document; skipped",
    ]
    assert [r["source"] for r in records(result.stdout)] == [str(good)]


def test_broken_utf8_is_an_error_naming_the_file_with_a_hint(gloss, tmp_path):
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes("L’économie sociale à l’été ".encode("cp1252") * 20)
    forced = tmp_path / "forced.html"
    forced.write_bytes(b'<meta charset="utf-8"><p>' + "économie ".encode("cp1252") * 50)
    result = gloss("annotate", "-f", "json", str(forced))
    assert result.exit_code == 1
    assert "are not valid UTF-8 although the file declares UTF-8 in a <meta>; pass --encoding=windows-1252" in result.stderr
    fixed = gloss("annotate", "-f", "json", "--encoding", "windows-1252", str(forced))
    assert fixed.exit_code == 0 and records(fixed.stdout)[0]["encoding"] == "windows-1252"
    detected = records(gloss("annotate", "-f", "json", str(legacy)).stdout)[0]
    assert detected["encoding"] == "windows-1252"


def test_output_file_is_written_whole(gloss, tmp_path):
    out = tmp_path / "matches.jsonl"
    result = gloss("annotate", "-f", "json", "-o", str(out), str(EXAMPLES / "lettre-scic.txt"))
    assert result.exit_code == 0 and result.stdout == ""
    assert records(out.read_text(encoding="utf-8"))[0]["matches"]
    assert [p.name for p in tmp_path.iterdir()] == ["matches.jsonl"]  # no temporary file left


def test_custom_glossary_only(gloss):
    result = gloss(
        "annotate",
        "-f",
        "json",
        "--no-default",
        "-g",
        str(EXAMPLES / "mon-glossaire.yaml"),
        "-",
        input="Un café associatif et des budgets participatifs, pas de SCOP.".encode(),
    )
    assert [m["id"] for m in records(result.stdout)[0]["matches"]] == ["cafe-associatif", "budget-participatif"]


def test_annotator_is_usable_without_the_cli_and_picklable():
    annotator = Annotator(load_glossaries(), AnnotateOptions(occurrences="all"))
    document = Document.from_text("Les pôles territoriaux de coopération économique et l’ESS.")
    expected = [(m.entry.id, m.surface, m.start, m.end) for m in annotator.find(document)]
    assert expected == [("ptce", "pôles territoriaux de coopération économique", 4, 48), ("ess", "ESS", 54, 57)]
    clone = pickle.loads(pickle.dumps(annotator))
    assert [(m.entry.id, m.surface, m.start, m.end) for m in clone.find(document)] == expected


def test_wrong_argument_types_raise_type_error():
    annotator = Annotator(load_glossaries())
    with pytest.raises(TypeError):
        annotator.find("texte")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Annotator({"ess": "x"})  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        decode("texte")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        AnnotateOptions(occurrences="some")  # type: ignore[arg-type]


def test_check_warns_about_generated_forms_that_collide(gloss, write_yaml):
    path = write_yaml(
        "entries:\n  - id: lieu\n    term: lieu\n    definition: Un endroit.\n"
        "  - id: autre\n    term: vieux lieu\n    variants: [lieux]\n    definition: Des endroits.\n"
    )
    result = gloss("check", "--no-default", str(path))
    assert result.exit_code == 0
    assert result.stdout == (
        f'{path}:2: warning: generated form "lieux" of "lieu" is a form of "autre" ({path}:5); it is not generated\n'
    )
    assert gloss("check", "--strict", "--no-default", str(path)).exit_code == 1
    matches = Annotator(load_glossaries([path], include_default=False)).find(Document.from_text("des lieux"))
    assert [m.entry.id for m in matches] == ["autre"]  # the written form wins


@pytest.mark.parametrize("kind", ["text", "html"])
def test_acronyms_and_terms_keep_their_place_after_runs_of_spaces_of_every_kind(kind):
    spaces = [" ", "\u00a0", "\u202f", "  ", "\t\n  ", "\u00a0 \u00a0", " \u00ad "]
    words = ["l’ESS", "une SCIC", "des coopératives", "le PTCE", "tiers-lieux", "économie\u00a0sociale"]
    text = "".join(f"x{spaces[i % len(spaces)]}{word}{spaces[(i * 3) % len(spaces)]}y " for i, word in enumerate(words * 3))
    if kind == "html":
        text = "<p>" + text.replace("y ", "y <br>\n  ") + "</p>"
    annotator = Annotator(load_glossaries(), AnnotateOptions(occurrences="all"))
    document = Document.from_text(text, kind)  # type: ignore[arg-type]
    matches = annotator.find(document)
    assert [m.surface for m in matches] == ["ESS", "SCIC", "coopératives", "PTCE", "tiers-lieux", "économie sociale"] * 3
    for match in matches:
        assert " ".join(text[match.start : match.end].replace("\u00ad", "").split()) == match.surface


@pytest.mark.parametrize("text, kind", [("l’ESS <p> l’ESS", "html"), ("Vive les  SCOP", "text"), ("SCOP", "text")])
def test_acronym_at_the_very_end_after_collapsed_spaces(text, kind):
    annotator = Annotator(load_glossaries(), AnnotateOptions(occurrences="all"))
    matches = annotator.find(Document.from_text(text, kind))  # type: ignore[arg-type]
    assert matches and text[matches[-1].start : matches[-1].end] == matches[-1].surface
