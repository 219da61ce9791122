"""``gloss strip`` and ``gloss assets``: taking gloss's insertions out of a page, and its assets for a site."""

from __future__ import annotations

from pathlib import Path

import click

from ..atomic import write_atomically
from ..errors import InputError
from ..html.document import decode, encode, kind_from_name
from ..markup import strip_gloss
from .common import output_option, read_input, write_output


@click.command()
@click.argument("input_file", metavar="FILE", type=click.Path(dir_okay=False, allow_dash=True))
@output_option()
@click.option("--in-place", is_flag=True, help="Rewrite FILE itself (atomically).")
@click.option(
    "--legacy",
    is_flag=True,
    help="Also remove what gloss 0.x wrote, before its insertions were signed: links of class gloss-term "
    "with a data-gloss-def, and the gloss-style, gloss-script and gloss-glossary pieces (once, to migrate).",
)
@click.option(
    "--input-format",
    type=click.Choice(["auto", "html", "markdown"]),
    default="auto",
    show_default=True,
    help="Read FILE as an HTML page or as Markdown; auto: Markdown for .md and .markdown, HTML otherwise.",
)
def strip(input_file: str, output: str, in_place: bool, legacy: bool, input_format: str) -> None:
    """Remove everything gloss inserted in an annotated page or Markdown file, giving back the
    original bytes.

    Only what gloss can prove it wrote is removed: each piece it inserts carries a signature
    (data-gloss-sig, a digest of the piece), checked here, and only real markup counts (never
    text in a comment, a script, a textarea or an attribute). A site's own elements with
    gloss's class names are left alone. In Markdown, the block gloss appends is signed as a
    whole (its last line, [gloss-signature]: …), and links, footnote calls and tags are
    removed only where the Markdown parser reads them (never in code).

    \b
    Examples:
      gloss strip page.gloss.html -o page.html
      gloss strip --in-place page.html
      gloss strip --in-place content/article.md
      gloss strip --legacy --in-place page-annotated-by-gloss-0.x.html
    """
    if in_place and (input_file == "-" or output != "-"):
        raise click.UsageError("--in-place rewrites FILE itself: it takes neither - nor -o")
    kind = input_format if input_format != "auto" else ("markdown" if kind_from_name(input_file) == "markdown" else "html")
    try:
        document = decode(read_input(input_file), input_file, kind)  # type: ignore[arg-type]
    except InputError as exc:
        raise click.ClickException(str(exc)) from None
    if kind == "markdown":
        from ..markup.markdown import strip_markdown

        stripped = strip_markdown(document.text)
    else:
        stripped = strip_gloss(document.text, legacy=legacy)
    data = encode(document, stripped)
    write_output(input_file if in_place else output, data)


@click.command()
@click.argument("folder", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--csp",
    is_flag=True,
    help="Write nothing; print the Content-Security-Policy sources that allow the inline style and script "
    "gloss inserts (for a site whose server sends a policy).",
)
def assets(folder: Path, csp: bool) -> None:
    """Write the tooltip stylesheet and script (gloss.css, gloss.js) into FOLDER, for --assets none or link=URL.

    \b
    Examples:
      gloss assets static/
      gloss annotate --assets link=/static/gloss.css page.html -o page.gloss.html
      gloss assets --csp
    """
    from ..markup import asset

    if csp:
        from ..html.context import source_hash
        from ..markup import script_content, style_content

        click.echo(f"style-src {source_hash(style_content())}; script-src {source_hash(script_content())}")
        return
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("gloss.css", "gloss.js"):
        write_atomically(folder / name, asset(name).encode("ascii"))
        click.echo(str(folder / name))
