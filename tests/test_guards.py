"""Context guards (not_after, not_before, only_in), homonyms told apart by them, and the acronym forms
real pages use (dotted, plural): in the YAML, in every exchange format, in gloss check and in matching."""

from __future__ import annotations

import json

import pytest

from ptce_gloss import AnnotateOptions, Annotator, load_glossaries
from ptce_gloss.errors import GlossaryError
from ptce_gloss.glossary import parse_glossary
from ptce_gloss.glossary.formats import parse_glossary_file, write_glossary
from ptce_gloss.html.document import Document

GUARDED = """\
entries:
  - id: asso
    term: association
    definition: Un groupement de personnes.
    not_after: [en]
    not_before: [avec]
  - id: coop
    term: coopérative
    definition: Une entreprise coopérative.
    not_after: [banque, société]
  - id: ia
    term: intelligence artificielle
    acronyms: [IA]
    definition: Des programmes qui imitent des tâches humaines.
    only_in: [li]
  - id: insertion-activite
    term: insertion par l'activité
    acronyms: [IA]
    definition: L'insertion par le travail.
    not_after: [l']
"""


@pytest.fixture(scope="module")
def annotator() -> Annotator:
    return Annotator(parse_glossary(GUARDED, "guards.yaml"), AnnotateOptions(occurrences="all"))


def found(annotator: Annotator, text: str, kind: str = "html") -> list[tuple[str, str]]:
    return [(m.entry.id, m.surface) for m in annotator.find(Document(text, kind, "utf-8"))]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<p>Une association de quartier.</p>", [("asso", "association")]),
        ("<p>Travailler en association avec la mairie.</p>", []),
        ("<p>En Association, les membres votent.</p>", []),  # folded: case and accents do not matter
        ("<p>Une association avec des bénévoles.</p>", []),
        ("<p>Une associations avecs.</p>", [("asso", "associations")]),  # whole words only
        ("<p>La banque coopérative prête ; la coopérative produit.</p>", [("coop", "coopérative")]),
        ("<p>Une Société\u00a0Coopérative.</p>", []),
        ("<p>Une <b>banque</b> coopérative.</p>", []),  # across inline markup, as a reader reads it
    ],
)
def test_not_after_and_not_before_leave_the_idiom_alone(annotator, text, expected):
    assert found(annotator, text) == expected


def test_only_in_and_homonyms_told_apart_by_their_guards(annotator):
    page = "<p>L'IA recrute.</p><ul><li>Les outils d'IA.</li></ul>"
    assert found(annotator, page) == [("ia", "IA")]  # in the paragraph: after « l' », not the insertion sense
    page = "<p>Une IA recrute.</p><ul><li>Les outils d'IA.</li></ul>"
    assert found(annotator, page) == [("insertion-activite", "IA"), ("ia", "IA")]


def test_homonyms_each_get_their_first_occurrence():
    # With the first-occurrence policy, the second « IA » is still read: the guards make it the other entry.
    first = Annotator(parse_glossary(GUARDED, "guards.yaml"))
    page = "<ul><li>Les outils d'IA.</li></ul><p>Une IA recrute.</p>"
    assert found(first, page) == [("ia", "IA"), ("insertion-activite", "IA")]
    page = "<p>Une IA recrute.</p><ul><li>Les outils d'IA.</li></ul>"
    assert found(first, page) == [("insertion-activite", "IA"), ("ia", "IA")]


def test_guards_work_in_markdown_and_plain_text(annotator):
    assert found(annotator, "En association avec eux ; une association.\n", "markdown") == [("asso", "association")]
    assert found(annotator, "- une IA\n\nune IA\n", "markdown") == [("ia", "IA"), ("insertion-activite", "IA")]
    assert found(annotator, "En association avec eux ; une association.\n", "text") == [("asso", "association")]


def test_unguarded_entries_still_may_not_share_a_form():
    clash = "entries:\n  - term: société\n    definition: A.\n  - id: autre\n    term: société\n    definition: B.\n"
    with pytest.raises(GlossaryError, match="already claimed"):
        parse_glossary(clash, "clash.yaml")
    homonyms = clash + "    not_after: [la]\n"
    assert len(parse_glossary(homonyms, "ok.yaml")) == 2


def test_guards_that_can_never_apply_are_warnings(gloss, tmp_path):
    path = tmp_path / "g.yaml"
    path.write_text(
        "entries:\n  - term: tiers-lieu\n    definition: Un lieu.\n    not_after: ['...']\n    only_in: ['<p>']\n"
        "  - term: fablab\n    definition: Un atelier.\n    only_in: [code, a]\n",
        encoding="utf-8",
    )
    result = gloss("check", "--no-default", "--strict", str(path))
    assert result.exit_code == 1
    assert "not_after '...' of 'tiers-lieu' has no letter or digit" in result.output
    assert "only_in '<p>' of 'tiers-lieu' is no HTML element name" in result.output
    assert "only_in of 'fablab' names only elements gloss does not annotate" in result.output


@pytest.mark.parametrize(
    ("fmt", "name"), [("yaml", "g.yaml"), ("csv", "g.csv"), ("xlsx", "g.xlsx"), ("tbx", "g.tbx"), ("skos", "g.ttl")]
)
def test_guards_survive_every_format(fmt, name):
    glossary = parse_glossary(GUARDED, "guards.yaml")
    back = parse_glossary_file(write_glossary(glossary, fmt, name), name)  # type: ignore[arg-type]
    assert back.entries == glossary.entries
    assert back["asso"].not_before == ("avec",) and back["ia"].only_in == ("li",)


def test_guards_are_in_gloss_terms_json(gloss, tmp_path):
    path = tmp_path / "g.yaml"
    path.write_text(GUARDED, encoding="utf-8")
    records = json.loads(gloss("terms", "--no-default", "-g", str(path), "--json").stdout)
    assert records[0]["not_after"] == ["en"] and records[2]["only_in"] == ["li"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Les S.C.O.P. de la région.", ["S.C.O.P."]),
        ("Trois SCOPs et deux SCIC.", ["SCOPs", "SCIC"]),
        ("Les SCIC et une S.C.I.C. nouvelle.", ["SCIC", "S.C.I.C."]),
        ("Voir www.scop.fr ou s.c.o.p.fr.", []),
        ("Les scops de la région.", []),  # not an acronym as written
    ],
)
def test_acronyms_as_pages_write_them(text, expected):
    annotator = Annotator(load_glossaries(), AnnotateOptions(occurrences="all"))
    assert [m.surface for m in annotator.find(Document(text, "text", "utf-8")) if m.entry.id in ("scop", "scic")] == expected


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        # A title in capitals: the acronyms that are no French word are still acronyms...
        ("<h3>J'AI VISITÉ LES SCOP ET L'ESS EN BRETAGNE</h3>", "html", ["SCOP", "ESS"]),
        # ...but one that is also a word (« ai », « plie », « cigales ») is read as the word there
        ("<p>POUR ELLE, IL PLIE BAGAGE</p>", "html", []),
        ("LES CIGALES CHANTENT EN ÉTÉ\n", "text", []),
        ("# LE PLIE DE LILLE RECRUTE\n", "markdown", []),
        # In prose written in lower case, the same acronyms are acronyms
        ("<p>Le PLIE de Lille finance une AI et les CIGALES investissent.</p>", "html", ["PLIE", "AI", "CIGALES"]),
        # One capitalised word beside the acronym is no passage in capitals
        ("<p>Le PLIE ET la ville.</p>", "html", ["PLIE"]),
    ],
)
def test_an_acronym_in_capitals_is_only_the_acronym_it_is(text, kind, expected):
    options = AnnotateOptions(occurrences="all", skip=AnnotateOptions().skip - {"h1", "h2", "h3"})
    annotator = Annotator(load_glossaries(), options)
    assert [m.surface for m in annotator.find(Document(text, kind, "utf-8")) if m.entry.acronyms] == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "<h2>POUR ELLE, IL PLIE BAGAGE</h2><p>Le PLIE de Lille recrute.</p>",
        "POUR ELLE, IL PLIE BAGAGE\nLe PLIE de Lille recrute.\n",
        "## POUR ELLE, IL PLIE BAGAGE\n\nLe PLIE de Lille recrute.\n",
    ],
)
def test_a_passage_in_capitals_ends_with_its_block(text):
    """The title's capitals decide for the title, the paragraph's lower case for the paragraph."""
    kind = "html" if text.startswith("<") else "markdown" if text.startswith("#") else "text"
    options = AnnotateOptions(occurrences="all", skip=AnnotateOptions().skip - {"h2"})
    found = Annotator(load_glossaries(), options).find(Document(text, kind, "utf-8"))  # type: ignore[arg-type]
    assert [(m.surface, m.line) for m in found] == [("PLIE", {"html": 1, "text": 2, "markdown": 3}[kind])]
