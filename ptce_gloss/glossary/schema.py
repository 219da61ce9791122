"""Turn the nodes of a glossary file into entries, checking each field where it stands."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import Diagnostic, Severity, closest
from ..lazy import regex
from ..text.french import slugify
from . import yamlsafe
from .yamlsafe import Map, Node, Scalar, Seq

if TYPE_CHECKING:
    from .entries import Entry

TOP_KEYS = ("title", "lang", "entries")
ENTRY_KEYS = (
    "id", "term", "acronyms", "variants", "definition", "url", "tags", "case_sensitive", "inflect", "see", "override",
    "not_after", "not_before", "only_in",
)  # fmt: skip
MAX_FORM_CHARS = 300
MAX_DEFINITION_CHARS = 4000
URL_SCHEMES = ("http://", "https://", "mailto:")
_ID = regex(r"[A-Za-z0-9][A-Za-z0-9_-]*\Z")
_TAG = regex(r"<\s*/?\s*[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?/?\s*>")
_TRUE = ("true", "True", "TRUE")
_FALSE = ("false", "False", "FALSE")


class _Reader:
    """Collects located problems while converting nodes."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Diagnostic] = []

    def report(self, node: Node | Scalar, message: str, severity: Severity = "error") -> None:
        self.problems.append(Diagnostic(self.path, node.line, node.column, message, severity))

    def unknown_keys(self, mapping: Map, allowed: tuple[str, ...], what: str) -> None:
        for key in mapping.duplicates:
            self.report(key, f"duplicate key '{key.value}' in {what}; keep only one")
        for key, _ in mapping.pairs:
            if key.value not in allowed:
                close = closest(key.value, allowed)
                hint = f" (did you mean '{close}'?)" if close else f"; allowed keys: {', '.join(allowed)}"
                self.report(key, f"unknown key '{key.value}' in {what}{hint}")

    def text(self, node: Node | None, what: str, *, required: bool, limit: int = MAX_FORM_CHARS) -> str | None:
        if node is None:
            return None
        if not isinstance(node, Scalar):
            kind = "a list" if isinstance(node, Seq) else "a mapping"
            self.report(node, f"{what} must be text, not {kind}")
            return None
        if node.is_null or not node.value.strip():
            if required:
                self.report(node, f"{what} is empty")
            return None
        value = " ".join(node.value.split()) if limit == MAX_FORM_CHARS else node.value.strip()
        if len(value) > limit:
            self.report(node, f"{what} is {len(value):,} characters long; the limit is {limit:,}")
            return None
        return value

    def texts(self, node: Node | None, what: str) -> tuple[str, ...]:
        if node is None:
            return ()
        if isinstance(node, Scalar):  # a single value where a list was expected: accept it
            one = self.text(node, what, required=False)
            return (one,) if one else ()
        if isinstance(node, Map):
            self.report(node, f"{what} must be a list such as [a, b], not a mapping")
            return ()
        values = [self.text(item, f"each item of {what}", required=True) for item in node.items]
        return tuple(dict.fromkeys(v for v in values if v))

    def flag(self, node: Node | None, what: str, default: bool) -> bool:
        if node is None:
            return default
        if isinstance(node, Scalar) and node.plain and node.value in _TRUE + _FALSE:
            return node.value in _TRUE
        shown = node.value if isinstance(node, Scalar) else "a list or mapping"
        self.report(node, f"{what} must be true or false, not '{shown}'")
        return default


def read_glossary_nodes(text: str, path: str) -> tuple[str | None, str, list[Entry], list[Diagnostic]]:
    """Read a glossary's title, language and entries from YAML text.

    Returns:
        ``(title, lang, entries, problems)``; entries with errors are left out.

    Raises:
        GlossaryError: the YAML cannot be parsed at all.
    """
    root, problems = yamlsafe.parse(text, path)
    reader = _Reader(path)
    reader.problems.extend(problems)
    title, lang, entries = None, "fr", []
    if root is None:
        reader.problems.append(Diagnostic(path, 0, 0, "the glossary is empty; add an 'entries:' list"))
    elif not isinstance(root, Map):
        reader.report(root, "a glossary is a mapping: either 'entries:' with a list, or 'terme: définition' lines")
    elif (
        root.get("entries") is None
        and root.pairs
        and all(isinstance(v, Scalar) for _, v in root.pairs)
        and not any(k.value in ("title", "lang") for k, _ in root.pairs)
    ):
        entries = _short_form(reader, root)
    else:
        reader.unknown_keys(root, TOP_KEYS, "the glossary")
        title = reader.text(root.get("title"), "title", required=False)
        lang = reader.text(root.get("lang"), "lang", required=False) or "fr"
        entries = _long_form(reader, root.get("entries"))
    return title, lang, entries, reader.problems


def read_entry_nodes(items: list[Map], path: str) -> tuple[list[Entry], list[Diagnostic]]:
    """Read entries from mappings built by another reader (a spreadsheet's rows, a TBX file's concepts),
    checked as a YAML entry is; the nodes' lines and columns locate the problems."""
    reader = _Reader(path)
    entries = [entry for entry in map(lambda item: _entry(reader, item), items) if entry is not None]
    return entries, reader.problems


def _short_form(reader: _Reader, root: Map) -> list[Entry]:
    from .entries import Entry

    entries = []
    for key in root.duplicates:
        reader.report(key, f"the term '{key.value}' is defined twice; keep only one")
    for key, value in root.pairs:
        term = reader.text(key, "the term", required=True)
        definition = reader.text(value, f"the definition of '{key.value}'", required=True, limit=MAX_DEFINITION_CHARS)
        if term and definition:
            _check_definition(reader, value, definition)
            entry_id = slugify(term) or f"entry-{key.line}"
            entries.append(Entry(entry_id, term, definition, source=reader.path, line=key.line))
    return entries


def _long_form(reader: _Reader, node: Node | None) -> list[Entry]:
    if node is None:
        reader.problems.append(Diagnostic(reader.path, 1, 1, "missing 'entries:' list"))
        return []
    if not isinstance(node, Seq):
        reader.report(node, "'entries' must be a list of entries, each starting with '- term:'")
        return []
    entries = []
    for item in node.items:
        if not isinstance(item, Map):
            reader.report(item, "each entry must be a mapping with at least 'term' and 'definition'")
            continue
        entry = _entry(reader, item)
        if entry is not None:
            entries.append(entry)
    return entries


def _entry(reader: _Reader, node: Map) -> Entry | None:
    from .entries import Entry

    reader.unknown_keys(node, ENTRY_KEYS, "an entry")
    before = len([p for p in reader.problems if p.severity == "error"])
    term_node, definition_node = node.get("term"), node.get("definition")
    if term_node is None:
        reader.report(node, "entry has no 'term'")
    if definition_node is None:
        reader.report(node, "entry has no 'definition'")
    term = reader.text(term_node, "term", required=True)
    definition = reader.text(definition_node, "definition", required=True, limit=MAX_DEFINITION_CHARS)
    acronyms = reader.texts(node.get("acronyms"), "acronyms")
    variants = reader.texts(node.get("variants"), "variants")
    tags = reader.texts(node.get("tags"), "tags")
    see = reader.texts(node.get("see"), "see")
    guards = {key: reader.texts(node.get(key), key) for key in ("not_after", "not_before", "only_in")}
    entry_id = reader.text(node.get("id"), "id", required=True)
    id_node = node.get("id")
    if entry_id is not None and not _ID.match(entry_id):
        reader.report(id_node or node, f"id '{entry_id}' may hold only ASCII letters, digits, '-' and '_'")
    if entry_id is None and id_node is None and term:
        entry_id = slugify(term) or f"entry-{node.line}"
    url = _url(reader, node.get("url"))
    case_sensitive = reader.flag(node.get("case_sensitive"), "case_sensitive", False)
    inflect = reader.flag(node.get("inflect"), "inflect", True)
    override = reader.flag(node.get("override"), "override", False)
    for acronym in acronyms:
        if not any(c.isalnum() for c in acronym):
            reader.report(node.get("acronyms") or node, f"acronym '{acronym}' has no letter or digit")
    if definition and definition_node is not None:
        _check_definition(reader, definition_node, definition)
    errors = len([p for p in reader.problems if p.severity == "error"])
    if errors > before or not (term and definition and entry_id):
        return None
    return Entry(
        entry_id,
        term,
        definition,
        acronyms,
        variants,
        url,
        tags,
        case_sensitive,
        inflect,
        see,
        override,
        guards["not_after"],
        guards["not_before"],
        tuple(name.lower() for name in guards["only_in"]),
        source=reader.path,
        line=node.line,
    )


def _url(reader: _Reader, node: Node | None) -> str | None:
    url = reader.text(node, "url", required=False, limit=2000)
    if url is None or node is None:
        return None
    if any(c.isspace() for c in url) or not url.lower().startswith(URL_SCHEMES):
        reader.report(node, f"url '{url[:60]}' is not an http, https or mailto link; it is ignored", "warning")
        return None
    return url


def _check_definition(reader: _Reader, node: Node, definition: str) -> None:
    tag = _TAG.search(definition)
    if tag:
        reader.report(
            node,
            f"definition contains the HTML tag {tag.group(0)[:40]}; definitions are plain text and are shown exactly as written",
            "warning",
        )
