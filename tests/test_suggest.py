"""``gloss suggest``: acronym–expansion pairs in both orders, phrases ranked by C-value over lemmas, what
the glossaries know left out, and an output that is a glossary to edit."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest

from ptce_gloss import load_glossaries
from ptce_gloss.batch.suggest import acronym_pairs, suggest, suggestions_yaml
from ptce_gloss.glossary import Glossary, parse_glossary

pytest.importorskip("simplemma", reason="simplemma is a dependency of gloss suggest (pip install -e .)")

EMPTY = Glossary(())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Le pôle territorial de coopération économique (PTCE) réunit.", ("PTCE", "pôle territorial de coopération économique")),
        ("La SCIC (société coopérative d'intérêt collectif) associe.", ("SCIC", "société coopérative d'intérêt collectif")),
        (
            "une AMAP (association pour le maintien d'une agriculture paysanne)",
            ("AMAP", "association pour le maintien d'une agriculture paysanne"),
        ),
        ("avec le soutien de la région (ESS) et", None),  # letters that spell no expansion
        ("Le dispositif (voir page 3) est", None),
    ],
)
def test_acronym_pairs_in_both_orders(text, expected):
    found = [(a, e) for a, e, _ in acronym_pairs(text)]
    assert found == ([expected] if expected else [])


CORPUS = [
    (
        "a.html",
        "<p>Les monnaies locales complémentaires circulent. Une monnaie locale complémentaire aide le commerce.</p>"
        "<p>Le fonds territorial de garantie (FTG) soutient la monnaie locale complémentaire.</p>",
    ),
    ("b.md", "# Notes\n\nLa monnaie locale complémentaire du pays, le FTG (fonds territorial de garantie) et les SCOP.\n"),
    ("c.txt", "Deux monnaies locales complémentaires. Rien d'autre à signaler ici, une SCOP.\n"),
]


def test_frequent_phrases_merge_plurals_and_rank_by_c_value():
    found, problems = suggest([(n, t.encode()) for n, t in CORPUS], EMPTY, min_count=2)
    assert not problems
    pairs = [s for s in found if s.kind == "acronym"]
    assert [(s.acronym, s.term, s.count, len(s.documents)) for s in pairs] == [("FTG", "fonds territorial de garantie", 2, 2)]
    phrases = [s for s in found if s.kind == "phrase"]
    assert phrases[0].term == "monnaie locale complémentaire", [p.term for p in phrases[:5]]
    assert phrases[0].count == 5 and len(phrases[0].documents) == 3
    assert all(p.term != "locale complémentaire" for p in phrases[:1])  # the fragment does not outrank the phrase
    assert phrases[0].contexts and "monnaie" in phrases[0].contexts[0].lower()


def test_what_the_glossaries_match_is_not_suggested():
    found, _ = suggest([(n, t.encode()) for n, t in CORPUS], load_glossaries(), min_count=2)
    assert all("monnaie locale" not in s.term for s in found)  # the bundled glossary has it
    assert any(s.acronym == "FTG" for s in found)


def test_the_output_is_a_glossary_to_edit():
    found, _ = suggest([(n, t.encode()) for n, t in CORPUS], EMPTY, min_count=2)
    text = suggestions_yaml(found)
    assert text.count('definition: ""  # À RÉDIGER') == len(found)
    filled = text.replace('definition: ""', 'definition: "À écrire."')
    glossary = parse_glossary(filled, "suggestions.yaml")
    assert glossary["ftg"].acronyms == ("FTG",)


def test_the_command_reads_archives_and_writes_yaml_or_csv(gloss, tmp_path):
    archive = tmp_path / "corpus.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for name, text in CORPUS:
            zipped.writestr(name, text)
    out = tmp_path / "s.csv"
    result = gloss("suggest", str(archive), "--min-count", "2", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "suggestions:" in result.stderr
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["terme", "sigles", "définition"] and any(r[1] == "FTG" for r in rows[1:])
    yaml_out = gloss("suggest", str(archive), "--min-count", "2")
    assert "  - id: ftg" in yaml_out.stdout


def test_include_and_exclude_choose_the_files_read(gloss, tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in CORPUS:
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "d.asp").write_text(CORPUS[0][1], encoding="utf-8")
    only_asp = gloss("suggest", str(folder), "--include", "*.asp", "--min-count", "1")
    assert "  - id: ftg" in only_asp.stdout and "1 acronym pairs" in only_asp.stderr
    without_html = gloss("suggest", str(folder), "--exclude", "*.html", "--min-count", "1")
    assert "# 1 occurrence(s) dans 1 document(s) ; sigle" in without_html.stdout
