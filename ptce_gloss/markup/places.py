"""Where in a page the assets and the glossary appendix may be inserted without changing how the rest
of the page is read: in the head but after a doctype or ``<meta charset>``, before the end of the body
but outside any element whose content is not HTML (svg, math, template, select, raw text)."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from ..html.scan import Projection
from ..html.tags import tag_name
from ..html.tokens import COMMENT, TAG_BODY, tokenizer
from ..lazy import regex

_SPACES = regex(r"[\t\n\f\r ]*")
_HEAD_CONTENT = {"head", "base", "basefont", "bgsound", "link", "meta", "title", "style", "script", "noscript", "template"}
_BODY_END = regex(r"</body\s*>", re.IGNORECASE)
_HTML_END = regex(r"</html\s*>", re.IGNORECASE)
_UNFINISHED_TAG_OPEN = regex(r"<(?:/|!-?-?|\?)\Z")


def assets_position(source: str, tokens: re.Pattern[str] | None = None) -> int:
    """In the head: before </head> or <body>, else after the last thing that belongs to the head
    (doctype, comments, <html>, <head>, <meta>, <title>…) and the white space after it — never
    before a doctype, which would put the page in quirks mode, nor before a <meta charset>, which
    must stay in the first 1,024 bytes.  Tags are read as the tokenizer reads them: a "</head>"
    in a comment or a script is no tag."""
    last = 0
    for token in (tokens or tokenizer(source)).finditer(source):
        if _SPACES.match(source, last).end() < token.start():  # type: ignore[union-attr]
            break  # text: the content has started
        text = token.group()
        name = tag_name(text)
        closing = text.startswith("</")
        if (name == "head" and closing) or (name == "body" and not closing):
            return token.start()
        if name and name not in _HEAD_CONTENT and not (name == "html" and not closing):
            return token.start()  # the content has started
        last = token.end()
    return _SPACES.match(source, last).end()  # type: ignore[union-attr]


def appendix_position(projection: Projection) -> int:
    """Before the last </body> (or </html>); at the end of a fragment; in any case, before a tag or
    comment left unfinished at the end (``<img src="x``: what follows would become part of it) and
    before an element left open there whose content is not HTML (svg, math, template, select, raw
    text), which would swallow the appendix.  Tags are the tokenizer's: a "</body>" inside an
    attribute value whose quote is never closed is no tag."""
    source = projection.source
    position = len(source)
    if projection.markup is not None and len(projection.markup.parts) > 1:
        parts, offsets = projection.markup.parts, projection.markup.before
        for pattern in (_BODY_END, _HTML_END):
            found = [match.start() for match in pattern.finditer(source)]
            real = [at for at in found if _is_token_start(offsets, at)]
            if real:
                position = real[-1]
                break
        if position == len(source) and not parts[-1] and parts[-2].startswith("<"):
            # The page ends with a token (parts alternate text and tokens, text last): is it
            # unfinished, running to the end because nothing closed it?  Then more would join it.
            tail = parts[-2] + "\x01"
            token = tokenizer(tail).match(tail)
            if token is None or token.end() == len(tail):
                position = offsets[len(parts) - 2]
    if position == len(source):
        # Text that ends in "</", "<!" or "<?" is text only because the page ends there: anything
        # after it would turn it and the appendix into a bogus comment.
        unfinished = _UNFINISHED_TAG_OPEN.search(source)
        if unfinished is not None:
            position = unfinished.start()
    if projection.markup is not None and len(projection.markup.parts) > 1:
        return _before_open_containers(source, position, projection.tokens, projection.markup.before)
    return _before_open_containers(source, position, projection.tokens)


def _is_token_start(offsets: Sequence[int], at: int) -> bool:
    """Whether a markup token of the split whose part offsets are ``offsets`` starts at ``at``."""
    index = bisect_right(offsets, at) - 1  # the last part starting there: an empty text comes first
    return index >= 0 and offsets[index] == at and index % 2 == 1


_RAW_TEXT_TAGS = ("script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript")
_CONTAINERS = "svg|math|template|select|plaintext|" + "|".join(_RAW_TEXT_TAGS)
_CONTAINER_NAMES = frozenset(_CONTAINERS.split("|"))
_CONTAINER_TAG = regex(
    COMMENT + r"|<[!?][^>]*>|</[^A-Za-z][^>]*>"  # comments, bogus ones too
    rf"|<(/?)({_CONTAINERS})(?=[\s/>])",
    re.IGNORECASE,
)
# Inside svg and math: where HTML comes back (integration points), and the HTML tags that end
# them all ("breakout": a <p> or a <div> left inside an svg closes it).
_INTEGRATION = {"svg": {"foreignobject", "desc", "title"}, "math": {"annotation-xml", "mi", "mo", "mn", "ms", "mtext"}}
_BREAKOUT = (
    "b|big|blockquote|body|br|center|code|dd|div|dl|dt|em|embed|h[1-6]|head|hr|i|img|li|listing|menu|meta|nobr"
    "|ol|p|pre|ruby|s|small|span|strong|strike|sub|sup|table|tt|u|ul|var|font"
)
_FOREIGN_TAG = regex(
    COMMENT + r"|<[!?][^>]*>|</[^A-Za-z][^>]*>"
    rf"|<(/?)(foreignobject|desc|annotation-xml|mi|mo|mn|ms|mtext|{_CONTAINERS}|{_BREAKOUT})(?=[\s/>])",
    re.IGNORECASE,
)
_FOREIGN_TOKEN = regex(
    rf"<!\[CDATA\[[\s\S]*?(?:\]\]>|\Z)|{COMMENT}|<[!?][^>]*(?:>|\Z)|</(?![A-Za-z])[^>]*(?:>|\Z)"
    rf"|<(/?)([A-Za-z][^\t\n\f\r />]*){TAG_BODY}"
)
_P_TAG = regex(r"<(/?)[pP](?=[\t\n\f\r />])")
_BREAKOUT_NAMES = frozenset(_BREAKOUT.replace("h[1-6]", "h1|h2|h3|h4|h5|h6").split("|"))
_FONT_BREAKOUT = regex(r"\s(?:color|face|size)\s*(?:=|/|>|\s)", re.IGNORECASE)


def _before_open_containers(source: str, position: int, read_token: re.Pattern[str], offsets: Sequence[int] | None = None) -> int:
    """Return ``position``, or the start of the outermost container element still open there.  With the
    part ``offsets`` of the page's split, only what starts a token counts: ``<script`` inside an
    attribute value or inside a tag name (``<a<script>``) opens nothing."""
    open_at: list[tuple[str, int]] = []  # (name, start) of the open containers, outermost first
    at = 0
    while True:
        top = open_at[-1][0] if open_at else ""
        foreign = top in _INTEGRATION  # in svg or math, where markup is not HTML's
        integration = any(top in names for names in _INTEGRATION.values())  # HTML again, in svg or math
        if foreign:
            at = _foreign_token(source, at, position, open_at)
            if at < 0:
                break
            continue
        tag = (_FOREIGN_TAG if integration else _CONTAINER_TAG).search(source, at, position)
        if tag is None:
            break
        if offsets is not None and not _is_token_start(offsets, tag.start()):
            at = tag.start() + 1
            continue
        at = tag.end()
        if tag.group(2) is None:
            continue  # a comment
        closing, name = tag.group(1) == "/", tag.group(2).lower()
        if integration and (name == top or name not in _CONTAINER_NAMES):
            if closing and name == top:
                open_at.pop()
            continue
        if closing:
            _close(open_at, name)
        elif name == "plaintext":
            return (open_at or [(name, tag.start())])[0][1]  # nothing after it is markup, ever
        elif name in _RAW_TEXT_TAGS:
            # Its content is no markup: the tokenizer's reading (a script's escapes) says where it ends.
            element = read_token.match(source, tag.start(), position)
            assert element is not None  # a raw-text element always matches, to the end if need be
            text = element.group()
            if element.end() == position and not (text.endswith(">") and text.lower().rfind("</" + name) > 0):
                return (open_at or [(name, tag.start())])[0][1]  # left open
            at = element.end()
        elif name not in _INTEGRATION:
            open_at.append((name, tag.start()))
        else:  # svg or math: what follows its start tag is read as foreign content
            start_tag = read_token.match(source, tag.start(), position)
            at = start_tag.end() if start_tag is not None else position
            if not (start_tag is not None and start_tag.group().endswith("/>")):
                open_at.append((name, tag.start()))
    return open_at[0][1] if open_at else position


def _foreign_token(source: str, at: int, position: int, open_at: list[tuple[str, int]]) -> int:
    """Read the next token in svg or math (``open_at[-1]``), updating ``open_at``; return where it ends,
    or -1 if none is left before ``position``.  Each tag is read whole, by its own syntax: the page's
    split does not serve there, where an HTML raw-text element (<style>, <script>…) holds markup."""
    token = _FOREIGN_TOKEN.search(source, at, position)
    if token is None:
        return -1
    if token.group(2) is None:
        return token.end()  # a comment, a CDATA section
    closing, name, whole = token.group(1) == "/", token.group(2).lower(), token.group()
    # An end tag </p> breaks out since 2023; older parsers close the svg with it only when a
    # <p> is open around it, so that is when it is counted (</br> never is).
    if closing:
        breaks = name == "p" and _p_open(source, open_at)
    else:
        breaks = name in _BREAKOUT_NAMES and (name != "font" or _FONT_BREAKOUT.search(whole) is not None)
    if breaks:
        while open_at and open_at[-1][0] in _INTEGRATION:
            open_at.pop()  # HTML breaks out of svg and math
    elif not closing and (name in _INTEGRATION[open_at[-1][0]] or name in _INTEGRATION):
        if not whole.endswith("/>"):
            open_at.append((name, token.start()))
    elif closing and name in _INTEGRATION:
        _close(open_at, name)
    return token.end()  # other tags in svg or math are not HTML's containers


def _p_open(source: str, open_at: list[tuple[str, int]]) -> bool:
    """Whether a <p> was left open before the outermost of the svg and math elements open."""
    outermost = next(start for name, start in open_at if name in _INTEGRATION)
    last_start = last_end = -1
    for tag in _P_TAG.finditer(source, 0, outermost):
        if tag.group(1):
            last_end = tag.start()
        else:
            last_start = tag.start()
    return last_start > last_end


def _close(open_at: list[tuple[str, int]], name: str) -> None:
    """An end tag closes the innermost open container of its name, and those inside it."""
    for depth in range(len(open_at) - 1, -1, -1):
        if open_at[depth][0] == name:
            del open_at[depth:]
            return
