"""Glossaries as SKOS thesauri (Turtle or RDF/XML), read and written with rdflib.

Each ``skos:Concept`` is an entry: its ``skos:prefLabel`` in the glossary's language is the term,
an ``skos:altLabel`` in capitals (``SCOP``) an acronym and any other ``altLabel`` or
``hiddenLabel`` a variant, ``skos:definition`` the definition; ``skos:related`` and
``skos:broader`` become ``see``, ``rdfs:seeAlso`` (an http link) the entry's link and
``dcterms:subject`` its tags. The id is the last part of the concept's URI. gloss's flags are
written with properties of its own namespace, so that gloss reads back what it wrote.

RDF/XML is parsed by rdflib over Python's expat, which expands no external entity and stops
entity expansion bombs; Turtle has no entities.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import Diagnostic, GlossaryError
from ..text.french import slugify
from .entries import Glossary
from .yamlsafe import Map, Node, Scalar, Seq

GLOSS_NS = "urn:x-ptce-gloss:"
BASE = "urn:x-ptce-gloss:entry:"
_LAST_PART = re.compile(r"[^/#:]+$")


def _is_acronym(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= max(2, len(letters) - 1) and " " not in text


def _putter(pairs: list[tuple[Scalar, Node]], line: int) -> Any:
    """A function that adds a field to an entry's mapping (a list, a text, or nothing when empty)."""

    def put(key: str, value: str | list[str] | None) -> None:
        if isinstance(value, list):
            if value:
                pairs.append(
                    (Scalar(key, True, line, 0), Seq([Scalar(v, False, line, 0) for v in dict.fromkeys(value)], line, 0))
                )
        elif value:
            pairs.append((Scalar(key, True, line, 0), Scalar(value, value in ("true", "false"), line, 0)))

    return put


def read_skos(data: bytes, name: str = "<skos>") -> Glossary:
    """Read a glossary from SKOS (Turtle for ``.ttl``, RDF/XML otherwise; see the module).

    Raises:
        GlossaryError: the file cannot be parsed, or its concepts have problems.
    """
    from rdflib import Graph

    from .build import glossary_of
    from .schema import read_entry_nodes

    text = data.decode("utf-8-sig", "replace")
    fmt = "xml" if text.lstrip().startswith("<") else "turtle"
    if "<!ENTITY" in text or "<!entity" in text:
        raise GlossaryError([Diagnostic(name, 1, 0, "the file declares XML entities; they are refused (SKOS needs none)")])
    graph = Graph()
    try:
        graph.parse(data=text, format=fmt)
    except Exception as exc:  # rdflib's parsers raise many kinds; each is one line for the user
        message = " ".join(str(exc).split())[:300]
        raise GlossaryError([Diagnostic(name, 0, 0, f"not valid {'RDF/XML' if fmt == 'xml' else 'Turtle'}: {message}")]) from None
    reader = _Concepts(graph)
    nodes = [reader.node(concept, number) for number, concept in enumerate(reader.concepts, 1)]
    if not nodes:
        raise GlossaryError([Diagnostic(name, 0, 0, "no skos:Concept in the file")])
    entries, problems = read_entry_nodes(nodes, name)
    return glossary_of(entries, problems, name, reader.title, reader.lang)


class _Concepts:
    """The concepts of a SKOS graph, read as entries in the graph's main language."""

    def __init__(self, graph: Any) -> None:
        from rdflib import RDF, Literal, Namespace
        from rdflib.namespace import DCTERMS, SKOS

        self.graph = graph
        self.gloss = Namespace(GLOSS_NS)
        schemes = list(graph.subjects(RDF.type, SKOS.ConceptScheme))
        self.title = next((str(v) for s in schemes for v in graph.objects(s, DCTERMS.title)), None) or next(
            (str(v) for s in schemes for v in graph.objects(s, SKOS.prefLabel)), None
        )
        self.concepts = sorted(set(graph.subjects(RDF.type, SKOS.Concept)), key=self.position)
        labels = [v for c in self.concepts for v in graph.objects(c, SKOS.prefLabel) if isinstance(v, Literal)]
        languages = [str(v.language).split("-")[0].lower() for v in labels if v.language]
        self.lang = "fr" if "fr" in languages or not languages else max(set(languages), key=languages.count)

    def position(self, concept: Any) -> tuple[int, str]:
        """Where gloss wrote the concept (its order in the glossary), else after those, by URI."""
        found = next(iter(self.graph.objects(concept, self.gloss.position)), None)
        return (int(str(found)) if found is not None and str(found).isdigit() else 1 << 30, str(concept))

    def texts(self, concept: Any, prop: Any) -> list[str]:
        """The values of ``prop`` in the graph's language (or in none)."""
        from rdflib import Literal

        found = [v for v in self.graph.objects(concept, prop) if isinstance(v, Literal)]
        ours = [str(v) for v in found if not v.language or str(v.language).split("-")[0].lower() == self.lang]
        return [" ".join(v.split()) for v in ours if v.strip()]

    @staticmethod
    def ident(uri: Any) -> str:
        text = str(uri)
        if text.startswith(BASE):
            return text[len(BASE) :]
        last = _LAST_PART.search(text)
        return slugify(last.group(0)) if last else slugify(text)

    def ordered(self, concept: Any, prop: str, values: list[str]) -> list[str]:
        """``values`` in the order gloss wrote them (RDF keeps none: a property of gloss's own), else sorted."""
        written = self.json_list(concept, prop)
        return written if sorted(written) == sorted(set(values)) else sorted(set(values))

    def node(self, concept: Any, number: int) -> Map:
        """The entry's mapping of one concept (located by its rank: RDF has no lines)."""
        from rdflib import RDF, RDFS, URIRef
        from rdflib.namespace import DCTERMS, SKOS

        graph = self.graph
        pairs: list[tuple[Scalar, Node]] = []
        put = _putter(pairs, number)
        preferred = self.texts(concept, SKOS.prefLabel)
        alternatives = self.texts(concept, SKOS.altLabel)
        acronyms = self.texts(concept, self.gloss.acronym) or [a for a in alternatives if _is_acronym(a)]
        variants = [a for a in alternatives if a not in acronyms] + self.texts(concept, SKOS.hiddenLabel)
        put("id", self.ident(concept) or None)
        put("term", preferred[0] if preferred else (alternatives[0] if alternatives else None))
        put("acronyms", self.ordered(concept, "acronymOrder", acronyms))
        put("variants", self.ordered(concept, "variantOrder", [v for v in variants if v not in preferred[:1]]))
        put("definition", next(iter(self.texts(concept, SKOS.definition)), None))
        links = [str(u) for u in graph.objects(concept, RDFS.seeAlso) if isinstance(u, URIRef)]
        put("url", next((u for u in links if u.startswith(("http://", "https://", "mailto:"))), None))
        put("tags", self.ordered(concept, "tagOrder", self.texts(concept, DCTERMS.subject)))
        related = [*graph.objects(concept, SKOS.related), *graph.objects(concept, SKOS.broader)]
        see = [self.ident(other) for other in related if (other, RDF.type, SKOS.Concept) in graph]
        put("see", self.ordered(concept, "seeOrder", see))
        for key in ("case_sensitive", "inflect", "override"):
            value = next(iter(graph.objects(concept, self.gloss[key])), None)
            if value is not None:
                put(key, "true" if str(value).lower() == "true" else "false")
        for key in ("not_after", "not_before", "only_in"):
            put(key, self.json_list(concept, key))
        return Map(pairs, number, 0)

    def json_list(self, concept: Any, prop: str) -> list[str]:
        """A list gloss wrote as one JSON literal (a guard), or none."""
        import json

        value = next(iter(self.graph.objects(concept, self.gloss[prop])), None)
        try:
            found = json.loads(str(value)) if value is not None else []
        except ValueError:
            return []
        return [item for item in found if isinstance(item, str)] if isinstance(found, list) else []


def write_skos(glossary: Glossary, fmt: str = "turtle") -> bytes:
    """The glossary as a SKOS concept scheme, in Turtle (``fmt="turtle"``) or RDF/XML (``"xml"``)."""
    import json

    from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import DCTERMS, SKOS

    gloss = Namespace(GLOSS_NS)
    graph = Graph()
    graph.bind("skos", SKOS)
    graph.bind("dct", DCTERMS)
    graph.bind("gloss", gloss)
    lang = glossary.lang or "fr"
    scheme = URIRef(BASE.removesuffix("entry:") + "scheme")
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    graph.add((scheme, DCTERMS.title, Literal(glossary.title or "Glossaire", lang=lang)))
    for number, entry in enumerate(glossary, 1):
        concept = URIRef(BASE + entry.id)
        graph.add((concept, RDF.type, SKOS.Concept))
        graph.add((concept, gloss.position, Literal(number)))
        graph.add((concept, SKOS.inScheme, scheme))
        graph.add((concept, SKOS.prefLabel, Literal(entry.term, lang=lang)))
        for acronym in entry.acronyms:
            graph.add((concept, SKOS.altLabel, Literal(acronym, lang=lang)))
            graph.add((concept, gloss.acronym, Literal(acronym, lang=lang)))
        for variant in entry.variants:
            graph.add((concept, SKOS.altLabel, Literal(variant, lang=lang)))
        graph.add((concept, SKOS.definition, Literal(entry.definition, lang=lang)))
        if entry.url:
            graph.add((concept, RDFS.seeAlso, URIRef(entry.url)))
        for tag in entry.tags:
            graph.add((concept, DCTERMS.subject, Literal(tag, lang=lang)))
        for other in entry.see:
            graph.add((concept, SKOS.related, URIRef(BASE + other)))
        for key in ("not_after", "not_before", "only_in"):
            if getattr(entry, key):
                graph.add((concept, gloss[key], Literal(json.dumps(list(getattr(entry, key)), ensure_ascii=False))))
        orders = (
            ("seeOrder", entry.see),
            ("tagOrder", entry.tags),
            ("acronymOrder", entry.acronyms),
            ("variantOrder", entry.variants),
        )
        for prop, values in orders:
            if len(values) > 1:
                graph.add((concept, gloss[prop], Literal(json.dumps(list(values), ensure_ascii=False))))
        for key, default in (("case_sensitive", False), ("inflect", True), ("override", False)):
            if getattr(entry, key) != default:
                graph.add((concept, gloss[key], Literal(getattr(entry, key))))
    data: bytes = graph.serialize(format=fmt, encoding="utf-8")
    return data
