"""The Annotator: a compiled glossary applied to documents (scan, find, select)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from itertools import chain
from typing import TYPE_CHECKING, Any

from ..glossary import Glossary
from ..html.document import Document, Kind
from ..html.scan import Projection, project
from ..html.tags import HEADINGS
from ..html.textzones import TextZones
from ..html.zones import Zones
from ..match.matcher import (
    Candidate,
    CompiledGlossary,
    chosen_candidates,
    compile_glossary,
    drop_expanded_acronyms,
)
from ..match.occurrence import Match
from .guards import Guards, capitals_homograph
from .options import AnnotateOptions
from .progress import Progress

if TYPE_CHECKING:
    from ..markup import HtmlOptions
    from ..markup.markdown import MarkdownReading
    from ..md.scan import Shadow


class Annotator:
    """A glossary compiled once, applied to any number of documents.

    Picklable, so that worker processes and distributed engines can ship it; the
    automata are rebuilt on the other side from the compiled patterns.
    """

    def __init__(self, glossary: Glossary | CompiledGlossary, options: AnnotateOptions | None = None) -> None:
        if isinstance(glossary, CompiledGlossary):
            self.compiled = glossary
        elif isinstance(glossary, Glossary):
            self.compiled = compile_glossary(glossary)
        else:
            raise TypeError(f"glossary must be a Glossary, not {type(glossary).__name__}")
        self.options = options or AnnotateOptions()
        self._guards: Guards | None = None

    def guards(self) -> Guards | None:
        """The entries' context guards and homonyms, or None when no entry has guards."""
        if self._guards is None:
            self._guards = Guards(self.compiled.entries, self.compiled.homonyms)
        return self._guards if self._guards.active else None

    def __getstate__(self) -> dict[str, Any]:
        return {"compiled": self.compiled, "options": self.options}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.compiled, self.options = state["compiled"], state["options"]
        self._guards = None

    def annotate(self, document: Document, html_options: HtmlOptions | None = None) -> str:
        """Return the annotated HTML of a document: the source with gloss's links, assets and appendix.

        Markup gloss inserted before is taken out first, so annotating twice changes nothing
        and an edited glossary replaces old annotations.  Plain text is first made a
        standalone HTML page (see :func:`~ptce_gloss.markup.text_to_html`).
        An HTML document with nothing to annotate is returned as the very same string.
        """
        return self.annotate_document(document, html_options)[0]

    def annotate_document(self, document: Document, html_options: HtmlOptions | None = None) -> tuple[str, list[Match]]:
        """Like :meth:`annotate`, also returning the occurrences found."""
        annotation = self.annotate_page(document, html_options)
        return annotation.text, annotation.matches

    def annotate_page(self, document: Document, html_options: HtmlOptions | None = None) -> Annotation:
        """Like :meth:`annotate`, also returning the occurrences found and what the page's context
        (a ``<base href>``, a Content-Security-Policy) kept from working as usual."""
        from ..markup import HtmlOptions, render_page
        from .stream import parts, text_to_annotated_html

        if not isinstance(document, Document):
            raise TypeError(f"document must be a Document, not {type(document).__name__}")
        anchors: dict[str, str] = {}  # with html_options.anchors: each entry's first link
        if document.kind == "markdown":
            from ..markup.markdown import render_markdown

            html_options = html_options or HtmlOptions()
            prepared, read = self._prepared_markdown(document)
            reading = self._read_markdown(prepared, html_options.markdown_style == "html", read)
            text = render_markdown(reading, html_options, html_options.markdown_style, anchors=anchors)  # type: ignore[arg-type]
            text = document.text if text is prepared.text and prepared is document else text
            return Annotation(text, reading.matches, [], anchors)
        if document.kind != "html":
            found: list[Match] = []
            pieces = text_to_annotated_html(self, parts([document.text]), document.name, html_options, found, anchors)
            return Annotation("".join(pieces), found, [], anchors)
        source = self.prepare(document).text
        projection = project(source, True, self.compiled.fast_fold)
        matches = self.find_in(projection)
        projection = projection.for_writing()  # the texts of the search are freed before the page is written
        text, notes = render_page(projection, matches, html_options or HtmlOptions(), document.url, document.policies, anchors)
        return Annotation(document.text if text is source and source is document.text else text, matches, notes, anchors)

    def prepare(self, document: Document) -> Document:
        """The document as every view reads it (the annotated page, the preview, the JSON report):
        an HTML page without gloss's own earlier annotations and, with the ``replace_foreign``
        option, without other tools' glossary markup.  The very same document when nothing is
        taken out; plain text as it is."""
        from ..markup import strip_gloss

        if document.kind == "markdown":
            return self._prepared_markdown(document)[0]
        if document.kind != "html":
            return document
        text = strip_gloss(document.text)
        if self.options.replace_foreign:
            from ..html.foreign import remove_foreign

            text = remove_foreign(text)
        return document if text == document.text else replace(document, text=text)

    @staticmethod
    def _prepared_markdown(document: Document) -> tuple[Document, Shadow | None]:
        """:meth:`prepare` for Markdown, and the shadow page (HTML blocks held) read on the way when the
        document is the very same."""
        from ..markup.markdown import read_stripped

        text, read = read_stripped(document.text)
        return (document, read) if text == document.text else (replace(document, text=text), None)

    def annotate_bytes(
        self,
        data: bytes,
        name: str = "<bytes>",
        kind: Kind | None = None,
        encoding: str | None = None,
        html_options: HtmlOptions | None = None,
    ) -> bytes:
        """Decode, annotate and encode an input, as ``gloss annotate`` does with a file.

        An HTML input with nothing to annotate is returned as it came, byte for byte.

        Raises:
            InputError: the input is binary or cannot be decoded.
        """
        from ..html.document import decode, encode

        document = decode(data, name, kind, encoding)
        annotated = self.annotate(document, html_options)
        if document.kind == "text":
            return annotated.encode("utf-8")
        return data if annotated is document.text else encode(document, annotated)

    def find(self, document: Document) -> list[Match]:
        """Return the occurrences to annotate in a document, in order, per the occurrence policy.

        Their offsets are in the document as :meth:`prepare` gives it: the page itself unless it
        held gloss's earlier annotations (or, with ``replace_foreign``, other tools' markup)."""
        if not isinstance(document, Document):
            raise TypeError(f"document must be a Document, not {type(document).__name__}")
        if document.kind == "markdown":
            prepared, read = self._prepared_markdown(document)
            return self._read_markdown(prepared, True, read).matches
        document = self.prepare(document)
        projection = project(document.text, document.kind == "html", self.compiled.fast_fold)
        return self.find_in(projection)

    def read_markdown(self, document: Document, html_blocks: bool = True) -> MarkdownReading:
        """Find the occurrences in a Markdown document (as :meth:`prepare` gives it): read into its
        shadow page (see :mod:`ptce_gloss.md`), searched as HTML, mapped back to the source.

        Args:
            html_blocks: search the text of raw HTML blocks too (an HTML insertion can go there).
        """
        return self._read_markdown(document, html_blocks, None)

    def _read_markdown(self, document: Document, html_blocks: bool, read: Shadow | None) -> MarkdownReading:
        """:meth:`read_markdown`, with the document's shadow page when it was read already (HTML blocks held)."""
        from ..markup.markdown import MarkdownReading
        from ..md.scan import shadow

        if read is None or not html_blocks:
            read = shadow(document.text, html_blocks)
        projection = project(read.text, True, self.compiled.fast_fold)
        found = self.find_in(projection, scoped=False)
        projection = projection.for_writing()
        kept, matches = [], []
        lines = _LineCounter(document.text)
        for match in found:
            span = read.to_source(match.start, match.end)
            if span is None:
                continue
            line, column = lines.locate(span[0])
            kept.append(match)
            matches.append(Match(span[0], span[1], match.entry, match.surface, line, column))
        return MarkdownReading(read, projection, kept, matches)

    def find_in(self, projection: Projection, state: Progress | None = None, scoped: bool = True) -> list[Match]:
        """Like :meth:`find`, on a projection already built.

        Args:
            projection: the document's projection.
            state: what earlier parts of the same document found (for a document read in
                parts: the occurrence policy then spans them all).
            scoped: apply the ``scope`` option (not for a Markdown shadow page, which has no landmarks).
        """
        first, more = (True, False) if state is None else (state.parts == 0, state.more)
        if state is not None and not projection.is_html:
            state.part_sections = TextZones(projection.source, False, first, more).section(len(projection.source) + 1)
        state = state or Progress()
        candidates = chosen_candidates(self.compiled, projection, self._dead(state))
        chosen = drop_expanded_acronyms(candidates, projection)
        leading = next(chosen, None)
        if leading is None:
            return []
        zones: Zones | TextZones
        if projection.is_html:
            markup = projection.markup
            assert markup is not None
            zones = Zones(markup.parts, markup.before, self.options.skip, scope=self.options.scope if scoped else "body")
        else:
            zones = TextZones(projection.source, bool(HEADINGS & self.options.skip), first, more)
        return self._occurrences(projection, chain([leading], chosen), zones, state)

    def _dead(self, state: Progress) -> Callable[[int], bool] | None:
        """With the ``first`` policy, tell an entry already annotated (and that no guard may turn into a
        homonym): its later candidates matter only where they overlap others."""
        if self.options.occurrences != "first":
            return None
        seen, guards = state.seen, self.guards()
        alternates = guards.alternates if guards is not None else {}
        return lambda entry: (entry, 0) in seen and entry not in alternates

    def _occurrences(
        self, projection: Projection, chosen: Iterable[Candidate], zones: Zones | TextZones, state: Progress
    ) -> list[Match]:
        policy = self.options.occurrences
        per_section = policy == "first-per-section"
        seen = state.seen

        def section(position: int) -> int:
            return state.sections + zones.section(position)

        matches: list[Match] = []
        lines = _LineCounter(projection.source)
        guards = self.guards()
        if guards is not None:
            guards.reset()
        for candidate in chosen:
            start, end = candidate.source_start, candidate.source_end
            entry = candidate.entry
            if guards is not None:
                chosen_entry = guards.choose(entry, projection, candidate.start, candidate.end, start, end)
                if chosen_entry is None:
                    continue  # a guard says it is not this entry here (nor a homonym)
                entry = chosen_entry
            if policy != "all":
                key = (entry, section(start) if per_section else 0)
                if key in seen:
                    continue  # already annotated: no need to read the markup this far
            if candidate.acronym and capitals_homograph(projection, start, end):
                continue  # « IL PLIE BAGAGE »: in a passage of capitals, a word, not the acronym
            if zones.covers(start, end):
                continue
            if policy != "all":
                seen.add(key)
            surface = projection.surface(start, end)
            line, column = lines.locate(start)
            matches.append(Match(start, end, self.compiled.entries[entry], surface, line, column))
        return matches


@dataclass(frozen=True, slots=True)
class Annotation:
    """An annotated document (see :meth:`Annotator.annotate_page`)."""

    text: str
    """The annotated page (the very same string as the input when nothing changed)."""
    matches: list[Match]
    """The occurrences annotated."""
    notes: list[str] = field(default_factory=list)
    """One line for each thing the page's context kept from working as usual (already said
    what gloss did instead): a ``<base href>`` elsewhere, a policy blocking the inline assets."""
    anchors: dict[str, str] = field(default_factory=dict)
    """Entry id -> the id of its first link on the page (with :attr:`HtmlOptions.anchors`)."""


class _LineCounter:
    """Turns increasing offsets into 1-based line and column numbers in one pass."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.newline = "\n" if "\n" in text or "\r" not in text else "\r"
        self.offset, self.line, self.line_start = 0, 1, 0

    def locate(self, offset: int) -> tuple[int, int]:
        if offset < self.offset:
            self.offset, self.line, self.line_start = 0, 1, 0
        text, newline = self.text, self.newline
        self.line += text.count(newline, self.offset, offset)
        last = text.rfind(newline, self.offset, offset)
        if last >= 0:
            self.line_start = last + 1
        self.offset = offset
        return self.line, offset - self.line_start + 1


def annotate_find(glossary: Glossary, text: str, kind: str | None = None, options: AnnotateOptions | None = None) -> list[Match]:
    """Find the occurrences of ``glossary`` in a text (a convenience over :class:`Annotator`)."""
    return Annotator(glossary, options).find(Document.from_text(text, kind))  # type: ignore[arg-type]
