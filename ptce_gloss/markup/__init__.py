"""Writing annotated HTML: every change is an insertion (``insert``: term links and the glossary
appendix; ``assets``: the stylesheet and script; ``places``: where they may go), each piece signed
(``pieces``) so that ``strip`` removes only what gloss provably wrote; ``textpage`` makes a plain
text an HTML page.  Names are imported on first use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import exports

if TYPE_CHECKING:
    from .assets import asset, assets_html, script_content, style_content
    from .insert import PageIds, appendix_html, link_insertions, page_language, page_plan, render, render_page, splice
    from .markdown import markdown_to_html, strip_markdown
    from .options import Assets, HtmlOptions
    from .pieces import SIGNATURE, TERM_OPEN, signature
    from .strip import strip_gloss
    from .textpage import TEXT_PAGE_TAIL, text_page_blocks, text_page_head, text_page_title, text_to_html

_EXPORTS = {
    "asset": ".assets",
    "assets_html": ".assets",
    "script_content": ".assets",
    "style_content": ".assets",
    "PageIds": ".insert",
    "appendix_html": ".insert",
    "link_insertions": ".insert",
    "page_language": ".insert",
    "page_plan": ".insert",
    "render": ".insert",
    "render_page": ".insert",
    "splice": ".insert",
    "Assets": ".options",
    "HtmlOptions": ".options",
    "SIGNATURE": ".pieces",
    "TERM_OPEN": ".pieces",
    "signature": ".pieces",
    "strip_gloss": ".strip",
    "markdown_to_html": ".markdown",
    "strip_markdown": ".markdown",
    "TEXT_PAGE_TAIL": ".textpage",
    "text_page_blocks": ".textpage",
    "text_page_head": ".textpage",
    "text_page_title": ".textpage",
    "text_to_html": ".textpage",
}
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
    "markdown_to_html",
    "page_language",
    "page_plan",
    "render",
    "render_page",
    "script_content",
    "signature",
    "splice",
    "strip_gloss",
    "strip_markdown",
    "style_content",
    "text_page_blocks",
    "text_page_head",
    "text_page_title",
    "text_to_html",
]
__getattr__, __dir__ = exports(__name__, _EXPORTS)
