"""WARC files as batch inputs and outputs: pages annotated as new records or written as files, the rest copied."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from ptce_gloss import load_glossaries
from ptce_gloss.annotate import Annotator
from ptce_gloss.batch import DEFAULT_PATTERNS, measure_inputs, run_batch

from .test_warc import PNG, Make, damage_member, members, records_of, request_record, response, warcinfo_record, write_warc

ANNOTATOR = Annotator(load_glossaries())
ESS_PAGE = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Réseau</title></head>'
    "<body><p>Les SCOP de l’économie sociale et solidaire.</p></body></html>"
).encode()
CP1252_PAGE = "<html><body><p>Une coopérative et ses membres.</p></body></html>".encode("windows-1252")
"""Declares no charset: only its HTTP header says windows-1252."""
META_PAGE = '<html><head><meta charset="utf-8"></head><body><p>Une coopérative et ses membres.</p></body></html>'.encode()
"""UTF-8 bytes that say so, served with a header that says windows-1252: the page's own declaration wins."""
EMPTY_PAGE = b"<html><body><p>Rien ici.</p></body></html>"
SURFACE = ">coopérative</a>"


def page(uri: str, html: bytes, content_type: str = "text/html; charset=utf-8") -> Make:
    return response(uri, html, [("Content-Type", content_type), ("Content-Length", str(len(html)))])


def revisit(writer: WARCWriter) -> ArcWarcRecord:
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
    digest = "sha1:" + hashlib.sha1(ESS_PAGE).hexdigest()
    return writer.create_revisit_record(
        "http://example.org/", digest, "http://example.org/", "2024-03-01T12:00:00Z", http_headers=http
    )


def metadata(writer: WARCWriter) -> ArcWarcRecord:
    fields = b"via: http://example.org/\r\n"
    return writer.create_warc_record(
        "http://example.org/",
        "metadata",
        payload=io.BytesIO(fields),
        length=len(fields),
        warc_content_type="application/warc-fields",
    )


def crawl() -> list[Make]:
    return [
        warcinfo_record,
        request_record,
        page("http://example.org/", ESS_PAGE),
        page("http://example.org/cp1252", CP1252_PAGE, "text/html; charset=windows-1252"),
        page("http://example.org/meta", META_PAGE, "text/html; charset=windows-1252"),
        response("http://example.org/logo.png", PNG, [("Content-Type", "image/png")]),
        page("http://example.org/rien", EMPTY_PAGE),
        revisit,
        metadata,
    ]


PAGES = {2: "annotated", 3: "annotated", 4: "annotated", 6: "unchanged"}
"""Index in crawl() of each page, and its status."""
URLS = {2: "http://example.org/", 3: "http://example.org/cp1252", 4: "http://example.org/meta", 6: "http://example.org/rien"}


@pytest.fixture
def crawl_warc(tmp_path: Path) -> Path:
    path = tmp_path / "in.warc.gz"
    write_warc(path, crawl())
    return path


def test_warc_in_warc_out(gloss, crawl_warc: Path, tmp_path: Path) -> None:
    target, report_path = tmp_path / "out.warc.gz", tmp_path / "r.json"
    result = gloss("annotate", str(crawl_warc), "-o", str(target), "--report", str(report_path), "-j", "1")
    assert result.exit_code == 0, result.stderr
    assert "files read" in result.stderr
    before, after = records_of(crawl_warc), records_of(target, check_digests=True)
    assert len(after) == len(before)
    old_members, new_members = members(crawl_warc.read_bytes()), members(target.read_bytes())
    for index, (old, new) in enumerate(zip(before, after, strict=True)):
        assert new.digest_checker.problems == []
        old_id, new_id = old.rec_headers.get_header("WARC-Record-ID"), new.rec_headers.get_header("WARC-Record-ID")
        if PAGES.get(index) != "annotated":  # a request, an image, a revisit, a page with no term: copied byte for byte
            assert new_members[index] == old_members[index]
            continue
        assert new.digest_checker.passed is True
        assert new_id.startswith("<urn:uuid:") and new_id != old_id
        assert new.rec_headers.get_header("WARC-Refers-To") == old_id
        assert new.rec_headers.get_header("WARC-Target-URI") == URLS[index]
        assert new.http_headers.get_header("Content-Type") == old.http_headers.get_header("Content-Type")
        assert b'class="gloss-term"' in new.body
    assert b">SCOP</a>" in after[2].body and ">économie sociale et solidaire</a>".encode() in after[2].body
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert [(f["name"], f["status"]) for f in report["files"]] == [(URLS[i], status) for i, status in PAGES.items()]
    assert report["counts"] == {"annotated": 3, "unchanged": 1}


def test_the_http_charset_is_used_when_the_page_declares_none(crawl_warc: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.warc"
    run_batch(ANNOTATOR, [str(crawl_warc)], str(target), jobs=1)
    body = records_of(target)[3].body
    assert SURFACE.encode("windows-1252") in body  # read as windows-1252, written back so
    assert "<p>Une <a " in body.decode("windows-1252")
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")  # the definitions' accents too are in windows-1252


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("text/html; charset=windows-1252", "Soci\xe9t\xe9 coop\xe9rative".encode("latin-1")),
        ("text/html; charset=utf-8", "Société coopérative".encode()),
        ("text/html; charset=no-such-charset", b"Soci&#233;t&#233; coop&#233;rative"),  # ignored, as browsers do
        ("text/html", b"Soci&#233;t&#233; coop&#233;rative"),  # an ASCII page of unknown charset stays ASCII
    ],
    ids=["windows-1252", "utf-8", "unknown-label", "no-charset"],
)
def test_an_ascii_page_is_written_in_its_http_charset(tmp_path: Path, header: str, expected: bytes) -> None:
    source, target = tmp_path / "in.warc", tmp_path / "out.warc"
    write_warc(source, [page("http://example.org/", b"<p>Les SCOP.</p>", header)])
    run_batch(ANNOTATOR, [str(source)], str(target), jobs=1)
    assert expected in records_of(target)[0].body  # the definition of SCOP


def test_the_page_own_charset_wins_over_the_http_header(crawl_warc: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.warc"
    report = run_batch(ANNOTATOR, [str(crawl_warc)], str(target), jobs=1)
    body = records_of(target)[4].body
    assert SURFACE.encode() in body and body.decode("utf-8")  # read and written as UTF-8, as the page says
    assert [f.occurrences for f in report.files if f.name == URLS[4]] == [{"cooperative": 1}]


def test_a_byte_order_mark_wins_over_the_http_header(tmp_path: Path) -> None:
    source, target = tmp_path / "in.warc", tmp_path / "out.warc"
    html = b"\xef\xbb\xbf" + "<p>Une coopérative.</p>".encode()
    write_warc(source, [page("http://example.org/", html, "text/html; charset=windows-1252")])
    run_batch(ANNOTATOR, [str(source)], str(target), jobs=1)
    body = records_of(target)[0].body
    assert body.startswith(b"\xef\xbb\xbf") and SURFACE.encode() in body


def test_warc_in_folder_out_names_pages_after_their_urls(gloss, tmp_path: Path) -> None:
    source = tmp_path / "in.warc"
    write_warc(
        source,
        [
            *crawl(),
            page("http://example.org/", EMPTY_PAGE),  # crawled again: a second file, not an overwrite
            page("http://example.org/Meta", EMPTY_PAGE),  # the same name as /meta on a file system ignoring case
        ],
    )
    out = tmp_path / "pages"
    result = gloss("annotate", str(source), "-o", f"{out}/", "--report", str(tmp_path / "r.json"), "-j", "1")
    assert result.exit_code == 0, result.stderr
    files = sorted(path.relative_to(out).as_posix() for path in out.rglob("*") if path.is_file())
    assert files == [
        "example.org/Meta~2.html",
        "example.org/cp1252.html",
        "example.org/index.html",
        "example.org/index~2.html",
        "example.org/meta.html",
        "example.org/rien.html",
    ]  # no file for the records that are not pages
    assert SURFACE.encode("windows-1252") in (out / "example.org/cp1252.html").read_bytes()
    assert (out / "example.org/rien.html").read_bytes() == EMPTY_PAGE
    assert (out / "example.org/index~2.html").read_bytes() == EMPTY_PAGE
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert [f["name"] for f in report["files"]] == [*URLS.values(), "http://example.org/", "http://example.org/Meta"]


def numbered_pages(count: int) -> list[Make]:
    return [page(f"http://example.org/p{n}", f"<p>Les SCOP, page {n}.</p>".encode()) for n in range(count)]


def test_a_truncated_gzip_member_is_reported_and_the_rest_processed(gloss, tmp_path: Path) -> None:
    source = tmp_path / "in.warc.gz"
    offsets = write_warc(source, numbered_pages(5))
    source.write_bytes(damage_member(source.read_bytes(), offsets[2], offsets[3], "cut-in-half"))
    target, report_path = tmp_path / "out.warc.gz", tmp_path / "r.json"
    result = gloss("annotate", str(source), "-o", str(target), "--report", str(report_path), "-j", "1")
    assert result.exit_code == 1
    assert f"Error: in.warc.gz: damaged from byte {offsets[2]}: " in result.stderr
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert [(f["name"], f["status"]) for f in report["files"]] == [
        ("http://example.org/p0", "annotated"),
        ("http://example.org/p1", "annotated"),
        ("in.warc.gz", "failed"),
        ("http://example.org/p3", "annotated"),
        ("http://example.org/p4", "annotated"),
    ]
    written = records_of(target, check_digests=True)
    assert [r.rec_headers.get_header("WARC-Target-URI") for r in written] == [f"http://example.org/p{n}" for n in (0, 1, 3, 4)]
    assert all(b">SCOP</a>" in r.body and r.digest_checker.passed for r in written)


def test_a_failed_page_is_reported_and_copied_unchanged(gloss, tmp_path: Path) -> None:
    source = tmp_path / "in.warc"
    broken = response("http://example.org/z", b"not gzip", [("Content-Type", "text/html"), ("Content-Encoding", "gzip")])
    write_warc(source, [*numbered_pages(1), broken])
    target = tmp_path / "out.warc"
    result = gloss("annotate", str(source), "-o", str(target), "-j", "1")
    assert result.exit_code == 1
    assert "Error: http://example.org/z: the gzip body is corrupt" in result.stderr
    assert "; its record is copied unchanged" in result.stderr
    old, new = records_of(source), records_of(target)
    assert (new[1].rec_headers.headers, new[1].body) == (old[1].rec_headers.headers, old[1].body)


@pytest.mark.parametrize("suffix", [".warc", ".warc.gz"])
def test_the_output_is_the_same_whatever_jobs_and_on_every_run(tmp_path: Path, suffix: str) -> None:
    source = tmp_path / f"in{suffix}"
    write_warc(source, crawl() + numbered_pages(40))
    outputs = []
    for n, jobs in enumerate((1, 2, 1)):
        target = tmp_path / f"out{n}{suffix}"
        run_batch(ANNOTATOR, [str(source)], str(target), jobs=jobs)
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]  # record ids come from the original's and the new body's


def test_patterns_apply_to_page_names(gloss, crawl_warc: Path, tmp_path: Path) -> None:
    target, report_path = tmp_path / "out.warc.gz", tmp_path / "r.json"
    result = gloss(
        "annotate", str(crawl_warc), "-o", str(target), "--exclude", "example.org/cp*", "--report", str(report_path), "-j", "1"
    )
    assert result.exit_code == 0, result.stderr
    statuses = {f["name"]: f["status"] for f in json.loads(report_path.read_text(encoding="utf-8"))["files"]}
    assert statuses[URLS[3]] == "skipped" and statuses[URLS[2]] == "annotated"
    assert members(target.read_bytes())[3] == members(crawl_warc.read_bytes())[3]  # copied as it was


def test_several_warcs_go_under_their_names(tmp_path: Path) -> None:
    for name in ("a.warc", "b.warc.gz"):
        write_warc(tmp_path / name, numbered_pages(1))
    report = run_batch(ANNOTATOR, [str(tmp_path / "a.warc"), str(tmp_path / "b.warc.gz")], str(tmp_path / "out"), jobs=1)
    assert sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.html")) == [
        "a/example.org/p0.html",
        "b/example.org/p0.html",
    ]
    assert report.counts() == {"annotated": 2}


def test_a_folder_into_a_warc_becomes_resource_records(gloss, tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.html").write_bytes(ESS_PAGE)
    result = gloss("annotate", str(tmp_path / "in"), "-o", str(tmp_path / "out.warc"), "-j", "1")
    assert result.exit_code == 0, result.stderr
    (record,) = records_of(tmp_path / "out.warc", check_digests=True)
    assert record.rec_type == "resource" and record.digest_checker.passed and b">SCOP</a>" in record.body


def test_changed_only_is_refused_for_a_warc_output(gloss, crawl_warc: Path, tmp_path: Path) -> None:
    result = gloss("annotate", str(crawl_warc), "-o", str(tmp_path / "out.warc"), "--changed-only")
    assert result.exit_code == 2 and "--changed-only needs an output folder" in result.stderr


def test_the_progress_bar_works_without_a_total(crawl_warc: Path, tmp_path: Path) -> None:
    from .ptyrun import gloss_command, run_in_pty

    assert measure_inputs([str(crawl_warc)], DEFAULT_PATTERNS, ()) is None
    shown = run_in_pty([*gloss_command(), "annotate", str(crawl_warc), "-o", str(tmp_path / "out.warc.gz"), "-j", "1"])
    assert "files read" in shown and "Traceback" not in shown
    assert (tmp_path / "out.warc.gz").exists()


def test_changed_only_into_a_folder_skips_the_pages_done(crawl_warc: Path, tmp_path: Path) -> None:
    out = str(tmp_path / "pages")
    first = run_batch(ANNOTATOR, [str(crawl_warc)], out, jobs=1, changed_only="key")
    again = run_batch(ANNOTATOR, [str(crawl_warc)], out, jobs=1, changed_only="key")
    assert first.counts() == {"annotated": 3, "unchanged": 1}
    assert [(f.name, f.status) for f in again.files] == [(url, "unchanged") for url in URLS.values()]


def test_markdown_responses_are_annotated_as_markdown(gloss, tmp_path: Path) -> None:
    """A text/markdown response (a docs site's source, a CMS's API) is a page too: annotated as
    Markdown, named .md in a folder, written back as a new record in a WARC."""
    text = "---\ntitle: Note\n---\nLes SCOP et l'**économie sociale** et solidaire.\n\n`SCOP`\n".encode()
    source = tmp_path / "in.warc"
    write_warc(
        source,
        [
            page("http://example.org/docs/", text, "text/markdown; charset=utf-8"),
            page("http://example.org/note.md", text, "text/markdown"),
        ],
    )
    out = tmp_path / "pages"
    result = gloss("annotate", str(source), "-o", f"{out}/", "-j", "1", "-q", "--markdown-style", "footnote")
    assert result.exit_code == 0, result.stderr
    files = sorted(path.relative_to(out).as_posix() for path in out.rglob("*") if path.is_file())
    assert files == ["example.org/docs/index.md", "example.org/note.md"]
    written = (out / "example.org/note.md").read_text(encoding="utf-8")
    assert written.startswith("---\ntitle: Note\n---\nLes SCOP[^gloss-scop] et l'**économie sociale** et solidaire[^gloss-ess].")
    assert "`SCOP`" in written
    annotated = tmp_path / "out.warc"
    assert gloss("annotate", str(source), "-o", str(annotated), "-j", "1", "-q").exit_code == 0
    bodies = [record.body for record in records_of(annotated, check_digests=True) if record.rec_type == "response"]
    assert len(bodies) == 2 and all(b'<a class="gloss-term"' in body and body.startswith(b"---\ntitle") for body in bodies)


def test_warc_in_folder_out_with_the_site_glossary_page(gloss, crawl_warc: Path, tmp_path: Path) -> None:
    out = tmp_path / "pages"
    result = gloss("annotate", str(crawl_warc), "-o", f"{out}/", "-j", "1", "--index", "glossaire.html", "--link-to", "index")
    assert result.exit_code == 0, result.stderr
    page = (out / "glossaire.html").read_text(encoding="utf-8")
    # back-links go to the files named after the URLs, at the occurrence
    assert 'href="example.org/index.html#gloss-in-scop">Réseau</a>' in page
    assert 'href="example.org/cp1252.html#gloss-in-cooperative"' in page
    assert (
        b'href="../glossaire.html#gloss-cooperative" id="gloss-in-cooperative"' in (out / "example.org/cp1252.html").read_bytes()
    )
    refused = gloss("annotate", str(crawl_warc), "-o", str(tmp_path / "out.warc.gz"), "--index", "glossaire.html")
    assert refused.exit_code == 2 and "not a WARC" in refused.output
