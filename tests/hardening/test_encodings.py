"""Family 7 — encodings: detected as browsers do, French characters intact, bytes round-trip."""

from __future__ import annotations

import unicodedata

import pytest

from ptce_gloss.annotate import Annotator
from ptce_gloss.errors import InputError
from ptce_gloss.glossary import load_glossary
from ptce_gloss.html.document import decode, encode
from ptce_gloss.markup import strip_gloss

from ..conftest import CORPORA, corpus
from ..test_document import html5lib_encoding_cases

SAMPLE = "Le cœur de l’été\xa0: «\xa0Noël\xa0» coûte 5\xa0€ – Œuvre naïve… À bientôt, Ça va\xa0?"
WHOLE_SAMPLE = [  # files whose text must read exactly as the sample (NFC)
    "bogus-charset-label.html",  # UTF-8 bytes under an unknown label: UTF-8
    "iso-8859-1-label-with-cp1252-bytes.html",  # the label means windows-1252
    "meta-charset-after-1024-bytes.html",
    "utf-16be-bom.html", "utf-16le-bom.html", "utf-16le-bom.txt", "utf-8-bom.html", "utf-8-nfd-accents.html",
    "windows-1252-http-equiv.html", "windows-1252-meta-charset.html",
    "windows-1252-no-declaration.html", "windows-1252-no-declaration.txt",
]  # fmt: skip
ENCODINGS = CORPORA / "hostile" / "encodings"
ALL = sorted(p.name for p in ENCODINGS.iterdir()) if ENCODINGS.is_dir() else []
ANNOTATOR = Annotator(
    load_glossary("entries:\n  - term: cœur\n    definition: Centre.\n  - term: été\n    definition: Saison chaude.\n")
)


@pytest.mark.parametrize(
    "data, expected", list(html5lib_encoding_cases()) if (CORPORA / "html5lib-tests-encoding").is_dir() else []
)
def test_html5lib_encoding_cases_end_to_end(data, expected):
    assert decode(data, "page.html").encoding.lower() == expected.lower()


@pytest.mark.parametrize("name", WHOLE_SAMPLE)
def test_french_characters_are_read_intact(name):
    document = decode(corpus("hostile", "encodings", name).read_bytes(), name)
    assert SAMPLE in unicodedata.normalize("NFC", document.text)


@pytest.mark.parametrize("name", ALL or ["(corpus missing)"])
def test_every_encoding_round_trips_after_annotation(name):
    data = corpus("hostile", "encodings", name).read_bytes()
    try:
        document = decode(data, name)
    except InputError as refused:  # the documented refusals, one line naming the file
        assert name in ("invalid-utf-8.html", "utf-16le-no-bom.html") and str(refused).startswith(f"{name}: ")
        return
    annotated, matches = ANNOTATOR.annotate_document(document)
    if document.kind == "html":
        assert encode(document, strip_gloss(annotated)) == data  # nothing else changed, byte for byte
        if "été" in unicodedata.normalize("NFC", document.text.split("<body>")[-1]):
            assert matches, "été is in the text and must be found"
    else:
        assert {"cœur", "été"} & {m.entry.term for m in matches} or "été" not in document.text


def test_utf8_bytes_under_a_windows_1252_label_read_as_browsers_do():
    data = corpus("hostile", "encodings", "utf-8-bytes-declared-windows-1252.html").read_bytes()
    document = decode(data, "page.html")
    assert document.encoding == "windows-1252" and "cÅ“ur" in document.text  # what a browser shows
    assert encode(document, strip_gloss(ANNOTATOR.annotate_document(document)[0])) == data


def test_utf7_is_never_decoded():
    document = decode(corpus("hostile", "encodings", "utf-7-declared.html").read_bytes(), "page.html")
    assert "+ADw-script+AD4-" in document.text


def test_an_undeclared_ascii_page_is_written_in_ascii():
    """Such a page reads the same whatever charset a server or browser assumes: so must its output."""
    assert decode(b"<!DOCTYPE html><p>Un ete.</p>", "page.html").encoding == "windows-1252"  # the standard's fallback
    page = ANNOTATOR.annotate_bytes(b"<!DOCTYPE html><p>Un ete au coeur.</p>", "page.html")
    assert page.count(b'class="gloss-term"') == 2 and page.isascii() and b"c&#339;ur" in page
