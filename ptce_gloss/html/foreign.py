"""Removing other tools' glossary markup, keeping the terms (``gloss annotate --replace-foreign``).

SPIP's Couteau Suisse, the WordPress Glossary plugin and MediaWiki's Lingo put a hidden
copy of the definition next to each term; copied text, feeds and search indexes then read
the definition in the middle of the sentence.  Each wrapper is replaced by its term's text.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..lazy import regex

_START = regex(r"""<(span|a|div|abbr|dfn)\b((?:[^>"']|"[^"]*"|'[^']*')*)>""", re.IGNORECASE)
_CLASS = regex(r"""\sclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_TAG = regex(r"<[^>]*>")
MARKERS = ("cs_glossaire", "glossary-tooltip", "mw-lingo-")


def _classes(attributes: str) -> set[str]:
    match = _CLASS.search(attributes)
    if not match:
        return set()
    return set(next(g for g in match.groups() if g is not None).split())


def _element_end(text: str, name: str, position: int) -> int | None:
    """Return where the element ``name`` whose content starts at ``position`` ends (after its end tag)."""
    tags = re.compile(rf"<(/?){name}\b[^>]*>", re.IGNORECASE)
    depth = 1
    for match in tags.finditer(text, position):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return match.end()
    return None


def _elements(text: str, wanted: Callable[[set[str]], bool]) -> list[tuple[int, int, int, int]]:
    """Return (start, content start, content end, end) of the outermost elements whose classes are wanted."""
    found, position = [], 0
    while (match := _START.search(text, position)) is not None:
        if not wanted(_classes(match.group(2))):
            position = match.end()
            continue
        end = _element_end(text, match.group(1), match.end())
        if end is None:
            position = match.end()
            continue
        content_end = text.rfind("<", match.end(), end)
        found.append((match.start(), match.end(), content_end, end))
        position = end
    return found


def _inner(text: str, child: str) -> str | None:
    """Return the content of the first element with class ``child`` in ``text``, if any."""
    for _, content_start, content_end, _ in _elements(text, lambda classes: child in classes):
        return text[content_start:content_end]
    return None


def _without(text: str, classes: tuple[str, ...]) -> str:
    """Remove the elements with any of ``classes`` from ``text``."""
    for start, _, _, end in reversed(_elements(text, lambda found: bool(found & set(classes)))):
        text = text[:start] + text[end:]
    return text


# wrapper class -> (class of the child holding the term, classes of the children holding definitions)
_RULES: dict[str, tuple[str | None, tuple[str, ...]]] = {
    "cs_glossaire": ("gl_mot", ("gl_dl", "gl_js", "gl_jst")),
    "glossary-tooltip": ("glossary-link", ("glossary-tooltip-content", "glossary-tooltip-content-mobile")),
    "mw-lingo-tooltip": ("mw-lingo-tooltip-abbr", ("mw-lingo-tooltip-tip",)),
    "mw-lingo-term": (None, ()),
    "mw-lingo-definition": (None, ()),
}


def _replacement(rule: str, content: str) -> str:
    if rule == "mw-lingo-definition":
        return ""
    child, definitions = _RULES[rule]
    term = _inner(content, child) if child else None
    kept = term if term is not None else _without(content, definitions)
    return _TAG.sub("", kept) if rule == "glossary-tooltip" else kept


def remove_foreign(text: str) -> str:
    """Replace other tools' glossary wrappers by their term, and drop their definition blocks."""
    if not any(marker in text for marker in MARKERS):
        return text
    pieces, position = [], 0
    for start, content_start, content_end, end in _elements(text, lambda classes: bool(classes & _RULES.keys())):
        rule = next(name for name in _RULES if name in _classes(_START.match(text, start).group(2)))  # type: ignore[union-attr]
        pieces += [text[position:start], _replacement(rule, text[content_start:content_end])]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)
