"""Plain text read and annotated in parts, so that a text of any size runs in bounded memory.

A text is cut after blank lines into parts of about a megabyte; each part is scanned on its
own while one :class:`~ptce_gloss.annotate.Progress` carries the occurrence policy from part
to part, and the output (an HTML page, or the JSON Lines record) is written as it comes.
A text annotated in one part or in many gives the same output.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterable, Iterator
from typing import BinaryIO, Protocol

from ..glossary import Entry
from ..html.document import decode
from ..html.scan import Projection, project
from ..markup import (
    TEXT_PAGE_TAIL,
    HtmlOptions,
    PageIds,
    appendix_html,
    assets_html,
    link_insertions,
    splice,
    text_page_blocks,
    text_page_head,
    text_page_title,
)
from ..markup.assets import PLAIN
from ..markup.site import structured_data_html
from ..match.matcher import CompiledGlossary
from ..match.occurrence import Match
from .progress import Progress


class Finder(Protocol):
    """What this module needs of an :class:`~ptce_gloss.annotate.Annotator`."""

    compiled: CompiledGlossary

    def find_in(self, projection: Projection, state: Progress | None = None) -> list[Match]: ...


PART_CHARS = 1 << 20
"""About how many characters a part holds."""
READ_BYTES = 1 << 20


def read_text(head: bytes, stream: BinaryIO, name: str, encoding: str | None = None) -> tuple[str, Iterator[str]]:
    """Decode a binary stream of plain text piece by piece.

    The encoding is chosen, as for a whole file, from ``head`` (the first bytes, already
    read; cut at a line end); the rest is decoded incrementally, undecodable bytes kept.

    Returns:
        The WHATWG name of the encoding, and the decoded pieces.

    Raises:
        InputError: the start of the stream is binary, or its encoding is unknown.
    """
    sample = head[: head.rfind(b"\n") + 1] if len(head) >= 65536 and b"\n" in head else head
    document = decode(sample, name, "text", encoding)
    codec = "utf-8" if document.encoding == "utf-8" else codecs.lookup(_python_codec(document.encoding)).name

    def pieces() -> Iterator[str]:
        decoder = codecs.getincrementaldecoder(codec)("surrogateescape")
        data = head[len(document.bom) :]
        while True:
            text = decoder.decode(data)
            if text:
                yield text
            if not data:
                tail = decoder.decode(b"", final=True)
                if tail:
                    yield tail
                return
            data = stream.read(READ_BYTES)

    return document.encoding, pieces()


def _python_codec(whatwg: str) -> str:
    return {"windows-1252": "cp1252", "macintosh": "mac_roman"}.get(whatwg, whatwg)


def _cut_point(buffer: str) -> int | None:
    """Where to end a part: after the last blank line, else after a line end once the text grows too long."""
    blank = max(buffer.rfind("\n\n"), buffer.rfind("\n\r\n"))
    if blank >= 0:
        return buffer.index("\n", blank + 1) + 1
    if len(buffer) >= 4 * PART_CHARS:  # one paragraph of megabytes: cut it at a line end, or anywhere
        line = buffer.rfind("\n")
        return line + 1 if line >= 0 else len(buffer)
    return None


def parts(pieces: Iterable[str]) -> Iterator[tuple[str, bool]]:
    """Regroup decoded pieces into parts that end after a blank line; yield (part, more follows)."""
    buffer = ""
    previous: str | None = None
    for piece in pieces:
        buffer += piece
        if len(buffer) < PART_CHARS:
            continue
        cut = _cut_point(buffer)
        if cut is None:
            continue
        if previous is not None:
            yield previous, True
        previous, buffer = buffer[:cut], buffer[cut:]
    if previous is not None:
        yield previous, bool(buffer)
    if buffer or previous is None:
        yield buffer, False


def _matches(annotator: Finder, part: str, state: Progress, more: bool) -> list[Match]:
    projection = project(part, False, annotator.compiled.fast_fold)
    state.more = more
    found = annotator.find_in(projection, state)
    state.sections += state.part_sections
    state.part_sections = 0
    state.parts += 1
    return found


def text_to_annotated_html(
    annotator: Finder,
    text_parts: Iterable[tuple[str, bool]],
    name: str,
    options: HtmlOptions | None = None,
    found: list[Match] | None = None,
    anchors: dict[str, str] | None = None,
) -> Iterator[str]:
    """Yield, part by part, the annotated HTML page made from a plain text.

    The page always carries the assets (it is gloss's own page); the appendix lists the
    entries found, at the end.  A text with nothing but white space gives nothing.
    """
    options = options or HtmlOptions()
    state = Progress()
    entries: list[Entry] = []
    ids: PageIds | None = None
    first = True
    for part, more in text_parts:
        if first and not more and not part.strip():
            return  # an empty (or blank) text gives an empty output, not an empty page
        blocks, title_line = text_page_blocks(part, first, more)
        html_part = "\n".join(blocks)
        projection = project(html_part, True, annotator.compiled.fast_fold)
        if ids is None:
            ids = PageIds(projection)
        matches = annotator.find_in(projection, state)
        if found is not None:
            found += matches
        state.sections += sum(block.startswith(("<h1>", "<h2>")) for block in blocks)
        anchored = ids if options.anchors else None
        insertions = link_insertions(
            projection, matches, ids if options.page_appendix else None, entries, PLAIN, options.glossary_url, anchored
        )
        if first:
            first_line = next((line.strip() for line in part.splitlines() if line.strip()), "")
            yield text_page_head(text_page_title(name, title_line, first_line)).replace(
                "</head>", assets_html(options) + "</head>", 1
            )
            first = False
        elif blocks:
            yield "\n"
        yield splice(html_part, insertions)
    yield "\n</main>\n"
    if anchors is not None and ids is not None:
        anchors.update(ids.anchors)
    if entries and options.page_appendix and ids is not None:
        yield appendix_html(entries, ids, "fr")
    if entries and options.structured_data:  # at the end: the page is written as the text is read
        yield structured_data_html(entries, options.glossary_url, ids.of if ids is not None and options.page_appendix else None)
    yield TEXT_PAGE_TAIL[len("\n</main>\n") :]


def json_record(annotator: Finder, text_parts: Iterable[tuple[str, bool]], source: str, encoding: str) -> Iterator[str]:
    """Yield, part by part, the JSON Lines record of a plain text (offsets and lines over the whole text)."""
    state = Progress()
    yield json.dumps({"source": source, "format": "text", "encoding": encoding}, ensure_ascii=False)[:-1]
    yield ', "matches": ['
    offset, lines, separator = 0, 0, ""
    for part, more in text_parts:
        for match in _matches(annotator, part, state, more):
            record = {
                "id": match.entry.id,
                "term": match.entry.term,
                "surface": match.surface,
                "start": offset + match.start,
                "end": offset + match.end,
                "line": lines + match.line,
                "column": match.column,
            }
            yield separator + json.dumps(record, ensure_ascii=False)
            separator = ", "
        offset += len(part)
        lines += part.count("\n") if "\n" in part or "\r" not in part else part.count("\r")
    yield "]}\n"
