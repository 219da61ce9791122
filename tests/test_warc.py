"""WARC files: pages read out and decoded, records written back unchanged or rewritten, damage survived."""

from __future__ import annotations

import datetime
import gzip
import hashlib
import importlib.util
import io
import os
import pickle
import random
import re
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from ptce_gloss.batch import Item, safe_name, warc
from ptce_gloss.batch.warc import WarcOutput, WarcSource, is_warc, page_name, read_warc

MAX = 1 << 20
DATE = "2024-03-01T12:00:00Z"
CP1252_PAGE = "<html><body><p>Une coopérative d’activité et d’emploi</p></body></html>".encode("windows-1252")
UTF8_PAGE = "<html><head><title>Économie sociale</title></head><body><p>Les SCIC</p></body></html>".encode()
XHTML_PAGE = b'<html xmlns="http://www.w3.org/1999/xhtml"><body><p>Notes</p></body></html>'
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4

Make = Callable[[WARCWriter], ArcWarcRecord]


def short_hash(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:10]


def response(uri: str, body: bytes, headers: list[tuple[str, str]], date: str = DATE, status: str = "200 OK") -> Make:
    def make(writer: WARCWriter) -> ArcWarcRecord:
        http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
        return writer.create_warc_record(
            uri, "response", payload=io.BytesIO(body), length=len(body), http_headers=http, warc_headers_dict={"WARC-Date": date}
        )

    return make


def chunked(data: bytes, size: int = 10) -> bytes:
    return (
        b"".join(b"%x\r\n%s\r\n" % (len(data[i : i + size]), data[i : i + size]) for i in range(0, len(data), size))
        + b"0\r\n\r\n"
    )


def warcinfo_record(writer: WARCWriter) -> ArcWarcRecord:
    return writer.create_warcinfo_record("sample.warc", {"software": "tests"})


def request_record(writer: WARCWriter) -> ArcWarcRecord:
    http = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example.org")], is_http_request=True)
    return writer.create_warc_record("http://example.org/", "request", http_headers=http)


def sample_records() -> list[Make]:
    """warcinfo, request, two HTML responses, an image, a revisit, a metadata record, an XHTML resource."""

    def revisit(writer: WARCWriter) -> ArcWarcRecord:
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=windows-1252")], protocol="HTTP/1.1")
        digest = "sha1:" + hashlib.sha1(CP1252_PAGE).hexdigest()
        return writer.create_revisit_record("http://example.org/", digest, "http://example.org/", DATE, http_headers=http)

    def metadata(writer: WARCWriter) -> ArcWarcRecord:
        fields = b"via: http://example.org/\r\n"
        return writer.create_warc_record(
            "http://example.org/",
            "metadata",
            payload=io.BytesIO(fields),
            length=len(fields),
            warc_content_type="application/warc-fields",
        )

    def resource(writer: WARCWriter) -> ArcWarcRecord:
        return writer.create_warc_record(
            "http://example.org/notes.xhtml",
            "resource",
            payload=io.BytesIO(XHTML_PAGE),
            length=len(XHTML_PAGE),
            warc_content_type="application/xhtml+xml; charset=utf-8",
            warc_headers_dict={"WARC-Date": "2024-03-01T12:00:00.25Z"},
        )

    encoded = chunked(gzip.compress(UTF8_PAGE))
    return [
        warcinfo_record,
        request_record,
        response(
            "http://example.org/",
            CP1252_PAGE,
            [("Content-Type", "text/html; charset=windows-1252"), ("Content-Length", str(len(CP1252_PAGE)))],
        ),
        response(
            "https://example.org:8443/dir/page?x=1",
            encoded,
            [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")],
        ),
        response("http://example.org/logo.png", PNG, [("Content-Type", "image/png")]),
        revisit,
        metadata,
        resource,
    ]


PAGES = [False, False, True, True, False, False, False, True]


def write_warc(path: Path, records: list[Make]) -> list[int]:
    """Write records with warcio (a gzip member each if ``path`` ends with .gz); return where each
    starts, and the end."""
    offsets = []
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=path.name.endswith(".gz"))
        for make in records:
            offsets.append(handle.tell())
            writer.write_record(make(writer))
        offsets.append(handle.tell())
    return offsets


def members(data: bytes) -> list[bytes]:
    """The decompressed gzip members of ``data``, one by one."""
    found = []
    while data:
        decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
        found.append(decompressor.decompress(data))
        assert decompressor.eof
        data = decompressor.unused_data
    return found


def records_of(path: Path, check_digests: bool = False) -> list[ArcWarcRecord]:
    """Read every record with warcio, keeping its headers and content in memory."""
    found = []
    with open(path, "rb") as handle:
        for record in ArchiveIterator(handle, check_digests=check_digests):
            record.body = record.content_stream().read()
            found.append(record)
    return found


def write_all(items: list[Item], target: Path, data: Callable[[Item], bytes] = lambda item: item.data or b"") -> None:
    out = WarcOutput(str(target))
    for item in items:
        out.write(item, data(item))
    out.close(True)


@pytest.fixture(params=[".warc", ".warc.gz"])
def sample(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    path = tmp_path / f"sample{request.param}"
    write_warc(path, sample_records())
    return path


# --- reading ---------------------------------------------------------------------------------------


def test_is_warc() -> None:
    assert is_warc("crawl.warc") and is_warc("CRAWL.WARC.GZ") and is_warc("a/b.warc.gz")
    assert not is_warc("crawl.warc.bz2") and not is_warc("page.html") and not is_warc("warc")


def test_html_responses_and_resources_are_pages(sample: Path) -> None:
    items = list(read_warc(sample, MAX))
    assert [item.error for item in items] == [None] * 8
    assert [item.annotate for item in items] == PAGES
    assert [item.source.page for item in items] == PAGES  # the revisit's HTTP header says text/html: not a page
    assert all(isinstance(item.source, WarcSource) for item in items)
    assert [item.name for item in items] == [
        "records/000001.warc",
        "records/000002.warc",
        "example.org/index.html",
        f"example.org_8443/dir/page_{short_hash('x=1')}.html",
        "records/000005.warc",
        "records/000006.warc",
        "records/000007.warc",
        "example.org/notes.xhtml",
    ]
    assert [item.label for item in items[1:]] == [
        "http://example.org/",
        "http://example.org/",
        "https://example.org:8443/dir/page?x=1",
        "http://example.org/logo.png",
        "http://example.org/",
        "http://example.org/",
        "http://example.org/notes.xhtml",
    ]
    assert items[0].label == items[0].source.record_id and items[0].label.startswith("<urn:uuid:")


def test_page_bodies_are_decoded_and_their_charset_kept(sample: Path) -> None:
    items = list(read_warc(sample, MAX))
    assert (items[2].data, items[2].encoding) == (CP1252_PAGE, "windows-1252")  # bytes as served, no meta needed
    assert (items[3].data, items[3].encoding) == (UTF8_PAGE, "utf-8")  # chunks and gzip removed
    assert (items[7].data, items[7].encoding) == (XHTML_PAGE, "utf-8")  # a resource's charset is in its record
    page = items[3].source
    assert page.http_status == "HTTP/1.1 200 OK"
    assert ("Content-Encoding", "gzip") in page.http_headers
    assert page.payload_sha1 == hashlib.sha1(UTF8_PAGE).hexdigest()


def test_copies_hold_the_record_as_in_the_file(sample: Path) -> None:
    raw = sample.read_bytes()
    for item in read_warc(sample, MAX):
        span = item.source.span
        assert item.source.raw.startswith(b"WARC/1.0\r\n") and len(item.source.raw) == span.length
        if span.compressed:
            stored = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(raw[span.offset :])
            assert stored[span.skip : span.skip + span.length] == item.source.raw
        else:
            assert raw[span.offset : span.offset + span.length] == item.source.raw
        if not item.annotate:
            assert item.data is item.source.raw


def test_dates_become_mtimes(sample: Path) -> None:
    items = list(read_warc(sample, MAX))
    moment = datetime.datetime(2024, 3, 1, 12, tzinfo=datetime.timezone.utc).timestamp()
    assert items[2].mtime == moment
    assert items[7].mtime == moment + 0.25  # WARC 1.1 fractions of a second


def test_items_are_picklable(sample: Path) -> None:
    items = list(read_warc(sample, MAX))
    assert pickle.loads(pickle.dumps(items)) == items


def blocks(data: bytes, size: int = 1000) -> bytes:
    """``data`` gzip-compressed in blocks that cut across records, as bgzip does."""
    return b"".join(gzip.compress(data[i : i + size]) for i in range(0, len(data), size))


@pytest.mark.parametrize("layout", ["one-member", "blocks"])
def test_other_gzip_layouts_read_like_the_plain_file(tmp_path: Path, layout: str) -> None:
    plain = tmp_path / "sample.warc"
    write_warc(plain, sample_records())
    original = plain.read_bytes()
    packed = tmp_path / "packed.warc.gz"
    packed.write_bytes(gzip.compress(original) if layout == "one-member" else blocks(original))
    expected = [(i.name, i.data, i.error) for i in read_warc(plain, MAX)]
    items = list(read_warc(packed, MAX))
    assert [(i.name, i.data, i.error) for i in items] == expected
    raw = packed.read_bytes()
    for item in items:
        span = item.source.span
        assert gzip.decompress(raw[span.offset :])[span.skip : span.skip + span.length] == item.source.raw
    assert any(item.source.span.skip > 0 for item in items)  # records start inside members


@pytest.mark.parametrize(
    ("coding", "body", "message"),
    [
        ("compress", b"\x1f\x9d\x90abc", "unsupported HTTP coding 'compress'"),
        ("gzip", b"not gzip at all", "the gzip body is corrupt"),
        ("gzip", gzip.compress(UTF8_PAGE)[:-12], "the gzip body is cut short"),
        pytest.param(
            "br",
            b"\x8b\x03\x80abc\x03",
            "install the brotli package",
            marks=pytest.mark.skipif(importlib.util.find_spec("brotli") is not None, reason="brotli is installed"),
        ),
    ],
    ids=["unsupported", "corrupt-gzip", "cut-gzip", "brotli-missing"],
)
def test_an_undecodable_page_is_an_error_that_can_still_be_copied(tmp_path: Path, coding: str, body: bytes, message: str) -> None:
    path = tmp_path / "coded.warc"
    write_warc(path, [response("http://example.org/", body, [("Content-Type", "text/html"), ("Content-Encoding", coding)])])
    (item,) = read_warc(path, MAX)
    assert message in item.error and item.source.page and item.data is None
    write_all([item], tmp_path / "out.warc")
    assert (tmp_path / "out.warc").read_bytes() == path.read_bytes()


def test_partial_and_segmented_html_responses_are_not_pages(tmp_path: Path) -> None:
    def segment(writer: WARCWriter) -> ArcWarcRecord:
        record = response("http://example.org/seg", UTF8_PAGE, [("Content-Type", "text/html")])(writer)
        record.rec_headers.add_header("WARC-Segment-Number", "1")
        return record

    path = tmp_path / "parts.warc"
    write_warc(
        path,
        [
            response("http://example.org/part", UTF8_PAGE[:20], [("Content-Type", "text/html")], status="206 Partial Content"),
            segment,
            response("http://example.org/whole", UTF8_PAGE, [("Content-Type", "text/html")], status="404 Not Found"),
        ],
    )
    assert [(item.annotate, item.error) for item in read_warc(path, MAX)] == [(False, None), (False, None), (True, None)]


def test_a_body_labelled_chunked_but_stored_whole_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "dechunked.warc"
    write_warc(
        path, [response("http://example.org/", UTF8_PAGE, [("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")])]
    )
    (item,) = read_warc(path, MAX)
    assert item.error is None and item.data == UTF8_PAGE


def test_a_gzip_bomb_stops_at_max_size(tmp_path: Path) -> None:
    path = tmp_path / "bomb.warc"
    bomb = gzip.compress(b"<p>" + b" " * 5_000_000)
    write_warc(path, [response("http://example.org/", bomb, [("Content-Type", "text/html"), ("Content-Encoding", "gzip")])])
    (item,) = read_warc(path, 100_000)
    assert "over --max-size 100,000 once decompressed" in item.error


# --- max size --------------------------------------------------------------------------------------


def big_records() -> list[Make]:
    noise = random.Random(1).randbytes(200_000)  # too large to be kept in memory with max_size=1000
    return [
        response("http://example.org/small", UTF8_PAGE, [("Content-Type", "text/html")]),
        response("http://example.org/big", b"<p>" + b"x" * 5000, [("Content-Type", "text/html")]),
        response("http://example.org/noise.bin", noise, [("Content-Type", "application/octet-stream")]),
        response("http://example.org/last", XHTML_PAGE, [("Content-Type", "application/xhtml+xml")]),
    ]


@pytest.mark.parametrize("layout", ["plain", "member-per-record", "one-member", "blocks"])
@pytest.mark.parametrize("out_suffix", [".warc", ".warc.gz"])
def test_records_over_max_size_are_errors_that_can_still_be_copied(tmp_path: Path, layout: str, out_suffix: str) -> None:
    path = tmp_path / ("big.warc" if layout == "plain" else "big.warc.gz")
    write_warc(path, big_records())
    if layout in ("one-member", "blocks"):
        original = gzip.decompress(path.read_bytes())
        path.write_bytes(gzip.compress(original) if layout == "one-member" else blocks(original))
    items = list(read_warc(path, 1000))
    assert (items[0].error, items[3].error) == (None, None)
    assert items[1].error == "5,003 bytes, over --max-size 1,000; skipped"  # the page's body
    assert items[1].source.raw is not None and items[1].name == "example.org/big.html"
    assert re.fullmatch(r"200,\d{3} bytes, over --max-size 1,000; skipped", items[2].error)  # the record's content
    assert items[2].source.raw is None and items[2].data is None and items[2].name == "records/000003.warc"
    target = tmp_path / f"out{out_suffix}"
    write_all(items, target)  # the writer copies failed records too, when asked
    original = path.read_bytes() if layout == "plain" else gzip.decompress(path.read_bytes())
    written = target.read_bytes()
    assert (gzip.decompress(written) if out_suffix.endswith(".gz") else written) == original


def test_a_failed_copy_leaves_the_output_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "big.warc.gz"
    write_warc(path, big_records())
    items = list(read_warc(path, 1000))
    path.write_bytes(b"")  # the input changed since it was read: the big record is gone
    target = tmp_path / "out.warc.gz"
    out = WarcOutput(str(target))
    for item in items:
        if item.source.raw is None:
            with pytest.raises(OSError, match="can no longer be read"):
                out.write(item, b"")
        else:
            out.write(item, item.data or b"")
    out.close(True)
    assert [r.rec_headers.get_header("WARC-Target-URI") for r in records_of(target, check_digests=True)] == [
        "http://example.org/small",
        "http://example.org/big",
        "http://example.org/last",
    ]


# --- writing ---------------------------------------------------------------------------------------


def test_unchanged_items_are_copied_byte_for_byte(sample: Path, tmp_path: Path) -> None:
    target = tmp_path / f"out{''.join(sample.suffixes)}"
    write_all(list(read_warc(sample, MAX)), target)
    if sample.name.endswith(".gz"):
        assert members(target.read_bytes()) == members(sample.read_bytes())  # one member per record, same bytes
    else:
        assert target.read_bytes() == sample.read_bytes()
    before, after = records_of(sample), records_of(target)
    assert [(r.rec_headers.headers, r.body) for r in after] == [(r.rec_headers.headers, r.body) for r in before]


def annotated(item: Item) -> bytes:
    assert item.data is not None
    return item.data.replace(b"</body>", b"<span>glos\xe9</span></body>") if item.annotate else item.data


def test_changed_pages_become_new_records_that_refer_to_the_old(sample: Path, tmp_path: Path) -> None:
    items = list(read_warc(sample, MAX))
    target = tmp_path / f"out{''.join(sample.suffixes)}"
    write_all(items, target, annotated)
    before, after = records_of(sample), records_of(target, check_digests=True)
    assert len(after) == len(before) == len(items)
    for item, old, new in zip(items, before, after, strict=True):
        assert new.digest_checker.problems == []
        if not item.annotate:
            assert (new.rec_headers.headers, new.body) == (old.rec_headers.headers, old.body)
            continue
        assert new.digest_checker.passed is True  # both digests recomputed, and right
        new_id = new.rec_headers.get_header("WARC-Record-ID")
        assert new_id.startswith("<urn:uuid:") and new_id != old.rec_headers.get_header("WARC-Record-ID")
        assert new.rec_headers.get_header("WARC-Refers-To") == old.rec_headers.get_header("WARC-Record-ID")
        assert new.rec_headers.get_header("WARC-Refers-To-Target-URI") == old.rec_headers.get_header("WARC-Target-URI")
        assert new.rec_headers.get_header("WARC-Refers-To-Date") == old.rec_headers.get_header("WARC-Date")
        for kept in ("WARC-Type", "WARC-Target-URI", "WARC-Date", "Content-Type"):
            assert new.rec_headers.get_header(kept) == old.rec_headers.get_header(kept)
        assert new.body == annotated(item)
        if new.rec_type == "response":
            http = new.http_headers
            assert http.get_header("Content-Length") == str(len(new.body))
            assert http.get_header("Content-Encoding") is None and http.get_header("Transfer-Encoding") is None
            assert http.get_header("Content-Type") == old.http_headers.get_header("Content-Type")
            assert http.protocol == "HTTP/1.1" and http.statusline == "200 OK"
    reread = list(read_warc(target, MAX))
    assert [(i.name, i.data, i.error) for i in reread] == [(i.name, annotated(i), None) for i in items]
    if target.name.endswith(".gz"):
        assert len(members(target.read_bytes())) == len(items)


def test_a_file_from_elsewhere_becomes_a_resource_record(tmp_path: Path) -> None:
    target = tmp_path / "out.warc"
    mtime = datetime.datetime(2023, 5, 6, 7, 8, 9, tzinfo=datetime.timezone.utc).timestamp()
    write_all([Item("docs/la page.html", UTF8_PAGE, mtime=mtime)], target)
    (record,) = records_of(target, check_digests=True)
    assert record.rec_type == "resource" and record.digest_checker.passed is True
    assert record.rec_headers.get_header("WARC-Target-URI") == "file:///docs/la%20page.html"
    assert record.rec_headers.get_header("Content-Type") == "text/html"
    assert record.rec_headers.get_header("WARC-Date") == "2023-05-06T07:08:09Z"
    assert record.body == UTF8_PAGE


def test_close_false_leaves_no_output(sample: Path, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    kept = folder / "kept.warc.gz"
    kept.write_bytes(b"the previous run")
    for target in (folder / "new.warc", kept):
        out = WarcOutput(str(target))
        for item in read_warc(sample, MAX):
            out.write(item, annotated(item))
        out.close(False)
    assert sorted(os.listdir(folder)) == ["kept.warc.gz"]  # no new file, no temporary one
    assert kept.read_bytes() == b"the previous run"


def test_write_refuses_data_that_is_not_bytes(tmp_path: Path) -> None:
    out = WarcOutput(str(tmp_path / "out.warc"))
    with pytest.raises(TypeError, match="data must be bytes"):
        out.write(Item("a.html", b"x"), "x")  # type: ignore[arg-type]
    out.close(False)


# --- damage ----------------------------------------------------------------------------------------


def five_pages() -> list[Make]:
    rng = random.Random(5)
    words = ["coopérative", "mutuelle", "association", "fondation", "ESS", "SCOP", "SCIC", "emploi"]
    pages = []
    for n in range(5):
        text = " ".join(rng.choice(words) + str(rng.randrange(1000)) for _ in range(800))
        pages.append(response(f"http://example.org/p{n}", f"<p>{text}</p>".encode(), [("Content-Type", "text/html")]))
    return pages


def damage_member(data: bytes, start: int, end: int, how: str) -> bytes:
    if how == "cut-in-half":
        return data[: start + (end - start) // 2] + data[end:]
    if how == "crc-flipped":
        return data[: end - 8] + bytes([data[end - 8] ^ 0xFF]) + data[end - 7 :]
    assert how == "bytes-overwritten"
    middle = (start + end) // 2
    return data[:middle] + b"\0" * 40 + data[middle + 40 :]


@pytest.mark.parametrize("how", ["cut-in-half", "crc-flipped", "bytes-overwritten"])
@pytest.mark.parametrize("member", [0, 2, 4])
def test_a_damaged_gzip_member_is_one_error_and_the_others_are_read(tmp_path: Path, how: str, member: int) -> None:
    path = tmp_path / "five.warc.gz"
    offsets = write_warc(path, five_pages())
    path.write_bytes(damage_member(path.read_bytes(), offsets[member], offsets[member + 1], how))
    items = list(read_warc(path, MAX))
    errors = [item.error for item in items if item.error]
    assert len(errors) == 1 and errors[0].startswith(f"damaged from byte {offsets[member]}: ")
    labels = [item.label for item in items if not item.error]
    assert labels == [f"http://example.org/p{n}" for n in range(5) if n != member]
    assert all(item.data.startswith(b"<p>") and item.data.endswith(b"</p>") for item in items if not item.error)


def test_a_file_cut_inside_its_last_member_keeps_the_records_before(tmp_path: Path) -> None:
    path = tmp_path / "five.warc.gz"
    offsets = write_warc(path, five_pages())
    path.write_bytes(path.read_bytes()[: offsets[4] + 100])
    items = list(read_warc(path, MAX))
    assert [item.error for item in items] == [None] * 4 + [
        f"damaged from byte {offsets[4]}: the gzip member is cut short (the file ends inside it)"
    ]


def lone_member(record: bytes, name_length: int, crc: int) -> bytes:
    """A gzip member of ``record`` with a file name of ``name_length`` bytes (to place its end)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    header = b"\x1f\x8b\x08\x08\0\0\0\0\0\xff" + b"n" * name_length + b"\0"
    return header + compressor.compress(record) + compressor.flush() + struct.pack("<II", crc, len(record))


@pytest.mark.parametrize("crc_ok", [True, False], ids=["crc-right", "crc-wrong"])
def test_a_record_is_handed_out_only_once_its_member_checksum_is_verified(tmp_path: Path, crc_ok: bool) -> None:
    plain = tmp_path / "one.warc"
    body = b"<p>" + random.Random(2).randbytes(20_000).hex().encode() + b"</p>"
    write_warc(plain, [response("http://example.org/", body, [("Content-Type", "text/html")])])
    record = plain.read_bytes()
    crc = zlib.crc32(record) ^ (0 if crc_ok else 1)
    size = len(lone_member(record, 0, crc))
    assert size < warc.CHUNK
    member = lone_member(record, warc.CHUNK + 8 - size, crc)  # its checksum comes after the reader's first read
    assert len(member) == warc.CHUNK + 8
    path = tmp_path / "one.warc.gz"
    path.write_bytes(member)
    items = list(read_warc(path, MAX))
    if crc_ok:
        assert [(item.data, item.error) for item in items] == [(body, None)]
    else:
        assert [item.error for item in items] == [
            "damaged from byte 0: corrupt gzip data (Error -3 while decompressing data: incorrect data check)"
        ]


def test_garbage_between_members_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "five.warc.gz"
    offsets = write_warc(path, five_pages())
    raw = path.read_bytes()
    path.write_bytes(
        raw[: offsets[3]] + b"\xffgarbage" * 100 + raw[offsets[3] :] + b"\0" * 512
    )  # zero padding at the end is fine
    items = list(read_warc(path, MAX))
    errors = [item.error for item in items if item.error]
    assert len(errors) == 1 and errors[0].startswith(f"damaged from byte {offsets[3]}: not a gzip member")
    assert len([item for item in items if not item.error]) == 5


def lengthen(raw: bytes, start: int) -> bytes:
    """Make the Content-Length of the record at ``start`` 100 bytes too long: it runs into the next one."""
    found = re.compile(rb"Content-Length: (\d+)").search(raw, start)
    assert found is not None
    return raw[: found.start(1)] + str(int(found[1]) + 100).encode() + raw[found.end(1) :]


@pytest.mark.parametrize(
    ("damage", "lost"),
    [
        (lambda raw, start: raw[:start] + b"\x00garbage\xff\r\n" * 50 + raw[start:], None),
        (lambda raw, start: raw[:start] + b"junk\r\nWARC/1.0\r\nno length\r\n\r\n" * 3 + raw[start:], None),
        (lambda raw, start: raw[: start + 2] + b"\x00" * 60 + raw[start + 62 :], 3),
        (lengthen, 3),
    ],
    ids=["garbage-between-records", "fake-headers-between-records", "header-overwritten", "content-length-too-long"],
)
def test_damage_in_a_plain_warc_is_one_error_then_reading_resumes(
    tmp_path: Path, damage: Callable[[bytes, int], bytes], lost: int | None
) -> None:
    path = tmp_path / "five.warc"
    offsets = write_warc(path, five_pages())
    path.write_bytes(damage(path.read_bytes(), offsets[3]))
    items = list(read_warc(path, MAX))
    errors = [item.error for item in items if item.error]
    assert len(errors) == 1 and errors[0].startswith(f"damaged from byte {offsets[3]}: ")
    labels = [item.label for item in items if not item.error]
    assert labels == [f"http://example.org/p{n}" for n in range(5) if n != lost]


def test_damage_inside_a_many_record_member_resumes_in_that_member(tmp_path: Path) -> None:
    plain = tmp_path / "five.warc"
    offsets = write_warc(plain, five_pages())
    original = lengthen(plain.read_bytes(), offsets[2])
    first = gzip.compress(original[: offsets[1]])  # p0 alone, then p1 to p4 in one member, as `gzip` makes
    path = tmp_path / "five.warc.gz"
    path.write_bytes(first + gzip.compress(original[offsets[1] :]))
    items = list(read_warc(path, MAX))
    message = f"damaged from byte {len(first)}: the record does not end where its Content-Length says"
    assert [item.error for item in items if item.error] == [message]  # the damage is in a record, not in the gzip data
    good = [item for item in items if not item.error]
    assert [item.label for item in good] == [f"http://example.org/p{n}" for n in (0, 1, 3, 4)]
    for item, n in zip(good, (0, 1, 3, 4), strict=True):  # positions are still right after going back into the member
        span = item.source.span
        assert (span.offset, span.skip, span.compressed) == (
            (0, 0, True) if n == 0 else (len(first), offsets[n] - offsets[1], True)
        )
        assert original[offsets[n] : offsets[n] + span.length] == item.source.raw


@pytest.mark.parametrize(
    "content",
    [
        b"<html><body>Une page</body></html>\n" * 20,
        gzip.compress(b"<html>Une page</html>\n" * 20),
        bytes(range(256)) * 8,
        b"WARC/1.0\r\nno length\r\n\r\n",
    ],
    ids=["html", "gzipped-html", "binary", "header-without-length"],
)
def test_a_file_that_is_not_a_warc_is_one_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "not.warc.gz"
    path.write_bytes(content)
    (item,) = read_warc(path, MAX)
    assert item.error.startswith("damaged from byte 0: ") and item.error.endswith("; is it a WARC file?")
    assert item.name == "not.warc.gz"


def test_an_empty_or_missing_file_is_one_error(tmp_path: Path) -> None:
    (tmp_path / "empty.warc").write_bytes(b"")
    assert [item.error for item in read_warc(tmp_path / "empty.warc", MAX)] == ["an empty file, not a WARC file"]
    (missing,) = read_warc(tmp_path / "missing.warc", MAX)
    assert missing.error.startswith("cannot read: ")


# --- page names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("http://example.org", "example.org/index.html"),
        ("http://Example.ORG/", "example.org/index.html"),
        ("http://example.org/a/b/", "example.org/a/b/index.html"),
        ("http://example.org/a//b", "example.org/a/b.html"),
        ("http://example.org/a/page", "example.org/a/page.html"),
        ("http://example.org/page.htm", "example.org/page.htm"),
        ("http://example.org/Page.XHTML", "example.org/Page.XHTML"),
        ("http://example.org/page.php?id=3", f"example.org/page.php_{short_hash('id=3')}.html"),
        ("http://example.org/a.html?x=1#haut", f"example.org/a_{short_hash('x=1')}.html"),
        ("http://example.org/?q=1", f"example.org/index_{short_hash('q=1')}.html"),
        ("http://example.org/a?", "example.org/a.html"),
        ("http://example.org:8080/x", "example.org_8080/x.html"),
        ("http://example.org:80/x", "example.org/x.html"),
        ("https://example.org:443/", "example.org/index.html"),
        ("http://user:secret@example.org/", "example.org/index.html"),
        ("http://[::1]:8000/", "[__1]_8000/index.html"),
        ("http://exemple.fr/économie/coopérative", "exemple.fr/économie/coopérative.html"),
        ("http://exemple.fr/%C3%A9conomie/caf%C3%A9", "exemple.fr/économie/café.html"),
        ("http://exemple.fr/caf%E9", "exemple.fr/caf%E9.html"),
        ("http://exemple.fr/a%2Fb", "exemple.fr/a_b.html"),
        ("http://exemple.fr/a/../../b", "exemple.fr/b.html"),
        ("http://exemple.fr/a/..", "exemple.fr/index.html"),
        ("http://exemple.fr/%2E%2E/etc/passwd", "exemple.fr/etc/passwd.html"),
        ("http://exemple.fr/.../x", "exemple.fr/___/x.html"),
        ('http://exemple.fr/a:b*c"d<e>|f\\g', "exemple.fr/a_b_c_d_e__f_g.html"),
        ("http://exemple.fr/a./b", "exemple.fr/a_/b.html"),
        ("http://exemple.fr/con/aux", "exemple.fr/_con/_aux.html"),
        ("http://exemple.fr/\x00a\x1fb", "exemple.fr/_a_b.html"),
        ("urn:isbn:123", "_urn/isbn_123.html"),
        ("", "_/index.html"),
    ],
)
def test_page_name(url: str, name: str) -> None:
    assert page_name(url) == name
    assert safe_name(name) == name


def test_page_name_cuts_long_segments_with_a_hash() -> None:
    long_leaf = "a" * 300
    assert page_name("http://x.fr/" + long_leaf) == f"x.fr/{'a' * 184}_{short_hash(long_leaf)}.html"
    folder = "é" * 150  # 300 bytes: cut on a character boundary
    name = page_name(f"http://x.fr/{folder}/p")
    first = name.split("/")[1]
    assert first == "é" * 94 + "_" + short_hash(folder) and len(first.encode()) == 199
    assert page_name("http://x.fr/" + "b" * 300) != page_name("http://x.fr/" + "b" * 301)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=400), st.builds("http://{}/{}?{}".format, st.text(), st.text(max_size=400), st.text())))
def test_page_name_is_always_a_safe_name(url: str) -> None:
    name = page_name(url)
    assert safe_name(name) == name
    segments = name.split("/")
    assert all(0 < len(segment.encode("utf-8")) <= 200 for segment in segments)
    assert segments[-1].lower().endswith((".html", ".htm", ".xhtml"))
    assert not any(segment.rstrip(".") == "" or segment[-1] in ". " for segment in segments)
