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

    def __post_init__(self) -> None:
        if self.assets not in ("inline", "none") and not (self.assets.startswith("link=") and len(self.assets) > 5):
            raise ValueError(f"assets must be inline, none or link=URL, not {self.assets!r}")
