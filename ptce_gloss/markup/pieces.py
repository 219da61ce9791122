"""The pieces gloss inserts, and their signature: how gloss writes each piece so that it can later
prove it wrote it.  Each piece starts with a fixed prefix and carries ``data-gloss-sig``, a digest
of the piece itself (for the appendix, of all its content)."""

from __future__ import annotations

from ..lazy import sha256, unescape

TERM_OPEN = '<a class="gloss-term" '
SIGNATURE = "data-gloss-sig"


def signature(kind: str, text: str) -> str:
    """The signature of an inserted piece: a digest of its kind and its text, read with character
    references decoded (a page written back in ASCII turns letters into references)."""
    data = f"ptce_gloss\0{kind}\0{unescape(text)}".encode("utf-8", "surrogatepass")
    return sha256(data).hexdigest()[:20]


def sign_tag(tag: str, kind: str, covered: str = "") -> str:
    """Add the signature to a start tag written without it (``<a …>``, ``<link … />``)."""
    end = " />" if tag.endswith(" />") else ">"
    base = tag[: -len(end)]
    return f'{base} {SIGNATURE}="{signature(kind, base + covered)}"{end}'


# html.escape(value, quote=True)'s five replacements in one pass (without importing html and its
# entities), the two characters a parser would not read back, and braces.
_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;", "\r": "&#13;", "\0": "&#xFFFD;"}
    | {"{": "&#123;", "}": "&#125;"}
)


def escape(value: str) -> str:
    """Escape text for an attribute value or an element's text, so that the parser reads it back
    exactly: a carriage return would be read as a line feed, and NUL (which HTML never keeps) is
    written as the U+FFFD it becomes in an attribute, not dropped as in text. Braces are written as
    references too: what gloss inserts then never closes, nor opens, template syntax (``{{ … }}``,
    ``{% … %}``) that the page leaves unclosed, nor becomes template code where a server reads the page."""
    return value.translate(_ESCAPES)


def raw_piece(name: str, content: str, nonce: str | None = None) -> str:
    """A signed ``<style>`` or ``<script>``: its content is in a CDATA section that CSS and JavaScript read
    as a comment, so that the page stays well-formed XML.  ``nonce`` is one the page's policy names."""
    allowed = f' nonce="{escape(nonce)}"' if nonce else ""
    return f'<{name} id="gloss-{name}"{allowed} {SIGNATURE}="{signature(name, content)}">{content}</{name}>'
