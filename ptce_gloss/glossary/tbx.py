"""Glossaries as TBX (ISO 30042), the exchange format of terminology tools.

Read: TBX-Basic and TBX-Min in the v3 form (``<tbx>``, ``<conceptEntry>``, ``<langSec>``,
``<termSec>``) and in the older ``<martif>`` form that Weblate and translate-toolkit write
(``<termEntry>``, ``<langSet>``, ``<tig>``/``<ntig>``). Each concept is an entry: its preferred
term in the glossary's language (French when the file has French sections, else its ``xml:lang``) is the term, a term
whose ``termType`` is an acronym or abbreviation is an acronym, other terms are variants; its
definition is the ``definition`` of that language (or of the concept). ``externalCrossReference``
is the entry's link, ``crossReference`` its ``see``, ``subjectField`` its tags; gloss's own flags
travel as notes (``gloss:case_sensitive=true``). Sections in other languages are kept as they
came, and written back on export.

The XML is parsed with entities left unexpanded, no DTD loaded and no network: a file that
declares entities (a "billion laughs", an external entity) is refused with one line.

Written: TBX-Basic v3 (dialect ``TBX-Basic``, style ``dca``).
"""

from __future__ import annotations

from typing import Any

from ..errors import Diagnostic, GlossaryError
from ..text.french import slugify
from .entries import Entry, Glossary
from .yamlsafe import Map, Node, Scalar, Seq

TBX_NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ACRONYM_TYPES = {"acronym", "abbreviation", "initialism", "shortForm", "short form", "shortform"}
FLAG_NOTE = "gloss:"
GUARDS = ("not_after", "not_before", "only_in")


def _json_list(value: str) -> list[str]:
    import json

    try:
        found = json.loads(value)
    except ValueError:
        return []
    return [item for item in found if isinstance(item, str)] if isinstance(found, list) else []


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _parse(data: bytes, name: str) -> Any:
    from lxml import etree  # type: ignore[import-untyped]

    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False, remove_comments=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else 0
        raise GlossaryError([Diagnostic(name, line, 0, f"not well-formed XML: {exc.msg}")]) from None
    docinfo = root.getroottree().docinfo
    dtd = docinfo.internalDTD
    if dtd is not None and list(dtd.iterentities()):
        raise GlossaryError([Diagnostic(name, 1, 0, "the file declares XML entities; they are refused (TBX needs none)")])
    if any(isinstance(node, etree._Entity) for node in root.iter()):
        raise GlossaryError([Diagnostic(name, 1, 0, "the file uses XML entities that it does not declare; they are refused")])
    return root


def _children(element: Any, *names: str) -> list[Any]:
    return [child for child in element if _local(child.tag) in names]


def _text(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())


def read_tbx(data: bytes, name: str = "<tbx>") -> Glossary:
    """Read a glossary from a TBX file (see the module).

    Raises:
        GlossaryError: the file is not TBX, declares entities, or its concepts have problems.
    """
    from .build import glossary_of
    from .schema import read_entry_nodes

    root = _parse(data, name)
    if _local(root.tag) not in ("tbx", "martif"):
        raise GlossaryError(
            [Diagnostic(name, root.sourceline or 1, 0, f"a TBX file starts with <tbx> or <martif>, not <{_local(root.tag)}>")]
        )
    languages = {
        (node.get(XML_LANG) or "").split("-")[0].lower() for node in root.iter() if _local(node.tag) in ("langSec", "langSet")
    }
    lang = "fr" if "fr" in languages else (root.get(XML_LANG) or "fr").split("-")[0].lower()
    title = next((_text(t) for t in root.iter() if _local(t.tag) == "title"), None) or None
    concepts = [node for node in root.iter() if _local(node.tag) in ("conceptEntry", "termEntry")]
    problems: list[Diagnostic] = []
    nodes, foreign = [], {}
    for concept in concepts:
        node, others = _concept(concept, lang, name, problems)
        if node is not None:
            nodes.append(node)
            key = next((v.value for k, v in node.pairs if k.value == "id" and isinstance(v, Scalar)), None)
            term = next((v.value for k, v in node.pairs if k.value == "term" and isinstance(v, Scalar)), "")
            foreign[key or slugify(term)] = others
    entries, found = read_entry_nodes(nodes, name)
    entries = [_with_languages(entry, foreign.get(entry.id, ())) for entry in entries]
    return glossary_of(entries, problems + found, name, title, lang)


def _with_languages(entry: Entry, others: tuple[str, ...]) -> Entry:
    from dataclasses import replace

    return replace(entry, languages=others) if others else entry


def _concept(concept: Any, lang: str, name: str, problems: list[Diagnostic]) -> tuple[Map | None, tuple[str, ...]]:
    from lxml import etree

    line = concept.sourceline or 0
    sections = _children(concept, "langSec", "langSet")
    ours = [s for s in sections if (s.get(XML_LANG) or "").split("-")[0].lower() == lang]
    others = tuple(etree.tostring(s, encoding="unicode", with_tail=False) for s in sections if s not in ours)
    if not ours:
        problems.append(
            Diagnostic(name, line, 0, f"concept has no terms in the glossary's language ({lang}); it is skipped", "warning")
        )
        return None, others
    forms, definition = _forms(ours)
    if not definition:
        definition = next((_text(d) for d in concept.iter() if _local(d.tag) == "descrip" and d.get("type") == "definition"), "")
    acronyms = [text for text, acronym, _ in forms if acronym]
    words = [text for text, acronym, _ in forms if not acronym]
    preferred = next((text for text, acronym, first in forms if first and not acronym), None)
    terms = ([preferred] if preferred else []) + [w for w in words if w != preferred] or acronyms[:1]
    pairs: list[tuple[Scalar, Node]] = []

    def put(key: str, value: str | list[str] | None, at: int = line) -> None:
        if isinstance(value, list):
            if value:
                pairs.append((Scalar(key, True, at, 0), Seq([Scalar(v, False, at, 0) for v in value], at, 0)))
        elif value is not None:
            pairs.append((Scalar(key, True, at, 0), Scalar(value, value in ("true", "false"), at, 0)))

    identifier = concept.get("id") or ""
    put("id", identifier if identifier and slugify(identifier) and identifier[0].isalnum() else None)
    put("term", terms[0] if terms else None)
    put("acronyms", acronyms)
    put("variants", terms[1:])
    put("definition", definition or None)
    put("url", next((x.get("target") for x in concept.iter() if _local(x.tag) == "xref" and x.get("target")), None))
    put("tags", [_text(d) for d in concept.iter() if _local(d.tag) == "descrip" and d.get("type") == "subjectField" and _text(d)])
    put(
        "see",
        [
            r.get("target")
            for r in concept.iter()
            if _local(r.tag) == "ref" and r.get("type") == "crossReference" and r.get("target")
        ],
    )
    for note in _children(concept, "note"):
        text = _text(note)
        if text.startswith(FLAG_NOTE) and "=" in text:
            key, _, value = text[len(FLAG_NOTE) :].partition("=")
            if key in ("case_sensitive", "inflect", "override"):
                put(key, value.strip())
            elif key in GUARDS:
                put(key, _json_list(value))
    return Map(pairs, line, 0), others


def _forms(sections: list[Any]) -> tuple[list[tuple[str, bool, bool]], str]:
    """The terms of a concept's sections in one language, each (text, is an acronym, is preferred), and
    the first definition there."""
    forms: list[tuple[str, bool, bool]] = []
    definition = ""
    for section in sections:
        for holder in _children(section, "termSec", "tig", "ntig"):
            term_node = next((t for t in holder.iter() if _local(t.tag) == "term"), None)
            if term_node is None or not _text(term_node):
                continue
            notes = {n.get("type"): _text(n) for n in holder.iter() if _local(n.tag) == "termNote"}
            status = notes.get("administrativeStatus") or ""
            forms.append((_text(term_node), notes.get("termType") in ACRONYM_TYPES, "preferred" in status))
        for descrip in section.iter():
            if _local(descrip.tag) == "descrip" and descrip.get("type") == "definition" and not definition:
                definition = _text(descrip)
    return forms, definition


def write_tbx(glossary: Glossary) -> bytes:
    """The glossary as TBX-Basic v3 (see the module)."""
    import json

    from lxml import etree

    lang = glossary.lang or "fr"
    root = etree.Element(f"{{{TBX_NS}}}tbx", nsmap={None: TBX_NS})
    root.set("type", "TBX-Basic")
    root.set("style", "dca")
    root.set(XML_LANG, lang)
    header = etree.SubElement(root, f"{{{TBX_NS}}}tbxHeader")
    description = etree.SubElement(etree.SubElement(header, f"{{{TBX_NS}}}fileDesc"), f"{{{TBX_NS}}}titleStmt")
    etree.SubElement(description, f"{{{TBX_NS}}}title").text = glossary.title or "Glossaire"
    body = etree.SubElement(etree.SubElement(root, f"{{{TBX_NS}}}text"), f"{{{TBX_NS}}}body")
    for entry in glossary:
        concept = etree.SubElement(body, f"{{{TBX_NS}}}conceptEntry", id=entry.id)
        for tag in entry.tags:
            etree.SubElement(concept, f"{{{TBX_NS}}}descrip", type="subjectField").text = tag
        if entry.url:
            etree.SubElement(concept, f"{{{TBX_NS}}}xref", type="externalCrossReference", target=entry.url).text = entry.url
        for other in entry.see:
            etree.SubElement(concept, f"{{{TBX_NS}}}ref", type="crossReference", target=other).text = other
        for key, default in (("case_sensitive", False), ("inflect", True), ("override", False)):
            if getattr(entry, key) != default:
                etree.SubElement(
                    concept, f"{{{TBX_NS}}}note"
                ).text = f"{FLAG_NOTE}{key}={'true' if getattr(entry, key) else 'false'}"
        for key in GUARDS:
            if getattr(entry, key):
                value = json.dumps(list(getattr(entry, key)), ensure_ascii=False)
                etree.SubElement(concept, f"{{{TBX_NS}}}note").text = f"{FLAG_NOTE}{key}={value}"
        section = etree.SubElement(concept, f"{{{TBX_NS}}}langSec")
        section.set(XML_LANG, lang)
        etree.SubElement(section, f"{{{TBX_NS}}}descrip", type="definition").text = entry.definition
        forms = [(entry.term, "fullForm", "preferredTerm-admn-sts")]
        forms += [(variant, "fullForm", "admittedTerm-admn-sts") for variant in entry.variants]
        forms += [(acronym, "acronym", "admittedTerm-admn-sts") for acronym in entry.acronyms]
        for text, kind, status in forms:
            holder = etree.SubElement(section, f"{{{TBX_NS}}}termSec")
            etree.SubElement(holder, f"{{{TBX_NS}}}term").text = text
            etree.SubElement(holder, f"{{{TBX_NS}}}termNote", type="termType").text = kind
            etree.SubElement(holder, f"{{{TBX_NS}}}termNote", type="administrativeStatus").text = status
        for kept in entry.languages:
            concept.append(etree.fromstring(kept, etree.XMLParser(resolve_entities=False, no_network=True)))
    etree.indent(root, space="  ")
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data
