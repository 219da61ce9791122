"""Family 5 — terminal safety: text shown in a terminal never carries the input's control sequences.

Every control character of the input (ESC and so CSI/OSC sequences, BEL, backspace, other C0 and C1
controls, bidi overrides) is dropped or escaped before it reaches the terminal; only gloss's own
styling sequences (SGR colours, underline, and rich's hyperlinks when asked) are written.
"""

from __future__ import annotations

import json
import re

import pytest

from ..conftest import CORPORA, corpus
from ..ptyrun import gloss_command, run_in_pty

TEXTS = sorted(p.name for p in (CORPORA / "hostile" / "text").glob("*")) if (CORPORA / "hostile").is_dir() else []
OWN_STYLING = re.compile(r"\x1b\[[0-9;]*m")
FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")


def _vectors() -> list[str]:
    path = CORPORA / "xss-vectors" / "xss-vectors-special.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else []


def _check(output: str) -> None:
    rest = OWN_STYLING.sub("", output)
    assert not FORBIDDEN.search(rest), repr(FORBIDDEN.search(rest).group())  # type: ignore[union-attr]


@pytest.mark.parametrize("name", TEXTS or ["(corpus missing)"])
def test_preview_of_hostile_texts_piped_has_no_control_character(gloss, name):
    path = corpus("hostile", "text", name)
    result = gloss("annotate", "-f", "terminal", str(path))
    assert result.exit_code == 0
    assert not FORBIDDEN.search(result.stdout) and "\x1b" not in result.stdout


@pytest.mark.parametrize("name", TEXTS or ["(corpus missing)"])
def test_preview_of_hostile_texts_on_a_terminal_has_only_our_styling(name):
    path = corpus("hostile", "text", name)
    _check(run_in_pty([*gloss_command(), "annotate", "-f", "terminal", "-q", str(path)]))


def test_control_vectors_as_text_and_as_definitions(gloss, tmp_path):
    vectors = _vectors()
    if not vectors:
        pytest.skip("../shared/corpora/xss-vectors/xss-vectors-special.json is missing")
    # NUL makes a file binary (skipped, tested elsewhere); lone surrogates cannot be written as UTF-8
    clean = [v.replace("\0", "").encode("utf-8", "replace").decode("utf-8", "replace") for v in vectors]
    text = "\n\n".join(f"La SCOP {v} et le PTCE." for v in clean)
    (tmp_path / "note.txt").write_text(text, encoding="utf-8", errors="replace")
    definitions = "\n".join(
        f"  - term: terme{n}\n    definition: {json.dumps('Définition ' + v.replace(chr(0), ''))}" for n, v in enumerate(clean)
    )
    (tmp_path / "g.yaml").write_text("entries:\n" + definitions + "\n", encoding="utf-8", errors="replace")
    (tmp_path / "termes.txt").write_text(" ".join(f"terme{n}." for n in range(len(clean))), encoding="utf-8")
    piped = gloss("annotate", "-f", "terminal", str(tmp_path / "note.txt")).stdout
    assert "SCOP" in piped and not FORBIDDEN.search(piped) and "\x1b" not in piped
    shown = run_in_pty([*gloss_command(), "annotate", "-f", "terminal", "-q", str(tmp_path / "note.txt")])
    assert "SCOP" in shown
    _check(shown)
    notes = run_in_pty(
        [*gloss_command(), "annotate", "-f", "terminal", "-q", "-g", str(tmp_path / "g.yaml"), str(tmp_path / "termes.txt")]
    )
    assert "Définition" in notes
    _check(notes)


def test_gloss_check_prints_no_escape_code_from_a_glossary(gloss, tmp_path):
    """A warning quotes the glossary (a url it drops): its escape codes are shown, not sent."""
    (tmp_path / "g.yaml").write_text(
        'entries:\n  - term: SCOP\n    definition: Une coopérative.\n    url: "\\e]0;PWNED\\ajavascript:alert(1)"\n'
        '  - term: "Sc\\e[31mIC"\n    definition: "Une \\e[2J coopérative."\n',
        encoding="utf-8",
    )
    result = gloss("check", "--no-default", str(tmp_path / "g.yaml"))
    output = result.stdout + result.stderr
    assert "warning" in output and "\\x1b]0;PWNED" in output
    assert not FORBIDDEN.search(output.replace("\n", "")), repr(output)
    shown = run_in_pty([*gloss_command(), "check", "--no-default", str(tmp_path / "g.yaml")])
    assert "\x1b]0" not in shown and "\x07" not in shown


HOSTILE_GLOSSARY = (
    "entries:\n"
    '  - term: "Bad\\e]0;PWNED\\a term"\n'
    '    acronyms: ["X\\e]8;;http://evil\\e\\\\R"]\n'
    '    definition: "Une d\\u00e9finition \\e[2J qui efface\\u009b31m tout."\n'
    '    tags: ["t\\e[5m"]\n'
)


def _no_hostile_sequence(output: str) -> None:
    assert "\x1b]" not in output and "\x07" not in output and "\x1b[2J" not in output and "\x1b[5m" not in output
    assert "\x9b" not in output, repr(output)


def test_gloss_terms_prints_no_escape_code_from_a_glossary(gloss, tmp_path):
    """Finding 12: the list and --show, piped and on a terminal, show a glossary's escape codes as text."""
    glossary = tmp_path / "g.yaml"
    glossary.write_text(HOSTILE_GLOSSARY, encoding="utf-8")
    listed = gloss("terms", "--no-default", "-g", str(glossary))
    assert listed.exit_code == 0
    assert not FORBIDDEN.search(listed.stdout.replace("\n", "").replace("\t", "")), repr(listed.stdout)
    assert "\\x1b]0;PWNED" in listed.stdout and listed.stdout.count("\t") == 4  # still five fields
    entry_id = listed.stdout.split("\t")[0]
    shown_entry = gloss("terms", "--no-default", "-g", str(glossary), "--show", entry_id)
    assert shown_entry.exit_code == 0 and "\\x1b]0;PWNED" in shown_entry.stdout
    assert not FORBIDDEN.search(shown_entry.stdout.replace("\n", "")), repr(shown_entry.stdout)
    for args in (["terms"], ["terms", "--show", entry_id], ["terms", "pwned"]):
        on_terminal = run_in_pty([*gloss_command(), *args, "--no-default", "-g", str(glossary)], columns=200)
        assert "PWNED" in on_terminal or "Bad" in on_terminal
        _no_hostile_sequence(on_terminal)
        _check(on_terminal.replace("\x1b]8;", ""))


@pytest.mark.parametrize("command", [["annotate"], ["annotate", "-f", "terminal"], ["strip"], ["annotate", "-f", "json"]])
def test_a_file_name_in_an_error_message_is_made_printable(gloss, tmp_path, command):
    """Finding 12: a single file's error names it with its escape sequences shown, not sent."""
    name = str(tmp_path / "page\x1b]0;PWNED\x07\x1b[2J.html")
    result = gloss(*command, name)
    assert result.exit_code != 0
    assert "\\x1b]0;PWNED\\x07" in result.stderr, repr(result.stderr)
    _no_hostile_sequence(result.stdout + result.stderr)
    on_terminal = run_in_pty([*gloss_command(), *command, name])
    assert "PWNED" in on_terminal
    _no_hostile_sequence(on_terminal)
