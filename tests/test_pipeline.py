"""gloss as a Unix tool: terminal preview, pipes, exit codes, in-place, check, diff, configuration."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time

import pytest

from .conftest import EXAMPLES, ROOT
from .ptyrun import gloss_command, run_in_pty

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
LETTER = str(EXAMPLES / "lettre-scic.txt")
PAGE = str(EXAMPLES / "ptce-bretagne.html")


def piped(*args: str, input: bytes | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    full_env.update(env or {})
    return subprocess.run(
        [*gloss_command(), *args], input=input, capture_output=True, env=full_env, timeout=60, text=input is None
    )


def test_terminal_preview_on_a_terminal_is_wrapped_coloured_and_has_footnotes():
    screen = run_in_pty([*gloss_command(), "annotate", "--format", "terminal", "--occurrences", "all", PAGE], columns=72)
    assert ANSI.search(screen), "a terminal gets colours"
    visible = ANSI.sub("", screen)
    lines = visible.splitlines()
    assert max(len(line) for line in lines) <= 72 and len(lines) > 60
    assert "\x1b[4" in screen  # terms are underlined
    assert "pôles territoriaux de coopération économique" in visible and "¹" in visible
    notes = visible[visible.rindex("─" * 20) :]
    assert "pôle territorial de coopération économique (PTCE) — Regroupement" in " ".join(notes.split())
    assert "terms," in lines[-1] and "occurrences" in lines[-1]  # the summary line (stderr shares the terminal)


def test_piped_preview_is_plain_text_with_bracket_markers_and_endnotes():
    result = piped("annotate", "--format", "terminal", LETTER)
    assert result.returncode == 0 and not ANSI.search(result.stdout) and "\x1b" not in result.stdout
    # the first line is the letter's title (its page's <h1>), left alone in every view
    assert result.stdout.startswith(
        "La Lettre de Coop'Ouest - n° 42 - Passer en SCIC : le pari réussi de la CAE Talents Partagés\n"
    )
    assert "de SCOP[3], elle est devenue SCIC[4]." in result.stdout
    assert "\n[4] société coopérative d'intérêt collectif (SCIC, Scic) — " in result.stdout
    assert result.stderr == f"{LETTER}: 19 terms, 19 occurrences\n"
    quiet = piped("annotate", "--format", "terminal", "-q", LETTER)
    assert quiet.stderr == "" and quiet.stdout == result.stdout


@pytest.mark.parametrize(
    "env, args, coloured",
    [
        ({"NO_COLOR": "1"}, [], False),
        ({"TERM": "dumb"}, [], False),
        ({}, ["--no-color"], False),
        ({"NO_COLOR": "1"}, ["--color"], True),
    ],
)
def test_colour_switches_on_a_terminal(env, args, coloured):
    screen = run_in_pty([*gloss_command(), "annotate", "-f", "terminal", *args, LETTER], env=env)
    assert bool(ANSI.search(screen)) is coloured


def test_force_color_colours_a_pipe():
    assert ANSI.search(piped("annotate", "-f", "terminal", LETTER, env={"FORCE_COLOR": "1"}).stdout)


def test_notes_per_section_come_before_the_next_heading():
    result = piped("annotate", "-f", "terminal", "--notes", "section", LETTER)
    head, _, rest = result.stdout.partition("POURQUOI CHANGER DE STATUT ?")
    assert "[4] société coopérative d'intérêt collectif" in head and "[4]" not in rest.split("\n\n")[1]


def test_pager_is_used_when_asked(tmp_path):
    record = tmp_path / "paged.txt"
    screen = run_in_pty([*gloss_command(), "annotate", "-f", "terminal", "--pager", LETTER], env={"GLOSS_PAGER": f"tee {record}"})
    assert "SCIC" in record.read_text(encoding="utf-8") and "SCIC" in screen


def test_no_input_on_a_terminal_prints_help_instead_of_waiting():
    screen = run_in_pty([*gloss_command(), "annotate"], timeout=20, stdin_tty=True)
    assert "Usage: " in screen and "Annotate glossary terms" in screen


def test_stdin_to_stdout_and_atomic_output(tmp_path):
    result = piped("annotate", "-", input=b"<p>Les SCOP.</p>")
    assert result.returncode == 0 and b'class="gloss-term"' in result.stdout
    out = tmp_path / "out.html"
    assert piped("annotate", "-", "-o", str(out), input=b"<p>Les SCOP.</p>").returncode == 0
    assert out.read_bytes().count(b'class="gloss-term"') == 1 and sorted(p.name for p in tmp_path.iterdir()) == ["out.html"]


def test_in_place_check_and_diff(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<p>Les SCOP et l’ESS.</p>", encoding="utf-8")
    assert piped("annotate", "--check", str(page)).returncode == 1
    diff = piped("annotate", "--diff", str(page))
    assert diff.returncode == 1 and diff.stdout.startswith(f"--- {page}\n+++ {page} (annotated)\n") and "+<style" in diff.stdout
    assert page.read_text(encoding="utf-8") == "<p>Les SCOP et l’ESS.</p>"  # check and diff write nothing
    assert piped("annotate", "--in-place=.orig", str(page)).returncode == 0
    assert (tmp_path / "page.html.orig").read_text(encoding="utf-8") == "<p>Les SCOP et l’ESS.</p>"
    assert 'class="gloss-term"' in page.read_text(encoding="utf-8")
    assert piped("annotate", "--check", str(page)).returncode == 0  # annotating again changes nothing
    refused = piped("annotate", "--in-place", "-", input=b"x")
    assert refused.returncode == 2 and "--in-place works on files: it takes neither - nor -o" in refused.stderr.decode()


def test_configuration_precedence_flags_then_environment_then_files(tmp_path):
    (tmp_path / "gloss.toml").write_text('[annotate]\noccurrences = "all"\nformat = "json"\n', encoding="utf-8")
    text = "Les SCOP, les SCOP."
    env = {k: v for k, v in os.environ.items() if not k.startswith("GLOSS_ANNOTATE")}

    def count(*args: str, extra: dict[str, str] | None = None) -> int:
        result = subprocess.run(
            [*gloss_command(), "annotate", *args, "-"],
            input=text.encode(),
            capture_output=True,
            cwd=tmp_path,
            env={**env, **(extra or {})},
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.decode().count('"id": "scop"')

    assert count() == 2  # from gloss.toml
    assert count(extra={"GLOSS_ANNOTATE_OCCURRENCES": "first"}) == 1  # environment beats the file
    assert count("--occurrences", "all", extra={"GLOSS_ANNOTATE_OCCURRENCES": "first"}) == 2  # the flag beats both
    no_config = subprocess.run(
        [*gloss_command(), "--no-config", "annotate", "-"],
        input=text.encode(),
        cwd=tmp_path,
        capture_output=True,
        env=env,
        timeout=60,
    )
    assert no_config.stdout.startswith(b"<p>") or b"gloss-term" in no_config.stdout  # html again: the file is ignored


def test_a_bad_configuration_file_is_a_clear_error_with_its_line(tmp_path):
    (tmp_path / "gloss.toml").write_text('[annotate]\noccurrences = "all\n', encoding="utf-8")
    result = subprocess.run([*gloss_command(), "terms", "scop"], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert result.returncode == 1
    assert result.stderr.startswith(f"Error: {tmp_path / 'gloss.toml'}: invalid TOML: ") and "line 2" in result.stderr
    (tmp_path / "gloss.toml").write_text('[anotate]\noccurrences = "all"\n', encoding="utf-8")
    result = subprocess.run([*gloss_command(), "terms", "scop"], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert result.returncode == 1 and "unknown table [anotate] (did you mean [annotate]?)" in result.stderr
    (tmp_path / "gloss.toml").unlink()
    (tmp_path / "pyproject.toml").write_text('[tool.gloss.annotate]\noccurences = "all"\n', encoding="utf-8")
    result = subprocess.run([*gloss_command(), "terms", "scop"], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert result.returncode == 1 and "unknown option 'occurences' in [annotate] (did you mean 'occurrences'?)" in result.stderr


@pytest.mark.parametrize("shell, marker", [("bash", "_gloss_completion"), ("zsh", "#compdef gloss"), ("fish", "complete")])
def test_completion_scripts(shell, marker):
    result = piped("completion", shell)
    assert result.returncode == 0 and marker in result.stdout


def test_ctrl_c_exits_130_without_traceback_or_partial_output(tmp_path):
    out = tmp_path / "out.html"
    process = subprocess.Popen(
        [*gloss_command(), "annotate", "-", "-o", str(out)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    time.sleep(1.5)  # gloss is waiting for standard input
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130
    assert b"Traceback" not in stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_exit_codes_are_documented_in_help():
    result = piped("annotate", "--help")
    assert "Exit codes: 0 success, 1 some input or glossary failed, 2 usage error." in result.stdout
    assert "GLOSS_ANNOTATE_OCCURRENCES" in result.stdout
    assert sys.executable and ROOT


@pytest.mark.parametrize(
    ("less", "expected_less", "expected_args"),
    [(None, "FRX", ""), ("-M", "-M", "-R"), ("-MR", "-MR", "")],
)
def test_less_as_pager_shows_colours_not_escape_codes(tmp_path, monkeypatch, less, expected_less, expected_args):
    """PAGER=less: less gets LESS=FRX when LESS is unset (as git does), else -R unless LESS has it."""
    record = tmp_path / "record.txt"
    fake = tmp_path / "bin" / "less"
    fake.parent.mkdir()
    fake.write_text(f'#!/bin/sh\nprintf "%s|%s\\n" "$LESS" "$*" > {record}\ncat >> {record}\n', encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.delenv("LESS", raising=False)
    env = {"PAGER": "less", "PATH": f"{fake.parent}{os.pathsep}{os.environ['PATH']}"}
    if less is not None:
        env["LESS"] = less
    run_in_pty([*gloss_command(), "annotate", "-f", "terminal", "--pager", LETTER], env=env)
    head, _, paged = record.read_text(encoding="utf-8").partition("\n")
    assert head == f"{expected_less}|{expected_args}"
    assert "SCIC" in paged and "\x1b[" in paged  # coloured text, which less -R shows as colours


@pytest.mark.parametrize("kind", ["txt", "html"])
def test_the_preview_never_breaks_a_line_at_a_no_break_space(tmp_path, kind):
    """French puts a no-break space before ':' '!' '?' ';' and inside '« … »': a line never starts there."""
    sentence = "Les pôles territoriaux de coopération économique\u00a0: la formule\u202f! Et l’ESS\u00a0? « SCOP\u00a0»."
    text = " ".join([sentence] * 6)
    if kind == "html":
        text = "<p>" + text.replace("\u00a0", "&nbsp;").replace("\u202f", "&#8239;") + "</p>"
    page = tmp_path / f"note.{kind}"
    page.write_text(text, encoding="utf-8")
    for columns in range(20, 61, 7):
        screen = ANSI.sub("", run_in_pty([*gloss_command(), "annotate", "-f", "terminal", "-q", str(page)], columns=columns))
        lines = screen.replace("\r", "").split("\n")
        assert not [line for line in lines if line.lstrip(" \u00a0\u202f").startswith((":", "!", "?", "»"))], columns
        assert "\u00a0" in screen and "\u202f" in screen  # kept as they are, not made plain spaces
    piped_text = piped("annotate", "-f", "terminal", "-q", str(page)).stdout
    assert "économique\u00a0: la formule\u202f!" in piped_text
