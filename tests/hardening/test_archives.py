"""Family 9 (archives) — every archive of ``hostile/archives/``.

Nothing is written outside the output, no link, device or FIFO is ever created, decompression
stops at a real-bytes budget (the overlap bomb included, whatever zipfile detects), the member
count is capped, nested archives are copied and never opened, and one bad member never stops
the others.  Broken archives are one clear error.
"""

from __future__ import annotations

import zipfile

import pytest

from ptce_gloss import load_glossaries
from ptce_gloss.annotate import Annotator
from ptce_gloss.batch import MAX_TOTAL, run_batch
from ptce_gloss.batch.inputs import read_zip

from ..conftest import corpus, full

ANNOTATOR = Annotator(load_glossaries())


HOSTILE = {  # archive -> the refusal each bad member must get
    "zip-slip.zip": "leaves the archive",
    "zip-symlink.zip": "a link or special file",
    "zip-bomb-deflate-64mb.zip": "over --max-size",
    "zip-bomb-bzip2-200mb.zip": "over --max-size",
    "zip-bomb-overlap-200mb.zip": "decompression bomb",
    "zip-lying-sizes.zip": "Bad CRC-32",
    "zip-many-entries-1000.zip": None,
    "zip-nested.zip": None,  # the inner zip is copied, never opened
    "zip-encrypted-flag.zip": "encrypted member",
    "zip-odd-names.zip": "File name too long",
    "tar-symlink-escape.tar": "a link, device or FIFO",
    "tar-misc-hostile.tar": "leaves the archive",
    "tar-bomb-200mb.tar.xz": "over --max-size",
}


# The decompression budget is enforced by the reader, the same in both modes: the slowest bomb runs with
# one worker by default and with both counts under --full.
CASES = [(n, j) for j in (1, 2) for n in sorted(HOSTILE) if full() or j == 1 or not n.startswith("tar-bomb")]


@pytest.mark.parametrize(("name", "jobs"), CASES, ids=[f"{j}-{n}" for n, j in CASES])
def test_hostile_archives_write_nothing_outside_and_keep_going(tmp_path, name, jobs):
    source = corpus("hostile", "archives", name)
    out = tmp_path / "sandbox" / "out"
    report = run_batch(ANNOTATOR, [str(source)], str(out), jobs=jobs, max_size=8 * 1024 * 1024)
    written = [p for p in (tmp_path / "sandbox").rglob("*")]
    assert all(out in p.parents or p == out for p in written)
    assert not any(p.is_symlink() or (p.exists() and not (p.is_file() or p.is_dir())) for p in written)
    assert sum(p.stat().st_size for p in written if p.is_file()) < 20 * 1024 * 1024
    errors = [f.error or "" for f in report.files if f.status == "failed"]
    if HOSTILE[name] is None:
        assert report.files and not errors
    else:
        assert any(HOSTILE[name] in error for error in errors), errors
    done = {f.name for f in report.files if f.status != "failed"}
    assert all((out / name).is_file() for name in done), "every member not refused is written"


def test_broken_archives_are_clear_errors(gloss, tmp_path):
    for name in ("zip-truncated.zip", "not-a-zip.zip"):
        result = gloss("annotate", str(corpus("hostile", "archives", name)), "-o", str(tmp_path / name), "-q")
        assert result.exit_code == 1 and result.stderr.startswith("Error: ") and "not a readable zip archive" in result.stderr


def test_member_count_is_capped(tmp_path):
    items = list(read_zip(corpus("hostile", "archives", "zip-many-entries-1000.zip"), ["*"], [], 1024, max_members=10**6))
    assert len(items) == 1000
    with pytest.raises(Exception, match="over the limit of 100"):
        list(read_zip(corpus("hostile", "archives", "zip-many-entries-1000.zip"), ["*"], [], 1024, max_members=100))
    assert MAX_TOTAL >= 1024**3


def test_an_archive_output_holds_only_regular_members(tmp_path):
    report = run_batch(
        ANNOTATOR, [str(corpus("hostile", "archives", "zip-symlink.zip"))], str(tmp_path / "out.zip"), max_size=1 << 20
    )
    with zipfile.ZipFile(tmp_path / "out.zip") as archive:
        kinds = {(info.external_attr >> 16) & 0o170000 for info in archive.infolist()}
    assert kinds <= {0o100000, 0}, "every member is a regular file"
    assert any(f.status == "failed" for f in report.files)
