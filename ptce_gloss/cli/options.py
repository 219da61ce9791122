"""The options of ``gloss annotate``, one object per concern.

Each group is a named tuple (cheaper to define than a dataclass, at every start) whose fields are
the click parameters of that concern; the :func:`option_group` decorator adds the options to a
command and hands the command one object per group instead of thirty keyword arguments.
``gloss annotate --help`` lists the options by group (:class:`GroupedCommand`).  The parameter
names are those ``gloss.toml`` sets (see ``config``).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

import click

from ..annotate import OCCURRENCES, AnnotateOptions
from ..html.tags import DEFAULT_SKIP, skip_names
from .common import glossary_options

if TYPE_CHECKING:
    from ..markup import HtmlOptions

F = TypeVar("F", bound=Callable[..., Any])
SECTIONS = "__gloss_sections__"
"""The attribute of a command function listing its option groups: (title, parameter names)."""


def option_group(title: str, name: str, build: Callable[..., Any], *options: Callable[[F], F]) -> Callable[[F], F]:
    """Add ``options`` to a command and pass their values to it as one keyword, ``name=build(**values)``."""

    def decorate(command: F) -> F:
        names: list[str] = []

        @functools.wraps(command)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            kwargs[name] = build(**{key: kwargs.pop(key) for key in names})
            return command(*args, **kwargs)

        known = len(getattr(wrapper, "__click_params__", []))
        for option in reversed(options):
            option(wrapper)  # type: ignore[arg-type]
        params = getattr(wrapper, "__click_params__", [])
        names.extend(str(param.name) for param in reversed(params[known:]))
        setattr(wrapper, SECTIONS, [(title, names), *getattr(command, SECTIONS, [])])
        return wrapper  # type: ignore[return-value]

    return decorate


class GroupedCommand(click.Command):
    """A command whose help lists its options under the title of their group."""

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        sections: list[tuple[str, list[str]]] = getattr(self.callback, SECTIONS, [])
        options = [param for param in self.get_params(ctx) if isinstance(param, click.Option)]
        grouped = {name for _, names in sections for name in names}
        for title, names in [("Options", [o.name for o in options if o.name not in grouped]), *sections]:
            records = [option.get_help_record(ctx) for option in options if option.name in names]
            with formatter.section(title):
                formatter.write_dl([record for record in records if record is not None])


class Sources(NamedTuple):
    """Which glossaries: ``-g`` files, with or without the bundled one, from the cache or not."""

    glossaries: tuple[Path, ...]
    no_default: bool
    no_cache: bool


class Matching(NamedTuple):
    """Where and how often terms are annotated."""

    occurrences: str
    skip_more: tuple[str, ...]
    skip_less: tuple[str, ...]
    scope: str
    replace_foreign: bool

    def options(self) -> AnnotateOptions:
        """The annotator's options.

        Raises:
            click.BadParameter: the scope is not one gloss reads.
        """
        skip = (DEFAULT_SKIP | skip_names(self.skip_more)) - skip_names(self.skip_less)
        try:
            return AnnotateOptions(self.occurrences, frozenset(skip), self.replace_foreign, self.scope)  # type: ignore[arg-type]
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--scope") from None


class Reading(NamedTuple):
    """How inputs are read."""

    input_format: str
    encoding: str | None

    @property
    def kind(self) -> str | None:
        """``html``, ``text``, or None to tell from the name and content."""
        return None if self.input_format == "auto" else self.input_format


class Writing(NamedTuple):
    """How annotated HTML is written."""

    assets: str
    no_appendix: bool
    page_url: str | None
    markdown_style: str

    def options(self, with_page_url: bool = True) -> HtmlOptions:
        """The HTML options (a batch's pages have their own addresses: ``with_page_url=False``).

        Raises:
            click.BadParameter: ``--assets`` is not one gloss reads.
        """
        from ..markup import HtmlOptions  # not for --format json

        try:
            return HtmlOptions(self.assets, not self.no_appendix, self.page_url if with_page_url else None, self.markdown_style)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--assets") from None


class Site(NamedTuple):
    """A site's glossary page (``--index``), links to it, and structured data."""

    index_name: str | None
    link_to: str
    index_template: str | None
    index_pages: int
    index_all: bool
    structured_data: bool

    def apply(self, options: HtmlOptions) -> HtmlOptions:
        """The HTML options these settings need: anchors for back-links, terms linked to the page."""
        if self.link_to == "index" and self.index_name is None:
            raise click.UsageError("--link-to index needs --index NAME: the page terms link to")
        return dataclasses.replace(
            options,
            anchors=self.index_name is not None,
            structured_data=self.structured_data,
            index_page=self.index_name if self.link_to == "index" else None,
        )


class Preview(NamedTuple):
    """The terminal preview (``--format terminal``)."""

    notes: str
    pager: bool | None
    color: bool | None


class Rewriting(NamedTuple):
    """Files rewritten where they are, or checked and compared instead."""

    in_place: bool
    backup_suffix: str
    check: bool
    diff: bool

    @property
    def mode(self) -> str:
        """``check``, ``diff``, ``in-place`` or ``write``."""
        return "check" if self.check else "diff" if self.diff else "in-place" if self.in_place else "write"


class Batching(NamedTuple):
    """Batches: how many workers, where, which files, and what is reported."""

    jobs: int | None
    engine: str
    scheduler: str | None
    partition_size: int | None
    include: tuple[str, ...]
    exclude: tuple[str, ...]
    max_size: str
    report_path: str | None
    changed_only: bool


sources = option_group(
    "Glossaries",
    "sources",
    Sources,
    glossary_options,
    click.option("--no-cache", is_flag=True, help="Compile the glossaries again instead of using the cache."),
)

matching = option_group(
    "Where terms are annotated",
    "matching",
    Matching,
    click.option(
        "--occurrences",
        type=click.Choice(OCCURRENCES),
        default="first",
        show_default=True,
        help="Annotate the first occurrence of each term per document, per section (h1-h6 in HTML, "
        "heading lines in text), or all of them.",
    ),
    click.option(
        "--skip",
        "skip_more",
        multiple=True,
        metavar="TAG",
        help="Also leave the text of these HTML elements alone (repeat; heading and link name h1-h6 and a).",
    ),
    click.option(
        "--no-skip",
        "skip_less",
        multiple=True,
        metavar="TAG",
        help="Annotate inside these HTML elements, skipped by default (repeat; e.g. --no-skip h2; heading: h1-h6, "
        "link: a, in HTML and Markdown alike).",
    ),
    click.option(
        "--scope",
        default="auto",
        show_default=True,
        metavar="auto|main|article|body|SELECTOR",
        help="HTML pages: where terms are annotated. auto: the page's <main>, else its <article>s, else the whole page, "
        "never in site chrome (nav, header, footer, aside) outside an article; main, article: only there; body: "
        "everywhere; or a simple selector (#contenu, .entry-content, div.article).",
    ),
    click.option(
        "--replace-foreign",
        is_flag=True,
        help="First remove the glossary markup of other tools (SPIP Couteau Suisse, WordPress Glossary, "
        "MediaWiki Lingo), keeping the terms, so their hidden definitions stop leaking.",
    ),
)

reading = option_group(
    "Reading inputs",
    "reading",
    Reading,
    click.option(
        "--input-format",
        type=click.Choice(["auto", "html", "text", "markdown"]),
        default="auto",
        show_default=True,
        help="Read inputs as HTML, plain text or Markdown; auto uses the file name (.md and .markdown are "
        "Markdown), then the content.",
    ),
    click.option("--encoding", metavar="LABEL", help="Decode inputs with this encoding instead of detecting it."),
)

writing = option_group(
    "Annotated output",
    "writing",
    Writing,
    click.option(
        "--assets",
        default="inline",
        show_default=True,
        metavar="inline|none|link=URL",
        help="How the tooltip style and script reach the page: inlined once in <head>, left out (your site "
        "ships them: see 'gloss assets'), or a <link> to a stylesheet at URL.",
    ),
    click.option(
        "--no-appendix", is_flag=True, help="Leave out the glossary section; terms then link to the entry's url, if any."
    ),
    click.option(
        "--page-url",
        metavar="URL",
        help="html: the address the page is published at; under a <base href> that points elsewhere, term "
        "links are made absolute from it (else they cannot link to the glossary, and gloss warns). One input only; "
        "a WARC's pages use their own URLs.",
    ),
    click.option(
        "--markdown-style",
        type=click.Choice(["html", "link", "abbr", "footnote"]),
        default="html",
        show_default=True,
        help="Markdown written back: how terms are marked. html: inline <a> tooltips and the glossary as raw HTML "
        'at the end; link: [term](#gloss-id "definition") and a glossary section in Markdown (renderers that '
        "forbid raw HTML); abbr: *[ACRONYM]: definition lines (Python-Markdown abbr, Material for MkDocs); "
        "footnote: [^gloss-id] calls and footnote definitions.",
    ),
)

site = option_group(
    "Site glossary and structured data",
    "site",
    Site,
    click.option(
        "--index",
        "index_name",
        metavar="NAME",
        help="Batches: also write a site glossary page NAME (glossaire.html, or a path such as "
        "ressources/glossaire.html; a .md name writes it in Markdown, for a Markdown site) into the output: "
        "the entries the pages use, A to Z in French order, "
        "each with its definition, links and the pages where it appears (linking to the occurrence), "
        "an index by tag, and schema.org DefinedTermSet data. Each entry's first link on a page gets an id "
        "for it. With --changed-only, unchanged pages are listed from the last run's record.",
    ),
    click.option(
        "--link-to",
        type=click.Choice(["appendix", "index"]),
        default="appendix",
        show_default=True,
        help="Where terms link: their entry in the page's own glossary section, or on the --index page "
        "(relative to each page; no section is appended). The bubble shows the definition either way.",
    ),
    click.option(
        "--index-template",
        type=click.Path(dir_okay=False),
        metavar="FILE",
        help="Batches: write the --index page with this Jinja2 template (the site's layout), autoescaped; "
        "its variables are listed in docs/site-glossary.md.",
    ),
    click.option(
        "--index-pages",
        type=click.IntRange(1, 10_000),
        default=10,
        show_default=True,
        metavar="N",
        help='The pages the --index page lists per entry, most-used first (then "and N more").',
    ),
    click.option("--index-all", is_flag=True, help="List every entry of the glossaries on the --index page, used or not."),
    click.option(
        "--structured-data",
        is_flag=True,
        help="HTML: add to each annotated page a JSON-LD block (schema.org DefinedTerm) of the terms it uses.",
    ),
)

preview = option_group(
    "Terminal preview",
    "preview",
    Preview,
    click.option(
        "--notes",
        type=click.Choice(["end", "section"]),
        default="end",
        show_default=True,
        help="terminal: print the footnotes at the end, or after each section.",
    ),
    click.option(
        "--pager/--no-pager",
        default=None,
        help="terminal: page the preview (default: only long previews on a terminal when GLOSS_PAGER or PAGER is set).",
    ),
    click.option(
        "--color/--no-color",
        default=None,
        help="terminal: colours on or off (default: on for a terminal, off when piped, with NO_COLOR or "
        "TERM=dumb; FORCE_COLOR forces them).",
    ),
)

rewriting = option_group(
    "Files in place and checks",
    "rewriting",
    Rewriting,
    click.option(
        "--in-place",
        "in_place",
        is_flag=True,
        help="HTML and Markdown: rewrite each INPUT file (atomically); --in-place=SUFFIX first keeps a copy named FILE+SUFFIX "
        "(--in-place=.orig).",
    ),
    click.option("--backup-suffix", hidden=True, default="", help="The SUFFIX of --in-place=SUFFIX."),
    click.option(
        "--check",
        is_flag=True,
        help="HTML and Markdown: write nothing; exit 1 if annotating would change an INPUT file, or a file of an "
        "INPUT folder that --in-place would rewrite (for a site's CI: gloss annotate --check content/).",
    ),
    click.option(
        "--diff",
        is_flag=True,
        help="HTML and Markdown: write nothing; print a unified diff of what annotating would change (in files, "
        "and in the files of folders, as --check reads them).",
    ),
)

batching = option_group(
    "Batches (folders, archives, WARC files)",
    "batching",
    Batching,
    click.option(
        "-j",
        "--jobs",
        type=click.IntRange(1, 256),
        default=None,
        help="Batches: worker processes (default: the number of cores, or none for a batch of under 32 files "
        "and 1 MB, which gloss annotates sooner itself than workers start).",
    ),
    click.option(
        "--engine",
        type=click.Choice(["local", "dask"]),
        default="local",
        show_default=True,
        help="Batches: run on local worker processes, or on a Dask cluster (--scheduler, or a local one of -j "
        "workers; pip install 'ptce_gloss[dask]'). The outputs are the same.",
    ),
    click.option(
        "--scheduler",
        metavar="ADDRESS",
        envvar="GLOSS_DASK_SCHEDULER",
        show_envvar=True,
        help="Batches with --engine dask: the scheduler of an existing cluster (tcp://HOST:8786).",
    ),
    click.option(
        "--partition-size",
        type=click.IntRange(1, 100_000),
        default=None,
        metavar="FILES",
        help="Batches: files per task sent to a worker (default 16 locally; on Dask 16 growing to 256).",
    ),
    click.option(
        "--include",
        "include",
        multiple=True,
        metavar="PATTERN",
        help="Batches: annotate files matching this glob (repeat; default *.html *.htm *.xhtml *.txt *.md *.markdown; "
        "a WARC's pages match by their names, HOST/PATH.html).",
    ),
    click.option("--exclude", "exclude", multiple=True, metavar="PATTERN", help="Batches: leave out files matching this glob."),
    click.option(
        "--max-size",
        default="50M",
        show_default=True,
        metavar="SIZE",
        help="Batches: skip (and report) files larger than SIZE (bytes, or with K, M, G).",
    ),
    click.option(
        "--report",
        "report_path",
        type=click.Path(dir_okay=False),
        metavar="FILE.json|FILE.csv",
        help="Batches: write a report per file and per entry (schema in docs/batches.md).",
    ),
    click.option(
        "--changed-only",
        is_flag=True,
        help="Batches into a folder: skip files whose input and glossary are unchanged since the last run.",
    ),
)
