"""The ``gloss`` command line: a thin click layer over the library.

This module holds the group and the small commands; ``gloss annotate`` lives in cli_annotate
(one document at a time in cli_document, batches in cli_batch) and the helpers the commands
share in cli_common.
"""

from __future__ import annotations

import difflib
import json
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import click

from ..atomic import write_atomically
from ..errors import Diagnostic, GlossaryError, InputError, printable, shown
from ..glossary import Glossary, combine_glossaries, default_glossary_path, load_glossary
from ..glossary.explore import entry_record, filter_entries, plain_entry, plain_line, suggest_id
from ..html.document import decode, encode
from ..markup import strip_gloss
from ..match.matcher import compile_glossary
from ..version import __version__
from .annotate import annotate
from .common import fail_on_glossary as fail_on_glossary  # re-exported: defined here before the split
from .common import glossary_options, open_glossary, read_input
from .common import open_input as open_input  # re-exported: defined here before the split
from .config import ConfigError, Layer, default_map, load_layers


class GlossGroup(click.Group):
    """The gloss command group: Ctrl-C exits with status 130 and no traceback."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # --in-place[=SUFFIX]: the suffix only ever comes after '=', so FILE after --in-place stays a FILE.
        expanded: list[str] = []
        for arg in args:
            if arg.startswith("--in-place="):
                expanded += ["--in-place", "--backup-suffix", arg.split("=", 1)[1]]
            else:
                expanded.append(arg)
        return super().parse_args(ctx, expanded)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            raise
        except click.ClickException as exc:  # its message may quote a file name or a glossary's text
            setattr(exc, "message", printable(exc.message))  # noqa: B010 (typed Final in click, a plain attribute)
            raise
        except OSError as exc:  # a write or read the file system refused, where no command caught it
            where = f"{exc.filename}: " if isinstance(exc.filename, str) else ""
            click.echo(shown(f"Error: {where}{exc.strerror or exc}"), err=True)
            ctx.exit(1)


@click.group(
    cls=GlossGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "-V", "--version", prog_name="gloss")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Read options from this TOML file instead of the project's gloss.toml or pyproject.toml [tool.gloss].",
)
@click.option("--no-config", is_flag=True, help="Read no configuration file.")
@click.pass_context
def main(ctx: click.Context, config_path: Path | None, no_config: bool) -> None:
    """Annotate French texts of the social and solidarity economy (ESS) with glossary tooltips.

    gloss finds glossary terms as French readers write them (l'ESS, pôles territoriaux,
    COOPÉRATIVES…) in HTML or plain text. It ships with a glossary of the ESS and reads
    glossaries of your own written in YAML.

    Options come, in order of precedence, from the command line, from environment
    variables (GLOSS_<COMMAND>_<OPTION>, the option's long name: GLOSS_ANNOTATE_FORMAT=json,
    GLOSS_ANNOTATE_OCCURRENCES=all), from gloss.toml or [tool.gloss] in pyproject.toml
    (found upward from the current folder, no higher than the repository's root or your
    home), and from $XDG_CONFIG_HOME/gloss/config.toml. A file gloss finds is ignored if
    someone else may have written it, and never sets where gloss writes (output,
    in_place, report…): `gloss config` shows what was read.

    Exit codes: 0 success, 1 error (bad input or glossary), 2 usage error,
    130 interrupted.

    \b
    Examples:
      gloss annotate article.html -o article.gloss.html
      cat note.txt | gloss annotate --format terminal -
      gloss terms coopérative
      gloss check mon-glossaire.yaml

    Documentation: every command's --help, and the reference in gloss's source,
    docs/index.md (a small site: run `mkdocs serve` there).
    """
    options = {
        name: {
            flag.lstrip("-"): param.name
            for param in command.params
            if isinstance(param, click.Option) and param.name
            for flag in param.opts
            if flag.startswith("--")
        }
        for name, command in main.commands.items()
    }
    for name in unknown_variables(os.environ):
        close = difflib.get_close_matches(name, sorted(known_variables()), n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        click.echo(shown(f"warning: unknown environment variable {name}{hint}; gloss ignores it"), err=True)
    try:
        layers = load_layers(config_path, not no_config)
        ctx.default_map = default_map(options, layers)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    ctx.obj = layers
    if ctx.invoked_subcommand != "config":
        for warning in layer_warnings(layers):
            click.echo(f"warning: {warning}", err=True)


def layer_warnings(layers: Sequence[Layer]) -> list[str]:
    """One printable line per configuration file ignored and per key refused."""
    lines = []
    for layer in layers:
        if layer.ignored:
            lines.append(shown(f"{layer.path}: configuration ignored: {layer.ignored}"))
        for key, line, reason in layer.refused:
            where = f"{layer.path}:{line}" if line else str(layer.path)
            lines.append(shown(f"{where}: '{key}' ignored: {reason}"))
    return lines


@main.command("config")
def show_config() -> None:
    """Show which configuration files were read or ignored, and what each sets.

    Files are listed in order of increasing precedence (the user's file, then the project's or the
    one named with --config); environment variables and flags override them all. A project file
    is looked for from the current folder up to the repository's root (the folder holding .git)
    or your home, and is ignored when someone else may have written it; it never sets where gloss
    writes or sends documents.

    \b
    Examples:
      gloss config
      gloss --config ci/gloss.toml config
    """
    layers: list[Layer] = click.get_current_context().find_root().obj or []
    if not layers:
        click.echo("No configuration file is read here.")
    for layer in layers:
        state = f"ignored: {layer.ignored}" if layer.ignored else "read"
        click.echo(shown(f"{layer.path} ({layer.origin}): {state}"))
        refused = {key for key, _, _ in layer.refused}
        for section, key, value in layer.settings:
            note = "  (ignored: set it on the command line)" if key in refused else ""
            where = f"[{section}] " if section else ""
            click.echo(shown(f"  {where}{key} = {json.dumps(value, ensure_ascii=False)}{note}"))
    variables = sorted(name for name in os.environ if name in known_variables())
    for name in variables:
        click.echo(shown(f"environment: {name} = {os.environ[name]}"))


@main.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--no-default", is_flag=True, help="Check the files on their own, not combined with the bundled glossary.")
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
def check(files: tuple[Path, ...], no_default: bool, strict: bool) -> None:
    """Validate glossary files and report every problem, as FILE:LINE:COLUMN: message.

    With no FILE, checks the bundled ESS glossary. Each FILE is checked on its own,
    then combined with the bundled glossary (unless --no-default), which is where
    'see' references and forms shadowing bundled entries are checked.
    Errors make the glossary unusable and exit 1; warnings (an HTML tag in a
    definition, a url that is not http(s), a form that shadows another file's entry)
    exit 0 unless --strict.

    \b
    Examples:
      gloss check
      gloss check mon-glossaire.yaml --strict
    """
    targets: list[Path] = list(files) or [default_glossary_path()]
    loaded, problems = [], []
    for path in targets:
        try:
            glossary = load_glossary(path)
        except GlossaryError as exc:
            problems += exc.diagnostics
            continue
        loaded.append(glossary)
        problems += glossary.warnings
    if loaded and not any(p.severity == "error" for p in problems):
        try:
            base = [] if no_default or not files else [load_glossary(default_glossary_path())]
            combined = combine_glossaries(base + loaded)
        except GlossaryError as exc:
            problems += exc.diagnostics
        else:
            known = set(problems).union(*(b.warnings for b in base))
            problems += [w for w in combined.warnings if w not in known]
            checked = {str(path) for path in targets}
            problems += [w for w in compile_glossary(combined).warnings if w.path in checked]
    report(targets, loaded, problems, strict)


def report(targets: Sequence[Path], loaded: Sequence[Glossary], problems: Sequence[Diagnostic], strict: bool) -> None:
    """Print the diagnostics of ``gloss check`` and exit with its status."""
    for problem in problems:
        click.echo(str(problem))
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    entries = sum(len(g) for g in loaded)
    files = "file" if len(targets) == 1 else "files"
    if errors or (strict and warnings):
        click.echo(f"{len(targets)} {files} checked: {errors} error(s), {warnings} warning(s).", err=True)
        sys.exit(1)
    click.echo(f"{len(targets)} {files} checked, {entries} entries: {warnings} warning(s), no error.", err=True)


@main.command()
@click.argument("query", required=False)
@glossary_options
@click.option("-t", "--tag", "tags", multiple=True, help="Only entries with this tag (repeat to require several).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of entries (schema in docs/glossaries.md).")
@click.option("--show", "show_id", metavar="ID", help="Print the entry with this id whole.")
def terms(
    query: str | None, glossaries: tuple[Path, ...], no_default: bool, tags: tuple[str, ...], as_json: bool, show_id: str | None
) -> None:
    """List glossary entries, or those matching QUERY.

    QUERY ignores case and accents and looks in terms, acronyms, variants and
    definitions. On a terminal the list is a table; piped, it is one
    tab-separated line per entry: id, term, acronyms, tags, start of the definition.

    \b
    Examples:
      gloss terms
      gloss terms coopérative --tag statuts
      gloss terms --show scic
      gloss terms --json | jq '.[].id'
    """
    glossary = open_glossary(glossaries, no_default)
    if show_id is not None:
        if show_id not in glossary:
            hint = suggest_id(glossary, show_id)
            raise click.ClickException(
                f"no entry has the id '{show_id}'" + (f"; did you mean '{hint}'?" if hint else "; list them with 'gloss terms'")
            )
        entry = glossary[show_id]
        if as_json:
            click.echo(json.dumps(entry_record(entry), ensure_ascii=False, indent=2))
        elif sys.stdout.isatty():
            from rich.console import Console

            from ..views.preview import print_entry

            print_entry(entry, Console())
        else:
            click.echo(plain_entry(entry))
        return
    entries = filter_entries(glossary, query, tags)
    if as_json:
        click.echo(json.dumps([entry_record(e) for e in entries], ensure_ascii=False, indent=2))
    elif sys.stdout.isatty():
        from rich.console import Console

        from ..views.preview import print_terms_table

        print_terms_table(entries, Console(), title=f"{len(entries)} of {len(glossary)} entries")
    else:
        for entry in entries:
            click.echo(plain_line(entry))
    if not entries:
        click.echo("no entry matches", err=True)
        sys.exit(1)


# Added here rather than by @main.command() in cli_annotate, so that cli_annotate never imports cli (no import cycle).
main.add_command(annotate)


@main.command()
@click.argument("input_file", metavar="FILE", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    default="-",
    help="Write there (atomically) instead of standard output.",
)
@click.option("--in-place", is_flag=True, help="Rewrite FILE itself (atomically).")
@click.option(
    "--legacy",
    is_flag=True,
    help="Also remove what gloss 0.x wrote, before its insertions were signed: links of class gloss-term "
    "with a data-gloss-def, and the gloss-style, gloss-script and gloss-glossary pieces (once, to migrate).",
)
def strip(input_file: str, output: str, in_place: bool, legacy: bool) -> None:
    """Remove everything gloss inserted in an annotated page, giving back the original bytes.

    Only what gloss can prove it wrote is removed: each piece it inserts carries a signature
    (data-gloss-sig, a digest of the piece), checked here, and only real markup counts (never
    text in a comment, a script, a textarea or an attribute). A site's own elements with
    gloss's class names are left alone.

    \b
    Examples:
      gloss strip page.gloss.html -o page.html
      gloss strip --in-place page.html
      gloss strip --legacy --in-place page-annotated-by-gloss-0.x.html
    """
    if in_place and (input_file == "-" or output != "-"):
        raise click.UsageError("--in-place rewrites FILE itself: it takes neither - nor -o")
    try:
        document = decode(read_input(input_file), input_file, "html")
    except InputError as exc:
        raise click.ClickException(str(exc)) from None
    data = encode(document, strip_gloss(document.text, legacy=legacy))
    target = input_file if in_place else output
    if target == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        write_atomically(target, data)


@main.command()
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


@main.command()
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def completion(shell: str) -> None:
    """Print the shell completion script for SHELL.

    \b
    Examples:
      gloss completion bash > ~/.local/share/bash-completion/completions/gloss
      gloss completion zsh > "${fpath[1]}/_gloss"
      gloss completion fish > ~/.config/fish/completions/gloss.fish
    """
    from click.shell_completion import get_completion_class

    completer = get_completion_class(shell)
    assert completer is not None
    click.echo(completer(main, {}, "gloss", "_GLOSS_COMPLETE").source())


#: Variables gloss reads besides the options' own (GLOSS_TEST_FULL is the test suite's switch).
OTHER_VARIABLES = frozenset({"GLOSS_CACHE_DIR", "GLOSS_PAGER", "GLOSS_DASK_SCHEDULER", "GLOSS_TEST_FULL"})


def option_variable(command: str | None, option: click.Option) -> str | None:
    """The environment variable of an option: GLOSS_<COMMAND>_<LONG OPTION>, dashes as underscores."""
    long = next((flag for flag in option.opts if flag.startswith("--")), None)
    if long is None:
        return None
    name = long[2:].replace("-", "_").upper()
    return f"GLOSS_{command.upper()}_{name}" if command else f"GLOSS_{name}"


def known_variables() -> set[str]:
    """Every GLOSS_* variable gloss reads."""
    names = set(OTHER_VARIABLES)
    for command in (None, *main.commands):
        params = main.params if command is None else main.commands[command].params
        for param in params:
            if isinstance(param, click.Option) and isinstance(param.envvar, (str, list)):
                names.update([param.envvar] if isinstance(param.envvar, str) else param.envvar)
    return names


def unknown_variables(environ: Mapping[str, str]) -> list[str]:
    """The GLOSS_* variables of ``environ`` that no option or setting reads."""
    known = known_variables()
    return sorted(name for name in environ if name.startswith("GLOSS_") and name not in known)


def _name_variables() -> None:
    """Give every option its GLOSS_<COMMAND>_<OPTION> variable (kept beside any other it already had)."""
    for command, params in [(None, main.params), *((n, c.params) for n, c in main.commands.items())]:
        for param in params:
            if not isinstance(param, click.Option) or param.hidden or param.name in ("help", "version"):
                continue
            variable = option_variable(command, param)
            if variable is None:
                continue
            if isinstance(param.envvar, str) and param.envvar != variable:
                param.envvar = [variable, param.envvar]
            elif not param.envvar:
                param.envvar = variable
            param.show_envvar = True


_name_variables()
