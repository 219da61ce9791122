"""What a site's glossary needs of each page: its title, the JSON-LD of the terms it uses, and the
French order of entries (``--index``, ``--structured-data``; the page itself is built by
:mod:`ptce_gloss.batch.index`).

Structured data follows schema.org: each entry is a ``DefinedTerm`` (``name``, ``alternateName`` for
its acronyms, ``description``, ``url``, ``inDefinedTermSet``); the site's glossary page is the
``DefinedTermSet``.  The JSON is written so that no ``<``, ``>`` or ``&`` appears in it: a definition
can never close the ``<script>`` that holds it.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

from ..glossary import Entry
from ..lazy import regex, unescape
from ..text.french import strip_accents
from .pieces import SIGNATURE, signature

SCHEMA = "https://schema.org"
DATA_OPEN = '<script id="gloss-data" type="application/ld+json"'
"""How the JSON-LD block gloss writes into a page starts (then its signature)."""

_TITLE = regex(r"<title\b[^>]*>([\s\S]*?)</title\s*>", re.IGNORECASE)
_H1 = regex(r"<h1\b[^>]*>([\s\S]*?)</h1\s*>", re.IGNORECASE)
_TAG = regex(r"<[^>]*>")
_FRONT_TITLE = regex(r"""^title\s*[:=]\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|(.+?))\s*$""", re.MULTILINE)
_ATX = regex(r"^ {0,3}#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$", re.MULTILINE)
_MD_MARKS = regex(r"[*_`]+|\[([^\]]*)\]\([^)]*\)")


def json_for_script(value: Any) -> str:
    """JSON for a ``<script type="application/ld+json">``: ``<``, ``>`` and ``&`` as escapes, so
    that no text inside can end the element or read as markup (in HTML as in XHTML)."""
    text = json.dumps(value, ensure_ascii=False, indent=1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def data_piece(value: Any) -> str:
    """A signed JSON-LD block (taken out again by :func:`~ptce_gloss.markup.strip_gloss`)."""
    content = json_for_script(value)
    return f'{DATA_OPEN} {SIGNATURE}="{signature("script", content)}">{content}</script>'


def defined_term(entry: Entry, url: str | None, term_set: str | dict[str, Any]) -> dict[str, Any]:
    """The schema.org ``DefinedTerm`` of an entry, at ``url`` (its entry on a glossary page)."""
    term: dict[str, Any] = {"@type": "DefinedTerm", "name": entry.term}
    if url is not None:
        term["@id"] = url
        term["url"] = url
    acronyms = [acronym for acronym in entry.acronyms if acronym != entry.term]
    if acronyms:
        term["alternateName"] = acronyms if len(acronyms) > 1 else acronyms[0]
    term["description"] = entry.definition
    if entry.url:
        term["sameAs"] = entry.url
    term["inDefinedTermSet"] = term_set
    return term


def structured_data_html(
    entries: Iterable[Entry], glossary_url: str | None, ids: Callable[[Entry], tuple[str, str]] | None
) -> str:
    """The JSON-LD block of an annotated page: the ``DefinedTerm`` of each entry it uses, at its
    entry on the site's glossary page (``glossary_url``), else in the page's own appendix (whose
    ids ``ids`` gives), else at its own ``url``."""
    term_set: str | dict[str, Any] = (
        glossary_url if glossary_url is not None else {"@type": "DefinedTermSet", "name": "Glossaire"}
    )
    terms = []
    for entry in entries:
        if glossary_url is not None:
            url: str | None = f"{glossary_url}#gloss-{entry.id}"
        elif ids is not None:
            url = f"#{ids(entry)[0]}"
        else:
            url = entry.url
        terms.append(defined_term(entry, url, term_set))
    return data_piece({"@context": SCHEMA, "@graph": terms})


def page_title(text: str, kind: str, name: str) -> str:
    """The title a reader knows a page by: an HTML page's ``<title>`` (else its first ``<h1>``), a
    Markdown page's front-matter ``title`` (else its first heading), else the file's name."""
    found = ""
    if kind == "html":
        match = _TITLE.search(text) or _H1.search(text)
        if match is not None:
            found = unescape(_TAG.sub("", match.group(1)))
    elif kind == "markdown":
        front = _front_matter(text)
        match = _FRONT_TITLE.search(front) if front else None
        if match is not None:
            found = next(group for group in match.groups() if group is not None)
        else:
            heading = _ATX.search(text[len(front) :])
            if heading is not None:
                found = _MD_MARKS.sub(lambda m: m.group(1) or "", heading.group(1))
    else:
        first = next((line for line in text.splitlines() if line.strip()), "")
        found = first[:120]
    found = " ".join(found.split())
    return found or name.replace("\\", "/").rsplit("/", 1)[-1]


def _front_matter(text: str) -> str:
    from ..md import front_matter_end

    return text[: front_matter_end(text)]


_MD_SYNTAX = regex(r"([\\`*_\[\]<>|~&#!])")
_MD_BLOCK_START = regex(r"^(\d*)([-+=.)])")


def markdown_text(text: str) -> str:
    """Text as it reads in Markdown prose, on one line: every character Markdown could take as syntax
    (emphasis, links, raw HTML, references, code, tables) escaped, and a list or heading marker at its
    start too."""
    escaped = _MD_SYNTAX.sub(r"\\\1", " ".join(text.split()))
    return _MD_BLOCK_START.sub(r"\1\\\2", escaped)  # « 1. », « - »: no list


def markdown_url(url: str) -> str:
    """A link destination for Markdown: in angle brackets, with what would end it escaped."""
    return "<" + re.sub(r"[<>\s\\]", lambda m: f"%{ord(m.group()):02X}", url) + ">"


def collation_key(text: str) -> tuple[str, str]:
    """The French order of a term: letters without accents or ligatures (``É`` with ``E``, ``œ`` as
    ``oe``), case, hyphens, apostrophes and punctuation ignored; ties broken by the text itself."""
    base = strip_accents(unicodedata.normalize("NFC", text)).casefold()
    words = " ".join(re.sub(r"[\W_]+", " ", base).split())
    return words, text


def letter_of(text: str) -> str:
    """The letter a term is filed under: ``É`` under ``E``, ``Œ`` under ``O``; ``0–9`` for a digit,
    ``#`` for anything else."""
    key = collation_key(text)[0]
    first = key[:1].upper()
    if first.isdigit():
        return "0–9"
    return first if "A" <= first <= "Z" else "#"
