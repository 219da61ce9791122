"""The obvious glossary matcher: BeautifulSoup for the HTML, one big regex alternation for the terms.

It is what a careful developer writes first, and what CMS glossary plugins do: parse the
page into a tree, walk its text nodes outside the skipped elements, and search each with
a single compiled alternation of every form (longest first, so that the longest form
wins), case-insensitive for terms and exact for acronyms.  It knows no plural, accent or
elision rule beyond what the forms it is given spell out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bs4 import BeautifulSoup, Comment, Doctype, ProcessingInstruction

SKIP = frozenset(
    "a abbr dfn code pre kbd samp var script style textarea select option button label svg math template "
    "noscript iframe h1 h2 h3 h4 h5 h6 title head".split()
)


class RegexGlossary:
    """Every form of a glossary in one regex: long forms case-insensitive, acronyms exact."""

    def __init__(self, forms: Iterable[tuple[str, str, bool]]) -> None:
        """Compile ``(entry id, form, is_acronym)`` triples."""
        self.owner: dict[str, str] = {}
        words, acronyms = [], []
        for entry_id, form, acronym in forms:
            key = form if acronym else form.lower()
            self.owner.setdefault(key, entry_id)
            (acronyms if acronym else words).append(form)

        def alternation(items: list[str]) -> str:
            ordered = sorted(set(items), key=len, reverse=True)
            return "|".join(re.escape(item).replace(r"\ ", r"\s+") for item in ordered) or "(?!)"

        self.words = re.compile(rf"(?<!\w)(?:{alternation(words)})(?!\w)", re.IGNORECASE)
        self.acronyms = re.compile(rf"(?<!\w)(?:{alternation(acronyms)})(?!\w)")

    def find(self, text: str) -> list[tuple[str, str]]:
        """Return (entry id, surface) for the leftmost-longest matches in a text node."""
        found = []
        for match in sorted([*self.words.finditer(text), *self.acronyms.finditer(text)], key=lambda m: m.start()):
            if found and match.start() < found[-1][0]:
                continue
            surface = " ".join(match.group().split())
            entry = self.owner.get(surface) or self.owner.get(surface.lower())
            if entry:
                found.append((match.end(), (entry, surface)))
        return [item for _, item in found]


def annotate_html(html: bytes | str, glossary: RegexGlossary) -> list[tuple[str, str]]:
    """Find glossary forms in the text nodes of an HTML page, outside skipped elements."""
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for node in soup.find_all(string=True):
        if isinstance(node, (Comment, Doctype, ProcessingInstruction)):
            continue
        if any(parent.name in SKIP for parent in node.parents):
            continue
        found.extend(glossary.find(str(node)))
    return found


def annotate_html_output(html: bytes | str, glossary: RegexGlossary) -> str:
    """The obvious annotator: wrap each match of each text node in a link, then serialize the tree."""
    soup = BeautifulSoup(html, "html.parser")
    for node in list(soup.find_all(string=True)):
        if isinstance(node, (Comment, Doctype, ProcessingInstruction)):
            continue
        if any(parent.name in SKIP for parent in node.parents):
            continue
        text = str(node)
        matches = sorted([*glossary.words.finditer(text), *glossary.acronyms.finditer(text)], key=lambda m: m.start())
        if not matches:
            continue
        pieces: list = []
        position = 0
        for match in matches:
            if match.start() < position:
                continue
            pieces.append(text[position : match.start()])
            link = soup.new_tag("a", attrs={"class": "gloss-term", "href": "#gloss"})
            link.string = match.group()
            pieces.append(link)
            position = match.end()
        pieces.append(text[position:])
        node.replace_with(*[p for p in pieces if p != ""])
    return str(soup)
