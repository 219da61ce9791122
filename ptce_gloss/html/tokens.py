"""The HTML tokenizer as one regular expression: tags, end tags, comments, raw-text elements and
template syntax, each a token, as the HTML5 tokenizer reads them; and, for each page, the variant of
it that reads that page the same way fastest (:func:`tokenizer`)."""

from __future__ import annotations

import re
from functools import cache


def nocase(word: str) -> str:
    """Spell a tag name case-insensitively, in ASCII only as HTML reads tag names: a scoped flag, since
    re.IGNORECASE over the whole pattern slows every character class (and ``[sS][tT]…`` compiles slower)."""
    return f"(?ai:{word})"


# The inside of a tag after its name, as the HTML5 tokenizer reads it: attributes separated by
# white space or '/', each a name (whose first character may be '=' or a quote) and maybe '=' and
# a value; quotes open a value only right after that '=' (in `a=b'c=' d`, the quotes are letters
# of an unquoted value), and an unterminated quoted value runs to the end of the input.
TAG_BODY = (
    r"""(?:[\t\n\f\r /]+|[^\t\n\f\r />][^\t\n\f\r />=]*"""
    r"""(?:[\t\n\f\r ]*=[\t\n\f\r ]*(?:"[^"]*(?:"|\Z)|'[^']*(?:'|\Z)|[^\t\n\f\r >]*))?)*(?:>|\Z)"""
)
# A comment's content is read as runs without '-' and dashes that do not end it, rather than by a lazy
# [\s\S]*? that tries the end at every character; a raw-text element's as runs without '<' and '<'s that
# do not start its end tag (together, the benchmark's 600 pages split in 0.094 s instead of 0.120 s).
_COMMENT_BODY = r"[^-]*(?:-(?!-!?>)[^-]*)*(?:--!?>|\Z)"
COMMENT = rf"<!--(?:>|->|{_COMMENT_BODY})"  # including <!--> and <!--->
RAW_TEXT = ("script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "textarea", "title")
# Elements whose content is not markup, from start tag to end tag; plaintext runs to the end.
_S = nocase("script") + "(?=[\t\n\f\r />])"
# A script's content, with the tokenizer's escaped states: "<!--" escapes it, where "<script"
# double-escapes it, so that the "</script>" in `<!-- document.write("<script></script>") -->`
# does not end the script. ("[<]", not "<": MARKUP below strips "|<" from the alternatives.)
_DOUBLE_ESCAPED = rf"(?:[^<-]+|(?!-->|[<]/{_S})[<-])*(?:[<]/{_S})?"
_ESCAPED = rf"(?:-*>|(?:[^<-]+|(?!-->|[<]/?{_S})[<-]|[<]{_S}{_DOUBLE_ESCAPED})*(?:-->)?)"
_SCRIPT = rf"<{_S}{TAG_BODY}(?:[^<]+|[<](?!!--|/{_S})|[<]!--{_ESCAPED})*(?:</{_S}{TAG_BODY}|\Z)"
_RAW = (
    "|".join(
        rf"<{nocase(n)}(?=[\t\n\f\r />]){TAG_BODY}[^<]*(?:[<](?!/{nocase(n)}[\t\n\f\r />])[^<]*)*"
        rf"(?:</{nocase(n)}(?=[\t\n\f\r />]){TAG_BODY}|\Z)"
        for n in RAW_TEXT
        if n != "script"
    )
    + f"|{_SCRIPT}"
    + rf"|<{nocase('plaintext')}(?=[\t\n\f\r />])[\s\S]*"
)
# One markup token, with the whitespace after it: tags, end tags, comments, doctype and bogus
# comments (<!…>, <?…>, </ followed by no letter), following the HTML5 tokenizer.
# Server-side template syntax is no text to annotate: {{ … }}, {% … %}, {# … #} and <% … %>
# (each only when closed; <?php … ?> is already a bogus comment for HTML).
TEMPLATE = (
    r"\{\{[^}]*(?:\}(?!\})[^}]*)*\}\}|\{%[^%]*(?:%(?!\})[^%]*)*%\}"
    r"|\{#[^#]*(?:#(?!\})[^#]*)*#\}|<%[^%]*(?:%(?!>)[^%]*)*%>"
)
# The first letters of the raw-text elements, either case: other tags skip their alternatives at once.
_RAW_FIRST = "".join(sorted({c for name in (*RAW_TEXT, "plaintext") for c in (name[0], name[0].upper())}))
_TAGS = (
    rf"<(?:(?=[{_RAW_FIRST}])(?:{_RAW[1:].replace('|<', '|')})|[A-Za-z]{TAG_BODY}"
    rf"|/(?:[A-Za-z]{TAG_BODY}|>|[^>]+(?:>|\Z))"
    rf"|!(?:--(?:>|->|{_COMMENT_BODY})|[^>]*(?:>|\Z))|\?[^>]*(?:>|\Z))"
)
MARKUP = f"{TEMPLATE}|{_TAGS}"
# Most pages never put '>' inside a quoted attribute value; for them a tag simply ends at the
# first '>', which the regex engine finds much faster.  The search below tells them apart.
_QUOTED_GT = re.compile(r"""=[\t\n\f\r ]*(?:"[^"]*>|'[^']*>)""")
# Template syntax can only be where one of its openers is: a page without any is read by the
# pattern without it, which the engine runs faster (it looks for '<' alone).  Each opener is
# searched by a literal first character: '<%' as a '%' after '<', since '%' is much rarer than '<'
# (twice as fast as searching "<%", which '"<%" in page' is slower still).
_ASP_OPENER = re.compile("%(?<=<%)")
_BRACE_OPENER = re.compile(r"\{[{%#]")


def split_markup(source: str) -> list[str]:
    """Split HTML source into text and markup tokens, alternating, text first and last: odd items are
    tags, comments, raw-text elements (script, style, textarea… whole) and template tags, as the
    tokenizer reads them."""
    return tokenizer(source).split(source)


def markup_pattern() -> re.Pattern[str]:
    """The tokenizer's pattern, one group around each token (compiled once, on first use)."""
    return _pattern(True)


def tokenizer(source: str) -> re.Pattern[str]:
    """The tokenizer's pattern for this page, which reads it as :func:`markup_pattern` does: a tag ends
    at its first '>' (much faster to find) unless a quoted attribute value holds one, and template
    syntax is looked for only on a page that has one of its openers."""
    templates = _ASP_OPENER.search(source) is not None or _BRACE_OPENER.search(source) is not None
    return _pattern(_QUOTED_GT.search(source) is not None, templates)


@cache
def _pattern(quoted_gt: bool, templates: bool = True) -> re.Pattern[str]:
    markup = MARKUP if templates else _TAGS
    if not quoted_gt:
        markup = markup.replace(TAG_BODY, _TAG_TO_FIRST_GT)
    return re.compile(f"({markup})")


_TAG_TO_FIRST_GT = r"[^>]*(?:>|\Z)"
