"""Trust — a configuration file gloss finds cannot redirect its output or turn a read into a rewrite.

The model (docs/configuration.md): a project file is looked for from the current folder up to the
repository's root (the folder holding ``.git``) or the user's home, and only in the current folder when
neither is above it; a file or folder someone else may have written is ignored; and the options that
choose where gloss writes or sends documents are never taken from a file gloss found by itself.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import click
import pytest

from ptce_gloss import cli

from ..ptyrun import gloss_command

PAGE = "<p>Une SCOP et une SCIC.</p>"


def _run(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "HOME": str(cwd.anchor + "nonexistent-home"), **(env or {})}
    full.pop("XDG_CONFIG_HOME", None)
    return subprocess.run(
        [*gloss_command(), *args], cwd=cwd, env=full, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120
    )


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """tmp/shared/project/page.html, with a victim file beside the page."""
    project = tmp_path / "shared" / "project"
    project.mkdir(parents=True)
    (project / "page.html").write_text(PAGE, encoding="utf-8")
    (project / "victim.html").write_text("précieux", encoding="utf-8")
    return project


HOSTILE = '[annotate]\noutput = "victim.html"\nin_place = true\nformat = "html"\n'


def test_a_file_planted_above_the_current_folder_is_not_read(site):
    (site.parent / "gloss.toml").write_text(HOSTILE, encoding="utf-8")
    result = _run(site, "annotate", "page.html")
    assert result.returncode == 0, result.stderr
    assert "gloss-term" in result.stdout  # written to standard output, as asked
    assert (site / "victim.html").read_text(encoding="utf-8") == "précieux"
    assert (site / "page.html").read_text(encoding="utf-8") == PAGE


def test_the_search_stops_at_the_repository_root(site):
    (site.parent / "gloss.toml").write_text('[annotate]\noccurrences = "all"\n', encoding="utf-8")
    (site / ".git").mkdir()
    (site / "sub").mkdir()
    (site / "sub" / "page.html").write_text("<p>SCOP, SCOP.</p>", encoding="utf-8")
    result = _run(site / "sub", "annotate", "-f", "json", "page.html")
    assert result.stdout.count('"id": "scop"') == 1  # the file above the repository was not read
    (site / "gloss.toml").write_text('[annotate]\noccurrences = "all"\n', encoding="utf-8")
    result = _run(site / "sub", "annotate", "-f", "json", "page.html")
    assert result.stdout.count('"id": "scop"') == 2  # the repository's own file is


def test_destinations_are_refused_from_a_discovered_file(site):
    (site / ".git").mkdir()
    (site / "gloss.toml").write_text(HOSTILE + 'report = "r.json"\n', encoding="utf-8")
    result = _run(site, "annotate", "page.html")
    assert result.returncode == 0, result.stderr
    assert "gloss-term" in result.stdout
    assert (site / "victim.html").read_text(encoding="utf-8") == "précieux"
    assert (site / "page.html").read_text(encoding="utf-8") == PAGE
    lines = result.stderr.splitlines()
    assert f"warning: {site / 'gloss.toml'}:2: 'output' ignored" in "\n".join(lines)
    assert any("'in_place' ignored" in line for line in lines) and any("'report' ignored" in line for line in lines)
    assert "Traceback" not in result.stderr


def test_the_site_glossary_page_options_are_refused_from_a_discovered_file(site):
    """Where the glossary page is written, its template and where terms link are destinations too."""
    (site / ".git").mkdir()
    (site / "gloss.toml").write_text(
        '[annotate]\nindex = "g.html"\nindex_template = "t.j2"\nlink_to = "index"\n', encoding="utf-8"
    )
    result = _run(site, "annotate", "page.html")
    assert result.returncode == 0, result.stderr  # not refused as --index on one page: never read
    assert 'href="#gloss-' in result.stdout  # terms still link to the page's own glossary section
    for key in ("index", "index_template", "link_to"):
        assert f"'{key}' ignored" in result.stderr, key


def test_an_explicit_config_file_may_set_the_output(site, tmp_path):
    named = tmp_path / "mine.toml"
    named.write_text('[annotate]\noutput = "out.html"\n', encoding="utf-8")
    result = _run(site, "--config", str(named), "annotate", "page.html")
    assert result.returncode == 0 and "gloss-term" in (site / "out.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("value", "obeyed"),
    [("link=https://evil.example/gloss.css", False), ("link=//evil.example/gloss.css", False), ("link=/css/gloss.css", True)],
)
def test_assets_on_another_host_are_refused_from_a_discovered_file(site, value, obeyed):
    (site / "gloss.toml").write_text(f'[annotate]\nassets = "{value}"\n', encoding="utf-8")
    result = _run(site, "annotate", "page.html")
    assert (value[5:] in result.stdout) is obeyed
    assert ("'assets' ignored" in result.stderr) is not obeyed


def test_a_file_others_may_write_is_ignored(site):
    config = site / "gloss.toml"
    config.write_text('[annotate]\nformat = "json"\n', encoding="utf-8")
    os.chmod(config, 0o666)
    result = _run(site, "annotate", "page.html")
    assert not result.stdout.startswith("{") and "configuration ignored: other users may write it" in result.stderr


def test_a_file_of_another_user_is_ignored(site, monkeypatch, gloss):
    (site / "gloss.toml").write_text('[annotate]\nformat = "json"\n', encoding="utf-8")
    monkeypatch.chdir(site)
    monkeypatch.setenv("HOME", str(site / "elsewhere"))
    if os.getuid() == 0:  # root's own files are trusted: give this one to another user
        os.chown(site / "gloss.toml", 12345, -1)
    else:
        monkeypatch.setattr(os, "getuid", lambda: os.stat(site / "gloss.toml").st_uid + 1)
    result = gloss("annotate", "page.html")
    assert not result.stdout.startswith("{") and "belongs to another user" in result.stderr


def test_gloss_config_shows_what_each_file_set(site):
    (site / "gloss.toml").write_text('occurrences = "all"\n[annotate]\noutput = "victim.html"\n', encoding="utf-8")
    result = _run(site, "config", env={"GLOSS_ANNOTATE_FORMAT": "json"})
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert f"{site / 'gloss.toml'} (project): read" in out
    assert 'occurrences = "all"' in out and '[annotate] output = "victim.html"  (ignored' in out
    assert "environment: GLOSS_ANNOTATE_FORMAT = json" in out


def test_every_option_has_its_documented_variable():
    commands = cli.main.all_commands()
    assert {"annotate", "assets", "check", "completion", "config", "strip", "terms"} <= set(commands)
    for name, command in commands.items():
        for param in command.params:
            if not isinstance(param, click.Option) or param.hidden or param.name == "help":
                continue
            long = next(flag for flag in param.opts if flag.startswith("--"))
            expected = f"GLOSS_{name.upper()}_{long[2:].replace('-', '_').upper()}"
            names = [param.envvar] if isinstance(param.envvar, str) else list(param.envvar or [])
            assert expected in names, (name, long, names)


def test_the_format_variable_follows_the_rule_and_unknown_ones_warn(site):
    result = _run(site, "annotate", "page.html", env={"GLOSS_ANNOTATE_FORMAT": "json", "GLOSS_ANNOTATE_FROMAT": "x"})
    assert result.stdout.startswith("{") and '"id": "scop"' in result.stdout
    assert "warning: unknown environment variable GLOSS_ANNOTATE_FROMAT (did you mean GLOSS_ANNOTATE_FORMAT?)" in result.stderr
