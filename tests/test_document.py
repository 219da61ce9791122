"""Decoding inputs: byte-order marks, declared charsets, detection, and what is refused."""

from __future__ import annotations

import codecs
import re

import pytest

from ptce_gloss.errors import InputError
from ptce_gloss.html.document import Document, declared_charset, decode, encode, whatwg_name

from .conftest import corpus

FRENCH = "Le cœur de l’été : « Noël » coûte 5 € – Œuvre naïve… À bientôt, Ça va ?"


@pytest.mark.parametrize(
    "data, expected",
    [
        pytest.param(codecs.BOM_UTF8 + "<p>é</p>".encode(), "utf-8", id="utf-8-bom"),
        pytest.param(
            codecs.BOM_UTF16_LE + '<meta charset="utf-8"><p>é</p>'.encode("utf-16-le"), "utf-16-le", id="bom-beats-meta"
        ),
        pytest.param(codecs.BOM_UTF16_BE + "<p>é</p>".encode("utf-16-be"), "utf-16-be", id="utf-16-be-bom"),
        pytest.param('<meta charset="ISO-8859-1"><p>’</p>'.encode("cp1252"), "windows-1252", id="latin-1-label-means-cp1252"),
        pytest.param(
            '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-15"><p>€</p>'.encode("iso8859-15"),
            "iso-8859-15",
            id="http-equiv",
        ),
        pytest.param('<meta charset="bogus-label"><p>cœur</p>'.encode(), "utf-8", id="bogus-label-utf8-bytes"),
        pytest.param('<meta charset="utf-7"><p>é</p>'.encode("cp1252"), "windows-1252", id="utf-7-never"),
        pytest.param('<!-- <meta charset="koi8-r"> --><p>é</p>'.encode("cp1252"), "windows-1252", id="meta-in-comment-ignored"),
        pytest.param(FRENCH.encode("cp1252"), "windows-1252", id="undeclared-legacy-detected"),
        pytest.param(FRENCH.encode(), "utf-8", id="undeclared-utf8"),
    ],
)
def test_encoding_is_chosen_like_a_browser_then_detected(data, expected):
    assert decode(data, "x").encoding == expected


def test_text_and_bom_round_trip_to_the_same_bytes():
    for data in (codecs.BOM_UTF8 + FRENCH.encode(), FRENCH.encode("cp1252"), codecs.BOM_UTF16_LE + FRENCH.encode("utf-16-le")):
        document = decode(data, "x.txt")
        assert FRENCH in document.text
        assert encode(document) == data


def test_invalid_bytes_are_kept_and_written_back_unchanged():
    data = '<meta charset="utf-8"><p>économie \xff sociale</p>'.encode("latin-1").replace(b"\xc3\xa9", "é".encode())
    data = "<meta charset=utf-8><p>économie sociale</p>".encode() + b"\xff" + b" " * 200
    document = decode(data, "x.html")
    assert document.encoding == "utf-8" and encode(document) == data


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\0\0",
        b"%PDF-1.4\n",
        b"\x1f\x8b\x08\0",
        "<p>Une coopérative d’habitants.</p>".encode("utf-16-le"),
        bytes(range(256)) * 8,
    ],
    ids=["png", "pdf", "gzip", "utf-16-without-bom", "nul-bytes"],
)
def test_binary_input_is_refused_naming_the_file(data):
    with pytest.raises(InputError, match=r"^page\.html: binary data, not a text or HTML document; skipped$"):
        decode(data, "page.html")


@pytest.mark.parametrize("data", [b"<p>glossaire\0d\xc3\xa9compression</p>\0", b"\0", b"<p>\0\x01\x02 ESS</p>"])
def test_a_few_stray_control_bytes_are_text_kept_as_they_are(data):
    document = decode(data, "page.html")
    assert document.text == data.decode("utf-8") and encode(document) == data


def test_unknown_encoding_override_is_refused():
    with pytest.raises(InputError, match="unknown encoding 'klingon'"):
        decode(b"x", "x.txt", encoding="klingon")


def test_characters_the_encoding_lacks_become_references_in_html():
    document = decode(b'<meta charset="windows-1252"><p>a</p>', "x.html")
    assert encode(document, document.text + "’ ✓") == document.text.encode() + b"\x92 &#10003;"


def test_kind_is_taken_from_the_name_then_the_content():
    assert decode(b"<p>x</p>", "a.txt").kind == "text"
    assert decode(b"plain", "a.html").kind == "html"
    assert decode(b"<!DOCTYPE html><p>x", "-").kind == "html"
    assert decode(b"Une SCOP < 50 salaries", "-").kind == "text"
    assert Document.from_text("<div>x</div>").kind == "html"


def test_whatwg_names():
    assert [whatwg_name(c) for c in ("cp1252", "iso8859_15", "utf_8", "mac_roman")] == [
        "windows-1252",
        "iso-8859-15",
        "utf-8",
        "macintosh",
    ]


def html5lib_encoding_cases():
    folder = corpus("html5lib-tests-encoding")
    for path in sorted(folder.glob("*.dat")):
        blocks = re.split(rb"\n(?=#data\n)", path.read_bytes())
        for number, block in enumerate(blocks, 1):
            if b"#encoding\n" not in block:
                continue
            data, expected = block.split(b"#encoding\n", 1)
            yield pytest.param(
                data.removeprefix(b"#data\n").rstrip(b"\n"), expected.split(b"\n")[0].decode().strip(), id=f"{path.name}:{number}"
            )


def test_html5lib_prescan_finds_the_declared_encoding():
    cases = list(html5lib_encoding_cases())
    assert len(cases) >= 80
    wrong = []
    for case in cases:
        data, expected = case.values
        codec = declared_charset(data)
        got = whatwg_name(codec) if codec else "windows-1252"
        if got.lower() != expected.lower():
            wrong.append((case.id, expected, got))
    assert not wrong
