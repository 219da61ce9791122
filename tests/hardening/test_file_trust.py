"""Trust — files and folders: nothing written outside the output or through a link, nothing lost.

Output folders never follow a link out of themselves; an output inside an input folder is not read back;
``--in-place`` refuses links, hard-linked and read-only files (and keeps a file's mode); every write error
is one line naming the file while the other inputs go on; a damaged ``--changed-only`` record is reported
and ignored, and one that cannot be saved leaves the previous one whole.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import zipfile
from pathlib import Path

import pytest

from ptce_gloss import atomic

PAGE = "<p>Une SCIC et une SCOP de l’économie sociale et solidaire.</p>"


def _site(root: Path, names=("a.html", "sub/b.html", "c.html")) -> Path:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(PAGE, encoding="utf-8")
    return root


def _report(path: Path) -> dict[str, dict]:
    return {f["name"]: f for f in json.loads(path.read_text(encoding="utf-8"))["files"]}


@pytest.mark.parametrize("jobs", ["1", "2"])  # -j 2: the workers write into the folder themselves
def test_a_link_inside_the_output_folder_is_never_followed(gloss, tmp_path, jobs):
    site = _site(tmp_path / "site")
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "sub").symlink_to(elsewhere)  # a folder link planted in the output
    (elsewhere / "target.html").write_text("précieux", encoding="utf-8")
    (out / "c.html").symlink_to(elsewhere / "target.html")  # a file link too
    result = gloss("annotate", str(site), "-o", str(out), "-q", "--report", str(tmp_path / "r.json"), "-j", jobs)
    assert result.exit_code == 1
    assert sorted(p.name for p in elsewhere.iterdir()) == ["target.html"]
    assert (elsewhere / "target.html").read_text(encoding="utf-8") == "précieux"
    files = _report(tmp_path / "r.json")
    assert files["a.html"]["status"] == "annotated" and "gloss-term" in (out / "a.html").read_text(encoding="utf-8")
    assert files["sub/b.html"]["status"] == "failed" and "symbolic link" in files["sub/b.html"]["error"]
    assert files["c.html"]["status"] == "failed" and "symbolic link" in files["c.html"]["error"]


def test_write_beneath_refuses_links_at_every_level(tmp_path):
    (tmp_path / "root" / "deep").mkdir(parents=True)
    (tmp_path / "outside").mkdir()
    (tmp_path / "root" / "deep" / "link").symlink_to(tmp_path / "outside")
    with pytest.raises(atomic.UnsafeTarget):
        atomic.write_beneath(tmp_path / "root", "deep/link/x.html", b"x")
    assert not list((tmp_path / "outside").iterdir())
    atomic.write_beneath(tmp_path / "root", "deep/new/x.html", b"x")
    assert (tmp_path / "root" / "deep" / "new" / "x.html").read_bytes() == b"x"


def test_an_output_inside_the_input_is_not_read_back(gloss, tmp_path):
    site = _site(tmp_path / "site")
    for _ in range(2):
        result = gloss("annotate", str(site), "-o", str(site / "out"), "-q", "--report", str(tmp_path / "r.json"))
        assert result.exit_code == 0, result.stderr
    assert not (site / "out" / "out").exists()
    assert sorted(_report(tmp_path / "r.json")) == ["a.html", "c.html", "sub/b.html"]


def test_output_equal_to_the_input_is_refused(gloss, tmp_path):
    page = tmp_path / "a.html"
    page.write_text(PAGE, encoding="utf-8")
    result = gloss("annotate", str(page), "-o", str(page))
    assert result.exit_code == 1 and "is the input itself" in result.stderr
    assert page.read_text(encoding="utf-8") == PAGE


def test_in_place_refuses_links_hard_links_and_read_only_files_and_does_the_others(gloss, tmp_path):
    real = tmp_path / "real.html"
    real.write_text(PAGE, encoding="utf-8")
    (tmp_path / "link.html").symlink_to(real)
    os.link(real, tmp_path / "twin.html")
    readonly = tmp_path / "ro.html"
    readonly.write_text(PAGE, encoding="utf-8")
    readonly.chmod(0o444)
    plain = tmp_path / "plain.html"
    plain.write_text(PAGE, encoding="utf-8")
    plain.chmod(0o640)
    names = [str(tmp_path / n) for n in ("link.html", "twin.html", "ro.html", "plain.html")]
    result = gloss("annotate", "--in-place", *names)
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert any("link.html: is a symbolic link" in line for line in lines)
    assert any("twin.html: has 2 hard links" in line for line in lines)
    assert any("ro.html: is read-only" in line for line in lines)
    assert real.read_text(encoding="utf-8") == PAGE and readonly.read_text(encoding="utf-8") == PAGE
    assert (tmp_path / "link.html").is_symlink() and os.stat(real).st_nlink == 2
    assert "gloss-term" in plain.read_text(encoding="utf-8")
    assert stat.S_IMODE(plain.stat().st_mode) == 0o640


def test_in_place_on_a_folder_refuses_the_same_one_by_one(gloss, tmp_path):
    site = _site(tmp_path / "site")
    (site / "c.html").chmod(0o444)
    os.link(site / "a.html", tmp_path / "outside-twin.html")
    result = gloss("annotate", "--in-place", str(site), "-q", "--report", str(tmp_path / "r.json"))
    assert result.exit_code == 1
    files = _report(tmp_path / "r.json")
    assert "read-only" in files["c.html"]["error"] and "hard links" in files["a.html"]["error"]
    assert files["sub/b.html"]["status"] == "annotated"
    assert (site / "c.html").read_text(encoding="utf-8") == PAGE == (tmp_path / "outside-twin.html").read_text(encoding="utf-8")


def _refuse_replace(monkeypatch, code: int = errno.ENOSPC):
    def replace(*_args, **_kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(atomic.os, "replace", replace)


def test_a_full_disk_is_one_line_per_file_and_the_other_inputs_go_on(gloss, tmp_path, monkeypatch):
    pages = [tmp_path / f"p{n}.html" for n in range(3)]
    for page in pages:
        page.write_text(PAGE, encoding="utf-8")
    _refuse_replace(monkeypatch)
    result = gloss("annotate", "--in-place", *map(str, pages))
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [f"Error: {p}: cannot write: No space left on device" for p in pages]
    assert all(p.read_text(encoding="utf-8") == PAGE for p in pages)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".gloss-tmp")]


def test_a_missing_output_folder_is_one_line(gloss, tmp_path):
    page = tmp_path / "a.html"
    page.write_text(PAGE, encoding="utf-8")
    for args in (["-o", "/nonexistent/dir/x.html"], ["-f", "json", "-o", "/nonexistent/dir/x.json"]):
        result = gloss("annotate", str(page), *args)
        assert result.exit_code == 1 and "Traceback" not in result.stderr
        assert result.stderr.startswith("Error: /nonexistent/dir/x.") and "No such file or directory" in result.stderr


def test_a_batch_into_an_existing_file_is_one_line(gloss, tmp_path):
    site = _site(tmp_path / "site")
    target = tmp_path / "article.html"
    target.write_text("précieux", encoding="utf-8")
    result = gloss("annotate", str(site), "-o", str(target))
    assert result.exit_code == 1 and "exists and is not a folder" in result.stderr
    assert target.read_text(encoding="utf-8") == "précieux"


@pytest.mark.parametrize("jobs", ["1", "2"])  # -j 2: the workers write into the folder themselves
def test_a_batch_goes_on_when_one_output_cannot_be_written(gloss, tmp_path, monkeypatch, jobs):
    site = _site(tmp_path / "site")
    real = atomic.write_beneath

    def full_for_a(root, name, data, **kwargs):
        if name == "a.html":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(root, name, data, **kwargs)

    monkeypatch.setattr("ptce_gloss.batch.outputs.write_beneath", full_for_a)
    monkeypatch.setattr("ptce_gloss.batch.work.write_beneath", full_for_a)  # inherited by forked workers
    out = tmp_path / "out"
    result = gloss("annotate", str(site), "-o", str(out), "--report", str(tmp_path / "r.json"), "-q", "-j", jobs)
    assert result.exit_code == 1
    files = _report(tmp_path / "r.json")
    assert "No space left on device" in files["a.html"]["error"]
    assert files["c.html"]["status"] == files["sub/b.html"]["status"] == "annotated"
    assert not (out / "a.html").exists() and b"gloss-term" in (out / "sub" / "b.html").read_bytes()


@pytest.mark.parametrize(
    "content",
    [b"null", b"[]", b'{"a.html": 1}', b'{"a.html": {"fingerprint": "x", "occurrences": {"ess": "many"}}}',
     b"[" * 100_000 + b"]" * 100_000, b"\xff\xfe", b'{"a.html": {"fingerprint": "x"'],
    ids=["null", "list", "wrong-shape", "bad-counts", "deep", "not-utf8", "truncated"],
)  # fmt: skip
def test_a_damaged_record_of_the_last_run_is_reported_and_ignored(gloss, tmp_path, content):
    site = _site(tmp_path / "site")
    out = tmp_path / "out"
    out.mkdir()
    (out / ".gloss-manifest.json").write_bytes(content)
    result = gloss("annotate", str(site), "-o", str(out), "--changed-only", "-q", "--report", str(tmp_path / "r.json"))
    assert result.exit_code == 0 and "Traceback" not in result.stderr
    assert "the record of the last run is unusable" in result.stderr and "every file is done again" in result.stderr
    assert {f["status"] for f in _report(tmp_path / "r.json").values()} == {"annotated"}
    again = gloss("annotate", str(site), "-o", str(out), "--changed-only", "-q", "--report", str(tmp_path / "r2.json"))
    assert again.stderr == "" and {f["status"] for f in _report(tmp_path / "r2.json").values()} == {"unchanged"}


def test_a_record_that_cannot_be_saved_keeps_the_previous_one(gloss, tmp_path, monkeypatch):
    site = _site(tmp_path / "site")
    out = tmp_path / "out"
    assert gloss("annotate", str(site), "-o", str(out), "--changed-only", "-q").exit_code == 0
    before = (out / ".gloss-manifest.json").read_bytes()
    (site / "a.html").write_text(PAGE + "<p>Une mutuelle.</p>", encoding="utf-8")

    def full(path, *args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("ptce_gloss.batch.manifest.write_atomically", full)
    result = gloss("annotate", str(site), "-o", str(out), "--changed-only", "-q")
    assert result.exit_code == 0 and "Traceback" not in result.stderr
    assert "cannot save the record of this run (No space left on device); the previous one is kept" in result.stderr
    assert (out / ".gloss-manifest.json").read_bytes() == before


def test_a_text_in_a_batch_becomes_an_html_page_and_an_empty_one_is_unchanged(gloss, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "notes.txt").write_text("Une SCIC.\n", encoding="utf-8")
    (site / "vide.txt").write_text("", encoding="utf-8")
    result = gloss("annotate", str(site), "-o", str(tmp_path / "out"), "-q", "--report", str(tmp_path / "r.json"))
    assert result.exit_code == 0
    assert (tmp_path / "out" / "notes.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert not (tmp_path / "out" / "notes.txt").exists()
    files = _report(tmp_path / "r.json")
    assert files["notes.txt"]["status"] == "annotated" and files["vide.txt"]["status"] == "unchanged"
    in_place = gloss("annotate", "--in-place", str(site), "-q", "--report", str(tmp_path / "r2.json"))
    assert in_place.exit_code == 0 and (site / "notes.txt").read_text(encoding="utf-8") == "Une SCIC.\n"
    assert "would become an HTML page" in _report(tmp_path / "r2.json")["notes.txt"]["error"]


@pytest.mark.parametrize("jobs", [1, 2])  # -j 2: the workers write into the folder themselves
def test_new_outputs_get_the_mode_the_umask_gives_and_replaced_ones_keep_theirs(tmp_path, jobs):
    """A new output file is created with the mode the user's umask gives, as any program's; one that
    replaces a file (in place) keeps that file's mode."""
    from ptce_gloss import Annotator, load_glossaries, run_batch
    from ptce_gloss.atomic import write_atomically

    site = _site(tmp_path / "site")
    (site / "a.html").chmod(0o604)
    old = os.umask(0o027)
    try:
        run_batch(Annotator(load_glossaries()), [str(site)], str(tmp_path / "out"), jobs=jobs)
        run_batch(Annotator(load_glossaries()), [str(site)], str(site), jobs=jobs, in_place=True)
        write_atomically(tmp_path / "single.html", b"<p>Une SCOP.</p>")  # one document's -o
        (tmp_path / "again.html").write_bytes(b"old")
        (tmp_path / "again.html").chmod(0o604)
        write_atomically(tmp_path / "again.html", b"<p>Une SCOP.</p>")  # -o onto a file: its mode kept
    finally:
        os.umask(old)
    outputs = [p for p in (tmp_path / "out").rglob("*") if p.is_file() and not p.name.startswith(".gloss")]
    assert outputs and {stat.S_IMODE(p.stat().st_mode) for p in [*outputs, tmp_path / "single.html"]} == {0o640}
    assert stat.S_IMODE((tmp_path / "again.html").stat().st_mode) == 0o604
    assert (tmp_path / "again.html").read_bytes() == b"<p>Une SCOP.</p>"
    assert stat.S_IMODE((site / "a.html").stat().st_mode) == 0o604 and "gloss-term" in (site / "a.html").read_text("utf-8")


def _listed(tree: Path, max_size: int = 1 << 20) -> dict[str, object]:
    """The items of a folder as a -j 2 batch lists them: named, not read (each worker reads its own)."""
    from ptce_gloss.batch.inputs import read_inputs

    items = {item.name: item for _, item in read_inputs([str(tree)], ["*.html"], [], max_size, defer=True)}
    assert all(item.data is None and item.file is not None for item in items.values())
    return items


def _done_by_a_worker(item) -> tuple:
    from ptce_gloss import load_glossaries
    from ptce_gloss.annotate import Annotator
    from ptce_gloss.batch.work import process_task, task

    return process_task(task(item), False, Annotator(load_glossaries()), None)


def test_a_file_a_worker_reads_is_annotated_as_the_batch_listed_it(tmp_path):
    items = _listed(_site(tmp_path / "site"))
    output, status, error, counts, *_ = _done_by_a_worker(items["sub/b.html"])
    assert status == "annotated" and error is None and b'class="gloss-term"' in output and counts


@pytest.mark.skipif(not hasattr(os, "O_NOFOLLOW"), reason="needs O_NOFOLLOW (POSIX)")
def test_a_file_swapped_for_a_link_after_the_listing_is_refused_not_followed(tmp_path):
    """Between the listing and a worker's read, a file replaced by a link to a file outside the input
    is refused: its target is never read into an output."""
    secret = tmp_path / "secret.html"
    secret.write_text("<p>SECRET : une SCOP</p>", encoding="utf-8")
    items = _listed(_site(tmp_path / "site"))
    (tmp_path / "site" / "a.html").unlink()
    (tmp_path / "site" / "a.html").symlink_to(secret)
    output, status, error, *_ = _done_by_a_worker(items["a.html"])
    assert (output, status) == (None, "failed") and "not a regular file" in error


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs (POSIX)")
def test_a_file_swapped_for_a_fifo_after_the_listing_is_refused_without_waiting(tmp_path):
    items = _listed(_site(tmp_path / "site"))
    (tmp_path / "site" / "c.html").unlink()
    os.mkfifo(tmp_path / "site" / "c.html")  # a read would wait for a writer forever
    output, status, error, *_ = _done_by_a_worker(items["c.html"])
    assert (output, status) == (None, "failed") and "not a regular file" in error


def test_a_file_grown_over_the_limit_after_the_listing_is_skipped_and_one_gone_is_one_line(tmp_path):
    items = _listed(_site(tmp_path / "site"), max_size=1000)
    (tmp_path / "site" / "a.html").write_text(PAGE * 40, encoding="utf-8")
    (tmp_path / "site" / "c.html").unlink()
    _, status, error, *_ = _done_by_a_worker(items["a.html"])
    assert status == "failed" and "over --max-size 1,000" in error
    _, status, error, *_ = _done_by_a_worker(items["c.html"])
    assert status == "failed" and error.startswith("cannot read:") and "\n" not in error


def _snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("flags", [["--check"], ["--in-place", "--check"], ["--diff"], ["--in-place", "--diff"]])
def test_check_and_diff_on_a_folder_write_nothing_and_tell_what_would_change(gloss, tmp_path, flags):
    """A site's CI runs `gloss annotate --in-place --check content/`: the folder's pages are compared with
    their annotation one by one, as files given alone are, and not one byte is written; plain texts,
    which a batch leaves alone in place, are not counted."""
    site = _site(tmp_path / "site")
    (site / "sub" / "vide.html").write_text("<p>Rien à annoter.</p>", encoding="utf-8")
    (site / "notes.txt").write_text("Une SCOP.", encoding="utf-8")
    before = _snapshot(site)
    result = gloss("annotate", *flags, str(site))
    assert result.exit_code == 1 and _snapshot(site) == before
    if "--check" in flags:
        named = {line.removeprefix("would annotate ") for line in result.stderr.splitlines()}
        assert named == {str(site / "a.html"), str(site / "sub" / "b.html"), str(site / "c.html")}
    else:
        assert f"+++ {site / 'sub' / 'b.html'} (annotated)" in result.stdout and "vide.html" not in result.stdout


def test_check_on_a_folder_passes_once_it_is_annotated_in_place_and_names_what_it_cannot_read(gloss, tmp_path):
    site = _site(tmp_path / "site")
    assert gloss("annotate", "--in-place", "-q", str(site)).exit_code == 0
    assert gloss("annotate", "--in-place", "--check", str(site)).exit_code == 0
    if hasattr(os, "symlink"):
        (site / "lien.html").symlink_to(site / "a.html")
        result = gloss("annotate", "--check", str(site))
        assert (
            result.exit_code == 1
            and result.stderr.strip() == f"Error: {site / 'lien.html'}: not a regular file (link, FIFO or device); skipped"
        )


def test_check_refuses_an_archive_rather_than_rewriting_or_ignoring_it(gloss, tmp_path):
    archive = tmp_path / "site.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("a.html", PAGE)
    before = archive.read_bytes()
    result = gloss("annotate", "--check", str(archive))
    assert result.exit_code == 2 and "not archives" in result.stderr and archive.read_bytes() == before
