"""``--scope``: the part of a page where terms are annotated (its main content by default, never the
site's navigation, header, footer or asides outside an article), named or given as a simple selector."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable

from ..lazy import regex
from .tags import AFTER_NAME, TAG_NAME_IN_LOWERED, Tokens, TreeWalk, attributes, merge, tag_name

SCOPES = ("auto", "main", "article", "body")
"""The named scopes of ``--scope``; any other value is a simple selector (:func:`parse_selector`)."""
_CHROME = frozenset({"nav", "header", "footer", "aside"})
_LANDMARK_ROLES = {"main": "main", "navigation": "nav", "banner": "header", "contentinfo": "footer", "complementary": "aside"}
_LANDMARK = regex(rf"\x00<(main|article|nav|header|footer|aside){AFTER_NAME}")
# "role" first, then the white space before it: the engine finds a literal at once (six times faster than "\srole").
_ROLE = regex(r"""role(?<=\srole)\s*=\s*["']?(main|navigation|banner|contentinfo|complementary)\b""")
_START_TAG = regex(rf"\x00<([a-z][^\t\n\f\r />\x00]*){AFTER_NAME}")
_SELECTOR = regex(
    r"""(?P<name>[A-Za-z][A-Za-z0-9-]*|\*)?(?P<rest>(?:[#.][A-Za-z0-9_-]+|\[[A-Za-z_:][A-Za-z0-9_:.-]*(?:=(?:"[^"]*"|'[^']*'|[^\]"']*))?\])*)"""
)
_SELECTOR_PART = regex(r"""([#.])([A-Za-z0-9_-]+)|\[([A-Za-z_:][A-Za-z0-9_:.-]*)(?:=("[^"]*"|'[^']*'|[^\]"']*))?\]""")

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


def selects(selector: Selector, token: str) -> bool:
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


class Scope:
    """Where in a page annotations may go, for ``--scope``: inside the scope's elements, and not in
    site chrome (nav, header, footer, aside, and their landmark roles) that is not an article's own.

    The elements' ends are read by a :class:`~ptce_gloss.html.tags.TreeWalk` only as far as the spans
    asked about: an element not yet seen closed is taken to run to the end of the page, which gives the
    same answer about any place before where the walk stopped."""

    def __init__(self, tokens: Tokens, lowered: str, scope: str) -> None:
        self.everywhere = scope == "body"
        self.tokens = tokens
        self.allowed: list[tuple[int, int]] = []
        self.chrome: list[tuple[int, int]] = []
        if self.everywhere:
            return
        landmarks: dict[str, list[int]] = {}
        for kind, _, k in self._landmarks(tokens, lowered):
            landmarks.setdefault(kind, []).append(k)
        self._articles = landmarks.get("article", [])
        self._chrome = [k for kind in _CHROME for k in landmarks.get(kind, [])]
        self._scope: list[int] | None  # the elements of the scope; None for the whole page
        if scope == "auto":
            self._scope = landmarks.get("main") or self._articles or None
        elif scope in ("main", "article"):
            self._scope = landmarks.get(scope, [])
        else:
            selector = parse_selector(scope)
            starts = (tokens.index(m.start()) for m in _START_TAG.finditer(lowered))
            self._scope = [k for k in starts if selects(selector, tokens.tokens[k])]
        self._walk = TreeWalk(tokens, [*(self._scope or ()), *self._articles, *self._chrome])
        self._known = -1  # how many ends the walk knew when the spans were last built

    def _spans(self) -> None:
        """Build the spans of the scope and of the chrome outside articles from the ends known so far."""
        self._known = len(self._walk.ends)
        start, end = self.tokens.start, self._walk.end
        if self._scope is None:
            self.allowed = [(0, self.tokens.source_offsets[-1])]
        else:
            self.allowed = merge((start(k), end(k)) for k in self._scope)
        articles = [(start(k), end(k)) for k in self._articles]
        self.chrome = sorted(
            span
            for span in ((start(k), end(k)) for k in self._chrome)
            if not any(a_start <= span[0] and span[1] <= a_end for a_start, a_end in articles)
        )

    @staticmethod
    def _landmarks(tokens: Tokens, lowered: str) -> Iterable[tuple[str, str, int]]:
        """(kind, element name, token index) of every landmark element: main, article and chrome."""
        seen = set()
        for match in _LANDMARK.finditer(lowered):
            k = tokens.index(match.start())
            seen.add(k)
            yield match.group(1), match.group(1), k
        if "role" in lowered:
            # Each landmark role, then the start tag holding it (searched back to its NUL: the literal
            # "role" is found fast, where a scan of every tag's attributes is not).
            for match in _ROLE.finditer(lowered):
                start = lowered.rfind("\x00", 0, match.start())
                name = TAG_NAME_IN_LOWERED.match(lowered, start) if start >= 0 else None
                k = tokens.index(start)
                if name is not None and k not in seen:
                    seen.add(k)  # the first landmark role of a tag counts
                    yield _LANDMARK_ROLES[match.group(1)], name.group(1), k

    def covers(self, start: int, end: int) -> bool:
        """Whether [start, end) is out of the scope, or in chrome inside it."""
        if self.everywhere:
            return False
        tokens = self.tokens
        self._walk.walk(tokens.offsets[min(tokens.count_before(end), len(tokens.offsets) - 1)])  # the tags before end
        if self._known != len(self._walk.ends):
            self._spans()
        index = bisect_right(self.allowed, (start, end)) - 1
        if index < 0 or self.allowed[index][1] < end:
            return True
        inside = self.allowed[index][0]
        # chrome that holds the span and starts inside the scope's element (not the element itself, nor around it)
        return any(c_start > inside and c_start <= start and end <= c_end for c_start, c_end in self.chrome)
