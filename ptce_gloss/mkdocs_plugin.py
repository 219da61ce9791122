"""The MkDocs plugin: ``plugins: [gloss]`` in ``mkdocs.yml`` annotates every page of the site.

Each page's rendered HTML (its content, not the theme around it) goes through the HTML path,
as ``gloss annotate`` writes it; terms link to their entry on one glossary page for the whole
site, which the plugin writes (or completes, when the site has a page of that name), and the
stylesheet and script are added once per site, as files every page links to.

Options (all optional)::

    plugins:
      - gloss:
          glossaries: [glossaire-local.yaml]   # relative to mkdocs.yml
          default_glossary: true               # the bundled ESS glossary too
          occurrences: first                   # first, first-per-section or all
          skip: [blockquote]                   # more elements to leave alone
          no_skip: [h2]                        # elements skipped by default, annotated here
          assets: true                         # false: the theme ships gloss.css and gloss.js
          glossary_page: glossaire.md          # the site's glossary page
"""

from __future__ import annotations

import html
import logging
import os
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.utils import get_relative_url

from .annotate import AnnotateOptions, Annotator
from .errors import GlossaryError
from .glossary import Entry
from .html.document import Document
from .html.tags import DEFAULT_SKIP, skip_names
from .markup import HtmlOptions
from .markup.assets import asset
from .markup.pieces import escape
from .text.french import fold_text

log = logging.getLogger("mkdocs.plugins.gloss")
ASSETS = ("assets/gloss/gloss.css", "assets/gloss/gloss.js")


class GlossConfig(Config):  # type: ignore[no-untyped-call]
    """The plugin's options in ``mkdocs.yml`` (see the module)."""

    glossaries = c.ListOfItems(c.Type(str), default=[])
    default_glossary = c.Type(bool, default=True)
    occurrences = c.Choice(("first", "first-per-section", "all"), default="first")
    skip = c.ListOfItems(c.Type(str), default=[])
    no_skip = c.ListOfItems(c.Type(str), default=[])
    assets = c.Type(bool, default=True)
    glossary_page = c.Type(str, default="glossaire.md")


class GlossPlugin(BasePlugin[GlossConfig]):  # type: ignore[no-untyped-call]
    """Annotate every page of a MkDocs site with the glossary (``plugins: [gloss]``)."""

    def __init__(self) -> None:
        self.annotator: Annotator | None = None
        self.entries: list[Entry] = []
        self.generated_page = False

    def on_config(self, config: Any) -> Any:
        from .match.cache import load_compiled

        base = os.path.dirname(config.config_file_path or ".")
        paths = [path if os.path.isabs(path) else os.path.join(base, path) for path in self.config.glossaries]
        if not paths and not self.config.default_glossary:
            raise PluginError("gloss: default_glossary is false and no glossaries are given")
        try:
            glossary, compiled = load_compiled(paths, include_default=self.config.default_glossary, on_warning=log.warning)
        except GlossaryError as exc:
            raise PluginError(f"gloss: {exc}") from None
        skip = (DEFAULT_SKIP | skip_names(self.config.skip)) - skip_names(self.config.no_skip)
        options = AnnotateOptions(self.config.occurrences, frozenset(skip), scope="body")  # type: ignore[arg-type]
        self.annotator = Annotator(compiled, options)
        self.entries = sorted(glossary.entries, key=lambda entry: fold_text(entry.label))
        if self.config.assets:
            config.extra_css.append(ASSETS[0])
            config.extra_javascript.append(ASSETS[1])
        return config

    def on_files(self, files: Files, config: Any) -> Files:
        if self.config.assets:
            for path in ASSETS:
                files.append(File.generated(config, path, content=asset(os.path.basename(path))))
        page = self.config.glossary_page
        if files.get_file_from_path(page) is None:
            self.generated_page = True
            files.append(File.generated(config, page, content=f"# Glossaire\n\n{self.glossary_html()}\n"))
        return files

    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Files) -> str:
        if page.file.src_uri == self.config.glossary_page and not self.generated_page:
            return f"{markdown.rstrip()}\n\n{self.glossary_html()}\n"
        return markdown

    def on_page_content(self, html_text: str, page: Any, config: Any, files: Files) -> str:
        if self.annotator is None or page.file.src_uri == self.config.glossary_page:
            return html_text
        glossary = files.get_file_from_path(self.config.glossary_page)
        url = get_relative_url(glossary.url, page.file.url) if glossary is not None else ""
        options = HtmlOptions(assets="none", appendix=False, glossary_url=url)
        document = Document(html_text, "html", "utf-8", page.file.src_uri)
        return self.annotator.annotate_page(document, options).text

    def glossary_html(self) -> str:
        """The site's glossary: every entry, by term, each with the id terms link to."""
        items = []
        for entry in self.entries:
            more = f' <a href="{escape(entry.url)}">En savoir plus</a>' if entry.url else ""
            items.append(
                f'<dt id="gloss-{escape(entry.id)}"><dfn>{html.escape(entry.label)}</dfn></dt>'
                f"<dd>{html.escape(entry.definition)}{more}</dd>"
            )
        return f'<dl class="gloss-site-glossary">{"".join(items)}</dl>'
