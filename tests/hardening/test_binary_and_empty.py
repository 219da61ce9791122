"""Family 8 — binary and empty input: a documented policy, never a crash.

Policy (docs/guarantees.md): input whose first bytes show binary data (the signature of a PDF,
PNG, gzip or ELF file…, or NUL bytes at least 8 and over one in 512 of the first 8 KB; a few stray
NULs are text, kept as they are) is skipped with ``Error: FILE: binary data, not a text
or HTML document; skipped`` and exit code 1; other inputs are processed; an empty or blank plain
text gives an empty output, and an HTML input with nothing to annotate comes back byte for byte.
"""

from __future__ import annotations

import pytest

from ..conftest import CORPORA, corpus

BINARY = sorted(p.name for p in (CORPORA / "hostile" / "binary").glob("*")) if (CORPORA / "hostile").is_dir() else []
SKIPPED = {"elf-named-as.txt", "gzip-named-as.html", "pdf-named-as.html", "png-named-as.html"}


@pytest.mark.parametrize("name", BINARY or ["(corpus missing)"])
@pytest.mark.parametrize("output_format", ["html", "json", "terminal"])
def test_binary_inputs_are_skipped_or_processed_never_crash(gloss, tmp_path, name, output_format):
    path = corpus("hostile", "binary", name)
    result = gloss("annotate", "-f", output_format, str(path), "-o", str(tmp_path / "out"))
    if name in SKIPPED:
        assert result.exit_code == 1
        assert result.stderr.strip() == f"Error: {path}: binary data, not a text or HTML document; skipped"
        # no output, or (JSON Lines, one record per input read) an empty one
        assert not (tmp_path / "out").exists() or (output_format == "json" and not (tmp_path / "out").read_bytes())
    else:
        assert result.exit_code == 0, result.stderr
        assert "Traceback" not in result.stderr


@pytest.mark.parametrize("name", ["empty.html", "empty.txt", "bom-only.html"])
def test_empty_input_gives_empty_output(gloss, tmp_path, name):
    path = corpus("hostile", "binary", name)
    result = gloss("annotate", str(path), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0
    assert (tmp_path / "out").read_bytes() == path.read_bytes().replace(b"\xef\xbb\xbf", b"", name.endswith(".txt"))


@pytest.mark.parametrize("text", ["", " ", "\n\n", " \t\n \n"])
def test_blank_text_on_stdin_gives_nothing(gloss, text):
    assert gloss("annotate", "-", input=text).stdout == ""
    assert gloss("annotate", "-f", "terminal", "-", input=text).stdout.strip() == ""


def test_a_batch_goes_on_after_binary_files(tmp_path):
    import shutil

    from ptce_gloss import load_glossaries
    from ptce_gloss.annotate import Annotator
    from ptce_gloss.batch import run_batch

    folder = tmp_path / "in"
    shutil.copytree(corpus("hostile", "binary"), folder)
    (folder / "bon.html").write_text("<p>Une SCOP.</p>", encoding="utf-8")
    report = run_batch(Annotator(load_glossaries()), [str(folder)], str(tmp_path / "out"), jobs=2)
    failed = {f.name for f in report.files if f.status == "failed"}
    assert failed == SKIPPED
    assert b"gloss-term" in (tmp_path / "out" / "bon.html").read_bytes()
