"""ptce_gloss: annotate French texts of the social and solidarity economy with glossary tooltips.

The names below are the library's stable API; each is imported on first use, so that
``import ptce_gloss`` stays cheap.  The subpackages follow the data (see docs/architecture.md)::

    from ptce_gloss import Annotator, decode, load_glossaries

    annotator = Annotator(load_glossaries())
    page = annotator.annotate(decode(b"<p>Une SCOP et une SCIC.</p>", "page.html"))
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .lazy import exports
from .version import __version__

if TYPE_CHECKING:
    from .annotate import AnnotateOptions, Annotation, Annotator, Match
    from .batch import FileReport, IndexOptions, Report, build_index, run_batch, write_report
    from .batch.distributed import annotate_bag, annotate_partition
    from .errors import BatchError, Diagnostic, GlossaryError, GlossError, InputError
    from .glossary import (
        Entry,
        Glossary,
        combine_glossaries,
        default_glossary_path,
        load_glossaries,
        load_glossary,
        parse_glossary,
    )
    from .html import Document, decode, encode
    from .markup import HtmlOptions, markdown_to_html, strip_gloss, strip_markdown, text_to_html
    from .match import CompiledGlossary, compile_glossary, load_compiled
    from .views.jsonl import document_record

_EXPORTS = {
    "AnnotateOptions": "annotate",
    "Annotation": "annotate",
    "Annotator": "annotate",
    "Match": "annotate",
    "FileReport": "batch",
    "Report": "batch",
    "run_batch": "batch",
    "build_index": "batch",
    "IndexOptions": "batch",
    "write_report": "batch",
    "annotate_bag": "batch.distributed",
    "annotate_partition": "batch.distributed",
    "BatchError": "errors",
    "Diagnostic": "errors",
    "GlossError": "errors",
    "GlossaryError": "errors",
    "InputError": "errors",
    "Entry": "glossary",
    "Glossary": "glossary",
    "combine_glossaries": "glossary",
    "default_glossary_path": "glossary",
    "load_glossaries": "glossary",
    "load_glossary": "glossary",
    "parse_glossary": "glossary",
    "Document": "html",
    "decode": "html",
    "encode": "html",
    "HtmlOptions": "markup",
    "strip_gloss": "markup",
    "strip_markdown": "markup",
    "markdown_to_html": "markup",
    "text_to_html": "markup",
    "CompiledGlossary": "match",
    "compile_glossary": "match",
    "load_compiled": "match",
    "document_record": "views.jsonl",
}
__all__ = [
    "AnnotateOptions",
    "Annotation",
    "Annotator",
    "BatchError",
    "CompiledGlossary",
    "Diagnostic",
    "Document",
    "Entry",
    "FileReport",
    "GlossError",
    "Glossary",
    "GlossaryError",
    "HtmlOptions",
    "IndexOptions",
    "InputError",
    "Match",
    "Report",
    "__version__",
    "annotate_bag",
    "annotate_partition",
    "build_index",
    "combine_glossaries",
    "compile_glossary",
    "decode",
    "default_glossary_path",
    "document_record",
    "encode",
    "load_compiled",
    "load_glossaries",
    "load_glossary",
    "markdown_to_html",
    "parse_glossary",
    "run_batch",
    "strip_gloss",
    "strip_markdown",
    "text_to_html",
    "write_report",
]


__getattr__, __dir__ = exports(__name__, {name: f".{module}" for name, module in _EXPORTS.items()})
