"""Annotated HTML: tooltip links spliced into the untouched source, and the glossary appendix.

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

import re
from bisect import bisect_right
from collections.abc import Sequence

from ..glossary import Entry
from ..html.context import PageContext, Plan, plan, read_context
from ..html.scan import Projection
from ..html.tags import VOID, tag_name
from ..lazy import regex
from ..match.occurrence import Match
from .assets import PLAIN, assets_html, script_content, style_content
from .options import HtmlOptions
from .pieces import TERM_OPEN, escape, sign_tag
from .places import appendix_position, assets_position
from .site import structured_data_html

_NO_CONTEXT = PageContext()
_ID = regex(r"""\sid\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_LABEL = regex(r"\[\^?(gloss-[^\]\s]+)\]")
_HTML_LANG = regex(r"""<html\b[^>]*?\slang\s*=\s*["']?([A-Za-z-]+)""", re.IGNORECASE)
WORDS = {
    "fr": ("Glossaire", "En savoir plus"),
    "en": ("Glossary", "Learn more"),
    "es": ("Glosario", "Más información"),
    "de": ("Glossar", "Mehr erfahren"),
    "it": ("Glossario", "Per saperne di più"),
    "pt": ("Glossário", "Saiba mais"),
    "ca": ("Glossari", "Més informació"),
}


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

    def __init__(self, page: Projection | str) -> None:
        # Every id="…" of the source, even in comments or scripts (a superset is safe); only ids
        # starting with gloss- can collide with ours, and most pages have none.  A Markdown
        # source also names footnotes and link definitions [gloss-…]: those are taken too.
        source = page if isinstance(page, str) else page.source
        self.taken = {next(g for g in m.groups() if g is not None) for m in _ID.finditer(source)} if "gloss-" in source else set()
        if isinstance(page, str) and "[" in source and "gloss-" in source:
            self.taken.update(_LABEL.findall(source))
        self.title = _unique("gloss-title", self.taken)
        self.by_entry: dict[str, tuple[str, str]] = {}
        self.anchors: dict[str, str] = {}
        """Entry id -> the id of its first link on the page (``gloss-in-ID``), when links are anchored."""

    def of(self, entry: Entry) -> tuple[str, str]:
        found = self.by_entry.get(entry.id)
        if found is None:
            term_id = _unique(f"gloss-{entry.id}", self.taken)
            found = self.by_entry[entry.id] = (term_id, _unique(f"{term_id}-def", self.taken))
        return found

    def anchor(self, entry: Entry) -> str | None:
        """The id to give ``entry``'s link, a site's glossary page's back-link target: its first
        link's only (None for the others)."""
        if entry.id in self.anchors:
            return None
        anchor = self.anchors[entry.id] = _unique(f"gloss-in-{entry.id}", self.taken)
        return anchor


def balanced(projection: Projection, start: int, end: int) -> tuple[int, int] | None:
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
    return bisect_right(offsets, position) - 1


def _open_tag(
    entry: Entry, ids: tuple[str, str] | None, links: Plan = PLAIN, glossary_url: str | None = None, anchor: str | None = None
) -> str:
    definition = escape(entry.definition)
    if glossary_url is not None:
        href = f"{escape(glossary_url)}#gloss-{escape(entry.id)}"
        at = f' id="{escape(anchor)}"' if anchor is not None else ""
        tag = f'{TERM_OPEN}href="{href}"{at} aria-description="{definition}" data-gloss-def="{definition}">'
    elif ids is not None and links.link_prefix is None:  # a <base href> elsewhere, the page's address unknown
        tag = f'{TERM_OPEN}role="button" tabindex="0" aria-describedby="{ids[1]}" data-gloss-def="{definition}">'
    elif ids is not None:
        target = f' target="{links.link_target}"' if links.link_target else ""
        href = f"{links.link_prefix}#{ids[0]}"
        tag = f'{TERM_OPEN}href="{href}"{target} aria-describedby="{ids[1]}" data-gloss-def="{definition}">'
    else:
        href = f'href="{escape(entry.url)}" ' if entry.url else 'role="button" tabindex="0" '
        tag = f'{TERM_OPEN}{href}aria-description="{definition}" data-gloss-def="{definition}">'
    if anchor is not None and glossary_url is None:
        tag = f'{tag[:-1]} id="{escape(anchor)}">'
    return sign_tag(tag, "a")


def appendix_html(entries: list[Entry], ids: PageIds, language: str, glossary_language: str = "fr") -> str:
    title, more = WORDS.get(language, WORDS["fr"])
    lang = f' lang="{escape(glossary_language)}"' if language != glossary_language else ""
    items = []
    for entry in entries:
        term_id, definition_id = ids.of(entry)
        link = f' <a href="{escape(entry.url)}">{more}</a>' if entry.url else ""
        items.append(
            f'<dt><dfn id="{term_id}">{escape(entry.label)}</dfn></dt>'
            f'<dd><span id="{definition_id}">{escape(entry.definition)}</span>{link}</dd>'
        )
    inner = f'<h2 id="{ids.title}">{title}</h2><dl{lang}>{"".join(items)}</dl>'
    start = sign_tag(f'<aside class="gloss-glossary" aria-labelledby="{ids.title}">', "aside", ">" + inner)
    return f"{start}{inner}</aside>"


def page_plan(projection: Projection, options: HtmlOptions, url: str | None = None, policies: Sequence[str] = ()) -> Plan:
    """What works on this page: how to write term links and which assets its policy lets run
    (see :mod:`.context`).  ``url`` and ``policies`` are the document's own address and HTTP policies."""
    markup = projection.markup
    found = read_context(projection.source, policies, markup.parts if markup is not None else None)
    if found == _NO_CONTEXT:
        return PLAIN
    return plan(found, url or options.page_url, options.assets, style_content(), script_content())


def link_insertions(
    projection: Projection,
    matches: list[Match],
    ids: PageIds | None,
    entries: list[Entry],
    links: Plan = PLAIN,
    glossary_url: str | None = None,
    anchored: PageIds | None = None,
) -> list[tuple[int, int, str]]:
    """Return the (position, order, text) insertions that make each match a link; record its entry.

    ``ids`` is None when there is no appendix to point to; with ``anchored``, each entry's first
    link gets an id (see :meth:`PageIds.anchor`).
    """
    insertions = []
    recorded = {entry.id for entry in entries}  # a set: a page may link thousands of entries
    for match in matches:
        span = balanced(projection, match.start, match.end)
        if span is None:
            continue
        entry = match.entry
        if entry.id not in recorded:
            recorded.add(entry.id)
            entries.append(entry)
        anchor = anchored.anchor(entry) if anchored is not None else None
        term_ids = ids.of(entry) if ids is not None else None
        insertions.append((span[0], 2, _open_tag(entry, term_ids, links, glossary_url, anchor)))
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
    projection: Projection,
    matches: list[Match],
    options: HtmlOptions,
    url: str | None = None,
    policies: Sequence[str] = (),
    anchors: dict[str, str] | None = None,
) -> tuple[str, list[str]]:
    """Like :func:`render`, for a page at ``url`` served with these HTTP ``policies`` (when known);
    also return a line for each thing the page's context kept from working as usual.  With
    ``options.anchors``, ``anchors`` receives the id of each entry's first link."""
    source = projection.source
    if not matches:
        return source, []
    ids = PageIds(projection)
    entries: list[Entry] = []
    context = page_plan(projection, options, url, policies)
    appendix = options.page_appendix
    anchored = ids if options.anchors else None
    insertions = link_insertions(projection, matches, ids if appendix else None, entries, context, options.glossary_url, anchored)
    if not entries:
        return source, []
    if anchors is not None:
        anchors.update(ids.anchors)
    assets = assets_html(options, context)
    if options.structured_data:
        assets += structured_data_html(entries, options.glossary_url, ids.of if appendix else None)
    if assets:
        insertions.append((assets_position(source, projection.tokens), 0, assets))
    if appendix:
        insertions.append((appendix_position(projection), 3, appendix_html(entries, ids, page_language(source))))
    return splice(source, insertions), context.notes
