"""Taking out what gloss inserted, and only that.

:func:`strip_gloss` reads the page with the tokenizer that insertion uses and takes out only the
pieces whose signature matches, in real markup (never in a comment, a script, a textarea, an
attribute value…), so a site's own ``<a class="gloss-term">`` or ``<aside class="gloss-glossary">``
is never touched.
"""

from __future__ import annotations

from ..html.tags import tag_name
from ..html.tokens import split_markup
from ..lazy import regex
from .pieces import SIGNATURE, TERM_OPEN, signature

_SIGNED_TAG = regex(rf'(<(?:a|link|aside) [^>]*?) {SIGNATURE}="([0-9a-f]{{20}})"( ?/?>)')
_SIGNED_RAW = regex(
    rf'<(style|script) id="gloss-(?:style|script|data)"(?: type="application/ld\+json")?(?: nonce="[^"<>]*")?'
    rf' {SIGNATURE}="([0-9a-f]{{20}})">([\s\S]*)</\1>'
)
_LEGACY_START = regex(
    r'<a class="gloss-term" [^>]*\sdata-gloss-def="[^"]*"[^>]*>|<link id="gloss-style"[^>]*>'
    r'|<(style|script) id="gloss-(?:style|script)"[^>]*>[\s\S]*</\1>|<aside class="gloss-glossary"[^>]*>'
)


def strip_gloss(text: str, legacy: bool = False) -> str:
    """Remove everything gloss inserted, giving back the page as it was.

    Only pieces gloss can prove it wrote are removed: their signature matches their content, and
    they are real markup for the HTML tokenizer.  With ``legacy``, pieces written by gloss before
    signatures (0.x pages) are removed too, by their fixed prefixes, still only in real markup.
    """
    if (SIGNATURE if not legacy else "gloss-") not in text:
        return text
    parts = split_markup(text)
    drop = signed_pieces(parts) if not legacy else _legacy_pieces(parts)
    if not drop:
        return text
    return "".join(part for index, part in enumerate(parts) if index not in drop)


def _end_tag(parts: list[str], start: int, name: str) -> int | None:
    """The index of the first ``</name>`` token after ``start``, or None if another ``<name`` comes first."""
    for index in range(start + 2, len(parts), 2):
        token = parts[index]
        if token == f"</{name}>":
            return index
        if token.startswith("<") and tag_name(token) == name:
            return None
    return None


def signed_pieces(parts: list[str]) -> set[int]:
    """The indexes of the tokens (and, for the appendix, of everything between its tags) gloss inserted."""
    drop: set[int] = set()
    for index in range(1, len(parts), 2):
        token = parts[index]
        if SIGNATURE not in token or index in drop:
            continue
        raw = _SIGNED_RAW.fullmatch(token)
        if raw is not None:
            if raw.group(2) == signature(raw.group(1), raw.group(3)):
                drop.add(index)
            continue
        tag = _SIGNED_TAG.fullmatch(token)
        if tag is None:
            continue
        base, sig = tag.group(1), tag.group(2)
        if base.startswith(TERM_OPEN) and sig == signature("a", base):
            end = _end_tag(parts, index, "a")
            if end is not None:
                drop.update((index, end))
        elif base.startswith('<link id="gloss-style" ') and sig == signature("link", base):
            drop.add(index)
        elif base.startswith('<aside class="gloss-glossary" '):
            end = _end_tag(parts, index, "aside")
            if end is not None and sig == signature("aside", base + ">" + "".join(parts[index + 1 : end])):
                drop.update(range(index, end + 1))
    return drop


def _legacy_pieces(parts: list[str]) -> set[int]:
    """Like :func:`signed_pieces`, for pages annotated before signatures, by the pieces' fixed prefixes."""
    drop: set[int] = set()
    for index in range(1, len(parts), 2):
        token = parts[index]
        if "gloss-" not in token or index in drop or not _LEGACY_START.fullmatch(token):
            continue
        if token.startswith("<a "):
            end = _end_tag(parts, index, "a")
            if end is not None:
                drop.update((index, end))
        elif token.startswith("<aside "):
            end = _end_tag(parts, index, "aside")
            if end is not None:
                drop.update(range(index, end + 1))
        else:
            drop.add(index)
    return drop
