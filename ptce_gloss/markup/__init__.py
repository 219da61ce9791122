"""Writing annotated HTML: every change is an insertion (``insert``: term links and the glossary
appendix; ``assets``: the stylesheet and script; ``places``: where they may go), each piece signed
(``pieces``) so that ``strip`` removes only what gloss provably wrote; ``textpage`` makes a plain
text an HTML page."""

from __future__ import annotations

from .assets import asset, assets_html, script_content, style_content
from .insert import PageIds, appendix_html, link_insertions, page_language, page_plan, render, render_page, splice
from .options import Assets, HtmlOptions
from .pieces import SIGNATURE, TERM_OPEN, signature
from .strip import strip_gloss
from .textpage import TEXT_PAGE_TAIL, text_page_blocks, text_page_head, text_page_title, text_to_html

__all__ = [
    "SIGNATURE",
    "TERM_OPEN",
    "TEXT_PAGE_TAIL",
    "Assets",
    "HtmlOptions",
    "PageIds",
    "appendix_html",
    "asset",
    "assets_html",
    "link_insertions",
    "page_language",
    "page_plan",
    "render",
    "render_page",
    "script_content",
    "signature",
    "splice",
    "strip_gloss",
    "style_content",
    "text_page_blocks",
    "text_page_head",
    "text_page_title",
    "text_to_html",
]
