"""The bundled ESS glossary: valid, rich, and free of entries that shadow each other."""

from __future__ import annotations

import re

import pytest

from ptce_gloss import default_glossary_path, load_glossaries, load_glossary
from ptce_gloss.glossary.checks import find_collisions
from ptce_gloss.text.french import fold_key


@pytest.fixture(scope="module")
def ess():
    return load_glossary(default_glossary_path())


def test_validates_with_no_warning(ess):
    assert ess.warnings == ()
    assert load_glossaries().warnings == ()  # references resolve too


def test_has_at_least_150_entries_with_unique_ids(ess):
    ids = [e.id for e in ess]
    assert len(ids) >= 150
    assert len(set(ids)) == len(ids)


def test_no_two_entries_shadow_each_other(ess):
    assert find_collisions(ess.entries, "ess.yaml") == []


# The forms the issue asks the bundled glossary to cover, as a French editor writes them.
REQUIRED = """
ESS; économie sociale; économie solidaire; utilité sociale; intérêt général; lucrativité limitée;
gouvernance démocratique; réserves impartageables; innovation sociale; association; coopérative; SCOP;
SCIC; CAE; CUMA; mutuelle; fondation; fonds de dotation; ESUS; agrément ESUS; entreprise à mission; IAE;
SIAE; ACI; EI; ETTI; AI; EITI; GEIQ; ESAT; entreprise adaptée; TZCLD; PTCE; tiers-lieu; circuit court;
monnaie locale complémentaire; DLA; CRESS; ESS France; CSESS; Avise; finance solidaire;
épargne salariale solidaire; titre associatif; France Active; commerce équitable; économie circulaire;
bénévolat; volontariat; mécénat; éducation populaire
"""


@pytest.mark.parametrize("form", [f.strip() for f in REQUIRED.split(";")])
def test_covers_the_vocabulary_editors_expect(ess, form):
    forms = {fold_key(f) for e in ess for f in (e.term, *e.variants)} | {a for e in ess for a in e.acronyms}
    assert fold_key(form) in forms or form in forms


def test_definitions_are_short_plain_french_sentences(ess):
    for entry in ess:
        sentences = [s for s in re.split(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý«])", entry.definition) if s]
        assert 1 <= len(sentences) <= 3, entry.id
        assert 60 <= len(entry.definition) <= 600, entry.id
        assert entry.definition[-1] in ".)»", entry.id
        assert "<" not in entry.definition, entry.id


def test_every_entry_is_tagged_and_links_are_https(ess):
    for entry in ess:
        assert entry.tags, entry.id
        assert entry.url is None or entry.url.startswith("https://"), entry.id


def test_terms_are_singular_canonical_forms(ess):
    # A plural canonical term would make the generated plural wrong ("coopérativess").
    for entry in ess:
        if entry.inflect:
            head = entry.term.split()[0]
            assert not (head.endswith("s") and head[:-1] in {e.term.split()[0] for e in ess}), entry.id
