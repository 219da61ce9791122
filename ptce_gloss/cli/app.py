"""The ``gloss`` command line: a thin click layer over the library.

This module holds the group, ``gloss config`` and ``gloss completion``; the other commands live in
``annotate`` (one document at a time in ``document``, batches in ``batch``), ``glossaries`` (check,
terms) and ``pages`` (strip, assets), imported only when they run.
"""

from __future__ import annotations

import importlib
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import click

from ..errors import closest, printable, shown
from ..version import __version__
from .config import ConfigError, Layer, default_map, load_layers

COMMANDS = {
    "annotate": "annotate",
    "assets": "pages",
    "check": "glossaries",
    "convert": "exchange",
    "export": "exchange",
    "strip": "pages",
    "suggest": "suggest",
    "terms": "glossaries",
}
"""The commands defined in other modules of this package, imported when they are run (or listed)."""


class GlossGroup(click.Group):
    """The gloss command group: Ctrl-C exits with status 130 and no traceback; the commands of other
    modules are imported only when they run, so that ``gloss --version`` imports almost nothing."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module = importlib.import_module(f".{COMMANDS[cmd_name]}", __package__)
            command: click.Command = getattr(module, cmd_name)
            self.add_command(command, cmd_name)
            name_variables(cmd_name, command.params)
        return self.commands.get(cmd_name)

    def all_commands(self) -> dict[str, click.Command]:
        """Every command, imported."""
        context = click.Context(self)
        return {name: command for name in self.list_commands(context) if (command := self.get_command(context, name))}

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
    COOPÉRATIVES…) in HTML, Markdown or plain text. It ships with a glossary of the ESS
    and reads glossaries of your own: YAML, spreadsheets (CSV, .xlsx), TBX or SKOS.

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
      gloss convert glossaire.csv glossaire.yaml

    Documentation: every command's --help, and the reference in gloss's source,
    docs/index.md (a small site: run `mkdocs serve` there).
    """
    if unknown_variables(os.environ, main.commands):  # not one the commands loaded so far read: check them all
        for name in unknown_variables(os.environ):
            close = closest(name, sorted(known_variables()))
            hint = f" (did you mean {close}?)" if close else ""
            click.echo(shown(f"warning: unknown environment variable {name}{hint}; gloss ignores it"), err=True)
    try:
        layers = load_layers(config_path, not no_config)
        if any(layer.settings for layer in layers):  # every command's options, to check the files' keys
            ctx.default_map = default_map(option_names(main.all_commands()), layers)
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


def option_names(commands: Mapping[str, click.Command]) -> dict[str, dict[str, str]]:
    """For each command, its long option names (``format``) and the parameter each sets."""
    return {
        name: {
            flag.lstrip("-"): param.name
            for param in command.params
            if isinstance(param, click.Option) and param.name
            for flag in param.opts
            if flag.startswith("--")
        }
        for name, command in commands.items()
    }


def known_variables(commands: Mapping[str, click.Command] | None = None) -> set[str]:
    """Every GLOSS_* variable gloss reads (or the ``commands`` given and the group itself read)."""
    names = set(OTHER_VARIABLES)
    for command in [main, *(main.all_commands() if commands is None else commands).values()]:
        for param in command.params:
            if isinstance(param, click.Option) and isinstance(param.envvar, (str, list)):
                names.update([param.envvar] if isinstance(param.envvar, str) else param.envvar)
    return names


def unknown_variables(environ: Mapping[str, str], commands: Mapping[str, click.Command] | None = None) -> list[str]:
    """The GLOSS_* variables of ``environ`` that no option or setting reads (of ``commands``, if given)."""
    if not any(name.startswith("GLOSS_") for name in environ):
        return []
    known = known_variables(commands)
    return sorted(name for name in environ if name.startswith("GLOSS_") and name not in known)


def name_variables(command: str | None, params: Sequence[click.Parameter]) -> None:
    """Give every option its GLOSS_<COMMAND>_<OPTION> variable (kept beside any other it already had)."""
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


name_variables(None, main.params)
for _name, _command in main.commands.items():
    name_variables(_name, _command.params)
