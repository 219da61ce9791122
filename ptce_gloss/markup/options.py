"""How annotated HTML is written (``--assets``, ``--no-appendix``, ``--page-url``)."""

from __future__ import annotations

from dataclasses import dataclass

Assets = str  # "inline", "none" or "link=URL"


@dataclass(frozen=True, slots=True)
class HtmlOptions:
    """How annotated HTML is written."""

    assets: Assets = "inline"
    """``inline`` (a <style> and a tiny <script>), ``none``, or ``link=URL`` (a stylesheet link)."""
    appendix: bool = True
    """Append the glossary section the links point to."""
    page_url: str | None = None
    """The page's own address (``--page-url``), for a page whose ``<base href>`` points elsewhere:
    term links are then made absolute from it.  A document's own :attr:`~ptce_gloss.document.Document.url`
    (a WARC record's target) comes first."""

    markdown_style: str = "html"
    """How terms are written into Markdown (``--markdown-style``): ``html``, ``link``, ``abbr`` or
    ``footnote`` (see :mod:`ptce_gloss.markup.markdown`)."""

    glossary_url: str | None = None
    """The address of a site-wide glossary page (the MkDocs plugin's): each term then links to its
    entry there (``URL#gloss-ID``), with its definition as its description; no appendix is written."""

    anchors: bool = False
    """Give each entry's first link on a page an id (``gloss-in-ID``): the target of the back-links of
    a site's glossary page (``--index``)."""

    structured_data: bool = False
    """Put into each annotated page a JSON-LD block (schema.org ``DefinedTerm``) listing the terms it
    uses (``--structured-data``)."""

    index_page: str | None = None
    """In a batch, the path of the site's glossary page in the output (``--index`` with ``--link-to
    index``): each page's :attr:`glossary_url` is then that page's address relative to it."""

    @property
    def page_appendix(self) -> bool:
        """Whether each page gets its own glossary section: asked for, and no site-wide glossary page to link to."""
        return self.appendix and self.glossary_url is None

    def __post_init__(self) -> None:
        if self.markdown_style not in ("html", "link", "abbr", "footnote"):
            raise ValueError(f"markdown_style must be html, link, abbr or footnote, not {self.markdown_style!r}")
        if self.assets not in ("inline", "none") and not (self.assets.startswith("link=") and len(self.assets) > 5):
            raise ValueError(f"assets must be inline, none or link=URL, not {self.assets!r}")
