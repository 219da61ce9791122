"""Loading glossaries: the full and short forms, combining, and every kind of bad file."""

from __future__ import annotations

import dataclasses

import pytest

from ptce_gloss import Entry, GlossaryError, combine_glossaries, load_glossaries, load_glossary, parse_glossary
from ptce_gloss.glossary import files as glossary_module

from .conftest import corpus

FULL = """\
title: Essai
lang: fr
entries:
  - id: ptce
    term: pôle territorial de coopération économique
    acronyms: [PTCE]
    variants: [pôle de coopération]
    definition: >-
      Groupement d'acteurs d'un territoire qui coopèrent.
    url: https://example.org/ptce
    tags: [territoires]
    see: [ess]
  - term: économie sociale et solidaire
    acronyms: [ESS]
    definition: Ensemble d'entreprises.
    case_sensitive: true
    inflect: false
"""


def errors_of(text: str) -> list[str]:
    with pytest.raises(GlossaryError) as info:
        parse_glossary(text, "g.yaml")
    return [str(d) for d in info.value.diagnostics if d.severity == "error"]


def test_full_form_loads_every_field():
    glossary = parse_glossary(FULL, "g.yaml")
    assert glossary.title == "Essai" and glossary.lang == "fr"
    ptce, ess = glossary.entries
    assert ptce == Entry(
        "ptce",
        "pôle territorial de coopération économique",
        "Groupement d'acteurs d'un territoire qui coopèrent.",
        ("PTCE",),
        ("pôle de coopération",),
        "https://example.org/ptce",
        ("territoires",),
        False,
        True,
        ("ess",),
    )
    assert (ptce.source, ptce.line) == ("g.yaml", 4)
    assert ess.id == "economie-sociale-et-solidaire"  # the ASCII slug of the term
    assert ess.case_sensitive is True and ess.inflect is False
    assert glossary.warnings == ()


def test_entries_are_immutable():
    entry = parse_glossary(FULL).entries[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        entry.term = "autre"  # type: ignore[misc]


def test_short_form_is_a_mapping_of_term_to_definition():
    glossary = parse_glossary("café associatif: Lieu convivial géré par une association.\nbudget participatif: Budget voté.\n")
    assert [(e.id, e.term) for e in glossary] == [
        ("cafe-associatif", "café associatif"),
        ("budget-participatif", "budget participatif"),
    ]
    assert glossary["cafe-associatif"].definition == "Lieu convivial géré par une association."


def test_scalars_stay_text_not_yaml_1_1_booleans_or_numbers():
    glossary = parse_glossary("entries:\n  - term: on\n    definition: no\n  - term: 0755\n    definition: 2024-01-01\n")
    assert [(e.term, e.definition) for e in glossary] == [("on", "no"), ("0755", "2024-01-01")]


def test_load_glossary_accepts_path_text_and_bytes(write_yaml):
    path = write_yaml(FULL)
    assert load_glossary(path) == load_glossary(str(path)) == load_glossary(FULL) == load_glossary(FULL.encode())
    with pytest.raises(TypeError):
        load_glossary(42)  # type: ignore[arg-type]


def test_later_glossary_replaces_entries_with_the_same_id(write_yaml):
    first = write_yaml(
        "entries:\n  - id: a\n    term: alpha\n    definition: Un.\n  - id: b\n    term: beta\n    definition: Deux.\n", "a.yaml"
    )
    second = write_yaml("entries:\n  - id: a\n    term: alpha\n    definition: Remplacé.\n", "b.yaml")
    combined = load_glossaries([first, second], include_default=False)
    assert [(e.id, e.definition) for e in combined] == [("b", "Deux."), ("a", "Remplacé.")]


def test_bundled_glossary_is_included_unless_no_default(write_yaml):
    mine = write_yaml("entries:\n  - id: mon-terme\n    term: mon terme\n    definition: Le mien.\n    see: [ess]\n")
    assert "ess" in load_glossaries([mine]) and "mon-terme" in load_glossaries([mine])
    with pytest.raises(GlossaryError, match="'see' names 'ess', which is no entry's id"):
        load_glossaries([mine], include_default=False)


def test_shadowing_a_bundled_form_is_a_warning_naming_both_files(write_yaml):
    mine = write_yaml("entries:\n  - id: mon-ess\n    term: Économie sociale et solidaire\n    definition: La mienne.\n")
    combined = load_glossaries([mine])
    [warning] = [w for w in combined.warnings if "mon-ess" in w.message]
    assert warning.severity == "warning" and warning.path == str(mine) and "ess.yaml" in warning.message


# --- every kind of bad file: a located message each -------------------------------------------

BAD = [
    pytest.param("entries:\n  - term: a\n    definition: [unclosed\n", "g.yaml:4:1: error: invalid YAML", id="yaml-syntax"),
    pytest.param(
        "entries:\n  - term: a\n    defintion: b\n",
        "g.yaml:3:5: error: unknown key 'defintion' in an entry (did you mean 'definition'?)",
        id="unknown-key",
    ),
    pytest.param(
        "entrees:\n  - term: a\n",
        "g.yaml:1:1: error: unknown key 'entrees' in the glossary (did you mean 'entries'?)",
        id="unknown-top-key",
    ),
    pytest.param("entries:\n  - definition: b\n", "g.yaml:2:5: error: entry has no 'term'", id="missing-term"),
    pytest.param(
        "entries:\n  - term: a\n    definition: '  '\n", "g.yaml:3:17: error: definition is empty", id="empty-definition"
    ),
    pytest.param("entries:\n  - term: a\n    definition: ~\n", "g.yaml:3:17: error: definition is empty", id="null-definition"),
    pytest.param(
        "entries:\n  - term: [a, b]\n    definition: c\n", "g.yaml:2:11: error: term must be text, not a list", id="list-as-term"
    ),
    pytest.param(
        "entries:\n  - term: a\n    definition: b\n    inflect: oui\n",
        "g.yaml:4:14: error: inflect must be true or false, not 'oui'",
        id="bad-boolean",
    ),
    pytest.param(
        "entries:\n  - term: a\n    definition: b\n    variants: {x: y}\n",
        "g.yaml:4:15: error: variants must be a list such as [a, b], not a mapping",
        id="mapping-as-list",
    ),
    pytest.param(
        "entries:\n  - id: x\n    term: a\n    definition: b\n  - id: x\n    term: c\n    definition: d\n",
        "g.yaml:5: error: duplicate id 'x' (already used at line 2); give this entry another 'id:'",
        id="duplicate-id",
    ),
    pytest.param(
        "entries:\n  - id: e\n    term: Économie\n    definition: b\n  - id: f\n    term: autre\n    variants: [ECONOMIE]\n    definition: d\n",
        'g.yaml:5: error: variant "ECONOMIE" of "f" is already claimed by the term "Économie" of "e" at line 2; remove one of them',
        id="shared-form",
    ),
    pytest.param(
        "entries:\n  - term: a\n    definition: b\n    definition: c\n",
        "g.yaml:4:5: error: duplicate key 'definition' in an entry; keep only one",
        id="duplicate-key",
    ),
    pytest.param(
        "entries:\n  - id: é t\n    term: a\n    definition: b\n",
        "g.yaml:2:9: error: id 'é t' may hold only ASCII letters, digits, '-' and '_'",
        id="bad-id",
    ),
    pytest.param(
        "entries:\n  - term: a\n    definition: !!binary R0lGOD==\n",
        "g.yaml:3:17: error: YAML tag !!binary is not allowed",
        id="binary-tag",
    ),
    pytest.param(
        "entries:\n  - term: a\n    definition: !!python/object/apply:os.system [ls]\n",
        "g.yaml:3:17: error: YAML tag !!python/object/apply:os.system is not allowed",
        id="python-tag",
    ),
    pytest.param("a: &x [1]\nb: *x\n", "g.yaml:1:4: error: YAML anchors (&x) are not allowed", id="anchor"),
    pytest.param("- a\n- b\n", "g.yaml:1:1: error: a glossary is a mapping", id="not-a-mapping"),
    pytest.param("", "g.yaml: error: the glossary is empty", id="empty-file"),
]


@pytest.mark.parametrize("text, expected", BAD)
def test_bad_glossary_is_reported_with_file_line_and_column(text, expected):
    assert any(message.startswith(expected) for message in errors_of(text)), errors_of(text)


def test_every_problem_is_reported_at_once():
    text = "entries:\n  - term: a\n    defintion: b\n  - term: ''\n    definition: c\n  - term: d\n    definition: e\n    see: [nulle-part]\n"
    messages = errors_of(text)
    assert len(messages) >= 3
    assert [m.split(":")[1] for m in messages[:3]] == ["2", "3", "4"]


def test_see_to_an_unknown_id_is_an_error_when_combined(write_yaml):
    path = write_yaml("entries:\n  - term: a\n    definition: b\n    see: [nulle-part]\n")
    with pytest.raises(GlossaryError) as info:
        combine_glossaries([load_glossary(path)])
    assert str(info.value) == f"{path}:2: error: 'see' names 'nulle-part', which is no entry's id; fix the id or remove it"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/x", "www.example.org", "data:text/html,x"])
def test_url_that_is_not_http_is_a_warning_and_dropped(url):
    glossary = parse_glossary(f"entries:\n  - term: a\n    definition: b\n    url: '{url}'\n", "g.yaml")
    assert glossary.entries[0].url is None
    [warning] = glossary.warnings
    assert str(warning).startswith("g.yaml:4:10: warning: url ") and "is not an http, https or mailto link" in str(warning)


def test_html_in_a_definition_is_a_warning():
    glossary = parse_glossary("entries:\n  - term: a\n    definition: Un <b>gras</b> mot.\n", "g.yaml")
    [warning] = glossary.warnings
    assert str(warning).startswith("g.yaml:3:17: warning: definition contains the HTML tag <b>")


def test_non_utf8_bytes_are_located(write_yaml, tmp_path):
    path = tmp_path / "latin.yaml"
    path.write_bytes("entries:\n  - term: cœur\n    definition: b\n".encode("cp1252"))
    with pytest.raises(GlossaryError) as info:
        load_glossary(path)
    assert str(info.value).startswith(f"{path}:2:12: error: byte 0x9C is not UTF-8; save the glossary as UTF-8")


def test_file_over_the_size_limit_is_refused_before_parsing(write_yaml, monkeypatch):
    monkeypatch.setattr(glossary_module, "MAX_GLOSSARY_BYTES", 100)
    path = write_yaml("entries:\n" + "  - term: a\n    definition: b\n" * 10)
    with pytest.raises(GlossaryError, match="glossaries are limited to 100 bytes"):
        load_glossary(path)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(GlossaryError, match=r"absent\.yaml: error: cannot read the glossary: No such file"):
        load_glossary(tmp_path / "absent.yaml")


HOSTILE = [
    "billion-laughs.yaml",
    "billion-laughs-glossary.yaml",
    "merge-key-bomb.yaml",
    "recursive-alias.yaml",
    "scalar-alias-amplification.yaml",
    "python-object-tag.yaml",
    "deep-nesting.yaml",
    "duplicate-keys.yaml",
    "type-confusion.yaml",
    "binary-glossary.yaml",
    "glossary-cp1252.yaml",
]


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_glossaries_are_refused_with_a_located_error(name):
    """The bounds of work and memory of a refusal are checked in tests/hardening/test_glossaries.py."""
    path = corpus("hostile", "yaml", name)
    with pytest.raises(GlossaryError) as info:
        load_glossary(path)
    first = info.value.diagnostics[0]
    assert first.path == str(path) and first.line >= 1


def test_xss_glossary_loads_as_inert_text():
    glossary = load_glossary(corpus("hostile", "yaml", "glossary-xss.yaml"))
    assert len(glossary) > 400
    assert all(e.url is None or e.url.startswith(("http://", "https://", "mailto:")) for e in glossary)


def test_an_entry_replacing_a_bundled_one_warns_unless_it_says_so(gloss, write_yaml):
    """`SCOP: autre` gets the bundled entry's generated id: it replaces it, which is said, not silent."""
    mine = write_yaml("entries:\n  - term: SCOP\n    definition: autre\n")
    checked = gloss("check", str(mine))
    assert checked.exit_code == 0
    assert f"{mine}:2: warning: entry 'scop' replaces the entry 'société coopérative et participative' of " in checked.stdout
    assert gloss("check", "--strict", str(mine)).exit_code == 1
    annotated = gloss("annotate", "-g", str(mine), "-f", "json", "-", input="Une SCOP.")
    assert annotated.exit_code == 0 and "replaces the entry" in annotated.stderr
    meant = write_yaml("entries:\n  - term: SCOP\n    definition: autre\n    override: true\n", "meant.yaml")
    assert gloss("check", "--strict", str(meant)).exit_code == 0
    quiet = gloss("annotate", "-g", str(meant), "-f", "json", "-", input="Une SCOP.")
    assert quiet.exit_code == 0 and quiet.stderr == ""
