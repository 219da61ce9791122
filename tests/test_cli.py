"""The command line: help, version, exit codes, `gloss check` and `gloss terms`."""

from __future__ import annotations

import json

import click
import pytest

from ptce_gloss import __version__, default_glossary_path, load_glossaries
from ptce_gloss.cli import main


def all_commands(group: click.Group, prefix: tuple[str, ...] = ()):
    yield prefix, group
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from all_commands(command, prefix + (name,))
        else:
            yield prefix + (name,), command


@pytest.mark.parametrize("path, command", list(all_commands(main)), ids=lambda v: " ".join(v) if isinstance(v, tuple) else "")
def test_every_command_has_complete_help_ending_with_an_example(gloss, path, command):
    result = gloss(*path, "--help")
    assert result.exit_code == 0
    assert command.help and len(command.help.strip()) > 40
    assert "Example" in result.stdout and "gloss" in result.stdout.split("Example")[-1]
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            assert param.help, f"option {param.opts} of {path} has no help"


def test_version(gloss):
    result = gloss("--version")
    assert (result.exit_code, result.stdout) == (0, f"gloss, version {__version__}\n")


def test_unknown_option_is_a_usage_error_exit_2(gloss):
    result = gloss("terms", "--nope")
    assert result.exit_code == 2 and "Error: No such option '--nope'." in result.stderr


def test_check_bundled_glossary_passes_with_no_warning(gloss):
    result = gloss("check", "--strict")
    assert result.exit_code == 0, result.stdout
    assert result.stdout == ""
    assert result.stderr.startswith("1 file checked, ") and ": 0 warning(s), no error." in result.stderr


def test_check_reports_every_problem_with_file_line_column_and_exits_1(gloss, write_yaml):
    path = write_yaml("entries:\n  - term: a\n    defintion: b\n  - term: c\n    definition: d\n    inflect: peut-être\n")
    result = gloss("check", str(path))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{path}:2:5: error: entry has no 'definition'",
        f"{path}:3:5: error: unknown key 'defintion' in an entry (did you mean 'definition'?)",
        f"{path}:6:14: error: inflect must be true or false, not 'peut-être'",
    ]
    assert result.stderr == "1 file checked: 3 error(s), 0 warning(s).\n"


def test_check_warnings_exit_0_unless_strict(gloss, write_yaml):
    path = write_yaml("entries:\n  - term: mon terme\n    definition: Un <i>mot</i>.\n    url: javascript:alert(1)\n")
    relaxed, strict = gloss("check", str(path)), gloss("check", "--strict", str(path))
    assert relaxed.exit_code == 0 and strict.exit_code == 1
    assert relaxed.stdout == strict.stdout
    assert [line.split(": ")[1] for line in relaxed.stdout.splitlines()] == ["warning", "warning"]


def test_check_combines_with_bundled_glossary_for_references(gloss, write_yaml):
    path = write_yaml("entries:\n  - term: mon terme\n    definition: Le mien.\n    see: [ess, inconnu]\n")
    result = gloss("check", str(path))
    assert result.exit_code == 1
    assert result.stdout == f"{path}:2: error: 'see' names 'inconnu', which is no entry's id; fix the id or remove it\n"
    alone = gloss("check", "--no-default", str(path))
    assert alone.exit_code == 1 and "'ess'" in alone.stdout


def test_annotating_command_with_bad_glossary_names_the_file(gloss, write_yaml):
    path = write_yaml("entries:\n  - term: a\n")
    result = gloss("terms", "-g", str(path))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {path}:2:5: error: entry has no 'definition'\n"


def test_terms_piped_prints_one_tab_separated_line_per_entry(gloss):
    result = gloss("terms")
    glossary = load_glossaries()
    lines = result.stdout.splitlines()
    assert result.exit_code == 0 and len(lines) == len(glossary)
    first = glossary.entries[0]
    fields = lines[0].split("\t")
    assert fields[:4] == [first.id, first.term, ",".join(first.acronyms), ",".join(first.tags)]
    assert first.definition.startswith(fields[4].rstrip("…"))


def test_terms_query_ignores_case_and_accents(gloss):
    plain = gloss("terms", "ECONOMIE SOCIALE")
    accented = gloss("terms", "économie sociale")
    assert plain.stdout == accented.stdout and plain.stdout
    assert "ess\t" in plain.stdout


def test_terms_query_with_no_match_exits_1(gloss):
    result = gloss("terms", "zzzyx")
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", "no entry matches\n")


def test_terms_json_follows_the_documented_schema(gloss):
    result = gloss("terms", "--json")
    records = json.loads(result.stdout)
    assert len(records) == len(load_glossaries())
    assert set(records[0]) == {
        "id",
        "term",
        "acronyms",
        "variants",
        "definition",
        "url",
        "tags",
        "see",
        "case_sensitive",
        "inflect",
        "not_after",
        "not_before",
        "only_in",
        "source",
        "line",
    }
    assert records[0]["source"] == str(default_glossary_path())


def test_terms_show_prints_an_entry_whole(gloss):
    entry = load_glossaries()["ess"]
    result = gloss("terms", "--show", "ess")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"{entry.label}\nid: ess\n")
    assert entry.definition in result.stdout


def test_terms_show_unknown_id_suggests_the_closest(gloss):
    result = gloss("terms", "--show", "scik")
    assert result.exit_code == 1 and result.stderr == "Error: no entry has the id 'scik'; did you mean 'scic'?\n"


def test_terms_tag_filter_and_custom_glossary(gloss, write_yaml):
    path = write_yaml("café associatif: Lieu convivial.\nbudget participatif: Budget voté par les habitants.\n")
    result = gloss("terms", "--no-default", "-g", str(path))
    assert result.stdout.splitlines() == [
        "cafe-associatif\tcafé associatif\t\t\tLieu convivial.",
        "budget-participatif\tbudget participatif\t\t\tBudget voté par les habitants.",
    ]
    tagged = gloss("terms", "--tag", "finance", "--json")
    assert tagged.exit_code == 0
    assert all("finance" in record["tags"] for record in json.loads(tagged.stdout))


def test_no_default_without_glossary_is_a_usage_error(gloss):
    result = gloss("terms", "--no-default")
    assert result.exit_code == 2 and "--no-default needs at least one -g/--glossary file" in result.stderr


def test_terms_on_a_terminal_is_a_coloured_table_that_fits_the_width():
    from .ptyrun import gloss_command, run_in_pty

    screen = run_in_pty([*gloss_command(), "terms", "scic"], columns=100)
    assert "\x1b[" in screen  # styled
    lines = [line for line in screen.splitlines() if line.strip()]
    assert "entries" in lines[0] and "┏" in lines[1]
    import re

    visible = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in lines]
    assert all(len(line) <= 100 for line in visible)
    assert any("scic" in line and "SCIC, Scic" in line for line in visible)


def test_terms_show_on_a_terminal_is_a_panel():
    from .ptyrun import gloss_command, run_in_pty

    screen = run_in_pty([*gloss_command(), "terms", "--show", "ptce"], columns=80)
    assert screen.startswith("╭─ ptce ") and "pôle territorial de coopération économique (PTCE)" in screen
