"""Trust — the compiled-glossary cache holds data, never code, and only this user's data.

Anyone who can write the cache folder (a shared CI cache, ``$GLOSS_CACHE_DIR`` on a shared machine)
must not get code run as the next user of gloss: the cache is JSON checked field by field, a file that
another user owns, that others may write or that is a link is not read, and whatever is wrong with a
cache file, the glossary is compiled again with a one-line warning, never a traceback.
"""

from __future__ import annotations

import dataclasses
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from ptce_gloss.annotate import Annotator
from ptce_gloss.html.document import Document
from ptce_gloss.match import cache

from ..conftest import ROOT, corpus
from ..ptyrun import gloss_command

GLOSSARY = "entries:\n  - id: scop\n    term: société coopérative\n    acronyms: [SCOP]\n    definition: Une coopérative.\n"


class _Payload:
    """Unpickling this creates a file: the proof that code from the cache ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


@pytest.fixture
def cached(tmp_path, monkeypatch, write_yaml):
    """A glossary, its cache folder with one entry written, and a list of the warnings given."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("GLOSS_CACHE_DIR", str(folder))
    path = write_yaml(GLOSSARY)
    cache.load_compiled([path], include_default=False)
    [stored] = folder.iterdir()
    return path, stored


def _load(path: Path) -> tuple[object, list[str]]:
    warnings: list[str] = []
    glossary, compiled = cache.load_compiled([path], include_default=False, on_warning=warnings.append)
    return (glossary, compiled), warnings


def test_a_planted_pickle_is_never_run(cached, tmp_path):
    path, stored = cached
    marker = tmp_path / "pwned"
    for name in (stored.name, stored.with_suffix(".pickle").name, *(p.name for p in stored.parent.iterdir())):
        (stored.parent / name).write_bytes(pickle.dumps(_Payload(marker)))
    os.chmod(stored, 0o600)
    (glossary, _), warnings = _load(path)
    assert not marker.exists(), "the cache was unpickled: its code ran"
    assert glossary["scop"].acronyms == ("SCOP",)
    assert len(warnings) == 1 and "ignoring the glossary cache" in warnings[0] and "\n" not in warnings[0]


def test_the_package_never_unpickles():
    sources = [p.read_text(encoding="utf-8") for p in (ROOT / "ptce_gloss").rglob("*.py")]
    assert not any("pickle.load" in text or "import pickle" in text for text in sources)


@pytest.mark.parametrize(
    "content",
    [
        b"null",
        b"[]",
        b'{"format": 2}',
        b"\xff\xfe not utf-8",
        b"[" * 100_000 + b"]" * 100_000,
        b'{"format": 2, "key": "0", "entries": []}',
    ],
    ids=["null", "list", "partial", "not-utf8", "deep", "other-key"],
)
def test_a_corrupt_cache_is_rebuilt_with_a_warning(cached, content):
    path, stored = cached
    stored.write_bytes(content)
    (glossary, _), warnings = _load(path)
    assert glossary["scop"].term == "société coopérative" and warnings
    assert json.loads(stored.read_bytes())["format"] == cache.FORMAT  # written again, whole


def _tampered(stored: Path, change) -> bytes:
    document = json.loads(stored.read_bytes())
    change(document)
    return json.dumps(document).encode()


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["entries"]["term"].__setitem__(0, 42),
        lambda d: d["entries"]["acronyms"].__setitem__(0, "SCOP"),
        lambda d: d["entries"]["acronyms"].__setitem__(0, [None]),
        lambda d: d["entries"]["inflect"].__setitem__(0, "yes"),
        lambda d: d["entries"]["line"].__setitem__(0, -3),
        lambda d: d["entries"]["url"].__setitem__(0, 7),
        lambda d: d["entries"]["definition"].pop(),
        lambda d: d["entries"].pop("see"),
        lambda d: d["compiled"].__setitem__("folded_owner", [99] * len(d["compiled"]["folded"])),
        lambda d: d["compiled"].__setitem__("exact", {"a": 1}),
        lambda d: d["compiled"].__setitem__("case_forms", [[10**9, "x"]]),
        lambda d: d["compiled"]["warnings"].append(["f", -1, 0, "m", "warning", ""]),
        lambda d: d.__setitem__("entries", None),
    ],
    ids=[
        "term",
        "acronyms",
        "acronym",
        "flag",
        "line",
        "url",
        "short-field",
        "field",
        "owner",
        "exact",
        "case-form",
        "warning",
        "entries",
    ],
)
def test_a_cache_of_the_wrong_shape_is_rebuilt_with_a_warning(cached, change):
    path, stored = cached
    stored.write_bytes(_tampered(stored, change))
    (glossary, compiled), warnings = _load(path)
    assert warnings and glossary["scop"].acronyms == ("SCOP",)
    annotator = Annotator(compiled)
    assert [m.surface for m in annotator.find(Document.from_text("Une SCOP.", "text"))] == ["SCOP"]


def test_a_cache_file_of_another_user_is_not_read(cached, monkeypatch):
    path, stored = cached
    monkeypatch.setattr(os, "getuid", lambda: os.stat(stored).st_uid + 1)
    _, warnings = _load(path)
    assert len(warnings) == 1 and "another user" in warnings[0]


def test_a_cache_file_others_may_write_is_not_read(cached):
    path, stored = cached
    os.chmod(stored, 0o666)
    _, warnings = _load(path)
    assert len(warnings) == 1 and "other users may write it" in warnings[0]
    assert stored.stat().st_mode & 0o777 == 0o600  # written again, private


def test_a_cache_file_that_is_a_link_is_not_followed(cached, tmp_path):
    path, stored = cached
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_bytes(stored.read_bytes())
    stored.unlink()
    stored.symlink_to(elsewhere)
    _, warnings = _load(path)
    assert len(warnings) == 1 and "link" in warnings[0]


def test_a_cache_entry_reads_back_as_the_glossary_it_was_made_from(tmp_path, monkeypatch):
    """Every field of every entry of the bundled glossary survives, and the matches are the same."""
    monkeypatch.setenv("GLOSS_CACHE_DIR", str(tmp_path / "cache"))
    fresh_glossary, fresh = cache.load_compiled(use_cache=False)
    cache.load_compiled()
    (glossary, compiled), warnings = cache.load_compiled(), []
    assert not warnings
    for mine, theirs in zip(glossary.entries, fresh_glossary.entries, strict=True):
        for field in dataclasses.fields(mine):
            assert getattr(mine, field.name) == getattr(theirs, field.name), field.name
    for field in dataclasses.fields(fresh):
        if field.name != "_automata":
            assert getattr(compiled, field.name) == getattr(fresh, field.name), field.name
    page = (ROOT / "examples" / "ptce-bretagne.html").read_text(encoding="utf-8")
    same = [(m.start, m.end, m.entry.id) for m in Annotator(compiled).find(Document.from_text(page, "html"))]
    assert same == [(m.start, m.end, m.entry.id) for m in Annotator(fresh).find(Document.from_text(page, "html"))]
    assert all((p.stat().st_mode & 0o077) == 0 for p in (tmp_path / "cache").iterdir())


def test_the_command_warns_in_one_line_and_goes_on(tmp_path):
    folder = tmp_path / "cache"
    env = {**os.environ, "GLOSS_CACHE_DIR": str(folder)}
    page = tmp_path / "p.txt"
    page.write_text("Une SCIC.", encoding="utf-8")
    command = [*gloss_command(), "annotate", "-f", "json", str(page)]
    subprocess.run(command, env=env, capture_output=True, check=True, stdin=subprocess.DEVNULL)
    for stored in folder.iterdir():
        stored.write_bytes(b"\x80garbage\x1b]0;pwned\x07")
    result = subprocess.run(command, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert result.returncode == 0 and "SCIC" in result.stdout
    [line] = result.stderr.splitlines()
    assert line.startswith("warning: ignoring the glossary cache") and "Traceback" not in result.stderr


def test_changed_only_keys_are_the_same_across_processes(tmp_path):
    """The ``--changed-only`` fingerprint is a hash of a canonical encoding: two runs with different hash
    seeds agree, so the second run skips every unchanged file."""
    site = tmp_path / "site"
    site.mkdir()
    for n in range(3):
        (site / f"p{n}.html").write_text(f"<p>Une SCOP n°{n}.</p>", encoding="utf-8")
    counts = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "GLOSS_CACHE_DIR": str(tmp_path / f"cache{seed}")}
        report = tmp_path / f"report{seed}.json"
        command = [*gloss_command(), "annotate", str(site), "-o", str(tmp_path / "out"), "--changed-only", "-q"]
        subprocess.run([*command, "--report", str(report)], env=env, check=True, capture_output=True, stdin=subprocess.DEVNULL)
        counts.append(json.loads(report.read_text(encoding="utf-8"))["counts"])
    assert counts[0]["annotated"] == 3 and counts[1].get("unchanged") == 3, counts
    script = "from ptce_gloss.match.cache import fingerprint; from ptce_gloss.annotate.options import AnnotateOptions; print(fingerprint(AnnotateOptions()))"
    printed = {
        subprocess.run(
            [sys.executable, "-c", script], env={**os.environ, "PYTHONHASHSEED": s}, capture_output=True, text=True, check=True
        ).stdout
        for s in ("1", "2", "3")
    }
    assert len(printed) == 1


def test_the_hostile_corpus_pickle_is_not_run(tmp_path, monkeypatch, write_yaml):
    """Any file of the hostile corpus placed as a cache entry is refused (corpus optional)."""
    folder = corpus("hostile")
    monkeypatch.setenv("GLOSS_CACHE_DIR", str(tmp_path / "cache"))
    path = write_yaml(GLOSSARY)
    cache.load_compiled([path], include_default=False)
    [stored] = (tmp_path / "cache").iterdir()
    samples = sorted(p for p in folder.rglob("*") if p.is_file() and p.stat().st_size < 1_000_000)[:20]
    for sample in samples:
        stored.write_bytes(sample.read_bytes())
        os.chmod(stored, 0o600)
        (glossary, _), _ = _load(path)
        assert glossary["scop"].term == "société coopérative"
