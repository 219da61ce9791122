"""A site's glossary page (``--index``): every entry the batch annotated, A to Z in French order, with
its definition, its links and the pages where it is used (back-links to each occurrence), an index by
tag, and schema.org structured data; written from a batch's report by a Jinja2 template (gloss's own,
or a site's ``--index-template``), with autoescaping on.

:func:`build_index` is the library's way in: a Dask or Spark job that collects the reports of its
partitions builds the same page.
"""

from __future__ import annotations

import html
import posixpath
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import BatchError
from ..glossary import Entry, Glossary
from ..lazy import regex
from ..markup.pieces import signature
from ..markup.site import SCHEMA, collation_key, defined_term, json_for_script, letter_of, markdown_text, markdown_url
from ..text.french import slugify
from .report import FileReport, Report
from .work import relative_url

MOST_PAGES = 10
"""How many pages an entry lists by default, most-used first (then "and N more")."""


@dataclass(frozen=True, slots=True)
class IndexOptions:
    """How a site's glossary page is written."""

    name: str = "glossaire.html"
    """Its path in the output (``/``-separated): the back-links are relative to it."""
    template: str | None = None
    """A Jinja2 template file (``--index-template``); gloss's own when None."""
    most: int = MOST_PAGES
    """How many pages each entry lists (the most-used first)."""
    title: str = "Glossaire"
    every_entry: bool = False
    """List every entry of the glossaries, not only those the pages use."""
    extra: Mapping[str, Any] = field(default_factory=dict)
    """More variables for a template."""


_MARK = regex(rb"<!--gloss-index ([0-9a-f]{20})-->\n\Z")


def signed_page(page: str) -> bytes:
    """The page as a batch writes it: UTF-8, ending with a comment that signs it, so that a later run
    may replace it (in place, among a site's own files) and never a page gloss did not write."""
    data = page.encode("utf-8")
    return data + b"<!--gloss-index " + signature("index", page).encode("ascii") + b"-->\n"


def is_signed_page(data: bytes) -> bool:
    """Whether ``data`` is a glossary page gloss wrote, unedited since."""
    mark = _MARK.search(data[-64:])
    if mark is None:
        return False
    page = data[: len(data) - len(mark.group(0))].decode("utf-8", "replace")
    return mark.group(1).decode("ascii") == signature("index", page)


def check_template(template: str) -> None:
    """Read and compile an ``--index-template`` before a batch starts (its errors name the file and line).

    Raises:
        BatchError: the template cannot be read or is not valid Jinja2.
    """
    _load(template)


def build_index(
    report: Report | Iterable[FileReport | Mapping[str, Any]],
    glossary: Glossary | Sequence[Entry],
    options: IndexOptions | None = None,
) -> str:
    """Write a site's glossary page from what a batch found.

    Args:
        report: a batch's :class:`Report`, or its files' records: :class:`FileReport` objects, or the
            dicts :func:`~ptce_gloss.distributed.annotate_partition` yields (with ``HtmlOptions(anchors=True)``:
            their ``title`` and ``anchors``; ``output`` defaults to ``name``).
        glossary: the glossary the pages were annotated with.
        options: the page's name in the output, its template, how many pages an entry lists.

    Returns:
        The page's HTML.

    Raises:
        BatchError: the template cannot be read, or fails (its file and line named).
    """
    options = options or IndexOptions()
    entries = list(glossary.entries if isinstance(glossary, Glossary) else glossary)
    uses = _uses(report.iter_files() if isinstance(report, Report) else report)
    shown = [entry for entry in entries if options.every_entry or entry.id in uses]
    shown.sort(key=lambda entry: collation_key(entry.term))
    here = posixpath.basename(options.name)
    context = _context(shown, uses, options, here)
    markdown = options.name.lower().endswith((".md", ".markdown"))
    return _render(_for_markdown(context) if markdown else context, options.template, markdown)


@dataclass(slots=True)
class _Use:
    title: str
    output: str
    anchor: str | None
    count: int


def _uses(files: Iterable[FileReport | Mapping[str, Any]]) -> dict[str, list[_Use]]:
    """Per entry id, the pages that use it (those with a place in the output)."""
    uses: dict[str, list[_Use]] = {}
    for file in files:
        if isinstance(file, FileReport):
            status, output, title, anchors, occurrences = file.status, file.output, file.title, file.anchors, file.occurrences
        else:
            status, output = file.get("status", "annotated"), file.get("output")
            output = output if isinstance(output, str) else file.get("name")
            title, anchors, occurrences = file.get("title"), file.get("anchors") or {}, file.get("occurrences") or {}
        if status == "failed" or not isinstance(output, str):
            continue
        title = title or output.rsplit("/", 1)[-1]
        for entry_id, count in occurrences.items():
            if count > 0:
                uses.setdefault(entry_id, []).append(_Use(title, output, anchors.get(entry_id), count))
    return uses


def _context(shown: list[Entry], uses: dict[str, list[_Use]], options: IndexOptions, here: str) -> dict[str, Any]:
    from ..version import __version__

    terms = {entry.id: entry.term for entry in shown}
    items = [_item(entry, uses.get(entry.id, []), terms, options) for entry in shown]
    json_ld = {
        "@context": SCHEMA,
        "@type": "DefinedTermSet",
        "@id": here,
        "name": options.title,
        "url": here,
        "inLanguage": "fr",
        "hasDefinedTerm": [defined_term(entry, f"{here}#gloss-{entry.id}", here) for entry in shown],
    }
    return {
        "title": options.title,
        "lang": "fr",
        "generator": f"ptce_gloss {__version__}",
        "letters": _letters(items),
        "entries": items,
        "tags": _tags(items),
        "json_ld": json_ld,
        **dict(options.extra),
        "_json_ld_text": json_for_script(json_ld),
    }


def _item(entry: Entry, uses: list[_Use], terms: dict[str, str], options: IndexOptions) -> dict[str, Any]:
    """What the page says of one entry (``terms``: those on the page, by id); its pages most-used first,
    then by title."""
    pages = sorted(uses, key=lambda use: (-use.count, collation_key(use.title), use.output))
    links = []
    for use in pages[: options.most]:
        page_href = relative_url(use.output, options.name)
        href = f"{page_href}#{use.anchor}" if use.anchor else page_href
        links.append({"title": use.title, "page_href": page_href, "href": href, "count": use.count})
    return {
        "id": entry.id,
        "anchor": f"gloss-{entry.id}",
        "term": entry.term,
        "acronyms": [acronym for acronym in entry.acronyms if acronym != entry.term],
        "definition": entry.definition,
        "url": entry.url,
        "tags": list(entry.tags),
        "see": [{"term": terms[see], "href": f"#gloss-{see}"} for see in entry.see if see in terms],
        "pages": links,
        "more": max(0, len(pages) - options.most),
        "page_count": len(pages),
        "occurrences": sum(use.count for use in pages),
        "letter": letter_of(entry.term),
    }


def _letters(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entries (in French order already) grouped by their letter."""
    letters: list[dict[str, Any]] = []
    for item in items:
        if not letters or letters[-1]["letter"] != item["letter"]:
            slug = slugify(item["letter"]) or "autres"
            letters.append({"letter": item["letter"], "id": f"lettre-{slug}", "entries": []})
        letters[-1]["entries"].append(item)
    return letters


def _tags(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The tags, A to Z, each with its entries; ids kept unique (``Finance`` and ``finance``)."""
    by_tag: dict[str, list[dict[str, str]]] = {}
    for item in items:
        for tag in item["tags"]:
            by_tag.setdefault(tag, []).append({"term": item["term"], "href": f"#{item['anchor']}"})
    tags, taken = [], set()
    for tag in sorted(by_tag, key=collation_key):
        wanted = anchor = f"etiquette-{slugify(tag) or 'autre'}"
        number = 1
        while anchor in taken:
            number += 1
            anchor = f"{wanted}-{number}"
        taken.add(anchor)
        tags.append({"name": tag, "id": anchor, "entries": by_tag[tag]})
    return tags


_MARKDOWN_TEXT = frozenset({"title", "term", "definition", "letter", "name", "acronyms", "tags"})
_MARKDOWN_URL = frozenset({"href", "page_href", "url"})
_MARKDOWN_ID = frozenset({"id", "anchor"})


def _for_markdown(value: Any, key: str = "") -> Any:
    """The context of a Markdown page: each text escaped for Markdown prose, each link a Markdown
    destination, each id ready for an HTML attribute (no template can then write raw HTML by mistake)."""
    if isinstance(value, dict):
        return {k: v if k.startswith("_") or k == "json_ld" else _for_markdown(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_for_markdown(item, key) for item in value]
    if isinstance(value, str):
        if key in _MARKDOWN_URL:
            return markdown_url(value)
        if key in _MARKDOWN_ID:
            return html.escape(value, quote=True)
        return markdown_text(value) if key in _MARKDOWN_TEXT else value
    return value


def _render(context: dict[str, Any], template: str | None, markdown: bool = False) -> str:
    from jinja2 import TemplateError
    from markupsafe import Markup

    style = resources.files("ptce_gloss").joinpath("assets", "index.css").read_text(encoding="utf-8")
    context["style"] = Markup(style)  # gloss's own stylesheet
    data = context.pop("_json_ld_text")  # JSON without < > &: it cannot end the element
    context["structured_data"] = Markup(f'<script type="application/ld+json">{data}</script>')
    loaded = _load(template, markdown)
    try:
        return str(loaded.render(context))
    except TemplateError as exc:
        raise BatchError(f"{_where(template, exc)}: the index template failed: {exc}") from None


def _load(template: str | None, markdown: bool = False) -> Any:
    """The compiled template: gloss's own, or a site's, in a sandbox with autoescaping on (for a
    Markdown page, off: its values come escaped for Markdown, see :func:`_for_markdown`).

    Raises:
        BatchError: it cannot be read or is not valid Jinja2 (its file and line named).
    """
    from jinja2 import FileSystemLoader, StrictUndefined, TemplateNotFound, TemplateSyntaxError
    from jinja2.sandbox import SandboxedEnvironment

    if template is None:
        folder, name = str(resources.files("ptce_gloss").joinpath("assets")), "index.md.j2" if markdown else "index.html.j2"
    else:
        folder, name = str(Path(template).parent), Path(template).name
    environment = SandboxedEnvironment(
        loader=FileSystemLoader(folder),
        autoescape=not markdown,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    try:
        return environment.get_template(name)
    except TemplateSyntaxError as exc:
        where = f"{exc.filename or template}:{exc.lineno}" if exc.lineno else template
        raise BatchError(f"{where}: the index template is not valid Jinja2: {exc.message}") from None
    except TemplateNotFound as exc:
        raise BatchError(f"{template}: cannot read the index template ({exc.message or 'not found'})") from None
    except (OSError, UnicodeDecodeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8"
        raise BatchError(f"{template}: cannot read the index template: {why}") from None


def _where(template: str | None, exc: BaseException) -> str:
    """The template's file and the line a rendering error happened at (from the traceback Jinja2 rewrites)."""
    name = template or "index.html.j2"
    line = None
    traceback = exc.__traceback__
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename.endswith(Path(name).name):
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return f"{name}:{line}" if line else name
