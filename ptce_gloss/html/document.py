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

from ..errors import InputError
from ..lazy import regex

Kind = Literal["html", "text", "markdown"]
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml", ".asp", ".aspx", ".php", ".jsp")
TEXT_SUFFIXES = (".txt", ".text")
MARKDOWN_SUFFIXES = (".md", ".markdown")
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
_LABEL = regex(r"[a-z0-9][a-z0-9._:-]*")
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
_SURROGATES = regex("[\udc80-\udcff]")
_HTML_SNIFF = regex(
    r"<(?:!doctype|html|head|body|meta|title|p|div|span|br|a|table|ul|ol|li|h[1-6]|article|section|em|strong|b|i)"
    r"(?=[\s/>])|</(?:p|div|span|a|td|li|html|body|h[1-6]|b|i|em|strong)>",
    re.IGNORECASE,
)
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\x1f\x8b", b"PK\x03\x04", b"\x7fELF", b"\xff\xd8\xff")


def is_binary(data: bytes) -> bool:
    """Whether bytes are binary data rather than a text or HTML document.

    They are when they start with the signature of a common binary format, or when NUL bytes are at
    least 8 and more than one in 512 of the first 8 KB (binary formats pad with zeros; even random
    bytes hold one in 256) — so UTF-16 without a byte-order mark is binary, but a page with a few
    stray NULs or other control characters is text (an HTML5 parser reads NUL as U+FFFD; gloss
    keeps every byte as it is).
    """
    if data.startswith(_BINARY_MAGIC):
        return True
    sample = data[:8192]
    nuls = sample.count(0)
    return nuls >= 8 and nuls * 512 > len(sample)


@dataclass(frozen=True, slots=True)
class Document:
    """A decoded input: its text, what kind of document it is, and how to write it back."""

    text: str
    """The decoded text; undecodable bytes are kept as lone surrogates (``surrogateescape``)."""
    kind: Kind
    """``html``, ``text`` or ``markdown``."""
    encoding: str
    """The WHATWG name of the encoding (``utf-8``, ``windows-1252``…)."""
    name: str = "<string>"
    """The file name, or ``-`` for standard input."""
    bom: bytes = b""
    """The byte-order mark the input started with, written back in front of the output."""
    ascii_only: bool = False
    """An HTML input of nothing but ASCII that declares no encoding: what it is read as depends on
    the server and the browser, so it is written back in ASCII, anything else as character references."""
    url: str | None = None
    """The address the page is published at, when known (a WARC record's target): under a ``<base href>``
    that points elsewhere, term links are made absolute from it."""
    policies: tuple[str, ...] = ()
    """The ``Content-Security-Policy`` headers the page was served with, when known (a WARC record's)."""

    @classmethod
    def from_text(cls, text: str, kind: Kind | None = None, name: str = "<string>") -> Document:
        """Wrap text that is already decoded (kind detected from content when not given)."""
        if not isinstance(text, str):
            raise TypeError(f"text must be str, not {type(text).__name__}")
        return cls(text, kind or sniff_kind(text), "utf-8", name)


def codec_for_label(label: str) -> str | None:
    """Return the Python codec for an encoding label, or None when browsers would ignore it."""
    label = label.strip("\t\n\x0c\r ").lower()
    if not _LABEL.fullmatch(label):
        return None
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
    """Return the codec an HTML page declares: by a byte-order mark, or by ``<meta>``.

    The ``<meta>`` is looked for as browsers do: first by the prescan of the first 1024
    bytes, then further on, where a browser that meets it while parsing starts again
    with the declared encoding.
    """
    for mark, codec in _BOMS:
        if data.startswith(mark):
            return codec
    found = prescan(data[:1024])
    if found is None:
        for meta in _LATE_META.finditer(data, 1024 - 6):
            comment = data.rfind(b"<!--", 0, meta.start())
            if comment >= 0 and data.rfind(b"-->", comment, meta.start()) < 0:
                continue  # inside a comment
            found, _ = _meta(data, meta.end() - 1)
            if found:
                break
    return found


_LATE_META = regex(rb"<[mM][eE][tT][aA][\t\n\x0c\r /]")


def prescan(head: bytes) -> str | None:
    """Return the codec that ``<meta>`` declares in ``head`` (the first 1024 bytes of a page), if valid.

    This is the prescan of the HTML standard ("prescan a byte stream to determine its
    encoding"): comments and other tags are stepped over, attributes are read as the
    tokenizer reads them, and ``http-equiv=content-type`` must accompany ``content``.
    """
    position = 0
    while position < len(head):
        if head.startswith(b"<!--", position):
            end = head.find(b"-->", position + 2)
            position = len(head) if end < 0 else end + 3
        elif head[position : position + 5].lower() == b"<meta" and head[position + 5 : position + 6] in _SPACE_OR_SLASH:
            codec, position = _meta(head, position + 5)
            if codec:
                return codec
        elif head[position : position + 1] == b"<" and (
            head[position + 1 : position + 2].isalpha()
            or (head[position + 1 : position + 2] == b"/" and head[position + 2 : position + 3].isalpha())
        ):
            position += 2
            while position < len(head) and head[position : position + 1] not in _SPACE_OR_GT:
                position += 1
            while (attribute := _attribute(head, position)) is not None:
                position = attribute[2]
            position += 1
        elif head.startswith((b"<!", b"</", b"<?"), position):
            end = head.find(b">", position)
            position = len(head) if end < 0 else end + 1
        else:
            following = head.find(b"<", position + 1)
            position = len(head) if following < 0 else following
    return None


_SPACE = (b"\t", b"\n", b"\x0c", b"\r", b" ")
_SPACE_OR_SLASH = (*_SPACE, b"/")
_SPACE_OR_GT = (*_SPACE, b">")


def _meta(head: bytes, position: int) -> tuple[str | None, int]:
    """Read the attributes of a <meta> tag; return the codec it declares and where the tag ends."""
    seen: set[bytes] = set()
    got_pragma, need_pragma, codec = False, None, None
    while (attribute := _attribute(head, position)) is not None:
        name, value, position = attribute
        if name in seen:
            continue
        seen.add(name)
        if name == b"http-equiv":
            got_pragma = got_pragma or value.lower() == b"content-type"
        elif name == b"content" and codec is None:
            label = _charset_in_content(value)
            if label is not None:
                codec, need_pragma = codec_for_label(label.decode("ascii", "replace")), True
        elif name == b"charset":
            codec, need_pragma = codec_for_label(value.decode("ascii", "replace")), False
    if need_pragma is None or (need_pragma and not got_pragma) or codec is None or position >= len(head):
        return None, position + 1  # no declaration, or a tag cut off before its '>'
    return codec, position + 1


def _attribute(head: bytes, position: int) -> tuple[bytes, bytes, int] | None:
    """Read one attribute as the prescan does; None at the end of the tag."""
    size = len(head)
    while position < size and head[position : position + 1] in _SPACE_OR_SLASH:
        position += 1
    if position >= size or head[position : position + 1] == b">":
        return None
    name = bytearray()
    while position < size:
        byte = head[position : position + 1]
        if byte == b"=" and name:
            break
        if byte in _SPACE:
            break
        if byte in (b"/", b">"):
            return bytes(name).lower(), b"", position
        name += byte
        position += 1
    while position < size and head[position : position + 1] in _SPACE:
        position += 1
    if head[position : position + 1] != b"=":
        return bytes(name).lower(), b"", position
    position += 1
    while position < size and head[position : position + 1] in _SPACE:
        position += 1
    quote = head[position : position + 1]
    if quote in (b'"', b"'"):
        end = head.find(quote, position + 1)
        if end < 0:
            return bytes(name).lower(), head[position + 1 :], size
        return bytes(name).lower(), head[position + 1 : end], end + 1
    if quote == b">":
        return bytes(name).lower(), b"", position
    start = position
    while position < size and head[position : position + 1] not in _SPACE_OR_GT:
        position += 1
    return bytes(name).lower(), head[start:position], position


def _charset_in_content(value: bytes) -> bytes | None:
    """Extract the label from a ``content="text/html; charset=…"`` value, as the HTML standard does."""
    position = 0
    while True:
        found = value.lower().find(b"charset", position)
        if found < 0:
            return None
        position = found + 7
        while value[position : position + 1] in _SPACE:
            position += 1
        if value[position : position + 1] == b"=":
            break
    position += 1
    while value[position : position + 1] in _SPACE:
        position += 1
    quote = value[position : position + 1]
    if quote in (b'"', b"'"):
        end = value.find(quote, position + 1)
        return value[position + 1 : end] if end >= 0 else None
    end = position
    while end < len(value) and value[end : end + 1] not in (*_SPACE, b";"):
        end += 1
    return value[position:end] or None


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
    if lower.endswith(MARKDOWN_SUFFIXES):
        return "markdown"
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
    if codecs.lookup(codec).name != "utf-8":
        return data.decode(codec, "surrogateescape")
    try:
        return data.decode(codec)  # valid UTF-8, most pages: the same text, without a look at each character
    except UnicodeDecodeError:
        text = data.decode(codec, "surrogateescape")
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
        kind: ``html``, ``text`` or ``markdown``; detected from the name, then the content, when None.
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
    if (codec is None or not codec.startswith("utf-16")) and is_binary(body):
        raise InputError(f"{name}: binary data, not a text or HTML document; skipped")
    if codec is None and kind not in ("text", "markdown"):
        codec = declared_charset(body)
        reason = "declares UTF-8 in a <meta>"
    if codec is None:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            codec, reason = _detect(body), "was detected so"
        else:
            kind = kind or sniff_kind(text)
            if kind == "html" and body.isascii():  # the standard's fallback; written back in ASCII
                return Document(text, kind, "windows-1252", name, bom, ascii_only=True)
            return Document(text, kind, "utf-8", name, bom)
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
    if document.ascii_only:
        codec = "ascii"
    return document.bom + text.encode(codec, "gloss-html" if document.kind != "text" else "surrogateescape")


def _gloss_html_errors(error: UnicodeError) -> tuple[str | bytes, int]:
    """Restore escaped bytes, and write other unencodable characters as character references."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    chunk = error.object[error.start : error.end]
    if all("\udc80" <= c <= "\udcff" for c in chunk):
        return bytes(ord(c) - 0xDC00 for c in chunk), error.end
    return "".join(f"&#{ord(c)};" for c in chunk), error.end


codecs.register_error("gloss-html", _gloss_html_errors)
