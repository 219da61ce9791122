"""French spelling rules used for matching: plurals, folding and slugs, one table per rule."""

from __future__ import annotations

import pytest

from ptce_gloss.text.french import fold_bytes, fold_each, fold_key, fold_text, plural_phrase, plural_word, slugify

# --- plural_word: the regular plural of one noun or adjective --------------------------------------

PLURAL_WORD = [
    pytest.param("pôle", "pôles", id="s-regular-noun"),
    pytest.param("coopérative", "coopératives", id="s-accented-noun"),
    pytest.param("économique", "économiques", id="s-adjective"),
    pytest.param("solidaire", "solidaires", id="s-adjective-e"),
    pytest.param("associatif", "associatifs", id="s-adjective-f"),
    pytest.param("trou", "trous", id="s-ou-regular"),
    pytest.param("détail", "détails", id="s-ail-regular"),
    pytest.param("bureau", "bureaux", id="x-after-eau"),
    pytest.param("réseau", "réseaux", id="x-after-eau-accented"),
    pytest.param("tuyau", "tuyaux", id="x-after-au"),
    pytest.param("lieu", "lieux", id="x-after-eu"),
    pytest.param("jeu", "jeux", id="x-after-eu-short"),
    pytest.param("pneu", "pneus", id="eu-exception-pneu"),
    pytest.param("bleu", "bleus", id="eu-exception-bleu"),
    pytest.param("landau", "landaus", id="au-exception-landau"),
    pytest.param("territorial", "territoriaux", id="al-to-aux"),
    pytest.param("social", "sociaux", id="al-to-aux-social"),
    pytest.param("local", "locaux", id="al-to-aux-local"),
    pytest.param("festival", "festivals", id="al-exception-festival"),
    pytest.param("naval", "navals", id="al-exception-naval"),
    pytest.param("travail", "travaux", id="ail-to-aux-travail"),
    pytest.param("bijou", "bijoux", id="ou-to-oux-bijou"),
    pytest.param("prix", "prix", id="final-x-unchanged"),
    pytest.param("fonds", "fonds", id="final-s-unchanged"),
    pytest.param("nez", "nez", id="final-z-unchanged"),
    pytest.param("Local", "Locaux", id="capitalised-keeps-case"),
    pytest.param("SOCIAL", "SOCIAUX", id="all-caps-suffix-in-caps"),
    pytest.param("TERRITOIRE", "TERRITOIRES", id="all-caps-s-in-caps"),
    pytest.param("", "", id="empty-word"),
]


@pytest.mark.parametrize(("word", "plural"), PLURAL_WORD)
def test_plural_word(word, plural):
    assert plural_word(word) == plural


# --- plural_phrase: only the head and what agrees with it --------------------------------------------

PLURAL_PHRASE = [
    pytest.param("pôle territorial de coopération économique", "pôles territoriaux de coopération économique", id="issue-ptce"),
    pytest.param("chantier d'insertion", "chantiers d'insertion", id="issue-complement-d-apostrophe"),
    pytest.param("chantier d’insertion", "chantiers d’insertion", id="complement-d-curly-apostrophe"),
    pytest.param("chantier dʼinsertion", "chantiers dʼinsertion", id="complement-d-modifier-apostrophe"),
    pytest.param("économie sociale et solidaire", "économies sociales et solidaires", id="issue-ess-coordinated-adjectives"),
    pytest.param("entreprise solidaire d'utilité sociale", "entreprises solidaires d'utilité sociale", id="issue-esus"),
    pytest.param("tiers-lieu", "tiers-lieux", id="issue-tiers-lieu-compound"),
    pytest.param("économie sociale", "économies sociales", id="noun-adjective"),
    pytest.param("circuit court", "circuits courts", id="noun-short-adjective"),
    pytest.param("monnaie locale complémentaire", "monnaies locales complémentaires", id="two-adjectives-al"),
    pytest.param("impact social", "impacts sociaux", id="adjective-al-to-aux"),
    pytest.param("réseau local", "réseaux locaux", id="eau-noun-al-adjective"),
    pytest.param("société coopérative et participative", "sociétés coopératives et participatives", id="et-between-adjectives"),
    pytest.param("société coopérative d'intérêt collectif", "sociétés coopératives d'intérêt collectif", id="complement-after-d"),
    pytest.param("mesure d'impact social", "mesures d'impact social", id="complement-with-adjective"),
    pytest.param("pôle de coopération", "pôles de coopération", id="complement-de"),
    pytest.param("groupement d'employeurs", "groupements d'employeurs", id="complement-plural-already"),
    pytest.param("bureau d'études", "bureaux d'études", id="eau-head-with-complement"),
    pytest.param("fonds de dotation", "fonds de dotation", id="head-ending-in-s"),
    pytest.param("prix juste", "prix justes", id="head-ending-in-x"),
    pytest.param("tiers secteur", "tiers secteurs", id="tiers-spaced"),
    pytest.param("entreprise à mission", "entreprises à mission", id="complement-a"),
    pytest.param("aide au poste", "aides au poste", id="complement-au"),
    pytest.param("épargne salariale aux salariés", "épargnes salariales aux salariés", id="complement-aux"),
    pytest.param("économie de la fonctionnalité", "économies de la fonctionnalité", id="complement-de-la"),
    pytest.param("régie des quartiers", "régies des quartiers", id="complement-des"),
    pytest.param(
        "chambre régionale de l'économie sociale et solidaire",
        "chambres régionales de l'économie sociale et solidaire",
        id="cress",
    ),
    pytest.param(
        "structure d'insertion par l'activité économique", "structures d'insertion par l'activité économique", id="complement-par"
    ),
    pytest.param("fonds pour l'innovation", "fonds pour l'innovation", id="complement-pour"),
    pytest.param("épargne en actions", "épargnes en actions", id="complement-en"),
    pytest.param("agrément ESUS", "agréments ESUS", id="acronym-inside-unchanged"),
    pytest.param("SCOP d'amorçage", "SCOP d'amorçage", id="acronym-head-unchanged"),
    pytest.param("loi Hamon", "lois Hamon", id="proper-name-unchanged"),
    pytest.param("co-construction", "co-constructions", id="invariable-prefix-co"),
    pytest.param("entrepreneur-salarié", "entrepreneurs-salariés", id="compound-both-parts"),
    pytest.param("Économie sociale", "Économies sociales", id="capitalised-first-word"),
    pytest.param(
        "association loi 1901",
        "associations loi 1901",
        id="apposition-loi-1901-unchanged",
    ),
]


@pytest.mark.parametrize(("phrase", "plural"), PLURAL_PHRASE)
def test_plural_phrase(phrase, plural):
    assert plural_phrase(phrase) == plural


# --- fold_key: the form under which two spellings are the same words --------------------------------

FOLD_KEY = [
    pytest.param("Économie Sociale", "economie sociale", id="case-and-accents"),
    pytest.param("ÉCONOMIE SOCIALE", "economie sociale", id="all-caps-accented"),
    pytest.param("Tiers-Lieu", "tiers lieu", id="hyphen-is-space"),
    pytest.param("tiers\u2010lieu", "tiers lieu", id="unicode-hyphen"),
    pytest.param("tiers\u2011lieu", "tiers lieu", id="non-breaking-hyphen"),
    pytest.param("TIERS\u00a0LIEU", "tiers lieu", id="nbsp"),
    pytest.param("économie\u202f \t\nsociale", "economie sociale", id="whitespace-run"),
    pytest.param("  économie sociale  ", "economie sociale", id="outer-spaces-stripped"),
    pytest.param("cœur", "coeur", id="oe-ligature"),
    pytest.param("Œuvre", "oeuvre", id="oe-ligature-capital"),
    pytest.param("l’ESS", "l'ess", id="curly-apostrophe"),
    pytest.param("lʼESS", "l'ess", id="modifier-apostrophe"),
    pytest.param("éco\u00adnomie", "economie", id="soft-hyphen-dropped"),
    pytest.param("Ça", "ca", id="cedilla"),
]


@pytest.mark.parametrize(("text", "key"), FOLD_KEY)
def test_fold_key(text, key):
    assert fold_key(text) == key


# --- fold_text / fold_bytes: documents folded without moving any offset -----------------------------

FOLD_TEXT = [
    pytest.param("Économie", "economie", id="accent-and-case"),
    pytest.param("tiers-lieu", "tiers lieu", id="hyphen-to-space"),
    pytest.param("tiers\u2011lieu", "tiers lieu", id="non-breaking-hyphen-to-space"),
    pytest.param("économie - sociale", "economie \x1a sociale", id="spaced-dash-kept-apart"),
    pytest.param("a--b", "a\x1a\x1ab", id="double-hyphen-is-dash"),
    pytest.param("L’ESS", "l'ess", id="curly-apostrophe"),
    pytest.param("a\u00a0b\u202fc\td\ne", "a b c d e", id="every-space-one-space"),
    pytest.param("cœur", "cœur", id="oe-ligature-kept"),
    pytest.param("ÇA VA", "ca va", id="capital-cedilla"),
]


@pytest.mark.parametrize(("text", "folded"), FOLD_TEXT)
def test_fold_text(text, folded):
    assert fold_text(text) == folded


SAME_LENGTH = [
    pytest.param("Économie sociale et solidaire", id="plain"),
    pytest.param("l’ESS\u00a0: «\u202fcoopérative\u202f»", id="french-typography"),
    pytest.param("éco\u00adnomie", id="soft-hyphen"),
    pytest.param("CŒUR DE VILLE", id="capital-ligature"),
    pytest.param("İstanbul", id="dotted-capital-i"),
    pytest.param("tiers\u2010lieu -- x - y", id="hyphens-and-dashes"),
    pytest.param("a\r\nb\x0bc\x0cd", id="control-whitespace"),
    pytest.param("straße", id="sharp-s"),
]


@pytest.mark.parametrize("text", SAME_LENGTH)
def test_fold_text_keeps_length(text):
    assert len(fold_text(text)) == len(text)


@pytest.mark.parametrize("text", SAME_LENGTH)
def test_fold_bytes_keeps_length(text):
    assert len(fold_bytes(text)) == len(text)


FOLD_BYTES_AGREES = [
    pytest.param("Économie Sociale", id="accents"),
    pytest.param("tiers-lieu", id="hyphen"),
    pytest.param("tiers\u2010lieu tiers\u2011lieu", id="unicode-hyphens"),
    pytest.param("économie - sociale", id="spaced-dash"),
    pytest.param("l’ESS lʼESS l'ESS", id="apostrophes"),
    pytest.param("a\u00a0b\u202fc\td\ne", id="spaces"),
    pytest.param("cœur CŒUR", id="ligature"),
    pytest.param("ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸ", id="every-french-capital"),
]


@pytest.mark.parametrize("text", FOLD_BYTES_AGREES)
def test_fold_bytes_agrees_with_fold_text(text):
    assert fold_bytes(text) == fold_text(text).encode("cp1252")


# --- slugify -------------------------------------------------------------------------------------------

SLUGIFY = [
    pytest.param("pôle territorial", "pole-territorial", id="accents"),
    pytest.param("Économie sociale et solidaire", "economie-sociale-et-solidaire", id="capital-accent"),
    pytest.param("chantier d'insertion", "chantier-d-insertion", id="apostrophe"),
    pytest.param("SCOP d’amorçage", "scop-d-amorcage", id="curly-apostrophe-cedilla"),
    pytest.param("cœur de ville", "coeur-de-ville", id="ligature"),
    pytest.param("tiers\u2011lieu", "tiers-lieu", id="non-breaking-hyphen"),
    pytest.param("ESS 2024 !", "ess-2024", id="digits-trailing-punctuation"),
    pytest.param("  --  ", "", id="nothing-left"),
    pytest.param("日本", "", id="non-latin"),
]


@pytest.mark.parametrize(("text", "slug"), SLUGIFY)
def test_slugify(text, slug):
    assert slugify(text) == slug


@pytest.mark.parametrize(
    "patterns",
    [
        ["économie sociale", "tiers-lieu", "a - b", "x--y", "-début", "fin-", "", "Œuvre"],
        ["avec\0nul", "sans"],  # a pattern holding NUL: folded one by one
        [],
    ],
)
def test_folding_patterns_together_gives_what_folding_each_gives(patterns):
    """The automaton's patterns are folded in one call: hyphens and dashes at either end of a pattern
    read as they do alone, never joined to the next pattern's."""
    assert fold_each(patterns) == [fold_bytes(p) for p in patterns]
