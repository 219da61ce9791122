"""Glossaries in and out of spreadsheets (CSV, .xlsx), TBX and SKOS: lossless round trips, files as other
tools write them, located errors, hostile XML refused, and ``gloss convert`` / ``gloss export`` / ``-g``."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ptce_gloss import load_glossaries
from ptce_gloss.errors import GlossaryError
from ptce_gloss.glossary import Entry, Glossary, load_glossary
from ptce_gloss.glossary.formats import format_of, parse_glossary_file, write_glossary

from .conftest import EXAMPLES, full

FORMATS = [
    ("yaml", "g.yaml"),
    ("csv", "g.csv"),
    ("csv", "g.tsv"),
    ("xlsx", "g.xlsx"),
    ("tbx", "g.tbx"),
    ("skos", "g.ttl"),
    ("skos", "g.rdf"),
]


@pytest.fixture(scope="module")
def bundled() -> Glossary:
    return load_glossaries()


@pytest.mark.parametrize(("fmt", "name"), FORMATS, ids=[name for _, name in FORMATS])
def test_the_bundled_glossary_round_trips_through_every_format(bundled, fmt, name):
    back = parse_glossary_file(write_glossary(bundled, fmt, name), name)  # type: ignore[arg-type]
    assert back.entries == bundled.entries
    assert not [w for w in back.warnings if w.severity == "error"]


# --- generated glossaries ------------------------------------------------------------------------

WORDS = st.sampled_from(
    [
        "coopérative",
        "société",
        "l'ESS",
        "d'intérêt",
        "œuvre",
        "« sigle »",
        "a|b",
        "x;y",
        'dit "oui"',
        "=SOMME(A1)",
        "-5",
        "état",
        "TIERS-LIEU",
    ]
)
TEXT = st.lists(WORDS, min_size=1, max_size=5).map(" ".join)
IDS = st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True)


@st.composite
def glossaries(draw: st.DrawFn) -> Glossary:
    ids = draw(st.lists(IDS, min_size=1, max_size=6, unique=True))
    entries = []
    terms_taken: set[str] = set()
    for number, entry_id in enumerate(ids):
        term = f"{draw(TEXT)} {number}"  # a number of its own: no two entries share a form
        terms_taken.add(term)
        entries.append(
            Entry(
                id=entry_id,
                term=term,
                definition=draw(st.lists(WORDS, min_size=1, max_size=12).map(" ".join)) + ".",
                acronyms=tuple(
                    draw(st.lists(st.sampled_from([f"AB{number}", f"S.C.{number}", f"X{number}Y"]), unique=True, max_size=2))
                ),
                variants=tuple(draw(st.lists(st.sampled_from([f"{term} bis", f"{term} ter"]), unique=True, max_size=2))),
                url=draw(st.sampled_from([None, "https://www.exemple.fr/a?b=1&c=2", "mailto:contact@exemple.fr"])),
                tags=tuple(draw(st.lists(st.sampled_from(["statuts", "finance", "a|b", "État"]), unique=True, max_size=3))),
                case_sensitive=draw(st.booleans()),
                inflect=draw(st.booleans()),
                see=tuple(draw(st.lists(st.sampled_from(ids), unique=True, max_size=2))),
            )
        )
    return Glossary(tuple(entries), "Essai", "fr")


SETTINGS = settings(max_examples=150 if full() else 40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(glossaries(), st.sampled_from([("csv", "g.csv"), ("tbx", "g.tbx"), ("xlsx", "g.xlsx"), ("skos", "g.ttl")]))
def test_yaml_to_another_format_and_back_is_lossless(glossary, target):
    fmt, name = target
    yaml_text = write_glossary(glossary, "yaml")
    from_yaml = parse_glossary_file(yaml_text, "g.yaml")
    assert from_yaml.entries == glossary.entries
    through = parse_glossary_file(write_glossary(from_yaml, fmt, name), name)  # type: ignore[arg-type]
    assert through.entries == glossary.entries
    assert parse_glossary_file(write_glossary(through, "yaml"), "again.yaml").entries == glossary.entries


# --- spreadsheets as editors write them -----------------------------------------------------------

ROWS = [
    ["id", "Terme", "Sigles", "Définition", "Étiquettes", "Casse"],
    ["scop", "société coopérative et participative", "SCOP | Scop", "Une coopérative de salariés.", "statuts", "non"],
    ["tiers-lieu", "tiers-lieu", "", "Un lieu partagé,\nouvert à tous ; avec un « guillemet ».", "lieux | territoires", ""],
]


@pytest.mark.parametrize(
    ("delimiter", "bom", "line_end"),
    [(";", True, "\r\n"), (",", False, "\r\n"), ("\t", False, "\n"), (";", False, "\n")],
    ids=["excel-fr", "comma", "tab", "libreoffice-unix"],
)
def test_csv_as_spreadsheets_write_it(delimiter, bom, line_end):
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, lineterminator=line_end).writerows(ROWS)
    data = ("\ufeff" if bom else "") + out.getvalue()
    glossary = parse_glossary_file(data.encode("utf-8"), "glossaire.csv")
    assert [e.id for e in glossary] == ["scop", "tiers-lieu"]
    assert glossary["scop"].acronyms == ("SCOP", "Scop")
    assert glossary["tiers-lieu"].definition == "Un lieu partagé,\nouvert à tous ; avec un « guillemet »."
    assert glossary["tiers-lieu"].tags == ("lieux", "territoires")
    assert glossary["scop"].case_sensitive is False and glossary["scop"].inflect is True


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            [["terme", "définiton"], ["a", "b"]],
            "glossaire.csv:1:2: error: unknown column 'définiton' (did you mean 'definition'?)",
        ),
        ([["terme"], ["a"]], "glossaire.csv:1:1: error: no 'définition' column in the first row"),
        (
            [["terme", "définition", "casse"], ["a", "b", "oui"], ["c", "d", "peut-être"]],
            "glossaire.csv:3:3: error: 'peut-être' must be oui or non",
        ),
        ([["terme", "définition"], ["a", "b"], ["", "sans terme"]], "glossaire.csv:3:"),
        ([["id", "terme", "définition"], ["x", "a", "b"], ["x", "c", "d"]], "glossaire.csv:3:"),
        ([["terme", "définition", "lien"], ["a", "b", "javascript:alert(1)"]], "glossaire.csv:2:3: warning: url"),
    ],
    ids=["unknown-column", "no-definition-column", "bad-flag", "no-term", "duplicate-id", "bad-url"],
)
def test_spreadsheet_problems_name_the_file_row_and_column(rows, expected):
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=";").writerows(rows)
    try:
        glossary = parse_glossary_file(out.getvalue().encode(), "glossaire.csv")
    except GlossaryError as exc:
        messages = [str(d) for d in exc.diagnostics]
    else:
        messages = [str(d) for d in glossary.warnings]
    assert any(message.startswith(expected) for message in messages), messages


def test_csv_cells_are_never_formulas_and_read_back(tmp_path):
    entry = Entry(id="f", term="=SOMME(A1)", definition="+33 : un indicatif, =1+1 une formule.", acronyms=("-X",))
    glossary = Glossary((entry,))
    data = write_glossary(glossary, "csv")
    assert b";'=SOMME(A1);'-X;" in data and b"'+33" in data
    assert parse_glossary_file(data, "g.csv").entries == glossary.entries
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(write_glossary(glossary, "xlsx")))
    cells = next(iter(book.worksheets[0].iter_rows(min_row=2, values_only=False)))
    assert all(cell.data_type == "s" for cell in cells if cell.value), "a cell became a formula"


def test_a_csv_written_with_excel_dialect_reads_back_to_the_same_glossary(bundled, tmp_path):
    """What an editor's spreadsheet gives back: each row re-written by Python's csv in Excel's dialect."""
    rows = list(csv.reader(io.StringIO(write_glossary(bundled, "csv").decode("utf-8-sig"), newline=""), delimiter=";"))
    out = io.StringIO(newline="")
    csv.writer(out, dialect="excel").writerows(rows)
    assert parse_glossary_file(out.getvalue().encode("utf-8"), "edite.csv").entries == bundled.entries


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed; the Excel-dialect test stands in")
def test_a_csv_edited_in_libreoffice_reads_back_to_the_same_glossary(bundled, tmp_path):
    source = tmp_path / "glossaire.csv"
    source.write_bytes(write_glossary(bundled, "csv"))
    ods = tmp_path / "ods"
    subprocess.run(
        [str(SOFFICE), "--headless", "--infilter=CSV:59,34,76,1", "--convert-to", "ods", "--outdir", str(ods), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    back = tmp_path / "back"
    subprocess.run(
        [str(SOFFICE), "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):59,34,76,1", "--outdir", str(back), str(ods / "glossaire.ods")],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    assert parse_glossary_file((back / "glossaire.csv").read_bytes(), "glossaire.csv").entries == bundled.entries


# --- TBX ------------------------------------------------------------------------------------------

WEBLATE_TBX = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif PUBLIC "ISO 12200:1999A//DTD MARTIF core (DXFcdV04)//EN" "TBXcdv04.dtd">
<martif type="TBX" xml:lang="en">
  <martifHeader><fileDesc><sourceDesc><p>Translate Toolkit</p></sourceDesc></fileDesc></martifHeader>
  <text><body>
    <termEntry id="scic">
      <langSet xml:lang="en"><tig><term>collective interest cooperative</term></tig></langSet>
      <langSet xml:lang="fr">
        <tig><term>société coopérative d'intérêt collectif</term></tig>
        <tig><term>SCIC</term><termNote type="termType">acronym</termNote></tig>
        <descrip type="definition">Coopérative qui associe salariés, bénéficiaires et partenaires.</descrip>
      </langSet>
    </termEntry>
    <termEntry>
      <langSet xml:lang="fr"><ntig><termGrp><term>tiers-lieu</term></termGrp></ntig>
      <descripGrp><descrip type="definition">Un lieu partagé.</descrip></descripGrp></langSet>
    </termEntry>
  </body></text>
</martif>
"""

TBX_MIN = """<?xml version="1.0"?>
<tbx type="TBX-Min" style="dca" xml:lang="fr" xmlns="urn:iso:std:iso:30042:ed-2">
  <tbxHeader><fileDesc><titleStmt><title>Lexique</title></titleStmt></fileDesc></tbxHeader>
  <text><body>
    <conceptEntry id="esus">
      <descrip type="subjectField">agréments</descrip>
      <langSec xml:lang="fr">
        <termSec><term>entreprise solidaire d'utilité sociale</term></termSec>
        <termSec><term>ESUS</term><termNote type="termType">acronym</termNote></termSec>
        <descrip type="definition">Un agrément de l'État.</descrip>
      </langSec>
      <langSec xml:lang="en"><termSec><term>solidarity enterprise of social utility</term></termSec></langSec>
    </conceptEntry>
  </body></text>
</tbx>
"""


def test_tbx_as_translate_toolkit_and_weblate_write_it():
    glossary = parse_glossary_file(WEBLATE_TBX.encode(), "weblate.tbx")
    assert glossary.lang == "fr"
    scic = glossary["scic"]
    assert (scic.term, scic.acronyms) == ("société coopérative d'intérêt collectif", ("SCIC",))
    assert scic.definition.startswith("Coopérative qui associe")
    assert glossary["tiers-lieu"].definition == "Un lieu partagé."


def test_tbx_min_v3_and_other_languages_kept_on_export():
    glossary = parse_glossary_file(TBX_MIN.encode(), "lexique.tbx")
    esus = glossary["esus"]
    assert (esus.acronyms, esus.tags, glossary.title) == (("ESUS",), ("agréments",), "Lexique")
    written = write_glossary(glossary, "tbx").decode()
    assert "solidarity enterprise of social utility" in written
    assert parse_glossary_file(written.encode(), "again.tbx").entries == glossary.entries


@pytest.mark.parametrize(
    "hostile",
    [
        '<?xml version="1.0"?><!DOCTYPE tbx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><tbx><text><body><conceptEntry><langSec xml:lang="fr">'
        "<termSec><term>&c;</term></termSec></langSec></conceptEntry></body></text></tbx>",
        '<?xml version="1.0"?><!DOCTYPE tbx [<!ENTITY x SYSTEM "file:///etc/passwd">]><tbx><text><body><conceptEntry>'
        '<langSec xml:lang="fr"><termSec><term>&x;</term></termSec></langSec></conceptEntry></body></text></tbx>',
        '<?xml version="1.0"?><!DOCTYPE tbx SYSTEM "http://127.0.0.1:9/evil.dtd"><tbx>&undefined;</tbx>',
    ],
    ids=["billion-laughs", "external-entity", "external-dtd-entity"],
)
def test_hostile_xml_is_refused_with_one_line(hostile):
    with pytest.raises(GlossaryError) as caught:
        parse_glossary_file(hostile.encode(), "hostile.tbx")
    message = str(caught.value.diagnostics[0])
    assert message.startswith("hostile.tbx:") and "\n" not in message
    assert "root:" not in message


def test_hostile_rdf_is_refused():
    hostile = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">&x;</rdf:RDF>'
    with pytest.raises(GlossaryError, match="entities"):
        parse_glossary_file(hostile.encode(), "hostile.rdf")


# --- SKOS -----------------------------------------------------------------------------------------

THESAURUS = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <https://thesaurus.exemple.fr/ess/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

ex:scop a skos:Concept ;
    skos:prefLabel "société coopérative et participative"@fr, "worker cooperative"@en ;
    skos:altLabel "SCOP"@fr, "société coopérative ouvrière de production"@fr ;
    skos:hiddenLabel "scoop"@fr ;
    skos:definition "Coopérative dont les salariés sont les associés majoritaires."@fr ;
    skos:broader ex:cooperative ;
    rdfs:seeAlso <https://www.les-scop.coop/> .

ex:cooperative a skos:Concept ;
    skos:prefLabel "coopérative"@fr ;
    skos:definition "Entreprise détenue par ses membres."@fr .
"""


def test_skos_as_a_thesaurus_writes_it():
    glossary = parse_glossary_file(THESAURUS.encode(), "thesaurus.ttl")
    scop = glossary["scop"]
    assert scop.term == "société coopérative et participative"
    assert scop.acronyms == ("SCOP",)
    assert set(scop.variants) == {"société coopérative ouvrière de production", "scoop"}
    assert scop.see == ("cooperative",) and scop.url == "https://www.les-scop.coop/"


def test_invalid_turtle_is_one_error():
    with pytest.raises(GlossaryError, match="not valid Turtle"):
        parse_glossary_file(b"@prefix skos: <x> . ex:a a skos:Concept", "broken.ttl")


# --- the command line -----------------------------------------------------------------------------


def test_convert_and_export(gloss, tmp_path):
    csv_path, yaml_path, tbx_path = tmp_path / "g.csv", tmp_path / "g.yaml", tmp_path / "tout.tbx"
    result = gloss("convert", str(EXAMPLES / "mon-glossaire.yaml"), str(csv_path))
    assert result.exit_code == 0 and "entries written" in result.stderr
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbfid;terme;sigles")
    assert gloss("convert", str(csv_path), str(yaml_path)).exit_code == 0
    assert load_glossary(yaml_path).entries == load_glossary(EXAMPLES / "mon-glossaire.yaml").entries
    assert gloss("export", "-g", str(csv_path), "-o", str(tbx_path)).exit_code == 0
    combined = load_glossary(tbx_path)
    assert len(combined) == len(load_glossaries([EXAMPLES / "mon-glossaire.yaml"]))
    turtle = gloss("export", "--no-default", "-g", str(csv_path), "--to", "skos")
    assert "skos:Concept" in turtle.stdout
    assert gloss("export", "--to", "xlsx").exit_code == 2  # a workbook is no text for standard output


def test_g_reads_a_spreadsheet_directly(gloss, tmp_path):
    sheet = tmp_path / "lexique.csv"
    sheet.write_text("terme;définition\nmonnaie locale;Une monnaie qui circule sur un territoire.\n", encoding="utf-8")
    page = tmp_path / "page.txt"
    page.write_text("Les monnaies locales complémentaires.\n", encoding="utf-8")
    result = gloss("annotate", "--format", "json", "--no-default", "-g", str(sheet), str(page))
    assert [m["surface"] for m in json.loads(result.stdout)["matches"]] == ["monnaies locales"]


def test_a_bad_spreadsheet_fails_with_its_location(gloss, tmp_path):
    sheet = tmp_path / "lexique.csv"
    sheet.write_text("terme;définition;casse\nmonnaie locale;Une monnaie.;peut-être\n", encoding="utf-8")
    for args in (["check", str(sheet)], ["convert", str(sheet), str(tmp_path / "x.yaml")], ["terms", "-g", str(sheet)]):
        result = gloss(*args)
        assert result.exit_code == 1, args
        assert f"{sheet}:2:3: error: 'peut-être' must be oui or non" in result.output, result.output
    assert not (tmp_path / "x.yaml").exists()


def test_the_examples_convert_cleanly(tmp_path):
    for target in ("g.csv", "g.tbx", "g.ttl", "g.xlsx"):
        glossary = load_glossary(EXAMPLES / "mon-glossaire.yaml")
        path = tmp_path / target
        path.write_bytes(write_glossary(glossary, format_of(target), target))
        assert load_glossary(path).entries == glossary.entries


def test_suffixes_pick_the_format():
    assert [format_of(n) for n in ("a.YAML", "a.csv", "a.tsv", "a.xlsx", "a.tbx", "a.ttl", "a.rdf", "a.txt")] == [
        "yaml", "csv", "csv", "xlsx", "tbx", "skos", "skos", "yaml",
    ]  # fmt: skip


def test_convert_takes_the_formats_it_is_told(gloss, tmp_path):
    source = tmp_path / "lexique.txt"  # a suffix that names no format: --from says it is CSV
    source.write_text("terme;définition\nmonnaie locale;Une monnaie.\n", encoding="utf-8")
    result = gloss("convert", "--from", "csv", str(source), "-", "--to", "tbx")
    assert result.exit_code == 0 and "<term>monnaie locale</term>" in result.stdout
    assert gloss("convert", str(source), "-").exit_code == 1  # read as YAML by default, it is no glossary
