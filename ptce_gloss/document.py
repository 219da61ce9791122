"""Bytes to documents: where an input's text comes from, decoded in one place.

The order is the one browsers follow, with one fix for legacy archives: a byte-order
mark; then the declared charset (``<meta charset>``, ``http-equiv``) of an HTML page,
where ISO-8859-1 and ASCII labels mean windows-1252 as in the WHATWG Encoding
standard; then strict UTF-8; then detection among Western encodings; then
windows-1252.  Bytes that the chosen encoding cannot decode are kept as they are
(``surrogateescape``) so that writing the text back gives the original bytes; input
whose UTF-8 is broken beyond a few bytes is refused rather than shown as mojibake.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import Literal

from .errors import InputError

Kind = Literal["html", "text"]
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml", ".asp", ".aspx", ".php", ".jsp")
TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
MAX_BROKEN_UTF8 = 0.01
"""Share of undecodable bytes above which declared or detected UTF-8 is an error."""

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# WHATWG names for the labels old pages use; other labels go through Python's codec registry.
_LABELS = {
    **dict.fromkeys(("utf-8", "utf8", "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "x-unicode20utf8"), "utf-8"),
    **dict.fromkeys(
        (
            "iso-8859-1",
            "iso8859-1",
            "iso_8859-1",
            "iso88591",
            "latin1",
            "l1",
            "ascii",
            "us-ascii",
            "ansi_x3.4-1968",
            "cp819",
            "ibm819",
            "iso-ir-100",
            "csisolatin1",
            "iso_8859-1:1987",
            "windows-1252",
            "cp1252",
            "x-cp1252",
        ),
        "windows-1252",
    ),
    # A page cannot declare UTF-16 in its own bytes: browsers read that label as UTF-8.
    **dict.fromkeys(("utf-16", "utf-16le", "utf-16be", "unicodefffe", "csunicode", "iso-10646-ucs-2"), "utf-8"),
}
_ALLOWED_CODECS = {
    "iso8859-2",
    "iso8859-3",
    "iso8859-4",
    "iso8859-5",
    "iso8859-6",
    "iso8859-7",
    "iso8859-8",
    "iso8859-10",
    "iso8859-13",
    "iso8859-14",
    "iso8859-15",
    "iso8859-16",
    "cp1250",
    "cp1251",
    "cp1253",
    "cp1254",
    "cp1255",
    "cp1256",
    "cp1257",
    "cp1258",
    "cp874",
    "cp866",
    "koi8-r",
    "koi8-u",
    "mac-roman",
    "shift_jis",
    "euc_jp",
    "iso2022_jp",
    "gbk",
    "gb18030",
    "big5",
    "euc_kr",
}
_WHATWG_NAMES = {"cp1252": "windows-1252", "mac-roman": "macintosh", "koi8-r": "koi8-r"}
_META = re.compile(rb"""<meta(?=[\s/])[^>]*?\bcharset\s*=\s*["']?\s*([-\w.:]+)""", re.IGNORECASE)
_COMMENT = re.compile(rb"<!--.*?(?:-->|$)", re.DOTALL)
_SURROGATES = re.compile("[\udc80-\udcff]")
_HTML_SNIFF = re.compile(
    r"<(?:!doctype|html|head|body|meta|title|p|div|span|br|a|table|ul|ol|li|h[1-6]|article|section|em|strong|b|i)"
    r"(?=[\s/>])|</(?:p|div|span|a|td|li|html|body|h[1-6]|b|i|em|strong)>",
    re.IGNORECASE,
)
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\x1f\x8b", b"PK\x03\x04", b"\x7fELF", b"\xff\xd8\xff")


@dataclass(frozen=True, slots=True)
class Document:
    """A decoded input: its text, what kind of document it is, and how to write it back."""

    text: str
    """The decoded text; undecodable bytes are kept as lone surrogates (``surrogateescape``)."""
    kind: Kind
    """``html`` or ``text``."""
    encoding: str
    """The WHATWG name of the encoding (``utf-8``, ``windows-1252``…)."""
    name: str = "<string>"
    """The file name, or ``-`` for standard input."""
    bom: bytes = b""
    """The byte-order mark the input started with, written back in front of the output."""

    @classmethod
    def from_text(cls, text: str, kind: Kind | None = None, name: str = "<string>") -> Document:
        """Wrap text that is already decoded (kind detected from content when not given)."""
        if not isinstance(text, str):
            raise TypeError(f"text must be str, not {type(text).__name__}")
        return cls(text, kind or sniff_kind(text), "utf-8", name)


def codec_for_label(label: str) -> str | None:
    """Return the Python codec for an encoding label, or None when browsers would ignore it."""
    label = label.strip().lower()
    if label in _LABELS:
        return _LABELS[label]
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return name if name in _ALLOWED_CODECS else None


def whatwg_name(codec: str) -> str:
    """Return the name browsers give a Python codec (``cp1252`` -> ``windows-1252``)."""
    name = codecs.lookup(codec).name
    if name.startswith("iso8859-"):
        return "iso-8859-" + name.split("-", 1)[1]
    if name.startswith("cp125"):
        return "windows-" + name[2:]
    return _WHATWG_NAMES.get(name, name.replace("_", "-"))


def declared_charset(data: bytes) -> str | None:
    """Return the codec declared by ``<meta>`` in the first 1024 bytes of an HTML page, if valid."""
    head = _COMMENT.sub(b"", data[:1024])
    for match in _META.finditer(head):
        codec = codec_for_label(match.group(1).decode("ascii", "replace"))
        if codec:
            return codec
    return None


def sniff_kind(text: str) -> Kind:
    """Tell HTML from plain text by looking for tags at the start of the content."""
    return "html" if _HTML_SNIFF.search(text[:4096]) else "text"


def kind_from_name(name: str) -> Kind | None:
    """Return the kind a file name implies, or None (stdin, unknown suffixes)."""
    lower = name.lower()
    if lower.endswith(HTML_SUFFIXES):
        return "html"
    if lower.endswith(TEXT_SUFFIXES):
        return "text"
    return None


def _detect(data: bytes) -> str:
    """Guess the encoding of bytes that are not UTF-8, among those French texts use."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a declared dependency
        return "cp1252"
    best = from_bytes(data[:65536], cp_isolation=["cp1252", "iso8859_15", "mac_roman", "cp850", "utf_16"]).best()
    if best is None:
        return "cp1252"
    codec = codecs.lookup(best.encoding).name
    return "cp1252" if codec in ("latin-1", "iso8859-1", "ascii") else codec


def _decode(data: bytes, codec: str, name: str, reason: str) -> str:
    text = data.decode(codec, "surrogateescape")
    if codecs.lookup(codec).name == "utf-8" and max(text, default="\0") >= "\udc80":
        broken = len(_SURROGATES.findall(text))
        if broken > MAX_BROKEN_UTF8 * max(len(data), 100):
            raise InputError(
                f"{name}: {broken:,} bytes are not valid UTF-8 although the file {reason}; "
                "pass --encoding=windows-1252 if the file is a legacy page"
            )
    return text


def decode(data: bytes, name: str = "<bytes>", kind: Kind | None = None, encoding: str | None = None) -> Document:
    """Decode the bytes of an input into a :class:`Document`.

    Args:
        data: the raw bytes.
        name: how errors name the input.
        kind: ``html`` or ``text``; detected from the name, then the content, when None.
        encoding: an encoding label that overrides detection (``--encoding``).

    Raises:
        InputError: binary data, an unknown ``encoding`` label, or broken UTF-8.
    """
    if not isinstance(data, bytes):
        raise TypeError(f"data must be bytes, not {type(data).__name__}")
    kind = kind or kind_from_name(name)
    bom, codec, reason = b"", None, "is declared so"
    for mark, bom_codec in _BOMS:
        if data.startswith(mark):
            bom, codec, reason = mark, bom_codec, "starts with a UTF byte-order mark"
            break
    body = data[len(bom) :]
    if encoding is not None:
        codec = codec_for_label(encoding) or (encoding if _known(encoding) else None)
        if codec is None:
            raise InputError(f"{name}: unknown encoding {encoding!r}; use a label such as utf-8 or windows-1252")
        reason = f"was read as {encoding}"
    if (codec is None or not codec.startswith("utf-16")) and (b"\0" in body[:8192] or body.startswith(_BINARY_MAGIC)):
        raise InputError(f"{name}: binary data, not a text or HTML document; skipped")
    if codec is None and kind != "text":
        codec = declared_charset(body)
    if codec is None:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            codec, reason = _detect(body), "was detected so"
        else:
            return Document(text, kind or sniff_kind(text), "utf-8", name, bom)
    text = _decode(body, codec, name, reason)
    return Document(text, kind or sniff_kind(text), whatwg_name(codec), name, bom)


def _known(label: str) -> bool:
    try:
        codecs.lookup(label)
    except LookupError:
        return False
    return True


def encode(document: Document, text: str | None = None) -> bytes:
    """Encode ``text`` (the document's own by default) back to the document's encoding and BOM.

    Characters the encoding cannot hold are written as numeric character references in
    HTML (``&#8217;``); bytes kept from decoding are restored exactly.
    """
    text = document.text if text is None else text
    codec = {"utf-16-le": "utf-16-le", "utf-16-be": "utf-16-be"}.get(document.encoding, document.encoding)
    return document.bom + text.encode(codec, "gloss-html" if document.kind == "html" else "surrogateescape")


def _gloss_html_errors(error: UnicodeError) -> tuple[str | bytes, int]:
    """Restore escaped bytes, and write other unencodable characters as character references."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    chunk = error.object[error.start : error.end]
    if all("\udc80" <= c <= "\udcff" for c in chunk):
        return bytes(ord(c) - 0xDC00 for c in chunk), error.end
    return "".join(f"&#{ord(c)};" for c in chunk), error.end


codecs.register_error("gloss-html", _gloss_html_errors)
