"""Annotated Markdown: insertions into the untouched source, in one of four styles, and taking them out.

Styles (``--markdown-style``):

- ``html``: an inline ``<a class="gloss-term" …>`` around each term, as on an HTML page, and at
  the end the stylesheet, the script and the glossary section as raw HTML blocks, which
  CommonMark renderers pass through;
- ``link``: ``[ESS](#gloss-ess "ESS — définition")`` and a glossary section in Markdown, for
  renderers that forbid raw HTML;
- ``abbr``: ``*[ESS]: définition`` lines for the acronyms found, as Python-Markdown's abbr
  extension and Material for MkDocs read them (they mark every occurrence themselves);
- ``footnote``: a call ``[^gloss-ess]`` after each term and the footnote definitions.

Whatever the style, what gloss adds at the end (the *trailer*) is one block: a blank line, a
start line, the body, a blank line, and a signature line — the two lines are link reference
definitions, which no renderer shows::

    [gloss-start]: #gloss
    …
    [gloss-signature]: #gloss "<digest of the body> <style>"

:func:`strip_markdown` removes a trailer only when that digest matches its body, and inline
pieces only when they are proven: a signed ``<a>`` (as in HTML), or a link or footnote call that
the signed body defines, read where the parser reads a link or a call (never in code).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Literal

from ..glossary import Entry
from ..html.document import Document
from ..html.scan import Projection
from ..html.tokens import split_markup
from ..lazy import regex
from ..match.occurrence import Match
from ..md.scan import Shadow, front_matter_end, parser, shadow
from .assets import assets_html
from .insert import WORDS, PageIds, appendix_html, balanced, splice
from .options import HtmlOptions
from .pieces import TERM_OPEN, escape, sign_tag, signature
from .strip import signed_pieces

MarkdownStyle = Literal["html", "link", "abbr", "footnote"]
STYLES: tuple[MarkdownStyle, ...] = ("html", "link", "abbr", "footnote")
_START_LINE = "\n\n[gloss-start]: #gloss\n\n"
_SIGNATURE_LINE = regex(r'\n\n\[gloss-signature\]: #gloss "([0-9a-f]{20}) (html|link|abbr|footnote)"\n')
_LINK_DEFINITION = regex(r'^\[(gloss-[^\]\s]+)\]: ([^\s"<>()]*#gloss-[^\s"]+) "((?:[^"\\\n]|\\.)*)"$', re.MULTILINE)
_FOOTNOTE_DEFINITION = regex(r"^\[\^(gloss-[^\]\s]+)\]: ", re.MULTILINE)
_MD_ATTRIBUTE = str.maketrans({"|": "&#124;", "\n": "&#10;", "`": "&#96;"})


@dataclass(frozen=True, slots=True)
class MarkdownReading:
    """A Markdown source read for annotation: its shadow page, the projection of the shadow, and the
    occurrences found, in the shadow (for writing) and in the source (for reports)."""

    shadow: Shadow
    projection: Projection
    found: list[Match]
    """In the shadow's offsets."""
    matches: list[Match]
    """The same occurrences, in the source's offsets (those that map back)."""


def _md_attribute(value: str) -> str:
    """An attribute value for raw HTML inside Markdown: a pipe would split a table cell, a line
    break a table row (and a blank line a paragraph), a backtick could open a code span."""
    return escape(value).translate(_MD_ATTRIBUTE)


def _term_tag(entry: Entry, ids: tuple[str, str] | None, glossary_url: str | None = None, anchor: str | None = None) -> str:
    definition = _md_attribute(entry.definition)
    at = f' id="{_md_attribute(anchor)}"' if anchor is not None else ""
    if glossary_url is not None:
        href = _md_attribute(f"{glossary_url}#gloss-{entry.id}")
        tag = f'{TERM_OPEN}href="{href}"{at} aria-description="{definition}" data-gloss-def="{definition}">'
    elif ids is not None:
        tag = f'{TERM_OPEN}href="#{ids[0]}" aria-describedby="{ids[1]}" data-gloss-def="{definition}">'
    else:
        href = f'href="{_md_attribute(entry.url)}" ' if entry.url else 'role="button" tabindex="0" '
        tag = f'{TERM_OPEN}{href}aria-description="{definition}" data-gloss-def="{definition}">'
    if at and glossary_url is None:
        tag = f"{tag[:-1]}{at}>"
    return sign_tag(tag, "a")


def _title(entry: Entry) -> str:
    """What a link's title says of an entry: its term, then its definition."""
    text = f"{entry.term} — {entry.definition}" if entry.term != entry.definition else entry.definition
    return " ".join(text.split())


def _named(entry: Entry) -> str:
    """An entry as the glossary section names it: its term, and its first acronym."""
    return f"{entry.term} ({entry.acronyms[0]})" if entry.acronyms and entry.acronyms[0] != entry.term else entry.term


def _md_title(text: str) -> str:
    """A link title in double quotes: backslashes, quotes and pipes (table cells) escaped."""
    return re.sub(r'([\\"|])', r"\\\1", text)


def _md_text(text: str) -> str:
    """Text written into Markdown prose as it reads: each character Markdown could take as syntax escaped."""
    return re.sub(r"([\\`*_\[\]<|~&])", r"\\\1", " ".join(text.split()))


def _inside(spans: list[tuple[int, int]], position: int) -> bool:
    """Whether ``position`` falls in one of ``spans`` (sorted, disjoint: links do not nest)."""
    index = bisect_right(spans, (position, 1 << 62)) - 1
    return index >= 0 and spans[index][0] <= position < spans[index][1]


def render_markdown(
    reading: MarkdownReading,
    options: HtmlOptions,
    style: MarkdownStyle = "html",
    language: str = "fr",
    anchors: dict[str, str] | None = None,
) -> str:
    """Write the occurrences found into the Markdown source, in ``style`` (see the module).

    With ``options.glossary_url`` the terms link to their entries on a site's glossary page (styles
    ``html`` and ``link``) and no glossary section is appended; with ``options.anchors`` each entry's
    first ``html`` link gets an id, recorded in ``anchors``."""
    if style not in STYLES:
        raise ValueError(f"markdown style must be one of {', '.join(STYLES)}, not {style!r}")
    source = reading.shadow.source
    if not reading.found:
        return source
    ids = PageIds(source)
    appendix = options.page_appendix
    insertions: list[tuple[int, int, str]] = []
    entries: list[Entry] = []
    surfaces: dict[str, Entry] = {}
    link_texts = [(link.open_end, link.close_start) for link in reading.shadow.links]
    for found in reading.found:
        span = balanced(reading.projection, found.start, found.end)
        mapped = reading.shadow.to_source(*span) if span is not None else None
        if mapped is None:
            continue
        start, end = mapped
        entry = found.entry
        if start > 0 and source[start - 1] == "\\" and style != "footnote":
            continue  # the backslash would escape what is inserted
        if style != "html" and _inside(link_texts, start):
            continue  # Markdown links do not nest, nor hold a footnote call
        if style in ("link", "footnote") and _inside(reading.shadow.raw_html, start):
            continue  # inside raw HTML, which Python-Markdown does not read as Markdown
        if style == "html":
            anchor = ids.anchor(entry) if options.anchors else None
            tag = _term_tag(entry, ids.of(entry) if appendix else None, options.glossary_url, anchor)
            insertions += [(start, 2, tag), (end, 1, "</a>")]
        elif style == "link":
            if start > 0 and source[start - 1] == "!":
                continue  # the "[" would make an image
            insertions += [(start, 2, "["), (end, 1, f']({_link_target(entry, ids, options)} "{_md_title(_title(entry))}")')]
        elif style == "footnote":
            if source[end : end + 1] in ("(", "[", ":"):
                continue
            insertions.append((end, 1, f"[^{ids.of(entry)[0]}]"))
        elif found.surface.isupper() and " " not in found.surface:
            surfaces.setdefault(found.surface, entry)  # an acronym as written (the extension marks it as written)
        if entry not in entries:
            entries.append(entry)
    if style == "abbr":
        for entry in entries:
            for acronym in entry.acronyms:
                surfaces.setdefault(acronym, entry)
        if not surfaces:
            return source
    if not entries:
        return source
    if anchors is not None:
        anchors.update(ids.anchors)
    body = _trailer_body(style, entries, ids, surfaces, options, language)
    if body is None:
        return splice(source, insertions)
    insertions.append((reading.shadow.open_tail, 3, trailer(style, body)))
    return splice(source, insertions)


def trailer(style: MarkdownStyle, body: str) -> str:
    """The block gloss appends: a blank line, the body, a blank line and the signature line."""
    return f'{_START_LINE}{body}\n\n[gloss-signature]: #gloss "{signature("markdown-" + style, body)} {style}"\n'


def _trailer_body(
    style: MarkdownStyle, entries: list[Entry], ids: PageIds, surfaces: dict[str, Entry], options: HtmlOptions, language: str
) -> str | None:
    title, _ = WORDS.get(language, WORDS["fr"])
    if style == "html":
        pieces = []
        assets = assets_html(options)
        if assets:
            pieces.append(assets.replace("</style><script", "</style>\n<script"))
        if options.page_appendix:
            pieces.append(appendix_html(entries, ids, language).replace("\n", "&#10;"))
        return "\n".join(pieces) if pieces else None
    if style == "abbr":
        return "\n".join(f"*[{surface}]: {_md_text(_title(entry))}" for surface, entry in surfaces.items())
    if style == "footnote":
        return "\n".join(
            f"[^{ids.of(entry)[0]}]: **{_md_text(_named(entry))}** — {_md_text(entry.definition)}" for entry in entries
        )
    lines = []
    if options.page_appendix:
        lines += [f"## {title}", ""]
        lines += [f"- **{_md_text(_named(entry))}** : {_md_text(entry.definition)}" for entry in entries]
        lines.append("")
    # The link tails, as definitions (invisible): what strip proves each inline link against.
    lines += [f'[{ids.of(entry)[0]}]: {_link_target(entry, ids, options)} "{_md_title(_title(entry))}"' for entry in entries]
    return "\n".join(lines)


def _link_target(entry: Entry, ids: PageIds, options: HtmlOptions) -> str:
    """Where a ``link``-style term points: its entry in the page's glossary section, or on the site's
    glossary page (spaces and parentheses written as escapes, which Markdown link targets allow)."""
    if options.glossary_url is None:
        return f"#{ids.of(entry)[0]}"
    return re.sub(r"[\s()<>\\]", lambda m: f"%{ord(m.group()):02X}", f"{options.glossary_url}#gloss-{entry.id}")


def strip_markdown(text: str) -> str:
    """Remove what gloss inserted into a Markdown source, and only what it can prove it wrote."""
    return read_stripped(text)[0]


def read_stripped(text: str) -> tuple[str, Shadow | None]:
    """:func:`strip_markdown`'s text, and the shadow page of ``text`` it read (HTML blocks held) when it
    took nothing out: a source that names a « glossaire » is then read once, not again to annotate it."""
    if "gloss" not in text:
        return text, None
    read = shadow(text, html_blocks=True)
    cuts: list[tuple[int, int]] = []
    trailer_span, style, body = _find_trailer(text, read)
    if trailer_span is not None:
        cuts.append(trailer_span)
    if "data-gloss-sig" in read.text:
        cuts += _signed_html(read, trailer_span)
    if style == "link":
        tails = {f']({target} "{title}")' for _, target, title in _LINK_DEFINITION.findall(body)}
        for link in read.links:
            if text[link.close_start : link.close_end] in tails and link.open_end - link.open_start == 1:
                cuts += [(link.open_start, link.open_end), (link.close_start, link.close_end)]
    elif style == "footnote":
        labels = {f"[^{label}]" for label in _FOOTNOTE_DEFINITION.findall(body)}
        cuts += [(start, end) for start, end in read.footnote_calls if text[start:end] in labels]
    if not cuts:
        return text, read
    cuts.sort()
    pieces, position = [], 0
    for start, end in cuts:
        if start < position:
            continue
        pieces.append(text[position:start])
        position = end
    pieces.append(text[position:])
    return "".join(pieces), None


def _find_trailer(text: str, read: Shadow) -> tuple[tuple[int, int] | None, str, str]:
    """The span of a signed trailer (with its framing), its style and its body; (None, "", "")."""
    for line in reversed(list(_SIGNATURE_LINE.finditer(text))):
        digest, style = line.group(1), line.group(2)
        start = text.rfind(_START_LINE, 0, line.start())
        if start < 0:
            continue
        body_start = start + len(_START_LINE)
        body = text[body_start : line.start()]
        if signature("markdown-" + style, body) != digest:
            continue
        if any(start <= line.start() + 2 < end for start, end in read.blocks):
            continue  # inside code or another block: not a definition gloss wrote
        return (start, line.end()), style, body
    return None, "", ""


def _signed_html(read: Shadow, trailer_span: tuple[int, int] | None) -> list[tuple[int, int]]:
    """The source spans of the signed HTML pieces the shadow holds (raw HTML, never code)."""
    parts = split_markup(read.text)
    drop = signed_pieces(parts)
    offsets = [0]
    for part in parts:
        offsets.append(offsets[-1] + len(part))
    cuts = []
    for index in sorted(drop):
        start, end = offsets[index], offsets[index + 1]
        if start == end:
            continue
        mapped = read.to_source(start, end)
        if mapped is None or read.source[mapped[0] : mapped[1]] != parts[index]:
            continue
        if trailer_span is not None and trailer_span[0] <= mapped[0] < trailer_span[1]:
            continue
        cuts.append(mapped)
    return cuts


_TITLE = regex(r"""^title[ \t]*[:=][ \t]*(?:"((?:[^"\\\n]|\\.)*)"|'([^'\n]*)'|([^\n]*?))[ \t]*$""", re.MULTILINE)
_LANG = regex(r"""^(?:lang|language|languageCode)[ \t]*[:=][ \t]*["']?([A-Za-z]{2,3})\b""", re.MULTILINE)
_H1 = regex(r"<h1>(.*?)</h1>", re.DOTALL)


def render_markdown_html(source: str) -> str:
    """Render a Markdown source to HTML (CommonMark with GFM tables, strikethrough and footnotes),
    front matter left out."""
    rendered: str = parser().render(source[front_matter_end(source) :])
    return rendered


def markdown_to_html(source: str, name: str = "<string>") -> str:
    """Make a Markdown source a standalone HTML5 page: rendered by a CommonMark parser; its title is
    the front matter's ``title``, else its first level-1 heading, else the file name."""
    import html

    from .textpage import TEXT_PAGE_TAIL, text_page_head, text_page_title

    front = source[: front_matter_end(source)]
    body = render_markdown_html(source)
    found = _TITLE.search(front)
    title = next((group for group in found.groups() if group is not None), None) if found else None
    if not title:
        heading = _H1.search(body)
        title = html.unescape(re.sub(r"<[^>]*>", "", heading.group(1))).strip() if heading else None
    language = _LANG.search(front)
    head = text_page_head(text_page_title(name, title or None, ""), language.group(1).lower() if language else "fr")
    return head.replace("<style>main p { white-space: pre-line; }</style>\n", "") + body + TEXT_PAGE_TAIL


def markdown_page(document: Document) -> Document:
    """A Markdown document as the standalone HTML page :func:`markdown_to_html` makes of it."""
    return Document(markdown_to_html(document.text, document.name), "html", "utf-8", document.name, url=document.url)
