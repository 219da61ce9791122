"""Where annotations may not go, and where sections start, read from HTML markup.

Computed once per document, and only for documents with candidate matches: one regex
search over the source finds the few tags that matter (skipped elements, elements
with ``lang``, ``class="no-gloss"`` or ``data-gloss``, headings), stepping over
comments and raw-text elements as the HTML5 tokenizer does; the end of each skipped
element is found by a second, targeted search.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from functools import cache
from itertools import accumulate
from operator import add

from .scan import RAW_TEXT, nocase

DEFAULT_SKIP = frozenset(
    "a abbr dfn code pre kbd samp var script style textarea select option button label svg math template "
    "noscript iframe h1 h2 h3 h4 h5 h6".split()
)
"""Elements whose text is never annotated unless ``--no-skip`` says otherwise."""
HEADINGS = frozenset(f"h{n}" for n in range(1, 7))
# Inline phrasing elements: a term may run across them (économie <b>sociale</b> et solidaire).
# sub and sup are not among them: they hold footnote calls and exponents (l’ESS<sup>1</sup>).
TRANSPARENT = frozenset(
    "a abbr acronym b bdi bdo big cite code data del dfn em font i ins kbd mark nobr q s samp small span "
    "strike strong time tt u var wbr".split()
)
# Skipped elements that nest in real pages (an svg in an svg): counted, not just last-tag-wins.
NESTING = frozenset("svg math template".split())
VOID = frozenset("area base br col embed hr img input link meta param source track wbr keygen".split())
# Start tags that close an open <p> (HTML5 "close a p element").
CLOSES_P = frozenset(
    "address article aside blockquote details dialog div dl fieldset figcaption figure footer form h1 h2 h3 h4 "
    "h5 h6 header hgroup hr main menu nav ol p pre section table ul".split()
)
_TAG_NAME = re.compile(r"</?([A-Za-z][^\t\n\f\r />]*)")
_ATTR = re.compile(r"""([^\s/>="']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*)))?""")
_AFTER_NAME = r"(?=[\t\n\f\r />\x00])"


def tag_name(token: str) -> str:
    """Return the lower-case name of a tag token, or '' for comments and other markup."""
    match = _TAG_NAME.match(token)
    return match.group(1).lower() if match else ""


def is_transparent(token: str) -> bool:
    """Tell whether a markup token leaves the words on both sides joined (inline tags, comments)."""
    if token.startswith("<!--"):
        return True
    return tag_name(token) in TRANSPARENT


def _names(names: Iterable[str]) -> str:
    return "|".join(nocase(n) for n in sorted(names, key=len, reverse=True))


# Attributes that can ask for a skip; their tags are few, so they are found by a literal search.
_ATTRIBUTE_HINTS = ("lang", "LANG", "Lang", "gloss")


@cache
def _closer(name: str) -> re.Pattern[str]:
    """Find the tags that may end an element ``name``: its own start and end tags, and implicit closers."""
    implicit = {
        "p": sorted(CLOSES_P),
        "li": ["li", "/ul", "/ol"],
        "dt": ["dt", "dd", "/dl"],
        "dd": ["dt", "dd", "/dl"],
    }.get(name, [])
    others = "|".join(("/" + nocase(n[1:])) if n.startswith("/") else nocase(n) for n in implicit) or "(?!)"
    return re.compile(rf"\x00<(?:(/?)({nocase(name)})|({others})){_AFTER_NAME}")


def _attribute_rules(tag: str) -> tuple[bool, bool | None]:
    """Read what a start tag's attributes say: (skip its content?, is it French? None if no lang)."""
    body = tag[len(tag_name(tag)) + 1 :]
    skip, french = False, None
    for match in _ATTR.finditer(body):
        key = match.group(1).lower()
        value = next((v for v in match.groups()[1:] if v is not None), "")
        if key in ("lang", "xml:lang"):
            lang = value.strip().lower()
            french = lang == "fr" or lang.startswith("fr-")
        elif key == "class":
            skip = skip or any(c == "no-gloss" or c.startswith("gloss-") for c in value.split())
        elif key == "data-gloss" and value.strip().lower() == "off":
            skip = True
    return skip, french


class _Tokens:
    """The markup tokens of a document joined by NUL, with a map back to their source offsets."""

    def __init__(self, parts: list[str], source_offsets: Sequence[int]) -> None:
        self.tokens = parts[1::2]
        self.joined = "\x00" + "\x00".join(self.tokens)
        lengths = accumulate(map(len, self.tokens), initial=0)
        self.offsets = list(map(add, lengths, range(len(self.tokens) + 1)))
        """Where each token's NUL stands in ``joined``."""
        self.source_offsets = source_offsets

    def index(self, position: int) -> int:
        """Return the index of the token whose NUL is at ``position`` of ``joined``."""
        return bisect_right(self.offsets, position) - 1

    def start(self, k: int) -> int:
        return self.source_offsets[2 * k + 1]

    def end(self, k: int) -> int:
        return self.source_offsets[2 * k + 2]


def _element_end(tokens: _Tokens, name: str, k: int) -> int:
    """Return where the element opened by token ``k`` ends in the source (the end of input if never)."""
    if name in VOID or name in RAW_TEXT:
        return tokens.end(k)
    closer, depth = _closer(name), 1
    position = tokens.offsets[k + 1]
    while (match := closer.search(tokens.joined, position)) is not None:
        position = match.end()
        j = tokens.index(match.start())
        if match.group(3) is not None:  # a start or end tag that closes the element implicitly
            return tokens.end(j) if match.group(3).startswith("/") else tokens.start(j)
        if not match.group(1) and name in ("p", "li", "dt", "dd"):
            return tokens.start(j)  # a new <p> closes the open one
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return tokens.end(j)
    return tokens.source_offsets[-1]


def _hinted_tokens(tokens: _Tokens) -> set[int]:
    """Return the indexes of the tokens that mention lang or gloss (a fast literal search)."""
    found = set()
    joined = tokens.joined
    for hint in _ATTRIBUTE_HINTS:
        position = joined.find(hint)
        while position >= 0:
            found.add(tokens.index(position))
            position = joined.find(hint, position + 1)
    return found


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge overlapping spans into sorted, disjoint ones."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


SCOPES = ("auto", "main", "article", "body")
"""The named scopes of ``--scope``; any other value is a simple selector (:func:`parse_selector`)."""
_CHROME = frozenset({"nav", "header", "footer", "aside"})
_LANDMARK_ROLES = {"main": "main", "navigation": "nav", "banner": "header", "contentinfo": "footer", "complementary": "aside"}
_LANDMARK = re.compile(rf"\x00<(main|article|nav|header|footer|aside){_AFTER_NAME}")
_ROLE = re.compile(
    r"""\x00<([a-z][^\t\n\f\r />\x00]*)[^\x00]*?\srole\s*=\s*["']?(main|navigation|banner|contentinfo|complementary)\b"""
)
_START_TAG = re.compile(rf"\x00<([a-z][^\t\n\f\r />\x00]*){_AFTER_NAME}")
_SELECTOR = re.compile(
    r"""(?P<name>[A-Za-z][A-Za-z0-9-]*|\*)?(?P<rest>(?:[#.][A-Za-z0-9_-]+|\[[A-Za-z_:][A-Za-z0-9_:.-]*(?:=(?:"[^"]*"|'[^']*'|[^\]"']*))?\])*)"""
)
_SELECTOR_PART = re.compile(r"""([#.])([A-Za-z0-9_-]+)|\[([A-Za-z_:][A-Za-z0-9_:.-]*)(?:=("[^"]*"|'[^']*'|[^\]"']*))?\]""")

Selector = tuple[str | None, tuple[tuple[str, str | None], ...]]
"""A simple selector: an element name (or None for any) and (attribute, value) conditions; a ``class``
condition holds one class among the element's, an ``id`` the whole value, None any value."""


def parse_selector(text: str) -> Selector:
    """Read a simple CSS selector: a name, ``#id``, ``.class`` and ``[attr]``/``[attr=value]`` (``div#contenu``,
    ``.entry-content``, ``[itemprop=articleBody]``).

    Raises:
        ValueError: anything else (combinators, pseudo-classes, lists), named in the message.
    """
    found = _SELECTOR.fullmatch(text.strip())
    if not text.strip() or found is None or not (found.group("name") or found.group("rest")):
        raise ValueError(
            f"{text!r} is not a scope gloss reads: give auto, main, article, body or a simple selector "
            "(a name, #id, .class, [attribute] or [attribute=value], combined without spaces)"
        )
    name = found.group("name")
    conditions: list[tuple[str, str | None]] = []
    for part in _SELECTOR_PART.finditer(found.group("rest")):
        if part.group(1):
            conditions.append(("id" if part.group(1) == "#" else "class", part.group(2)))
        else:
            value = part.group(4)
            conditions.append((part.group(3).lower(), value.strip("\"'") if value is not None else None))
    return (None if name in (None, "*") else name.lower()), tuple(conditions)


def attributes(tag: str) -> dict[str, str]:
    """The attributes of a start tag, names in lower case, values with references decoded; the
    first of two attributes of the same name wins, as in HTML."""
    values: dict[str, str] = {}
    for match in _ATTR.finditer(tag[len(tag_name(tag)) + 1 :].rstrip(">").rstrip("/")):
        values.setdefault(match.group(1).lower(), html.unescape(next((v for v in match.groups()[1:] if v is not None), "")))
    return values


def _selects(selector: Selector, token: str) -> bool:
    name, conditions = selector
    if name is not None and tag_name(token) != name:
        return False
    if not conditions:
        return True
    values = attributes(token)
    for key, wanted in conditions:
        value = values.get(key)
        if value is None or (wanted is not None and (wanted not in value.split() if key == "class" else value != wanted)):
            return False
    return True


class _Scope:
    """Where in a page annotations may go, for ``--scope``: inside the scope's elements, and not in
    site chrome (nav, header, footer, aside, and their landmark roles) that is not an article's own."""

    def __init__(self, tokens: _Tokens, lowered: str, scope: str) -> None:
        self.everywhere = scope == "body"
        self.allowed: list[tuple[int, int]] = []
        self.chrome: list[tuple[int, int]] = []
        if self.everywhere:
            return
        landmarks: dict[str, list[tuple[int, int]]] = {}
        for kind, name, k in self._landmarks(tokens, lowered):
            landmarks.setdefault(kind, []).append((tokens.start(k), _element_end(tokens, name, k)))
        articles = landmarks.get("article", [])
        if scope == "auto":
            self.allowed = landmarks.get("main") or articles or [(0, tokens.source_offsets[-1])]
        elif scope in ("main", "article"):
            self.allowed = landmarks.get(scope, [])
        else:
            selector = parse_selector(scope)
            self.allowed = [
                (tokens.start(k), _element_end(tokens, tag_name(tokens.tokens[k]), k))
                for k in (tokens.index(m.start()) for m in _START_TAG.finditer(lowered))
                if _selects(selector, tokens.tokens[k])
            ]
        self.allowed = _merge(self.allowed)
        self.chrome = sorted(
            span
            for kind in _CHROME
            for span in landmarks.get(kind, [])
            if not any(start <= span[0] and span[1] <= end for start, end in articles)
        )

    @staticmethod
    def _landmarks(tokens: _Tokens, lowered: str) -> Iterable[tuple[str, str, int]]:
        """(kind, element name, token index) of every landmark element: main, article and chrome."""
        seen = set()
        for match in _LANDMARK.finditer(lowered):
            k = tokens.index(match.start())
            seen.add(k)
            yield match.group(1), match.group(1), k
        if "role" in lowered:
            for match in _ROLE.finditer(lowered):
                k = tokens.index(match.start())
                if k not in seen:
                    yield _LANDMARK_ROLES[match.group(2)], match.group(1), k

    def covers(self, start: int, end: int) -> bool:
        """Whether [start, end) is out of the scope, or in chrome inside it."""
        if self.everywhere:
            return False
        index = bisect_right(self.allowed, (start, end)) - 1
        if index < 0 or self.allowed[index][1] < end:
            return True
        inside = self.allowed[index][0]
        # chrome that holds the span and starts inside the scope's element (not the element itself, nor around it)
        return any(c_start > inside and c_start <= start and end <= c_end for c_start, c_end in self.chrome)


class Zones:
    """Spans of an HTML source that must not be annotated, and where its sections start.

    Asked about a position, it looks back from there in the markup, lower-cased and joined
    by NUL: the position is inside a skipped element when that element's last start tag
    before it is later than its last end tag (``<a>``, ``<option>`` and headings close the
    open one of their kind, as in HTML), or, for elements that nest (svg, math,
    template), when more of them were opened than closed before it.  Only the names present in the page are looked
    for, and only positions where a match was found are asked about, so a page is never
    walked tag by tag.  Start tags whose ``lang``, ``class`` or ``data-gloss`` asks for a
    skip are found at once by a literal search, and the end of each by a targeted one.
    Another skipped element nested in one of the same name (code in code) ends, here, at
    the first end tag.
    """

    def __init__(
        self,
        parts: list[str],
        source_offsets: Sequence[int],
        skip: Iterable[str] = DEFAULT_SKIP,
        table_gaps: bool = True,
        scope: str = "body",
    ) -> None:
        """Prepare to answer questions about a document.

        Args:
            parts: the source split into text (even indexes) and markup tokens (odd indexes).
            source_offsets: the source offset of each part, then the source's length.
            skip: names of the elements whose text is not annotated.
            table_gaps: nor text in a table outside its cells (which HTML moves out of the table).
            scope: where annotations go (``--scope``): ``auto`` (the page's ``<main>``, else its articles,
                else the whole page; never site chrome that is not an article's), ``main``, ``article``,
                ``body`` (everywhere), or a simple selector.
        """
        self.scope_name = scope
        self._scope: _Scope | None = None
        skip = frozenset(name.lower() for name in skip) - set(RAW_TEXT)
        self.tokens = _Tokens(parts, source_offsets)
        self.lowered = self.tokens.joined.lower()
        present = set(_present(skip).findall(self.lowered))
        self.groups = [(name,) for name in sorted(present & skip - HEADINGS)]
        if present & skip & HEADINGS:
            self.groups.append(tuple(sorted(present & skip & HEADINGS)))
        self._positions: dict[tuple[str, ...], tuple[list[int], list[int]]] = {}
        self._depths: dict[tuple[str, ...], tuple[list[int], list[int]]] = {}
        self.skip = skip
        self._headings: list[int] | None = None
        self._gaps: tuple[list[int], list[bool]] | None = None if table_gaps else ([], [])
        skipped: list[tuple[int, int]] = []
        self.languages: list[tuple[int, int, bool]] = []
        """Elements with a lang attribute: (start, end, is French); the innermost one decides."""
        for k in sorted(_hinted_tokens(self.tokens)):
            token = self.tokens.tokens[k]
            if not token[1:2].isalpha():
                continue
            off, french = _attribute_rules(token)
            if off or french is not None:
                span = (self.tokens.start(k), _element_end(self.tokens, tag_name(token), k))
                if off:
                    skipped.append(span)
                if french is not None:
                    self.languages.append((*span, french))
        self.attribute_spans = _merge(skipped)
        """Elements whose class or data-gloss keeps their content from annotation."""

    def _tags(self, names: tuple[str, ...]) -> tuple[list[int], list[int]]:
        """Return where the start tags and the end tags of ``names`` stand in ``lowered``."""
        found = self._positions.get(names)
        if found is None:
            alternatives = "|".join(re.escape(n) for n in names)
            starts = [m.start() for m in re.finditer(rf"\x00<(?:{alternatives}){_AFTER_NAME}", self.lowered)]
            ends = [m.start() for m in re.finditer(rf"\x00</(?:{alternatives}){_AFTER_NAME}", self.lowered)]
            found = self._positions[names] = (starts, ends)
        return found

    def _depth(self, names: tuple[str, ...], before: int) -> int:
        """How many elements of ``names`` (which nest) are open at ``before`` in ``lowered``."""
        table = self._depths.get(names)
        if table is None:
            starts, ends = self._tags(names)
            tags = sorted([(at, 1) for at in starts] + [(at, -1) for at in ends])
            depth, depths = 0, []
            for _, step in tags:
                depth = max(0, depth + step)
                depths.append(depth)
            table = self._depths[names] = ([at for at, _ in tags], depths)
        positions, depths = table
        index = bisect_left(positions, before) - 1
        return depths[index] if index >= 0 else 0

    def _tokens_before(self, offset: int) -> int:
        """Return how many markup tokens start strictly before source ``offset``."""
        part = bisect_left(self.tokens.source_offsets, offset) - 1
        return (part + 1) // 2

    def covers(self, start: int, end: int) -> bool:
        """Tell whether the source span [start, end) touches a skipped element or is out of the scope."""
        if self.scope_name != "body":
            if self._scope is None:
                self._scope = _Scope(self.tokens, self.lowered, self.scope_name)
            if self._scope.covers(start, end):
                return True
        index = bisect_right(self.attribute_spans, (end,)) - 1
        if index >= 0 and self.attribute_spans[index][1] > start:
            return True
        language = None  # the innermost element with a lang attribute around the span
        for lang_start, lang_end, french in self.languages:
            if lang_start > start:
                break
            if lang_end >= end:
                language = french
        if language is False:
            return True
        first, last = self._tokens_before(start), self._tokens_before(end)
        if any(tag_name(t) in self.skip for t in self.tokens.tokens[first:last]):
            return True  # a skipped element starts or ends inside the span
        before = self.tokens.offsets[first]
        if self._in_table_gap(before):
            return True
        for names in self.groups:
            starts, ends = self._tags(names)
            opened = bisect_left(starts, before)  # start tags before the span
            if not opened:
                continue
            closed = bisect_left(ends, before)
            if names[0] in NESTING:
                if self._depth(names, before) > 0:
                    return True  # inside one of them (an end tag with none open closes nothing)
            elif closed == 0 or starts[opened - 1] > ends[closed - 1]:
                return True  # the last tag of this element before the span opened it
        return False

    def _in_table_gap(self, before: int) -> bool:
        """Whether text at ``before`` (in ``lowered``) stands in a table but outside its cells:
        HTML moves such text out of the table (foster parenting), and a link around it would
        be moved without the white space beside it."""
        if self._gaps is None:
            self._gaps = ([], [])
            if "\x00<table" in self.lowered:
                stack: list[str] = []
                for tag in _TABLE_TAG.finditer(self.lowered):
                    closing, name = tag.group(1) == "/", tag.group(2)
                    if name == "table":
                        if closing:
                            while stack and stack.pop() != "table":
                                pass
                        else:
                            stack.append("table")
                    elif stack:
                        if stack[-1] == "cell":
                            stack.pop()  # an end tag, a row, a section or another cell closes the cell
                        if name in _CELLS and not closing:
                            stack.append("cell")
                    self._gaps[0].append(tag.start())
                    self._gaps[1].append(bool(stack) and stack[-1] == "table")
        positions, gaps = self._gaps
        index = bisect_left(positions, before) - 1
        return index >= 0 and gaps[index]

    def section(self, position: int) -> int:
        """Return how many headings stand before source ``position``."""
        if self._headings is None:
            self._headings = [
                self.tokens.start(bisect_right(self.tokens.offsets, m.start()) - 1) for m in _HEADING_START.finditer(self.lowered)
            ]
        return bisect_right(self._headings, position)


@cache
def _present(skip: frozenset[str]) -> re.Pattern[str]:
    """Find the names of skipped elements and headings among lower-cased start tags."""
    names = "|".join(re.escape(n) for n in sorted(skip | HEADINGS, key=len, reverse=True))
    return re.compile(rf"\x00<({names}){_AFTER_NAME}")


_TABLE_TAG = re.compile(rf"\x00<(/?)(table|caption|td|th|tr|tbody|thead|tfoot|colgroup){_AFTER_NAME}")
_CELLS = frozenset({"td", "th", "caption"})
_NAME_ENDS = frozenset("\t\n\f\r />\x00")
_HEADING_START = re.compile(rf"\x00<h[1-6]{_AFTER_NAME}")


# A heading in plain text: a Markdown '#' line, or a short line with no final punctuation
# standing alone between blank lines (or underlined with === or ---).
# It is read with line breaks made "\n" (a text's page is made from the text so), and blank lines
# at the very start are no paragraph.
_TEXT_HEADING = re.compile(
    r"(?:\A\n*|(?<=\n\n))[ \t]*(?:#{1,6} [^\n]*|[^\n.;,:]{0,79}[^\n.;,:\s])[ \t]*"
    r"(?=\n(?:[ \t]*\n|[=-]{3,}))"
)


def _text_headings(text: str) -> list[tuple[int, int]]:
    """The (start, end) of the headings of a plain text, whatever its line breaks (LF, CR LF, CR)."""
    if "\r" not in text:
        return [(m.start(), m.end()) for m in _TEXT_HEADING.finditer(text)]
    collapsed = [m.start() - k for k, m in enumerate(re.finditer("\r\n", text))]  # where each CR LF is, once "\n"
    normal = text.replace("\r\n", "\n").replace("\r", "\n")

    def raw(position: int) -> int:
        return position + bisect_left(collapsed, position)

    return [(raw(m.start()), raw(m.end())) for m in _TEXT_HEADING.finditer(normal)]


_NOT_SPACE = re.compile(r"\S")
_LINE_END = re.compile(r"[\r\n]")
_PARAGRAPH_BREAK = re.compile(r"(?:\r\n|\r(?!\n)|\n)[ \t]*(?:\r\n|\r(?!\n)|\n)\s*")  # a blank line, CR LF one break
TITLE_LENGTH = 150


def text_title(text: str, more: bool = False) -> tuple[int, int] | None:
    """Where the title of a plain text is, if it has one: its first paragraph, when that is a single
    line of at most 150 characters that does not end like a sentence (. ; , :) and more text follows
    it (in ``text`` or, with ``more``, in the parts still to come).  Every view of a text (its HTML
    page, where it becomes the <h1>, the terminal preview and the JSON report) reads it so."""
    first = _NOT_SPACE.search(text)
    if first is None:
        return None
    start = first.start()
    line_end = _LINE_END.search(text, start)
    end = line_end.start() if line_end else len(text)
    line = text[start:end].rstrip()
    if len(line) > TITLE_LENGTH or line[-1] in ".;,:":
        return None
    gap = _PARAGRAPH_BREAK.match(text, end)
    if gap is None:
        if text[end:].strip():
            return None  # the first paragraph has more lines
        return (start, start + len(line)) if more else None
    return (start, start + len(line)) if more or gap.end() < len(text) else None


class TextZones:
    """Headings of a plain text: where its sections start, and spans not annotated when headings are skipped.

    Args:
        text: the text (or a part of it cut after a blank line).
        skip_headings: headings are not annotated.
        first: the text starts here, so its first paragraph may be its title (:func:`text_title`).
        more: more of the text follows this part.
    """

    def __init__(self, text: str, skip_headings: bool, first: bool = True, more: bool = False) -> None:
        spans = _text_headings(text)
        title = text_title(text, more) if first else None
        if title is not None and not any(start < title[1] and title[0] < end for start, end in spans):
            spans.insert(0, title)
        self.headings = [start for start, _ in spans]
        self.spans = spans if skip_headings else []

    def covers(self, start: int, end: int) -> bool:
        """Tell whether [start, end) touches a heading that is not annotated."""
        index = bisect_right(self.spans, (end,)) - 1
        return index >= 0 and self.spans[index][1] > start

    def section(self, position: int) -> int:
        """Return how many headings start before ``position``."""
        return bisect_right(self.headings, position)


def text_headings(text: str) -> list[int]:
    """Return where headings start in plain text."""
    return TextZones(text, False).headings
