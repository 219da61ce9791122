"""Markup tokens read as HTML reads them: tag names, attributes, the element kinds that matter to gloss,
and where an element opened by a start tag ends."""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from functools import cache
from itertools import accumulate, islice
from operator import add, sub

from ..lazy import regex, unescape
from .parts import TokenParts, offset_type
from .tokens import RAW_TEXT, nocase

DEFAULT_SKIP = frozenset(
    "a abbr dfn code pre kbd samp var script style textarea select option button label svg math template "
    "noscript iframe h1 h2 h3 h4 h5 h6".split()
)
"""Elements whose text is never annotated unless ``--no-skip`` says otherwise."""
HEADINGS = frozenset(f"h{n}" for n in range(1, 7))
SKIP_ALIASES = {"heading": HEADINGS, "headings": HEADINGS, "link": frozenset({"a"}), "links": frozenset({"a"})}
"""Names ``--skip`` and ``--no-skip`` take for kinds of elements, as a Markdown writer knows them."""


def skip_names(names: Iterable[str]) -> frozenset[str]:
    """Element names, lower-cased, with ``heading`` and ``link`` read as the elements they stand for."""
    found: set[str] = set()
    for name in names:
        found |= SKIP_ALIASES.get(name.lower(), {name.lower()})
    return frozenset(found)


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
ATTRIBUTE = re.compile(r"""([^\s/>="']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*)))?""")
AFTER_NAME = r"(?=[\t\n\f\r />\x00])"


def tag_name(token: str) -> str:
    """Return the lower-case name of a tag token, or '' for comments and other markup."""
    match = _TAG_NAME.match(token)
    return match.group(1).lower() if match else ""


def is_transparent(token: str) -> bool:
    """Tell whether a markup token leaves the words on both sides joined (inline tags, comments)."""
    if token.startswith("<!--"):
        return True
    return tag_name(token) in TRANSPARENT


def attributes(tag: str) -> dict[str, str]:
    """The attributes of a start tag, names in lower case, values with references decoded; the
    first of two attributes of the same name wins, as in HTML."""
    values: dict[str, str] = {}
    for match in ATTRIBUTE.finditer(tag[len(tag_name(tag)) + 1 :].rstrip(">").rstrip("/")):
        values.setdefault(match.group(1).lower(), unescape(next((v for v in match.groups()[1:] if v is not None), "")))
    return values


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


class Tokens:
    """The markup tokens of a document joined by NUL, with a map back to their source offsets."""

    def __init__(self, parts: Sequence[str], source_offsets: Sequence[int]) -> None:
        if isinstance(parts, list):
            self.tokens: Sequence[str] = parts[1::2]
            self.joined = "\x00" + "\x00".join(self.tokens)
        else:  # offsets into a large page: joined a few thousand at a time, never all as strings at once
            self.tokens = TokenParts(parts)
            chunks = ["\x00".join(self.tokens[k : k + 4096]) for k in range(0, len(self.tokens), 4096)]
            self.joined = "\x00" + "\x00".join(chunks)
        lengths = accumulate(map(sub, islice(source_offsets, 2, None, 2), islice(source_offsets, 1, None, 2)), initial=0)
        places = map(add, lengths, range(len(self.tokens) + 1))
        self.offsets: Sequence[int] = list(places) if isinstance(parts, list) else array(offset_type(len(self.joined)), places)
        """Where each token's NUL stands in ``joined``: a list for a page split as strings (up to a
        megabyte: faster to build and to search), machine integers beyond."""
        self.source_offsets = source_offsets
        self._lowered: str | None = None

    @property
    def lowered(self) -> str:
        """``joined`` in lower case at the same offsets, where an ASCII letter stands only for itself:
        if a letter's lower case is longer (« İ » becomes « i » and a dot) or is an ASCII letter (the
        Kelvin sign becomes « k »), ASCII letters only are lowered, which is how HTML reads names."""
        if self._lowered is None:
            lowered = self.joined.lower()
            if len(lowered) != len(self.joined) or "\u212a" in self.joined:
                lowered = self.joined.translate(_ASCII_LOWER)
            self._lowered = lowered
        return self._lowered

    def index(self, position: int) -> int:
        """Return the index of the token whose NUL is at ``position`` of ``joined``."""
        return bisect_right(self.offsets, position) - 1

    def count_before(self, offset: int) -> int:
        """Return how many tokens start strictly before source ``offset``."""
        return bisect_left(self.source_offsets, offset) // 2

    def start(self, k: int) -> int:
        return self.source_offsets[2 * k + 1]

    def end(self, k: int) -> int:
        return self.source_offsets[2 * k + 2]


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
    return re.compile(rf"\x00<(?:(/?)({nocase(name)})|({others})){AFTER_NAME}")


def element_end(tokens: Tokens, name: str, k: int) -> int:
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


def merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge overlapping spans into sorted, disjoint ones."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


# Elements an end tag does not look past for its element (the default scope of the HTML tree builder).
_SCOPE_BOUNDARIES = frozenset("applet caption html marquee object table td template th".split())
_FORMATTING = frozenset("a b big code em font i nobr s small strike strong tt u".split())
# What a start tag closes when it is open, and where that search stops (HTML's implied end tags).
_CLOSED_BY = {
    **{name: (frozenset({"p"}), frozenset({"button"}) | _SCOPE_BOUNDARIES) for name in CLOSES_P},
    "li": (frozenset({"li"}), frozenset({"ul", "ol"}) | _SCOPE_BOUNDARIES),
    "dt": (frozenset({"dt", "dd"}), frozenset({"dl"}) | _SCOPE_BOUNDARIES),
    "dd": (frozenset({"dt", "dd"}), frozenset({"dl"}) | _SCOPE_BOUNDARIES),
    "td": (frozenset({"td", "th"}), frozenset({"table", "tr"})),
    "th": (frozenset({"td", "th"}), frozenset({"table", "tr"})),
    "tr": (frozenset({"td", "th", "tr"}), frozenset({"table"})),
}
_NO_CONTENT = VOID | frozenset(RAW_TEXT)  # elements that hold no tags: closed where they open
# A start tag followed at once by its end tag (`<a href="…">…</a>`, most of a menu's tags) opens and closes
# an element and changes nothing else, unless its start tag closes elements (<p>, <li>…), holds no content
# or may close itself ("/>" in svg): such a pair is read as one match (group "closing" ends it). So is a
# list item holding only such pairs (`<li><a href="…">…</a></li>`, group "item"), which changes nothing
# when the element open around it is its list. Any other tag is read alone ("/" in group "slash" for an
# end tag, its name in "name"). A name is followed by a lookahead, so that a long one is not tried again
# at each shorter length.
_UNPAIRED = "|".join(sorted(_CLOSED_BY.keys() | _NO_CONTENT, key=len, reverse=True))
_SPECIAL_START = _CLOSED_BY.keys() | _NO_CONTENT | {"svg", "math"}
_LIST_AROUND_ITEM = _CLOSED_BY["li"][1]  # what a list item's start tag stops at when it closes nothing
TAG_NAME_IN_LOWERED = regex(r"\x00<([a-z][^\t\n\f\r />\x00]*)")
"""A start tag's name in ``Tokens.lowered``."""


def _pair(group: str) -> str:
    return (
        rf"(?!(?:{_UNPAIRED}){AFTER_NAME})(?P<{group}>[a-z][^\t\n\f\r />\x00]*)(?=[\t\n\f\r />\x00]|\Z)[^\x00]*(?<!/>)"
        rf"\x00</(?P={group}){AFTER_NAME}"
    )


_TAG_IN_LOWERED = regex(
    rf"\x00<(?:li{AFTER_NAME}[^\x00]*(?<!/>)(?:\x00<{_pair('inner')}[^\x00]*)*\x00</li{AFTER_NAME}(?P<item>)"
    rf"|{_pair('pair')}(?P<closing>)|(?P<slash>/?)(?P<name>[a-z][^\t\n\f\r />\x00]*))"
)


def _self_closing(lowered: str, after_name: int) -> bool:
    """Whether the tag whose name ends at ``after_name`` ends with "/>"."""
    end = lowered.find("\x00", after_name)
    return lowered.endswith("/>", after_name, end if end >= 0 else len(lowered))


class TreeWalk:
    """Where the elements opened by the tokens ``wanted`` end, as a browser's tree builder closes them:
    at their end tag, at the end tag of an element around them (``<header><nav>…</header>`` closes the
    nav), at a start tag that closes them implicitly, or at the end of the page.

    The walk reads the tags in one pass, as far as it is asked to (:meth:`walk`): an element it has
    not seen closed yet is open at least up to there, which is all a question about a place before
    it needs; a page whose terms all stand in its first half is never read to its footer.
    """

    def __init__(self, tokens: Tokens, wanted: Iterable[int]) -> None:
        self.tokens = tokens
        self.ends: dict[int, int] = {}
        """The token index of each element asked for that the walk has seen closed, and where it ends."""
        self._positions = {tokens.offsets[k]: k for k in wanted}  # those still open, by their place in joined
        self._stack: list[tuple[str, int]] = []  # (name, place in joined) of each open element
        self._foreign = 0  # open svg and math elements, where "/>" closes a tag
        self._wanted = sorted(self._positions)
        self._next: re.Match[str] | None = None  # the first tag not read yet, once looked at
        self._from = 0  # where the search for the next tag starts
        self._read = 0  # the place in joined up to which every tag has been read

    def walk(self, limit: int) -> None:
        """Read the tags that start before ``limit`` (a place in ``joined``; a pair or a list item that
        starts before it is read whole), stopping once every element asked for is closed."""
        if limit <= self._read:
            return
        self._read = limit
        positions, stack = self._positions, self._stack
        search, lowered = _TAG_IN_LOWERED.search, self.tokens.lowered
        match = self._next or search(lowered, self._from)
        while match is not None and positions:
            place = match.start()
            if place >= limit:
                break
            kind = match.lastgroup
            if kind == "name":
                name = match.group("name")
                if not match.group("slash"):
                    if name not in _SPECIAL_START and not self._foreign:
                        stack.append((name, place))  # a start tag that only opens its element
                    else:
                        self._start_tag(name, place, match.end())
                elif stack and stack[-1][0] == name:  # most often, the end tag of the last one opened
                    opened = stack.pop()[1]
                    self._foreign -= name in ("svg", "math")
                    if opened in positions:
                        self.ends[positions.pop(opened)] = self.tokens.end(self.tokens.index(place))
                else:
                    self._end_tag(name, place)
            elif self._asked_within(place, match.end()) or (kind == "item" and stack and stack[-1][0] not in _LIST_AROUND_ITEM):
                # Not a no-op: its first tag is read alone, and the search goes on after it.
                self._from = place + 1
                match = search(lowered, self._from)
                self._one_tag(place)
                continue
            self._from = match.end()
            match = search(lowered, self._from)
        self._next = match if positions else None

    def _asked_within(self, low: int, high: int) -> bool:
        """Whether an element asked for starts in [low, high) of ``joined``."""
        index = bisect_left(self._wanted, low)
        return index < len(self._wanted) and self._wanted[index] < high

    def _one_tag(self, place: int) -> None:
        """Read the start tag at ``place`` alone (the first of a pair or of a list item)."""
        match = TAG_NAME_IN_LOWERED.match(self.tokens.lowered, place)
        assert match is not None
        self._start_tag(match.group(1), place, match.end())

    def end(self, k: int) -> int:
        """Where the element opened by token ``k`` (one asked for) ends, or the end of the page if the
        walk has not seen it closed (it is open at least as far as the walk has read)."""
        return self.ends.get(k, self.tokens.source_offsets[-1])

    def _close(self, down_to: int, by: int, after: bool) -> None:
        """Pop the elements from ``down_to`` up, closed by the tag at ``by`` (at its end, or before it)."""
        for name, place in self._stack[down_to:]:
            self._foreign -= name in ("svg", "math")
            if place in self._positions:
                k = self.tokens.index(by)
                self.ends[self._positions.pop(place)] = self.tokens.end(k) if after else self.tokens.start(k)
        del self._stack[down_to:]

    def _end_tag(self, name: str, place: int) -> None:
        """An end tag: it closes the innermost open element of that name in scope."""
        stack = self._stack
        for depth in range(len(stack) - 1, -1, -1):
            open_name = stack[depth][0]
            if open_name == name:
                if name in _FORMATTING and any(n not in _FORMATTING for n, _ in stack[depth + 1 :]):
                    return  # a formatting end tag leaves the blocks opened inside it open
                self._close(depth, place, True)
                return
            if open_name in _SCOPE_BOUNDARIES:
                return

    def _start_tag(self, name: str, place: int, after_name: int) -> None:
        """A start tag: it may close elements implicitly, then opens one unless it holds no content."""
        stack = self._stack
        closes = _CLOSED_BY.get(name)
        if closes is not None:
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] in closes[0]:
                    self._close(depth, place, False)
                    break
                if stack[depth][0] in closes[1]:
                    break
        if name in _NO_CONTENT or (self._foreign and _self_closing(self.tokens.lowered, after_name)):
            if place in self._positions:
                k = self._positions.pop(place)
                self.ends[k] = self.tokens.end(k)
            return
        self._foreign += name in ("svg", "math")
        stack.append((name, place))
