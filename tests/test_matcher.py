"""What the matcher finds in texts and HTML pages, one table per rule the engine promises.

Each table uses a small glossary written here as YAML (one entry per line, in flow style), so that
its expectations do not depend on the bundled glossary; a last table checks a few realistic
sentences against the bundled one.  Cases marked ``engine_bug`` describe what the engine gets wrong.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from .helpers import found, spans

ESS = ("ess", "ESS")


def engine_bug(reason: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=True, reason=f"engine: {reason}")


# --- 1. Inflection -------------------------------------------------------------------------------------

INFLECT = """\
entries:
  - {id: ptce, term: pôle territorial de coopération économique, acronyms: [PTCE], definition: d.}
  - {id: aci, term: chantier d'insertion, definition: d.}
  - {id: ess, term: économie sociale et solidaire, acronyms: [ESS], definition: d.}
  - {id: esus, term: entreprise solidaire d'utilité sociale, acronyms: [ESUS], definition: d.}
  - {id: tiers-lieu, term: tiers-lieu, definition: d.}
  - {id: bureau, term: bureau d'études, definition: d.}
  - {id: fonds, term: fonds de dotation, definition: d.}
  - {id: reseau, term: réseau local, variants: [réseau territorial], definition: d.}
  - {id: festival, term: festival solidaire, definition: d.}
  - {id: mission, term: entreprise à mission, definition: d.}
  - {id: circuit, term: circuit court, inflect: false, definition: d.}
  - {id: loi, term: loi Hamon, variants: [loi relative à l'économie sociale], inflect: false, definition: d.}
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Les pôles territoriaux de coopération économique.",
            [("ptce", "pôles territoriaux de coopération économique")],
            id="ptce-plural",
        ),
        pytest.param(
            "Un pôle territorial de coopération économique.",
            [("ptce", "pôle territorial de coopération économique")],
            id="ptce-singular",
        ),
        pytest.param(
            "LES PÔLES TERRITORIAUX DE COOPÉRATION ÉCONOMIQUE",
            [("ptce", "PÔLES TERRITORIAUX DE COOPÉRATION ÉCONOMIQUE")],
            id="ptce-plural-all-caps",
        ),
        pytest.param("Deux chantiers d'insertion.", [("aci", "chantiers d'insertion")], id="complement-after-d-unchanged"),
        pytest.param(
            "Les économies sociales et solidaires.", [("ess", "économies sociales et solidaires")], id="coordinated-adjectives"
        ),
        pytest.param(
            "Des entreprises solidaires d'utilité sociale.",
            [("esus", "entreprises solidaires d'utilité sociale")],
            id="esus-plural",
        ),
        pytest.param("Les tiers-lieux du quartier.", [("tiers-lieu", "tiers-lieux")], id="tiers-lieux"),
        pytest.param("Les tiers lieux du quartier.", [("tiers-lieu", "tiers lieux")], id="tiers-lieux-spaced"),
        pytest.param("Les bureaux d'études.", [("bureau", "bureaux d'études")], id="eau-to-eaux"),
        pytest.param("Des fonds de dotation.", [("fonds", "fonds de dotation")], id="final-s-invariable"),
        pytest.param("Les réseaux locaux.", [("reseau", "réseaux locaux")], id="eau-and-al"),
        pytest.param("Les réseaux territoriaux.", [("reseau", "réseaux territoriaux")], id="variant-inflected"),
        pytest.param("Les festivals solidaires.", [("festival", "festivals solidaires")], id="al-exception-festival"),
        pytest.param("Des entreprises à mission.", [("mission", "entreprises à mission")], id="complement-after-a"),
        pytest.param("Un circuit court.", [("circuit", "circuit court")], id="inflect-false-singular"),
        pytest.param("Deux circuits courts.", [], id="inflect-false-no-plural"),
        pytest.param(
            "La loi relative à l'économie sociale.", [("loi", "loi relative à l'économie sociale")], id="inflect-false-variant"
        ),
        pytest.param("Les lois relatives à l'économie sociale.", [], id="inflect-false-variant-no-plural"),
        pytest.param("Les pôles territoriaux de coopérations économiques.", [], id="complement-inflected-no-match"),
        pytest.param("Les pôle territoriaux de coopération économique.", [], id="half-inflected-head-no-match"),
        pytest.param("Les pôles territorials de coopération économique.", [], id="wrong-al-plural-no-match"),
        pytest.param("Deux chantiers d'insertions.", [], id="plural-complement-no-match"),
        pytest.param("Les économies sociale et solidaire.", [], id="adjectives-not-agreeing-no-match"),
        pytest.param("Les fonds de dotations.", [], id="complement-plural-no-match"),
    ],
)
def test_inflection(text, expected):
    assert found(text, INFLECT) == expected


# --- 2. Case -------------------------------------------------------------------------------------------

CASE = """\
entries:
  - {id: ess, term: économie sociale et solidaire, acronyms: [ESS], definition: d.}
  - {id: scop, term: société coopérative et participative, acronyms: [SCOP, Scop], definition: d.}
  - {id: scic, term: société coopérative d'intérêt collectif, acronyms: [SCIC], definition: d.}
  - {id: bdt, term: Banque des Territoires, case_sensitive: true, definition: d.}
  - {id: avise, term: Avise, case_sensitive: true, definition: d.}
  - {id: acv, term: Action Cœur de Ville, case_sensitive: true, definition: d.}
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Économie sociale et solidaire : un mode d'entreprendre.",
            [("ess", "Économie sociale et solidaire")],
            id="sentence-initial",
        ),
        pytest.param("Vive l'Économie Sociale Et Solidaire", [("ess", "Économie Sociale Et Solidaire")], id="title-case"),
        pytest.param("L'ÉCONOMIE SOCIALE ET SOLIDAIRE", [("ess", "ÉCONOMIE SOCIALE ET SOLIDAIRE")], id="all-caps"),
        pytest.param(
            "Une Société Coopérative et Participative",
            [("scop", "Société Coopérative et Participative")],
            id="long-form-mixed-case",
        ),
        pytest.param("L'ESS grandit.", [("ess", "ESS")], id="acronym-as-listed"),
        pytest.param("Une SCOP et une Scop.", [("scop", "SCOP"), ("scop", "Scop")], id="two-listed-acronym-spellings"),
        pytest.param("L'ess grandit.", [], id="acronym-lower-case-no-match"),
        pytest.param("L'Ess grandit.", [], id="acronym-capitalised-no-match"),
        pytest.param("une scop", [], id="acronym-lower-not-listed"),
        pytest.param("une Scic", [], id="acronym-capitalised-not-listed"),
        pytest.param("la Banque des Territoires", [("bdt", "Banque des Territoires")], id="case-sensitive-as-written"),
        pytest.param("les Banques des Territoires", [("bdt", "Banques des Territoires")], id="case-sensitive-plural"),
        pytest.param("la banque des territoires", [], id="case-sensitive-lower-no-match"),
        pytest.param("LA BANQUE DES TERRITOIRES", [], id="case-sensitive-caps-no-match"),
        pytest.param("Selon l'Avise, oui.", [("avise", "Avise")], id="case-sensitive-single-word"),
        pytest.param("Il avise le bureau.", [], id="case-sensitive-verb-no-match"),
        pytest.param("AVISE", [], id="case-sensitive-all-caps-no-match"),
        pytest.param("le programme Action Cœur de Ville", [("acv", "Action Cœur de Ville")], id="case-sensitive-ligature"),
        pytest.param("le programme action cœur de ville", [], id="case-sensitive-ligature-lower-no-match"),
        pytest.param("le programme Action Coeur de Ville", [("acv", "Action Coeur de Ville")], id="case-sensitive-oe-spelling"),
    ],
)
def test_case(text, expected):
    assert found(text, CASE) == expected


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("<p>Des   fonds,\n\n  puis   la   Banque des  Territoires</p>", ["Banque des Territoires"]),
        ("<p>Des   fonds,\n\n  puis   la   banque des  Territoires</p>", []),
        ("<p>Un  mot\u00ad coupé,   puis  l&#8217;Ban\u00adque des Ter\u00adritoires</p>", ["Banque des Territoires"]),
        ("<p>Un  mot\u00ad coupé,   puis  l&#8217;ban\u00adque des Ter\u00adritoires</p>", []),
        ("<p>Il  <b>avise</b>   le bureau ;  l&rsquo;<i>Avise</i>  répond.</p>", ["Avise"]),
    ],
)
def test_case_is_read_on_the_letters_as_written_wherever_spaces_collapse(page, expected):
    """The case of a case-sensitive form is read on the page's own letters, at the right place even
    after runs of spaces, line breaks, soft hyphens and references earlier in the text."""
    assert [surface for _, surface in found(page, CASE, kind="html")] == expected


# --- 3. Accents and typography -------------------------------------------------------------------------

TYPO = """\
entries:
  - {id: es, term: économie sociale, definition: d.}
  - {id: ess, term: économie sociale et solidaire, acronyms: [ESS], definition: d.}
  - {id: coeur, term: cœur de ville, definition: d.}
  - {id: oeuvre, term: oeuvre collective, definition: d.}
  - {id: aci, term: chantier d’insertion, definition: d.}
  - {id: tiers-lieu, term: tiers-lieu, definition: d.}
  - {id: tiers-secteur, term: tiers secteur, definition: d.}
"""
# The same entries plus a letter outside windows-1252, which sends the engine down its str path.
TYPO_SLOW = TYPO + "  - {id: lodz, term: coopérative de Łódź, definition: d.}\n"

TYPO_CASES = [
    pytest.param("ECONOMIE SOCIALE", [("es", "ECONOMIE SOCIALE")], id="caps-without-accents"),
    pytest.param("economie sociale", [("es", "economie sociale")], id="no-accents"),
    pytest.param("Économie sociale", [("es", "Économie sociale")], id="capital-accent"),
    pytest.param("ÉCONOMIE SOCIALE", [("es", "ÉCONOMIE SOCIALE")], id="caps-with-accents"),
    pytest.param("e\u0301conomie sociale", [("es", "e\u0301conomie sociale")], id="decomposed-accent-nfd"),
    pytest.param("le cœur de ville", [("coeur", "cœur de ville")], id="oe-ligature"),
    pytest.param("le coeur de ville", [("coeur", "coeur de ville")], id="oe-spelled-out"),
    pytest.param("LE CŒUR DE VILLE", [("coeur", "CŒUR DE VILLE")], id="oe-ligature-caps"),
    pytest.param("une œuvre collective", [("oeuvre", "œuvre collective")], id="glossary-oe-text-ligature"),
    pytest.param("une oeuvre collective", [("oeuvre", "oeuvre collective")], id="glossary-oe-text-oe"),
    pytest.param("un chantier d'insertion", [("aci", "chantier d'insertion")], id="apostrophe-ascii"),
    pytest.param("un chantier d’insertion", [("aci", "chantier d’insertion")], id="apostrophe-curly"),
    pytest.param("un chantier dʼinsertion", [("aci", "chantier dʼinsertion")], id="apostrophe-modifier-letter"),
    pytest.param("économie\u00a0sociale", [("es", "économie sociale")], id="nbsp"),
    pytest.param("économie\u202fsociale", [("es", "économie sociale")], id="narrow-nbsp"),
    pytest.param("économie\tsociale", [("es", "économie sociale")], id="tab"),
    pytest.param("économie\nsociale", [("es", "économie sociale")], id="line-break"),
    pytest.param("économie \r\n   sociale", [("es", "économie sociale")], id="whitespace-run"),
    pytest.param("économie\u00a0\u00a0sociale et\nsolidaire", [("ess", "économie sociale et solidaire")], id="mixed-whitespace"),
    pytest.param("un tiers-lieu", [("tiers-lieu", "tiers-lieu")], id="hyphen-minus"),
    pytest.param("un tiers\u2010lieu", [("tiers-lieu", "tiers\u2010lieu")], id="hyphen-u2010"),
    pytest.param("un tiers\u2011lieu", [("tiers-lieu", "tiers\u2011lieu")], id="non-breaking-hyphen-u2011"),
    pytest.param("un tiers lieu", [("tiers-lieu", "tiers lieu")], id="space-for-hyphen"),
    pytest.param("le tiers-secteur", [("tiers-secteur", "tiers-secteur")], id="hyphen-for-space"),
    pytest.param("éco\u00adnomie so\u00adciale", [("es", "économie sociale")], id="soft-hyphens-ignored"),
    pytest.param("l'ES\u00adS", [("ess", "ESS")], id="soft-hyphen-in-acronym"),
    pytest.param("un tierslieu", [], id="no-separator-no-match"),
    pytest.param("économie - sociale", [], id="spaced-dash-separates"),
    pytest.param("économie -- sociale", [], id="double-dash-separates"),
    pytest.param("économie – sociale", [], id="en-dash-separates"),
    pytest.param("économie — sociale", [], id="em-dash-separates"),
    pytest.param("économie/sociale", [], id="slash-separates"),
    pytest.param("économie\u00a0-\u00a0sociale", [], id="dash-between-nbsp-separates"),
    pytest.param("économie\t-\tsociale", [], id="dash-between-tabs-separates"),
]


@pytest.mark.parametrize("yaml", [pytest.param(TYPO, id="cp1252-fold"), pytest.param(TYPO_SLOW, id="str-fold")])
@pytest.mark.parametrize(("text", "expected"), TYPO_CASES)
def test_typography(text, expected, yaml):
    assert found(text, yaml) == expected


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        pytest.param("économie\u00a0sociale", "text", ["économie\u00a0sociale"], id="nbsp-kept-in-source"),
        pytest.param("éco\u00adnomie sociale.", "text", ["éco\u00adnomie sociale"], id="soft-hyphen-kept-in-source"),
        pytest.param("l’ESS.", "text", ["ESS"], id="elision-and-full-stop-outside"),
        pytest.param("« économie sociale »", "text", ["économie sociale"], id="guillemets-outside"),
        pytest.param("<p>économie&nbsp;sociale</p>", "html", ["économie&nbsp;sociale"], id="html-reference-in-source"),
        pytest.param("<p><em>économie</em> sociale</p>", "html", ["économie</em> sociale"], id="html-inline-split-source"),
    ],
)
def test_spans_are_source_slices(text, kind, expected):
    assert spans(text, TYPO, kind=kind) == expected


# --- 4. Elision -----------------------------------------------------------------------------------------

ELISION = """\
entries:
  - {id: ess, term: économie sociale et solidaire, acronyms: [ESS], definition: d.}
  - {id: es, term: économie sociale, definition: d.}
  - {id: association, term: association, definition: d.}
  - {id: coop, term: coopérative, definition: d.}
  - {id: ic, term: intérêt collectif, definition: d.}
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("l’ESS", [("ess", "ESS")], id="elision-l-curly-apostrophe"),
        pytest.param("l'ESS", [("ess", "ESS")], id="elision-l-apostrophe"),
        pytest.param("lʼESS", [("ess", "ESS")], id="elision-l-modifier-apostrophe"),
        pytest.param("dʼéconomie sociale", [("es", "économie sociale")], id="elision-d-modifier-apostrophe-long-form"),
        pytest.param("L'ESS recrute.", [("ess", "ESS")], id="elision-capital-l"),
        pytest.param("le rôle d’ESS France", [("ess", "ESS")], id="elision-d-acronym"),
        pytest.param("un réseau d'associations", [("association", "associations")], id="elision-d-plural"),
        pytest.param("le statut d’association", [("association", "association")], id="elision-d-curly"),
        pytest.param("qu’une coopérative", [("coop", "coopérative")], id="elision-qu"),
        pytest.param("jusqu'à l'économie sociale", [("es", "économie sociale")], id="elision-jusqu-a-then-l"),
        pytest.param("jusqu’aux associations", [("association", "associations")], id="elision-jusqu-aux"),
        pytest.param("L'ÉCONOMIE SOCIALE", [("es", "ÉCONOMIE SOCIALE")], id="elision-all-caps"),
        pytest.param("l'économie sociale et solidaire", [("ess", "économie sociale et solidaire")], id="elision-long-form"),
        pytest.param("des biens d'intérêt collectif", [("ic", "intérêt collectif")], id="elision-d-vowel-term"),
        pytest.param("lESS", [], id="no-apostrophe-no-match"),
        pytest.param("dassociation", [], id="glued-article-no-match"),
    ],
)
def test_elision(text, expected):
    assert found(text, ELISION) == expected


# --- 5. Word boundaries, URLs, e-mail addresses, file names -----------------------------------------------

BOUNDARY = """\
entries:
  - {id: ess, term: économie sociale et solidaire, acronyms: [ESS], definition: d.}
  - {id: scop, term: société coopérative et participative, acronyms: [SCOP], definition: d.}
  - {id: association, term: association, definition: d.}
  - {id: coop, term: coopérative, definition: d.}
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("L'ESSOR du secteur", [], id="inside-essor-caps"),
        pytest.param("Diplômé de l'ESSEC", [], id="inside-essec"),
        pytest.param("l'associationnisme", [], id="inside-associationnisme"),
        pytest.param("les coopérativistes", [], id="inside-longer-word"),
        pytest.param("ESS2", [], id="digit-after"),
        pytest.param("2ESS", [], id="digit-before"),
        pytest.param("ESS_x", [], id="underscore-after"),
        pytest.param("x_ESS", [], id="underscore-before"),
        pytest.param("ESSé", [], id="accented-letter-after"),
        pytest.param("ESS\u0301", [], id="combining-mark-after"),
        pytest.param("… au cœur de l'ESS.", [ESS], id="sentence-end-full-stop"),
        pytest.param("Vive l'ESS!", [ESS], id="sentence-end-exclamation"),
        pytest.param("Et l'ESS ?", [ESS], id="sentence-end-question"),
        pytest.param("l'ESS…", [ESS], id="sentence-end-ellipsis"),
        pytest.param("l'ESS.\nLa suite.", [ESS], id="sentence-end-line-break"),
        pytest.param("une coopérative.", [("coop", "coopérative")], id="long-form-sentence-end"),
        pytest.param("(ESS)", [ESS], id="parentheses"),
        pytest.param("« ESS »", [ESS], id="french-quotes"),
        pytest.param("«ESS»", [ESS], id="french-quotes-tight"),
        pytest.param("“ESS”", [ESS], id="english-quotes"),
        pytest.param("[ESS]", [ESS], id="brackets"),
        pytest.param("ESS, SCOP et coopérative;", [ESS, ("scop", "SCOP"), ("coop", "coopérative")], id="list-with-punctuation"),
        pytest.param(
            "coopérative/association", [("coop", "coopérative"), ("association", "association")], id="slash-pair-not-a-url"
        ),
        pytest.param("Voir le site lelabo-ess.org de l'ESS.", [ESS], id="term-after-domain"),
        pytest.param("Lire statuts.pdf de la coopérative.", [("coop", "coopérative")], id="term-after-file-name"),
    ],
)
def test_boundaries(text, expected):
    assert found(text, BOUNDARY) == expected


# Long forms that a URL, an address or a file name could contain (acronyms are case-sensitive).
URLS = """\
entries:
  - {id: scop, term: scop, definition: d.}
  - {id: ess, term: ess, definition: d.}
  - {id: coop, term: coopérative, definition: d.}
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("lelabo-ess.org", [], id="domain-name"),
        pytest.param("les-scop.jpg", [], id="file-name"),
        pytest.param("statuts-cooperative.pdf", [], id="file-name-unaccented"),
        pytest.param("https://x.fr/scop", [], id="url-path"),
        pytest.param("Voir https://exemple.fr/cooperative?id=2.", [], id="url-at-sentence-end"),
        pytest.param("www.cooperative.fr", [], id="www-host"),
        pytest.param("contact@scop.fr", [], id="email-domain"),
        pytest.param("cooperative@exemple.fr", [], id="email-local-part"),
        pytest.param("(https://ess.fr)", [], id="url-in-parentheses"),
        pytest.param("les scop et l'ess", [("scop", "scop"), ("ess", "ess")], id="same-words-outside-urls"),
        pytest.param("une scop. Une coopérative", [("scop", "scop"), ("coop", "coopérative")], id="full-stop-then-space"),
    ],
)
def test_urls(text, expected):
    assert found(text, URLS) == expected


# --- 6. Leftmost-longest, no overlaps, expansion followed by its acronym ----------------------------------

LONGEST = """\
entries:
  - {id: ess, term: économie sociale et solidaire, acronyms: [ESS], definition: d.}
  - {id: es, term: économie sociale, definition: d.}
  - {id: scic, term: société coopérative d'intérêt collectif, acronyms: [SCIC], definition: d.}
  - {id: sc, term: société coopérative, definition: d.}
  - {id: ic, term: intérêt collectif, definition: d.}
  - {id: cda, term: coopérative d'activité, definition: d.}
  - {id: cress, term: chambre régionale de l'économie sociale et solidaire, acronyms: [CRESS], definition: d.}
  - {id: ptce, term: pôle territorial de coopération économique, acronyms: [PTCE], definition: d.}
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "l'économie sociale et solidaire", [("ess", "économie sociale et solidaire")], id="ess-beats-economie-sociale"
        ),
        pytest.param("l'économie sociale", [("es", "économie sociale")], id="shorter-alone"),
        pytest.param("l'économie sociale, solidaire", [("es", "économie sociale")], id="comma-breaks-longer"),
        pytest.param(
            "l'économie sociale et solidaires", [("es", "économie sociale")], id="longer-rejected-at-boundary-shorter-kept"
        ),
        pytest.param(
            "une société coopérative d'intérêt collectif",
            [("scic", "société coopérative d'intérêt collectif")],
            id="scic-beats-both-parts",
        ),
        pytest.param("une société coopérative d'intérêt général", [("sc", "société coopérative")], id="prefix-when-longer-fails"),
        pytest.param("un intérêt collectif", [("ic", "intérêt collectif")], id="suffix-alone"),
        pytest.param("une société coopérative d'activité", [("sc", "société coopérative")], id="leftmost-beats-longer-later"),
        pytest.param("une coopérative d'activité", [("cda", "coopérative d'activité")], id="later-term-alone"),
        pytest.param(
            "la chambre régionale de l'économie sociale et solidaire",
            [("cress", "chambre régionale de l'économie sociale et solidaire")],
            id="cress-one-match",
        ),
        pytest.param(
            "pôle territorial de coopération économique (PTCE)",
            [("ptce", "pôle territorial de coopération économique")],
            id="expansion-then-acronym-once",
        ),
        pytest.param(
            "pôles territoriaux de coopération économique (PTCE)",
            [("ptce", "pôles territoriaux de coopération économique")],
            id="plural-expansion-then-acronym-once",
        ),
        pytest.param(
            "pôle territorial de coopération économique ( PTCE )",
            [("ptce", "pôle territorial de coopération économique")],
            id="expansion-acronym-spaced-parentheses",
        ),
        pytest.param(
            "économie sociale et solidaire\u00a0(ESS)", [("ess", "économie sociale et solidaire")], id="expansion-nbsp-acronym"
        ),
        pytest.param(
            "pôle territorial de coopération économique (PTCE). Chaque PTCE coopère.",
            [("ptce", "pôle territorial de coopération économique"), ("ptce", "PTCE")],
            id="later-acronym-reported",
        ),
        pytest.param(
            "économie sociale et solidaire, ESS",
            [("ess", "économie sociale et solidaire"), ("ess", "ESS")],
            id="acronym-not-in-parentheses",
        ),
        pytest.param("économie sociale (ESS)", [("es", "économie sociale"), ("ess", "ESS")], id="acronym-of-another-entry-kept"),
        pytest.param(
            "société coopérative d'intérêt collectif (PTCE)",
            [("scic", "société coopérative d'intérêt collectif"), ("ptce", "PTCE")],
            id="mismatched-acronym-kept",
        ),
        pytest.param("l'économie sociale économie solidaire", [("es", "économie sociale")], id="adjacent-no-overlap"),
    ],
)
def test_leftmost_longest(text, expected):
    assert found(text, LONGEST) == expected


# --- 7. Occurrence policy ---------------------------------------------------------------------------------

OCCUR = """\
entries:
  - {id: ess, term: économie sociale et solidaire, acronyms: [ESS], definition: d.}
  - {id: scop, term: société coopérative et participative, acronyms: [SCOP, Scop], definition: d.}
"""
TEXT_SECTIONS = "Introduction\n\nL'ESS avance. L'ESS recrute.\n\nSeconde partie\n\nL'ESS innove.\n"
HTML_SECTIONS = "<h2>Un</h2><p>L'ESS et l'ESS !</p><h3>Deux</h3><p>L'ESS encore.</p>"


@pytest.mark.parametrize(
    ("text", "kind", "policy", "expected"),
    [
        pytest.param(
            "L'ESS, une SCOP, l'ESS, une Scop.", "text", "all", [ESS, ("scop", "SCOP"), ESS, ("scop", "Scop")], id="all"
        ),
        pytest.param("L'ESS, une SCOP, l'ESS, une Scop.", "text", "first", [ESS, ("scop", "SCOP")], id="first-per-entry"),
        pytest.param(
            "L'économie sociale et solidaire, puis l'ESS.",
            "text",
            "first",
            [("ess", "économie sociale et solidaire")],
            id="first-long-form-then-acronym",
        ),
        pytest.param(TEXT_SECTIONS, "text", "all", [ESS, ESS, ESS], id="text-all"),
        pytest.param(TEXT_SECTIONS, "text", "first", [ESS], id="text-first"),
        pytest.param(TEXT_SECTIONS, "text", "first-per-section", [ESS, ESS], id="text-first-per-section"),
        pytest.param(TEXT_SECTIONS.replace("\n", "\r\n"), "text", "first-per-section", [ESS, ESS], id="text-sections-crlf"),
        pytest.param(
            "# Un\n\nL'ESS. L'ESS.\n\n## Deux\n\nL'ESS.", "text", "first-per-section", [ESS, ESS], id="text-markdown-headings"
        ),
        pytest.param(
            "Un\n===\n\nL'ESS. L'ESS.\n\nDeux\n====\nL'ESS.",
            "text",
            "first-per-section",
            [ESS, ESS],
            id="text-underlined-headings",
        ),
        pytest.param(
            "L'ESS avance.\nSuite\nL'ESS recrute.",
            "text",
            "first-per-section",
            [ESS],
            id="text-line-without-blank-lines-no-section",
        ),
        pytest.param(
            "L'ESS avance.\n\nElle grandit.\n\nL'ESS recrute.",
            "text",
            "first-per-section",
            [ESS],
            id="text-sentence-paragraph-no-section",
        ),
        pytest.param(HTML_SECTIONS, "html", "all", [ESS, ESS, ESS], id="html-all"),
        pytest.param(HTML_SECTIONS, "html", "first", [ESS], id="html-first"),
        pytest.param(HTML_SECTIONS, "html", "first-per-section", [ESS, ESS], id="html-first-per-section"),
        pytest.param("<h2>L'ESS</h2><p>L'ESS ici, l'ESS là.</p>", "html", "first", [ESS], id="html-heading-skipped-not-counted"),
        pytest.param(
            "<p class=\"no-gloss\">L'ESS</p><p>L'ESS, l'ESS</p>", "html", "first", [ESS], id="html-skipped-occurrence-not-counted"
        ),
        pytest.param("<p>L'ESS !</p><p>L'ESS !</p><h1>Fin</h1>", "html", "first-per-section", [ESS], id="html-one-section"),
    ],
)
def test_occurrences(text, kind, policy, expected):
    assert found(text, OCCUR, kind=kind, occurrences=policy) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "La chambre régionale de l'économie sociale et solidaire, puis la chambre régionale de l'économie sociale et solidaire.",
            [("cress", "chambre régionale de l'économie sociale et solidaire")],
            id="repeat-still-holds-the-term-inside-it",
        ),
        pytest.param(
            "L'économie sociale et solidaire, puis l'économie sociale et solidaire, enfin l'économie sociale.",
            [("ess", "économie sociale et solidaire"), ("es", "économie sociale")],
            id="repeat-still-holds-a-shorter-term-at-its-start",
        ),
        pytest.param(
            "La chambre régionale de l'économie sociale et solidaire ; la chambre régionale des métiers et l'économie sociale et solidaire.",
            [("cress", "chambre régionale de l'économie sociale et solidaire"), ("ess", "économie sociale et solidaire")],
            id="inner-term-found-when-the-longer-one-is-not-there",
        ),
    ],
)
def test_a_term_already_annotated_still_wins_over_the_terms_it_contains(text, expected):
    # With the first-occurrence policy, a later occurrence of an annotated term is not annotated, yet
    # it is still the longest term there: the shorter terms inside it are not occurrences either.
    assert found(text, LONGEST, occurrences="first") == expected
    assert set(found(text, LONGEST)) == set(expected)  # every occurrence, each of an expected entry


# --- 8. HTML --------------------------------------------------------------------------------------------

HTML = """\
entries:
  - {id: ess, term: économie sociale et solidaire, acronyms: [ESS], definition: d.}
  - {id: es, term: économie sociale, definition: d.}
  - {id: ptce, term: pôle territorial de coopération économique, acronyms: [PTCE], definition: d.}
  - {id: coop, term: coopérative, definition: d.}
  - {id: tiers-lieu, term: tiers-lieu, definition: d.}
"""
COOP = [("coop", "coopérative")]
SKIPPED = (
    "a abbr dfn code pre kbd samp var script style textarea button label svg math template noscript iframe h1 h2 h3 h4 h5 h6"
)


@pytest.mark.parametrize("name", [pytest.param(name, id=f"skip-{name}") for name in SKIPPED.split()])
def test_html_skipped_elements(name):
    page = f"<p>Une <{name}>coopérative</{name}> et une coopérative.</p>"
    assert found(page, HTML, kind="html") == COOP


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        pytest.param("<p>L'ESS</p>", [ESS], id="text-content"),
        pytest.param('<p title="ESS">texte</p>', [], id="attribute-quoted"),
        pytest.param("<p title=ESS>texte</p>", [], id="attribute-unquoted"),
        pytest.param('<p title="a > ESS">texte</p>', [], id="attribute-with-greater-than"),
        pytest.param('<img alt="économie sociale" src="ess.png">', [], id="alt-attribute"),
        pytest.param("<p>x<!-- l'ESS --></p>", [], id="comment"),
        pytest.param(
            '<html><head><title>ESS</title><meta name="description" content="ESS"></head><body><p>ESS</p></body></html>',
            [ESS],
            id="head-title-meta",
        ),
        pytest.param("<select><option>une coopérative</option></select><p>une coopérative</p>", COOP, id="skip-select-option"),
        pytest.param("<label>Choisir <select><option>a</option></select> une coopérative</label>", [], id="label-around-select"),
        pytest.param("<P><CODE>coopérative</CODE> coopérative</P>", COOP, id="upper-case-tags"),
        pytest.param('<h2 id="t">ESS</h2><p>ESS</p>', [ESS], id="heading-with-attributes"),
        pytest.param(
            "<article><aside><header><address>une coopérative</address></header></aside></article>",
            COOP,
            id="names-starting-like-skipped-ones",
        ),
        pytest.param("<svg><svg></svg>une coopérative</svg>", [], id="nested-skipped-same-name"),
        pytest.param('<div data-gloss="off"><p>une coopérative</p></div><p>une coopérative</p>', COOP, id="data-gloss-off"),
        pytest.param(
            '<div data-gloss="off"><div>a</div><p>une coopérative</p></div><p>x</p>', [], id="data-gloss-off-nested-divs"
        ),
        pytest.param('<p class="intro no-gloss">une coopérative</p><p>une coopérative</p>', COOP, id="class-no-gloss"),
        pytest.param('<p class="no-gloss">une coopérative<p>une coopérative', COOP, id="no-gloss-p-closed-implicitly"),
        pytest.param('<ul><li class="no-gloss">coopérative<li>coopérative</ul>', COOP, id="no-gloss-li-closed-implicitly"),
        pytest.param('<p>Une <span class="no-gloss">coopérative</span> et une coopérative</p>', COOP, id="no-gloss-inline"),
        pytest.param('<p lang="en">the coopérative</p><p>une coopérative</p>', COOP, id="lang-en"),
        pytest.param('<DIV LANG="EN"><p>coopérative</p></DIV>', [], id="lang-en-upper-case"),
        pytest.param('<p lang="de">Genossenschaft coopérative</p>', [], id="lang-de"),
        pytest.param('<p lang="en-GB">coopérative</p>', [], id="lang-en-gb"),
        pytest.param('<p lang="fr-CA">une coopérative</p>', COOP, id="lang-fr-ca"),
        pytest.param('<p lang="fr">une coopérative</p>', COOP, id="lang-fr"),
        pytest.param('<html lang="en"><body><p>coopérative</p></body></html>', [], id="lang-en-whole-page"),
        pytest.param("<p>une coop&eacute;rative</p>", COOP, id="named-reference"),
        pytest.param("<p>une coop&#233;rative</p>", COOP, id="decimal-reference"),
        pytest.param("<p>une coop&#xE9;rative</p>", COOP, id="hex-reference"),
        pytest.param("<p>l&rsquo;ESS</p>", [ESS], id="apostrophe-reference-elision"),
        pytest.param("<p>&Eacute;CONOMIE SOCIALE</p>", [("es", "ÉCONOMIE SOCIALE")], id="capital-reference"),
        pytest.param("<p>économie&nbsp;sociale</p>", [("es", "économie sociale")], id="nbsp-reference"),
        pytest.param("<p>économie&#8239;sociale</p>", [("es", "économie sociale")], id="narrow-nbsp-reference"),
        pytest.param("<p>éco&shy;nomie sociale</p>", [("es", "économie sociale")], id="soft-hyphen-reference"),
        pytest.param("<p>un tiers&#8209;lieu</p>", [("tiers-lieu", "tiers\u2011lieu")], id="non-breaking-hyphen-reference"),
        pytest.param(
            "<p><em>pôle</em> territorial de coopération économique</p>",
            [("ptce", "pôle territorial de coopération économique")],
            id="split-by-em",
        ),
        pytest.param("<p>économie <b>sociale</b> et solidaire</p>", [("ess", "économie sociale et solidaire")], id="split-by-b"),
        pytest.param(
            "<p>économie <span> sociale</span> <i>et</i> <strong>solidaire</strong></p>",
            [("ess", "économie sociale et solidaire")],
            id="split-by-several-inline",
        ),
        pytest.param("<p>éco<wbr>nomie sociale</p>", [("es", "économie sociale")], id="wbr-inside-word"),
        pytest.param("<p>économie\n   sociale</p>", [("es", "économie sociale")], id="source-line-break"),
        pytest.param("<p>économie</p><p>sociale</p>", [], id="split-by-paragraphs"),
        pytest.param("<p>économie</p>\n<p>sociale</p>", [], id="split-by-paragraphs-with-newline"),
        pytest.param("<p>économie<br>sociale</p>", [], id="split-by-br"),
        pytest.param("<p>économie <br> sociale</p>", [], id="split-by-spaced-br"),
        pytest.param("<table><tr><td>économie</td> <td>sociale</td></tr></table>", [], id="split-by-cells"),
        pytest.param("<ul><li>économie</li> <li>sociale</li></ul>", [], id="split-by-list-items"),
        pytest.param(
            "<p>économie sociale</p> <p>et solidaire</p>", [("es", "économie sociale")], id="block-split-shorter-term-kept"
        ),
        pytest.param("<table><tr><td>ESS</td><td>ESS</td></tr></table>", [ESS, ESS], id="cells-are-boundaries"),
        pytest.param("<table><tr><td>ESS</td><td>2024</td></tr></table>", [ESS], id="cell-then-digits"),
        pytest.param("<p><b>ESS</b>OR</p>", [], id="inline-tag-inside-word"),
        pytest.param('<p>économie <a href="#">sociale</a> et solidaire</p>', [], id="term-partly-in-link"),
        pytest.param('<p><a href="#">ESS</a> et l\'ESS</p>', [ESS], id="after-closed-link"),
        pytest.param('<p>Voir <a href="#">le site</p><p>de l\'ESS.</p>', [], id="unclosed-a-swallows-rest"),
        pytest.param("<p>a &lt; b, l'ESS</p>", [ESS], id="escaped-less-than"),
        pytest.param("<p>Vive l'ESS.</p><p>Bonjour.</p>", [ESS], id="term-full-stop-end-of-paragraph"),
        pytest.param("<p>Une coopérative.</p><h2>Suite</h2>", COOP, id="term-full-stop-before-heading"),
        pytest.param("<li>ESS.</li><li>SCIC</li>", [ESS], id="term-full-stop-end-of-list-item"),
        pytest.param("<p>Merci.</p><p>ESS et territoires</p>", [ESS], id="term-starting-paragraph-after-full-stop"),
        pytest.param("<p>Vive l'ESS.<br>Suite</p>", [ESS], id="term-full-stop-before-br"),
        pytest.param("<p>a < b, l'ESS</p>", [ESS], id="bare-less-than"),
    ],
)
def test_html(page, expected):
    assert found(page, HTML, kind="html") == expected


# --- The bundled glossary on realistic sentences ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "La chambre régionale de l'économie sociale et solidaire (CRESS) accompagne les SCOP et les SCIC.",
            [("cress", "chambre régionale de l'économie sociale et solidaire"), ("scop", "SCOP"), ("scic", "SCIC")],
            id="cress-scop-scic",
        ),
        pytest.param(
            "Les pôles territoriaux de coopération économique (PTCE) fédèrent des tiers-lieux et des chantiers d'insertion.",
            [
                ("ptce", "pôles territoriaux de coopération économique"),
                ("tiers-lieu", "tiers-lieux"),
                ("aci", "chantiers d'insertion"),
            ],
            id="ptce-tiers-lieux-chantiers",
        ),
        pytest.param(
            "Une société coopérative d'intérêt collectif (SCIC) produit des biens d'intérêt collectif.",
            [("scic", "société coopérative d'intérêt collectif"), ("interet-collectif", "intérêt collectif")],
            id="scic-and-interet-collectif",
        ),
        pytest.param(
            "L’ESS regroupe associations, coopératives, mutuelles et fondations.",
            [
                ("ess", "ESS"),
                ("association", "associations"),
                ("cooperative", "coopératives"),
                ("mutuelle", "mutuelles"),
                ("fondation", "fondations"),
            ],
            id="families-plural",
        ),
        pytest.param(
            "Elle a obtenu l'agrément ESUS en 2020.", [("agrement-esus", "agrément ESUS")], id="agrement-esus-beats-esus"
        ),
        pytest.param("Une SCOP d'amorçage démarre.", [("scop-amorcage", "SCOP d'amorçage")], id="scop-amorcage-beats-scop"),
        pytest.param("Le site lelabo-ess.org suit l'essor de l'ESS.", [("ess", "ESS")], id="url-and-essor-ignored"),
    ],
)
def test_bundled_glossary(text, expected):
    assert found(text) == expected


@settings(max_examples=300, deadline=None)
@given(
    haystack=st.binary(max_size=400).map(lambda b: bytes(b"abc "[x % 4] for x in b)),
    window=st.integers(1, 40),
)
def test_a_long_text_is_searched_in_windows_with_the_same_matches(haystack, window):
    """Long texts are searched one window at a time (bounded memory); no match is lost or repeated."""
    from ptce_gloss.match.matcher import _Reversed

    automaton = _Reversed.of([b"ab", b"abc", b"b", b"cab", b"abcab"])
    whole = automaton.find_matches_as_indexes(haystack)
    automaton.WINDOW = window  # the instance's window: 1 to 40 bytes instead of 1 MiB
    assert list(automaton.iter_matches(haystack)) == whole


def test_a_long_word_of_repeated_terms_is_searched_in_bounded_memory(monkeypatch):
    """A single long word made of a term repeated (a 10 MB one has a million raw matches, all dropped by the
    word-boundary check) costs memory near that of a same-size word with no term, not one object per raw
    match: measured in the same test (1 MB word, 64 KiB windows), with a wide margin."""
    import tracemalloc

    from ptce_gloss import parse_glossary
    from ptce_gloss.annotate import Annotator
    from ptce_gloss.html.document import Document
    from ptce_gloss.match.matcher import _Reversed

    monkeypatch.setattr(_Reversed, "WINDOW", 1 << 16)
    annotator = Annotator(parse_glossary("entries:\n  - term: glossaire\n    definition: Liste.\n"))

    def peak(text: str) -> int:
        tracemalloc.start()
        annotator.annotate(Document.from_text(text, "html"))
        _, high = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return high

    repeated, plain = (f"<p>{word * 110_000}</p>" for word in ("glossaire", "motsimple"))
    assert peak(repeated) < 4 * peak(plain), "the search holds every raw match at once"


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("</p>&SCOPx une SCOP", ["SCOP"]),  # « &SCOPx » is no reference: its letters are read as they stand
        ("</p>&SCOPSCOP", []),
        ("<p>R&amp;D</p>&SCOP", ["SCOP"]),  # after the '&', and without it
        ("<b>x</b>&ESS&eacute; l&rsquo;ESS", ["ESS"]),
    ],
)
def test_an_ampersand_that_starts_no_reference_is_a_letter_of_the_text(page, expected):
    assert spans(page, kind="html") == expected
