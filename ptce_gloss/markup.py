"""Annotated HTML: tooltip links spliced into the untouched source, the glossary appendix, and stripping.

Everything gloss writes is an insertion: the bytes of the page around it are never
rewritten.  Each piece starts with a fixed prefix (``<a class="gloss-term" ``,
``<style id="gloss-style"``, ``<script id="gloss-script"``, ``<link id="gloss-style"``,
``<aside class="gloss-glossary"``) and carries a signature, ``data-gloss-sig``: a digest of the
piece itself (for the appendix, of all its content).  :func:`strip_gloss` reads the page with the
tokenizer that insertion uses and takes out only the pieces whose signature matches, in real
markup (never in a comment, a script, a textarea, an attribute value…), so a site's own
``<a class="gloss-term">`` or ``<aside class="gloss-glossary">`` is never touched.

The pieces are also well-formed XML (scripts and styles in CDATA sections, ``<link … />``), so
an XHTML page stays well-formed.
"""

from __future__ import annotations

import hashlib
import html
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

from .annotate import Match
from .context import PageContext, Plan, plan, read_context
from .glossary import Entry
from .scan import COMMENT, MARKUP, Projection, split_markup
from .zones import VOID, tag_name

Assets = str  # "inline", "none" or "link=URL"
TERM_OPEN = '<a class="gloss-term" '
SIGNATURE = "data-gloss-sig"
_SIGNED_TAG = re.compile(rf'(<(?:a|link|aside) [^>]*?) {SIGNATURE}="([0-9a-f]{{20}})"( ?/?>)')
_SIGNED_RAW = re.compile(
    rf'<(style|script) id="gloss-(?:style|script)"(?: nonce="[^"<>]*")? {SIGNATURE}="([0-9a-f]{{20}})">([\s\S]*)</\1>'
)
_PLAIN = Plan()
"""How links and assets are written on a page whose context changes nothing."""
_NO_CONTEXT = PageContext()
_LEGACY_START = re.compile(
    r'<a class="gloss-term" [^>]*\sdata-gloss-def="[^"]*"[^>]*>|<link id="gloss-style"[^>]*>'
    r'|<(style|script) id="gloss-(?:style|script)"[^>]*>[\s\S]*</\1>|<aside class="gloss-glossary"[^>]*>'
)
_ID = re.compile(r"""\sid\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_HTML_LANG = re.compile(r"""<html\b[^>]*?\slang\s*=\s*["']?([A-Za-z-]+)""", re.IGNORECASE)
_TOKEN = re.compile(MARKUP)
_SPACES = re.compile(r"[\t\n\f\r ]*")
_HEAD_CONTENT = {"head", "base", "basefont", "bgsound", "link", "meta", "title", "style", "script", "noscript", "template"}
_BODY_END = re.compile(r"</body\s*>", re.IGNORECASE)
_HTML_END = re.compile(r"</html\s*>", re.IGNORECASE)
_UNFINISHED_TAG_OPEN = re.compile(r"<(?:/|!-?-?|\?)\Z")
WORDS = {
    "fr": ("Glossaire", "En savoir plus"),
    "en": ("Glossary", "Learn more"),
    "es": ("Glosario", "Más información"),
    "de": ("Glossar", "Mehr erfahren"),
    "it": ("Glossario", "Per saperne di più"),
    "pt": ("Glossário", "Saiba mais"),
    "ca": ("Glossari", "Més informació"),
}


@dataclass(frozen=True, slots=True)
class HtmlOptions:
    """How annotated HTML is written."""

    assets: Assets = "inline"
    """``inline`` (a <style> and a tiny <script>), ``none``, or ``link=URL`` (a stylesheet link)."""
    appendix: bool = True
    """Append the glossary section the links point to."""
    page_url: str | None = None
    """The page's own address (``--page-url``), for a page whose ``<base href>`` points elsewhere:
    term links are then made absolute from it.  A document's own :attr:`~ptce_gloss.document.Document.url`
    (a WARC record's target) comes first."""

    def __post_init__(self) -> None:
        if self.assets not in ("inline", "none") and not (self.assets.startswith("link=") and len(self.assets) > 5):
            raise ValueError(f"assets must be inline, none or link=URL, not {self.assets!r}")


@cache
def asset(name: Literal["gloss.css", "gloss.js"]) -> str:
    """Return the text of a bundled asset."""
    return resources.files("ptce_gloss").joinpath("assets", name).read_text(encoding="ascii")


def signature(kind: str, text: str) -> str:
    """The signature of an inserted piece: a digest of its kind and its text, read with character
    references decoded (a page written back in ASCII turns letters into references)."""
    data = f"ptce_gloss\0{kind}\0{html.unescape(text)}".encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()[:20]


def _sign_tag(tag: str, kind: str, covered: str = "") -> str:
    """Add the signature to a start tag written without it (``<a …>``, ``<link … />``)."""
    end = " />" if tag.endswith(" />") else ">"
    base = tag[: -len(end)]
    return f'{base} {SIGNATURE}="{signature(kind, base + covered)}"{end}'


def strip_gloss(text: str, legacy: bool = False) -> str:
    """Remove everything gloss inserted, giving back the page as it was.

    Only pieces gloss can prove it wrote are removed: their signature matches their content, and
    they are real markup for the HTML tokenizer.  With ``legacy``, pieces written by gloss before
    signatures (0.x pages) are removed too, by their fixed prefixes, still only in real markup.
    """
    if (SIGNATURE if not legacy else "gloss-") not in text:
        return text
    parts = split_markup(text)
    drop = _signed_pieces(parts) if not legacy else _legacy_pieces(parts)
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


def _signed_pieces(parts: list[str]) -> set[int]:
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
    """Like :func:`_signed_pieces`, for pages annotated before signatures, by the pieces' fixed prefixes."""
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


_UNSAFE_CHARS = str.maketrans({"\r": "&#13;", "\0": "&#xFFFD;"})


def _attribute(value: str) -> str:
    """Escape text for an attribute value or an element's text, so that the parser reads it back
    exactly: a carriage return would be read as a line feed, and NUL (which HTML never keeps) is
    written as the U+FFFD it becomes in an attribute, not dropped as in text."""
    return html.escape(value, quote=True).translate(_UNSAFE_CHARS)


def _unique(wanted: str, taken: set[str]) -> str:
    """Return ``wanted``, or ``wanted-2``, ``wanted-3``… whichever the page does not use yet."""
    candidate, number = wanted, 1
    while candidate in taken:
        number += 1
        candidate = f"{wanted}-{number}"
    taken.add(candidate)
    return candidate


def page_language(source: str) -> str:
    """Return the primary language of a page (``fr`` when it says none)."""
    match = _HTML_LANG.search(source[:4096])
    return match.group(1).split("-")[0].lower() if match else "fr"


class PageIds:
    """The ids of one annotated page: ``gloss-<entry>`` and ``gloss-<entry>-def``, never colliding."""

    def __init__(self, projection: Projection) -> None:
        # Every id="…" of the source, even in comments or scripts (a superset is safe); only ids
        # starting with gloss- can collide with ours, and most pages have none.
        source = projection.source
        self.taken = {next(g for g in m.groups() if g is not None) for m in _ID.finditer(source)} if "gloss-" in source else set()
        self.title = _unique("gloss-title", self.taken)
        self.by_entry: dict[str, tuple[str, str]] = {}

    def of(self, entry: Entry) -> tuple[str, str]:
        found = self.by_entry.get(entry.id)
        if found is None:
            term_id = _unique(f"gloss-{entry.id}", self.taken)
            found = self.by_entry[entry.id] = (term_id, _unique(f"{term_id}-def", self.taken))
        return found


def _balanced(projection: Projection, start: int, end: int) -> tuple[int, int] | None:
    """Widen [start, end) over adjacent tags so that a link around it nests well; None if it cannot.

    ``<em>pôle</em> territorial`` is wrapped from before ``<em>``; a term that starts in the
    middle of an element's text and ends outside it cannot be wrapped by one link.
    """
    if projection.markup is None:
        return start, end
    parts, offsets = projection.markup.parts, projection.markup.before
    first = _part_at(offsets, start)
    last = _part_at(offsets, end - 1)
    opened: list[str] = []
    closing_outer: list[str] = []
    for index in range(first + (first % 2 == 0), last + 1, 2):
        name = tag_name(parts[index])
        if not name or name in VOID:
            continue
        if parts[index].startswith("</"):
            if opened and opened[-1] == name:
                opened.pop()
            else:
                closing_outer.append(name)
        else:
            opened.append(name)
    for name in closing_outer:  # elements the term closes: start before their start tag, right before it
        token = parts[first - 1] if first >= 1 else ""
        if start != offsets[first] or token.startswith("</") or tag_name(token) != name:
            return None
        start = offsets[first - 1]
        first = first - 2 if first >= 2 and not parts[first - 2] else -1  # text before the tag: stop there
    for name in reversed(opened):  # elements the term leaves open: end after their end tag, right after it
        token = parts[last + 1] if last + 1 < len(parts) else ""
        if end != offsets[last + 1] or not token.startswith("</") or tag_name(token) != name:
            return None
        end = offsets[last + 2]
        last = last + 2 if last + 2 < len(parts) and not parts[last + 2] else len(parts)
    return start, end


def _part_at(offsets: Sequence[int], position: int) -> int:
    from bisect import bisect_right

    return bisect_right(offsets, position) - 1


def _open_tag(entry: Entry, ids: tuple[str, str] | None, links: Plan = _PLAIN) -> str:
    definition = _attribute(entry.definition)
    if ids is not None and links.link_prefix is None:  # a <base href> elsewhere, the page's address unknown
        tag = f'{TERM_OPEN}role="button" tabindex="0" aria-describedby="{ids[1]}" data-gloss-def="{definition}">'
    elif ids is not None:
        target = f' target="{links.link_target}"' if links.link_target else ""
        href = f"{links.link_prefix}#{ids[0]}"
        tag = f'{TERM_OPEN}href="{href}"{target} aria-describedby="{ids[1]}" data-gloss-def="{definition}">'
    else:
        href = f'href="{_attribute(entry.url)}" ' if entry.url else 'role="button" tabindex="0" '
        tag = f'{TERM_OPEN}{href}aria-description="{definition}" data-gloss-def="{definition}">'
    return _sign_tag(tag, "a")


def appendix_html(entries: list[Entry], ids: PageIds, language: str, glossary_language: str = "fr") -> str:
    title, more = WORDS.get(language, WORDS["fr"])
    lang = f' lang="{_attribute(glossary_language)}"' if language != glossary_language else ""
    items = []
    for entry in entries:
        term_id, definition_id = ids.of(entry)
        link = f' <a href="{_attribute(entry.url)}">{more}</a>' if entry.url else ""
        items.append(
            f'<dt><dfn id="{term_id}">{_attribute(entry.label)}</dfn></dt>'
            f'<dd><span id="{definition_id}">{_attribute(entry.definition)}</span>{link}</dd>'
        )
    inner = f'<h2 id="{ids.title}">{title}</h2><dl{lang}>{"".join(items)}</dl>'
    start = _sign_tag(f'<aside class="gloss-glossary" aria-labelledby="{ids.title}">', "aside", ">" + inner)
    return f"{start}{inner}</aside>"


def style_content() -> str:
    """The content of the inline ``<style>`` gloss inserts (what a CSP hash of it covers)."""
    return f"/*<![CDATA[*/{asset('gloss.css')}/*]]>*/"


def script_content() -> str:
    """The content of the inline ``<script>`` gloss inserts."""
    return f"//<![CDATA[\n{asset('gloss.js')}\n//]]>"


def assets_html(options: HtmlOptions, plan: Plan = _PLAIN) -> str:
    if options.assets == "none" or not plan.style:
        return ""
    if options.assets.startswith("link="):
        return _sign_tag(f'<link id="gloss-style" rel="stylesheet" href="{_attribute(options.assets[5:])}" />', "link")
    style = _raw_piece("style", style_content(), plan.style_nonce)
    return style + (_raw_piece("script", script_content(), plan.script_nonce) if plan.script else "")


def _raw_piece(name: str, content: str, nonce: str | None = None) -> str:
    """A signed ``<style>`` or ``<script>``: its content is in a CDATA section that CSS and JavaScript read
    as a comment, so that the page stays well-formed XML.  ``nonce`` is one the page's policy names."""
    allowed = f' nonce="{_attribute(nonce)}"' if nonce else ""
    return f'<{name} id="gloss-{name}"{allowed} {SIGNATURE}="{signature(name, content)}">{content}</{name}>'


def page_plan(projection: Projection, options: HtmlOptions, url: str | None = None, policies: Sequence[str] = ()) -> Plan:
    """What works on this page: how to write term links and which assets its policy lets run
    (see :mod:`.context`).  ``url`` and ``policies`` are the document's own address and HTTP policies."""
    markup = projection.markup
    found = read_context(projection.source, policies, markup.parts if markup is not None else None)
    if found == _NO_CONTEXT:
        return _PLAIN
    return plan(found, url or options.page_url, options.assets, style_content(), script_content())


def link_insertions(
    projection: Projection, matches: list[Match], ids: PageIds | None, entries: list[Entry], links: Plan = _PLAIN
) -> list[tuple[int, int, str]]:
    """Return the (position, order, text) insertions that make each match a link; record its entry.

    ``ids`` is None when there is no appendix to point to.
    """
    insertions = []
    recorded = {entry.id for entry in entries}  # a set: a page may link thousands of entries
    for match in matches:
        span = _balanced(projection, match.start, match.end)
        if span is None:
            continue
        entry = match.entry
        if entry.id not in recorded:
            recorded.add(entry.id)
            entries.append(entry)
        insertions.append((span[0], 2, _open_tag(entry, ids.of(entry) if ids is not None else None, links)))
        insertions.append((span[1], 1, "</a>"))  # closings sort before openings at the same place
    return insertions


def splice(source: str, insertions: list[tuple[int, int, str]]) -> str:
    """Insert texts into ``source`` at their positions (stable, by position then order)."""
    if not insertions:
        return source
    insertions.sort(key=lambda item: (item[0], item[1]))
    pieces, position = [], 0
    for at, _, text in insertions:
        pieces.append(source[position:at])
        pieces.append(text)
        position = at
    pieces.append(source[position:])
    return "".join(pieces)


def render(projection: Projection, matches: list[Match], options: HtmlOptions) -> str:
    """Splice the links, the assets and the appendix into the page's source."""
    return render_page(projection, matches, options)[0]


def render_page(
    projection: Projection, matches: list[Match], options: HtmlOptions, url: str | None = None, policies: Sequence[str] = ()
) -> tuple[str, list[str]]:
    """Like :func:`render`, for a page at ``url`` served with these HTTP ``policies`` (when known);
    also return a line for each thing the page's context kept from working as usual."""
    source = projection.source
    if not matches:
        return source, []
    ids = PageIds(projection)
    entries: list[Entry] = []
    context = page_plan(projection, options, url, policies)
    insertions = link_insertions(projection, matches, ids if options.appendix else None, entries, context)
    if not entries:
        return source, []
    assets = assets_html(options, context)
    if assets:
        insertions.append((_assets_position(source), 0, assets))
    if options.appendix:
        insertions.append((_appendix_position(projection), 3, appendix_html(entries, ids, page_language(source))))
    return splice(source, insertions), context.notes


def _assets_position(source: str) -> int:
    """In the head: before </head> or <body>, else after the last thing that belongs to the head
    (doctype, comments, <html>, <head>, <meta>, <title>…) and the white space after it — never
    before a doctype, which would put the page in quirks mode, nor before a <meta charset>, which
    must stay in the first 1,024 bytes.  Tags are read as the tokenizer reads them: a "</head>"
    in a comment or a script is no tag."""
    last = 0
    for token in _TOKEN.finditer(source):
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


def _appendix_position(projection: Projection) -> int:
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
            token = _TOKEN.match(tail)
            if token is None or token.end() == len(tail):
                position = offsets[len(parts) - 2]
    if position == len(source):
        # Text that ends in "</", "<!" or "<?" is text only because the page ends there: anything
        # after it would turn it and the appendix into a bogus comment.
        unfinished = _UNFINISHED_TAG_OPEN.search(source)
        if unfinished is not None:
            position = unfinished.start()
    if projection.markup is not None and len(projection.markup.parts) > 1:
        return _before_open_containers(source, position, projection.markup.before)
    return _before_open_containers(source, position)


def _is_token_start(offsets: Sequence[int], at: int) -> bool:
    """Whether a markup token of the split whose part offsets are ``offsets`` starts at ``at``."""
    index = bisect_right(offsets, at) - 1  # the last part starting there: an empty text comes first
    return index >= 0 and offsets[index] == at and index % 2 == 1


_RAW_TEXT_TAGS = ("script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript")
_CONTAINERS = "svg|math|template|select|plaintext|" + "|".join(_RAW_TEXT_TAGS)
_CONTAINER_NAMES = frozenset(_CONTAINERS.split("|"))
_CONTAINER_TAG = re.compile(
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
_FOREIGN_TAG = re.compile(
    COMMENT + r"|<[!?][^>]*>|</[^A-Za-z][^>]*>"
    rf"|<(/?)(foreignobject|desc|annotation-xml|mi|mo|mn|ms|mtext|{_CONTAINERS}|{_BREAKOUT})(?=[\s/>])",
    re.IGNORECASE,
)
_P_TAG = re.compile(r"<(/?)[pP](?=[\t\n\f\r />])")
_BREAKOUT_NAMES = frozenset(_BREAKOUT.replace("h[1-6]", "h1|h2|h3|h4|h5|h6").split("|"))
_FONT_BREAKOUT = re.compile(r"\s(?:color|face|size)\s*(?:=|/|>|\s)", re.IGNORECASE)


def _before_open_containers(source: str, position: int, offsets: Sequence[int] | None = None) -> int:
    """Return ``position``, or the start of the outermost container element still open there.  With the
    part ``offsets`` of the page's split, only what starts a token counts: ``<script`` inside an
    attribute value or inside a tag name (``<a<script>``) opens nothing."""
    open_at: list[tuple[str, int]] = []  # (name, start) of the open containers, outermost first
    at = 0
    while True:
        top = open_at[-1][0] if open_at else ""
        foreign = top in _INTEGRATION  # in svg or math, where markup is not HTML's
        integration = any(top in names for names in _INTEGRATION.values())  # HTML again, in svg or math
        tag = (_FOREIGN_TAG if foreign or integration else _CONTAINER_TAG).search(source, at, position)
        if tag is None:
            break
        if offsets is not None and not _is_token_start(offsets, tag.start()):
            at = tag.start() + 1
            continue
        at = tag.end()
        if tag.group(2) is None:
            continue  # a comment
        closing, name = tag.group(1) == "/", tag.group(2).lower()
        if foreign:
            # An end tag </p> breaks out since 2023; older parsers close the svg with it only when a
            # <p> is open around it, so that is when it is counted (</br> never is).
            breaks = _is_breakout(source, tag, name, position) if not closing else name == "p" and _p_open(source, open_at)
            if breaks:
                while open_at and open_at[-1][0] in _INTEGRATION:
                    open_at.pop()  # HTML breaks out of svg and math
            elif not closing and (name in _INTEGRATION[top] or name in _INTEGRATION):
                if not _self_closed(source, tag, position):
                    open_at.append((name, tag.start()))
            elif closing and name in _INTEGRATION:
                _close(open_at, name)
            continue  # other tags in svg or math are not HTML's containers
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
            element = _TOKEN.match(source, tag.start(), position)
            assert element is not None  # a raw-text element always matches, to the end if need be
            text = element.group()
            if element.end() == position and not (text.endswith(">") and text.lower().rfind("</" + name) > 0):
                return (open_at or [(name, tag.start())])[0][1]  # left open
            at = element.end()
        elif name not in _INTEGRATION or not _self_closed(source, tag, position):
            open_at.append((name, tag.start()))
    return open_at[0][1] if open_at else position


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


def _self_closed(source: str, tag: re.Match[str], position: int) -> bool:
    whole = _TOKEN.match(source, tag.start(), position)
    return whole is not None and whole.group().endswith("/>")


def _is_breakout(source: str, tag: re.Match[str], name: str, position: int) -> bool:
    if name == "font":  # only with one of these attributes
        whole = _TOKEN.match(source, tag.start(), position)
        return whole is not None and _FONT_BREAKOUT.search(whole.group()) is not None
    return name in _BREAKOUT_NAMES


_UNDERLINED = re.compile(r"([^\n]*)\n[ \t]*(?:={3,}|-{3,})[ \t]*(?:\n|\Z)")
_BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")


def text_page_blocks(text: str, first: bool, more: bool) -> tuple[list[str], str | None]:
    """Turn a run of whole paragraphs of plain text into HTML blocks.

    Args:
        text: the paragraphs (a whole text, or a part of it cut after a blank line).
        first: the part starts the text (its first paragraph may be the title).
        more: more text follows this part.

    Returns:
        The blocks, and the title line when the first paragraph is one.
    """
    from .zones import TextZones, text_title

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if first:
        text = text.lstrip("\n")
    headings = TextZones(text, True, first, more)
    paragraphs, position = [], 0
    for paragraph in _BLANK_LINES.split(text):
        start = text.index(paragraph, position) if paragraph else position
        position = start + len(paragraph)
        if paragraph.strip():
            paragraphs.append((paragraph.rstrip("\n"), start))
    title = None
    if first:
        span = text_title(text, more)
        if span is not None:
            title = text[span[0] : span[1]]
    blocks = []
    for index, (paragraph, start) in enumerate(paragraphs):
        if index == 0 and title is not None:
            blocks.append(f"<h1>{html.escape(title)}</h1>")
        elif headings.covers(start, start + len(paragraph)) and "\n" not in paragraph.strip():
            blocks.append(f"<h2>{html.escape(paragraph.strip())}</h2>")
        elif (underlined := _UNDERLINED.match(paragraph)) and headings.covers(start, start + underlined.end(1)):
            # A heading underlined with === or --- (as in Markdown): the heading, then what follows
            blocks.append(f"<h2>{html.escape(underlined.group(1).strip())}</h2>")
            if paragraph[underlined.end() :].strip():
                blocks.append("<p>" + html.escape(paragraph[underlined.end() :].strip("\n")) + "</p>")
        else:
            blocks.append("<p>" + html.escape(paragraph) + "</p>")
    return blocks, title


def text_page_title(name: str, title_line: str | None, first_line: str) -> str:
    """The title of a page made from text: its title line, else the file name, else its first line."""
    stem = re.sub(r"\.[A-Za-z0-9]{1,8}$", "", name.replace("\\", "/").rsplit("/", 1)[-1])
    if title_line is not None:
        return title_line
    return stem if name not in ("-", "<string>", "") and stem else first_line


# A text's lines stay lines on its page, by CSS rather than <br>: a term wrapped onto the next line
# ("économie" / "sociale") is then found on the page as in the text itself.
_TEXT_PAGE_STYLE = "<style>main p { white-space: pre-line; }</style>\n"


def text_page_head(title: str, lang: str = "fr") -> str:
    """The start of a page made from text, up to its <main>."""
    return (
        f'<!DOCTYPE html>\n<html lang="{_attribute(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n{_TEXT_PAGE_STYLE}</head>\n<body>\n<main>\n"
    )


TEXT_PAGE_TAIL = "\n</main>\n</body>\n</html>\n"


def text_to_html(text: str, name: str = "<string>", lang: str = "fr") -> str:
    """Make a plain text a standalone HTML5 page: paragraphs from blank lines, line breaks kept.

    A first paragraph of one line, with no final punctuation and followed by others, is the
    page's title and ``<h1>``; other heading lines (short lines between blank lines) become
    ``<h2>``; the text is the page's ``<main>``.  Without a title line, the title is the file
    name (without folder and suffix), or the first line for standard input.
    """
    blocks, title_line = text_page_blocks(text, True, False)
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return text_page_head(text_page_title(name, title_line, first_line), lang) + "\n".join(blocks) + TEXT_PAGE_TAIL
