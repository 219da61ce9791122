"""Batches: folders and archives in and out, in parallel, with reports, losing nothing, letting nothing escape."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import signal
import tarfile
import time
import zipfile
from pathlib import Path

import pytest

from ptce_gloss import load_glossaries
from ptce_gloss.annotate import Annotator
from ptce_gloss.batch import BatchError, output_name, run_batch, safe_name
from ptce_gloss.markup import strip_gloss

ANNOTATOR = Annotator(load_glossaries())
PAGE = "<!DOCTYPE html><html><head></head><body><p>Les SCOP et l’ESS n°{n}.</p></body></html>"


def make_tree(root: Path, count: int = 12) -> Path:
    for n in range(count):
        folder = root / f"rubrique{n % 3}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"article{n}.html").write_text(PAGE.format(n=n), encoding="utf-8")
    (root / "notes.txt").write_text("Titre\n\nUne coopérative.\n", encoding="utf-8")
    (root / "logo.png").write_bytes(b"\x89PNG\r\n")
    (root / "vide.html").write_text("<p>Rien ici.</p>", encoding="utf-8")
    return root


def make_zip(path: Path, tree: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for file in sorted(tree.rglob("*")):
            if file.is_file():
                archive.write(file, file.relative_to(tree).as_posix())
    return path


def test_folder_in_folder_out_mirrors_the_tree(tmp_path):
    tree = make_tree(tmp_path / "in")
    report = run_batch(ANNOTATOR, [str(tree)], str(tmp_path / "out"), jobs=1)
    out = tmp_path / "out"
    assert (out / "rubrique1" / "article1.html").read_text(encoding="utf-8").count('class="gloss-term"') == 2
    assert (out / "notes.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")  # a text becomes a page
    assert not (out / "notes.txt").exists()
    assert (out / "vide.html").read_bytes() == (tree / "vide.html").read_bytes()
    assert not (out / "logo.png").exists()  # not matched in a folder: not copied
    assert report.counts() == {"annotated": 13, "unchanged": 1}
    assert strip_gloss((out / "rubrique0" / "article0.html").read_text(encoding="utf-8")) == PAGE.format(n=0)


@pytest.mark.parametrize("suffix", [".zip", ".tar", ".tar.gz", ".tar.bz2", ".tar.xz"])
def test_archive_in_archive_out_keeps_the_layout_and_copies_other_members(tmp_path, suffix):
    source = make_zip(tmp_path / "in.zip", make_tree(tmp_path / "tree"))
    target = tmp_path / f"out{suffix}"
    report = run_batch(ANNOTATOR, [str(source)], str(target), jobs=1)
    with zipfile.ZipFile(source) as archive:
        expected_names = [output_name(name) for name in archive.namelist()]  # notes.txt becomes notes.html
        logo_time = time.mktime((*archive.getinfo("logo.png").date_time, 0, 0, -1))
    if suffix == ".zip":
        with zipfile.ZipFile(target) as archive:
            names = archive.namelist()
            logo = archive.read("logo.png")
            logo_mtime = time.mktime((*archive.getinfo("logo.png").date_time, 0, 0, -1))
            article = archive.read("rubrique2/article2.html").decode()
    else:
        with tarfile.open(target) as archive:
            names = archive.getnames()
            logo = archive.extractfile("logo.png").read()  # type: ignore[union-attr]
            logo_mtime = archive.getmember("logo.png").mtime
            article = archive.extractfile("rubrique2/article2.html").read().decode()  # type: ignore[union-attr]
    assert names == expected_names and len(names) == 15  # the same layout, in the same order
    assert logo == b"\x89PNG\r\n" and abs(logo_mtime - logo_time) <= 2  # copied with its date
    assert 'class="gloss-term"' in article
    assert report.counts()["skipped"] == 1


def test_output_is_the_same_whatever_the_number_of_workers(tmp_path):
    source = make_zip(tmp_path / "in.zip", make_tree(tmp_path / "tree", count=40))
    run_batch(ANNOTATOR, [str(source)], str(tmp_path / "one.zip"), jobs=1)
    report = run_batch(ANNOTATOR, [str(source)], str(tmp_path / "two.zip"), jobs=2)
    assert (tmp_path / "one.zip").read_bytes() == (tmp_path / "two.zip").read_bytes()
    with zipfile.ZipFile(source) as archive:
        assert [f.name for f in report.files] == archive.namelist()  # reported in input order too


def folder_bytes(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_folder_written_by_the_workers_is_the_one_written_by_a_single_process(tmp_path):
    """With -j 2 the workers write their outputs into the folder themselves: the same files, bytes,
    report and file modes as -j 1, and no temporary file left."""
    tree = make_tree(tmp_path / "tree", count=60)
    one = run_batch(ANNOTATOR, [str(tree)], str(tmp_path / "one"), jobs=1)
    two = run_batch(ANNOTATOR, [str(tree)], str(tmp_path / "two"), jobs=2)
    assert folder_bytes(tmp_path / "one") == folder_bytes(tmp_path / "two") != {}
    assert [(f.name, f.status, f.occurrences) for f in one.files] == [(f.name, f.status, f.occurrences) for f in two.files]
    assert {p.stat().st_mode for p in (tmp_path / "two").rglob("*.html")} == {
        p.stat().st_mode for p in (tmp_path / "one").rglob("*.html")
    }
    assert (tmp_path / "two" / "notes.html").exists() and not list((tmp_path / "two").rglob("*.gloss-tmp"))


@pytest.mark.parametrize("target", ["out.zip", "out.tar.gz", "in-place"])
def test_a_folder_read_by_the_workers_gives_what_one_process_gives_into_any_output(tmp_path, target):
    """With -j 2 the workers read the folder's files themselves; into an archive or in place this
    process writes what they send back, unchanged pages (which it never read) included."""
    outputs, reports = {}, {}
    for jobs in (1, 2):
        tree = make_tree(tmp_path / f"tree{jobs}", count=40)
        for file in tree.rglob("*"):  # an archive's members keep their file's time: the two trees', alike
            os.utime(file, (1_700_000_000, 1_700_000_000))
        output = tmp_path / f"{jobs}-{target}" if target != "in-place" else tree
        report = run_batch(ANNOTATOR, [str(tree)], str(output), jobs=jobs, in_place=target == "in-place")
        reports[jobs] = [(f.name, f.status, f.error, f.occurrences) for f in report.files]
        outputs[jobs] = output.read_bytes() if output.is_file() else folder_bytes(output)
    assert reports[1] == reports[2] and ("vide.html", "unchanged", None, {}) in reports[2]
    if target == "out.tar.gz":  # the same members (the gzip header holds the time)
        outputs = {jobs: _tar_members(tmp_path / f"{jobs}-{target}") for jobs in outputs}
    assert outputs[1] == outputs[2]
    if target == "in-place":
        assert outputs[2]["vide.html"] == b"<p>Rien ici.</p>" and b"gloss-term" in outputs[2]["rubrique0/article0.html"]


def _tar_members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path) as archive:
        return {m.name: archive.extractfile(m).read() for m in archive.getmembers() if m.isfile()}  # type: ignore[union-attr]


def test_files_with_the_same_output_name_end_as_with_one_process(tmp_path):
    """Two inputs named alike, and a text whose page takes an HTML file's name: the last one in input
    order wins whatever -j, as the workers leave such names to the writer in order."""
    for n, folder in enumerate(("a", "b", "c")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "page.html").write_text(PAGE.format(n=n), encoding="utf-8")
    (tmp_path / "c" / "page.txt").write_text("Une SCOP, en texte.", encoding="utf-8")
    inputs = [str(tmp_path / "a" / "page.html"), str(tmp_path / "b" / "page.html"), str(tmp_path / "c" / "page.txt")]
    outputs = {}
    for jobs in (1, 2):
        run_batch(ANNOTATOR, inputs, str(tmp_path / f"out{jobs}"), jobs=jobs)
        outputs[jobs] = folder_bytes(tmp_path / f"out{jobs}")
    assert outputs[1] == outputs[2] and list(outputs[2]) == ["page.html"]
    assert "en texte" in outputs[2]["page.html"].decode("utf-8")


def test_one_bad_file_is_reported_and_the_others_are_done(tmp_path):
    tree = make_tree(tmp_path / "in", count=3)
    (tree / "binaire.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (tree / "gros.html").write_bytes(b"<p>" + b"x" * 5000 + b"</p>")
    report = run_batch(ANNOTATOR, [str(tree)], str(tmp_path / "out"), jobs=2, max_size=4000)
    failed = {f.name: f.error for f in report.files if f.status == "failed"}
    assert set(failed) == {"binaire.html", "gros.html"}
    assert "binary data" in failed["binaire.html"] and "over --max-size 4,000" in failed["gros.html"]
    assert len(list((tmp_path / "out").rglob("article*.html"))) == 3


def test_include_and_exclude(tmp_path):
    tree = make_tree(tmp_path / "in", count=6)
    report = run_batch(ANNOTATOR, [str(tree)], str(tmp_path / "out"), include=["*.html"], exclude=["rubrique1/*"])
    names = sorted(f.name for f in report.files)
    assert "notes.txt" not in names and not any(n.startswith("rubrique1/") for n in names) and "vide.html" in names


def test_report_json_and_csv(tmp_path, gloss):
    tree = make_tree(tmp_path / "in", count=4)
    result = gloss("annotate", str(tree), "-o", str(tmp_path / "out"), "-j", "1", "--report", str(tmp_path / "r.json"))
    assert result.exit_code == 0, result.stderr
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data["entries"]["scop"] == {"files": 4, "occurrences": 4}
    assert "ptce" in data["never_found"] and "scop" not in data["never_found"]
    assert {f["status"] for f in data["files"]} == {"annotated", "unchanged"}
    gloss("annotate", str(tree), "-o", str(tmp_path / "out2"), "-j", "1", "--report", str(tmp_path / "r.csv"))
    rows = list(csv.DictReader(io.StringIO((tmp_path / "r.csv").read_text(encoding="utf-8"))))
    assert {"file": "rubrique0/article0.html", "status": "annotated", "error": "", "entry": "ess", "occurrences": "1"} in rows
    assert "files read" in result.stderr and "most frequent" in result.stderr


def test_exit_code_is_1_when_a_file_failed(gloss, tmp_path):
    tree = make_tree(tmp_path / "in", count=2)
    (tree / "binaire.html").write_bytes(bytes(64))
    result = gloss("annotate", str(tree), "-o", str(tmp_path / "out"), "-j", "1", "-q")
    assert result.exit_code == 1 and (tmp_path / "out" / "rubrique0" / "article0.html").exists()


def test_changed_only_does_only_new_work(tmp_path):
    tree = make_tree(tmp_path / "in", count=5)
    first = run_batch(ANNOTATOR, [str(tree)], str(tmp_path / "out"), changed_only="k1")
    assert first.counts()["annotated"] == 6
    (tree / "rubrique0" / "article0.html").write_text(PAGE.format(n=99), encoding="utf-8")
    second = run_batch(ANNOTATOR, [str(tree)], str(tmp_path / "out"), changed_only="k1")
    assert second.counts() == {"annotated": 1, "unchanged": 6}
    assert "n°99" in (tmp_path / "out" / "rubrique0" / "article0.html").read_text(encoding="utf-8")
    third = run_batch(ANNOTATOR, [str(tree)], str(tmp_path / "out"), changed_only="other glossary")
    assert third.counts()["annotated"] == 6


def test_changed_only_into_an_archive_is_a_usage_error(gloss, tmp_path):
    result = gloss("annotate", str(make_tree(tmp_path / "in", 2)), "-o", str(tmp_path / "out.zip"), "--changed-only")
    assert result.exit_code == 2 and "needs an output folder" in result.stderr and not (tmp_path / "out.zip").exists()


def test_in_place_rewrites_a_folder(gloss, tmp_path):
    tree = make_tree(tmp_path / "in", count=2)
    result = gloss("annotate", "--in-place", str(tree), "-j", "1", "-q")
    assert result.exit_code == 0, result.stderr
    assert 'class="gloss-term"' in (tree / "rubrique0" / "article0.html").read_text(encoding="utf-8")
    assert gloss("annotate", str(tree)).exit_code == 2  # a folder needs -o


@pytest.mark.parametrize(
    "name, expected",
    [
        ("a/b.html", "a/b.html"),
        ("./a/./b.html", "a/b.html"),
        ("../x", None),
        ("a/../../x", None),
        ("/tmp/x", None),
        ("..\\x", None),
        ("C:/x", None),
        ("//x", None),
        ("", None),
        ("a/../b", None),
    ],
)
def test_member_names_are_mapped_never_trusted(name, expected):
    assert safe_name(name) == expected


def test_several_inputs_go_under_their_names(tmp_path):
    first, second = make_tree(tmp_path / "un", count=1), make_tree(tmp_path / "deux", count=1)
    run_batch(ANNOTATOR, [str(first), str(second)], str(tmp_path / "out"), jobs=1)
    assert (tmp_path / "out" / "un" / "rubrique0" / "article0.html").exists()
    assert (tmp_path / "out" / "deux" / "rubrique0" / "article0.html").exists()
    assert os.listdir(tmp_path / "out") == sorted(os.listdir(tmp_path / "out"), key=["un", "deux"].index)


def test_in_place_keeps_backups_with_a_suffix(gloss, tmp_path):
    tree = make_tree(tmp_path / "in", count=2)
    original = (tree / "rubrique0" / "article0.html").read_bytes()
    result = gloss("annotate", "--in-place=.orig", str(tree), "-j", "1", "-q")
    assert result.exit_code == 0, result.stderr
    assert (tree / "rubrique0" / "article0.html.orig").read_bytes() == original
    assert b"gloss-term" in (tree / "rubrique0" / "article0.html").read_bytes()
    assert not (tree / "logo.png.orig").exists()  # only what was rewritten is backed up


def test_measure_inputs_counts_what_will_be_read(tmp_path):
    from ptce_gloss.batch import DEFAULT_PATTERNS, measure_inputs

    tree = make_tree(tmp_path / "in", count=4)
    files, size = measure_inputs([str(tree)], DEFAULT_PATTERNS, ())
    assert files == 6 and size == sum(p.stat().st_size for p in tree.rglob("*") if p.suffix in (".html", ".txt"))
    assert measure_inputs([str(make_zip(tmp_path / "a.zip", tree))], DEFAULT_PATTERNS, ())[0] == 7  # logo copied too
    with tarfile.open(tmp_path / "a.tar.gz", "w:gz") as archive:
        archive.add(tree, "in")
    assert measure_inputs([str(tmp_path / "a.tar.gz")], DEFAULT_PATTERNS, ()) is None  # would need a full read


def test_progress_bar_on_a_terminal_and_nothing_with_quiet(tmp_path):
    from .ptyrun import gloss_command, run_in_pty

    tree = make_tree(tmp_path / "in", count=30)
    shown = run_in_pty([*gloss_command(), "annotate", str(tree), "-o", str(tmp_path / "out"), "-j", "1"])
    assert "/32 files" in shown and "files read" in shown
    quiet = run_in_pty([*gloss_command(), "annotate", str(tree), "-o", str(tmp_path / "out2"), "-j", "1", "-q"])
    assert quiet.strip() == ""
    assert len(list((tmp_path / "out2").rglob("*.html"))) == 32  # notes.txt became notes.html


def test_no_animation_when_stderr_is_not_a_terminal(gloss, tmp_path):
    result = gloss("annotate", str(make_tree(tmp_path / "in")), "-o", str(tmp_path / "out"), "-j", "1")
    assert result.exit_code == 0 and "\r" not in result.stderr and "\x1b[" not in result.stderr


def _big_tree(root: Path, count: int) -> Path:
    body = " ".join(["Le PTCE réunit des SCOP, des SCIC et des associations de l’ESS."] * 400)
    for n in range(count):
        folder = root / f"r{n % 10}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"a{n}.html").write_text(f"<html><body><p>{n} {body}</p></body></html>", encoding="utf-8")
    return root


def _check_complete_or_absent(out: Path, reference: Path) -> int:
    assert not [p for p in out.rglob("*") if "gloss-tmp" in p.name], "a temporary file was left behind"
    present = 0
    for path in out.rglob("*.html"):
        assert path.read_bytes() == (reference / path.relative_to(out)).read_bytes(), f"{path} is incomplete"
        present += 1
    return present


@pytest.mark.parametrize("how", ["ctrl-c", "killed worker"])
def test_an_interrupted_run_leaves_complete_files_and_a_rerun_finishes(tmp_path, how):
    import signal
    import subprocess

    from .ptyrun import gloss_command

    tree = _big_tree(tmp_path / "in", 600)
    reference = tmp_path / "reference"
    run_batch(ANNOTATOR, [str(tree)], str(reference), jobs=1)
    out = tmp_path / "out"
    command = [*gloss_command(), "annotate", str(tree), "-o", str(out), "-j", "2", "--changed-only", "-q"]
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(out.rglob("*.html"))) < 20:
        time.sleep(0.02)
    if how == "ctrl-c":
        process.send_signal(signal.SIGINT)
    else:
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
        assert children, "no worker process to kill"
        os.kill(int(children[0]), signal.SIGKILL)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode != 0
    if how == "killed worker":
        assert b"worker process stopped" in stderr
    done = _check_complete_or_absent(out, reference)
    assert 0 < done < 600, "the run was not interrupted in the middle; make the tree larger"
    rerun = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    assert _check_complete_or_absent(out, reference) == 600


def test_an_unexpected_error_on_one_file_fails_that_file_only(tmp_path, monkeypatch):
    from ptce_gloss.batch import work as batch

    real = batch._process

    def flaky(name, data, annotator, options, *transport):
        if name.endswith("article1.html"):
            raise RecursionError("maximum recursion depth exceeded")
        return real(name, data, annotator, options, *transport)

    monkeypatch.setattr(batch, "_process", flaky)
    report = run_batch(ANNOTATOR, [str(make_tree(tmp_path / "in", count=3))], str(tmp_path / "out"), jobs=1)
    failed = {f.name: f.error for f in report.files if f.status == "failed"}
    assert list(failed) == ["rubrique1/article1.html"] and "RecursionError" in failed["rubrique1/article1.html"]
    assert report.counts()["annotated"] == 3 and report.total == 5


def test_an_interrupted_run_into_an_archive_leaves_no_archive(tmp_path):
    import signal
    import subprocess

    from .ptyrun import gloss_command

    tree = _big_tree(tmp_path / "in", 600)
    target = tmp_path / "out.zip"
    command = [*gloss_command(), "annotate", str(tree), "-o", str(target), "-j", "1", "-q"]
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(p.stat().st_size > 100_000 for p in tmp_path.glob(".out.zip.*.gloss-tmp")):
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=60)
    assert process.returncode == 130
    assert not target.exists() and not list(tmp_path.glob("*.gloss-tmp")), "a partial archive was left"


def test_error_lines_escape_hostile_member_names(gloss, tmp_path):
    source = tmp_path / "odd.zip"
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr("bad\nline\u202egnp.html", b"%PDF-1.4 binary")
        archive.writestr("good.html", PAGE.format(n=1))
    result = gloss("annotate", str(source), "-o", str(tmp_path / "out"), "-j", "1")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert errors == ["Error: bad\\nline\\u202egnp.html: binary data, not a text or HTML document; skipped"]


def test_size_and_pattern_options_on_the_command_line(gloss, tmp_path):
    tree = make_tree(tmp_path / "in", count=6)
    (tree / "gros.html").write_bytes(b"<p>" + b"SCOP " * 400 + b"</p>")
    result = gloss(
        "annotate", str(tree), "-o", str(tmp_path / "out"), "-j", "1", "--max-size", "1K",
        "--include", "*.HTML", "--exclude", "rubrique1/*", "--report", str(tmp_path / "r.json"), "-q",
    )  # fmt: skip
    assert result.exit_code == 1  # gros.html is over 1K
    files = {f["name"]: f for f in json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["files"]}
    assert "over --max-size 1,024" in files["gros.html"]["error"]
    assert "notes.txt" not in files and not any(name.startswith("rubrique1/") for name in files)
    assert files["rubrique0/article0.html"]["status"] == "annotated"
    bad = gloss("annotate", str(tree), "-o", str(tmp_path / "out2"), "--max-size", "lots")
    assert bad.exit_code == 2 and "--max-size takes a size such as 50M" in bad.stderr


def test_a_killed_local_worker_stops_the_batch_with_a_clear_error(tmp_path):
    import multiprocessing

    source = tmp_path / "articles.zip"
    with zipfile.ZipFile(source, "w") as archive:
        for n in range(300):
            archive.writestr(f"article{n}.html", PAGE.format(n=n))

    def progress(file_report, size):
        for child in multiprocessing.active_children():
            with contextlib.suppress(ProcessLookupError):
                os.kill(child.pid, signal.SIGKILL)

    with pytest.raises(BatchError, match=r"^a worker process stopped unexpectedly \(killed, or out of memory\) after "):
        run_batch(ANNOTATOR, [str(source)], str(tmp_path / "out"), jobs=2, partition_size=2, progress=progress)
    assert not list((tmp_path / "out").rglob("*.gloss-tmp")), "no partial file"


def test_a_small_batch_starts_no_workers_unless_asked_to(tmp_path, monkeypatch):
    """Without -j (jobs=0), a batch of under 32 files and a megabyte is annotated in this process,
    sooner than workers start, with the same outputs; -j 2 starts workers however small the batch."""
    import ptce_gloss.batch.run as run

    started = []
    monkeypatch.setattr(run, "LocalPool", lambda *args: started.append(args) or pytest.fail("workers started"))
    tree = make_tree(tmp_path / "tree", count=3)
    run_batch(ANNOTATOR, [str(tree)], str(tmp_path / "one"), jobs=1)
    run_batch(ANNOTATOR, [str(tree)], str(tmp_path / "auto"), jobs=0)
    assert folder_bytes(tmp_path / "auto") == folder_bytes(tmp_path / "one") != {} and not started
    monkeypatch.undo()
    pools = []
    real = run.LocalPool
    monkeypatch.setattr(run, "LocalPool", lambda *args: pools.append(args) or real(*args))
    run_batch(ANNOTATOR, [str(tree)], str(tmp_path / "two"), jobs=2)
    big = make_tree(tmp_path / "big", count=40)
    run_batch(ANNOTATOR, [str(big)], str(tmp_path / "big-auto"), jobs=0)
    assert len(pools) == 2 and folder_bytes(tmp_path / "two") == folder_bytes(tmp_path / "one")


def test_without_jobs_the_command_annotates_a_small_site_itself(gloss, tmp_path, monkeypatch):
    """gloss annotate without -j starts no workers for a few pages; -j 2 does, as its help says."""
    import ptce_gloss.batch.run as run

    pools = []
    real = run.LocalPool
    monkeypatch.setattr(run, "LocalPool", lambda *args: pools.append(args) or real(*args))
    tree = make_tree(tmp_path / "tree", count=3)
    assert gloss("annotate", str(tree), "-o", str(tmp_path / "auto"), "-q").exit_code == 0 and not pools
    assert gloss("annotate", str(tree), "-o", str(tmp_path / "two"), "-q", "-j", "2").exit_code == 0 and len(pools) == 1
    assert folder_bytes(tmp_path / "auto") == folder_bytes(tmp_path / "two") != {}
