"""The Dask engine: same outputs as a local run, a killed worker survived, and the library API."""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import signal
import sys
import zipfile

import pytest

from ptce_gloss import load_glossaries
from ptce_gloss.annotate import Annotator
from ptce_gloss.batch import BatchError, run_batch, write_report
from ptce_gloss.html.document import Document
from ptce_gloss.markup import HtmlOptions

distributed = pytest.importorskip("distributed", reason="the dask extra is not installed (pip install '.[dask]')")

ANNOTATOR = Annotator(load_glossaries())
PAGE = "<!DOCTYPE html><html><head></head><body><p>Les SCOP, l’ESS et une coopérative n°{n}.</p></body></html>"


def make_archive(path, count=120):
    with zipfile.ZipFile(path, "w") as archive:
        for n in range(count):
            archive.writestr(f"rubrique{n % 4}/article{n}.html", PAGE.format(n=n))
        archive.writestr("images/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(40))
        archive.writestr("cassé.html", b"%PDF-1.4 not a page")
    return path


@pytest.fixture(scope="module")
def cluster():
    """A 2-worker LocalCluster of processes, as on these 2-core machines."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as local:
        yield local


def report_json(report, path):
    write_report(report, str(path), [e.id for e in ANNOTATOR.compiled.entries])
    return json.loads(path.read_text(encoding="utf-8"))


def test_a_dask_run_writes_what_a_local_run_writes(tmp_path, cluster):
    source = make_archive(tmp_path / "articles.zip")
    local = run_batch(ANNOTATOR, [str(source)], str(tmp_path / "local.zip"), jobs=2)
    dask = run_batch(ANNOTATOR, [str(source)], str(tmp_path / "dask.zip"), engine="dask", scheduler=cluster.scheduler_address,
                     partition_size=7)  # fmt: skip
    assert (tmp_path / "dask.zip").read_bytes() == (tmp_path / "local.zip").read_bytes()
    assert report_json(dask, tmp_path / "d.json") == report_json(local, tmp_path / "l.json")
    assert dask.counts()["annotated"] == 120 and dask.counts()["failed"] == 1


def test_a_local_cluster_is_started_when_no_scheduler_is_given(tmp_path, monkeypatch):
    monkeypatch.delenv("GLOSS_DASK_SCHEDULER", raising=False)
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(5):
        (folder / f"p{n}.html").write_text(PAGE.format(n=n), encoding="utf-8")
    report = run_batch(ANNOTATOR, [str(folder)], str(tmp_path / "out"), jobs=1, engine="dask")
    assert report.counts()["annotated"] == 5
    assert b"gloss-term" in (tmp_path / "out" / "p4.html").read_bytes()


def test_a_killed_worker_is_survived_with_every_output_whole_and_once(tmp_path, cluster):
    source = make_archive(tmp_path / "articles.zip", count=400)
    client = distributed.Client(cluster)
    pids = client.run(os.getpid)
    client.close()
    killed = []

    def progress(file_report, size):
        if len(killed) == 0 and file_report.status == "annotated":
            victim = sorted(pids.values())[0]
            os.kill(victim, signal.SIGKILL)  # in the middle: most partitions are still to run
            killed.append(victim)

    report = run_batch(ANNOTATOR, [str(source)], str(tmp_path / "out.zip"), engine="dask", scheduler=cluster.scheduler_address,
                       partition_size=4, progress=progress)  # fmt: skip
    assert killed
    run_batch(ANNOTATOR, [str(source)], str(tmp_path / "local.zip"), jobs=1)
    with zipfile.ZipFile(tmp_path / "out.zip") as out, zipfile.ZipFile(tmp_path / "local.zip") as expected:
        assert out.testzip() is None  # every member whole (CRC checked)
        names = [info.filename for info in out.infolist()]
        assert len(names) == len(set(names)) == 401  # none missing, none twice
        assert all(out.read(name) == expected.read(name) for name in names)
    assert report.counts()["annotated"] == 400


def test_without_dask_the_engine_says_how_to_install_it(tmp_path, monkeypatch, gloss):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed now raises ImportError
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "p.html").write_text(PAGE.format(n=1), encoding="utf-8")
    with pytest.raises(BatchError, match=r"pip install 'ptce_gloss\[dask\]'"):
        run_batch(ANNOTATOR, [str(tmp_path / "in")], str(tmp_path / "out"), engine="dask")
    result = gloss("annotate", str(tmp_path / "in"), "-o", str(tmp_path / "out2"), "--engine", "dask", "-q")
    assert result.exit_code == 1 and "pip install 'ptce_gloss[dask]'" in result.stderr


def test_the_command_line_runs_on_a_given_scheduler(tmp_path, cluster, gloss):
    source = make_archive(tmp_path / "articles.zip", count=10)
    result = gloss("annotate", str(source), "-o", str(tmp_path / "out.zip"), "--engine", "dask", "--scheduler",
                   cluster.scheduler_address, "--partition-size", "3", "--report", str(tmp_path / "r.json"), "-q")  # fmt: skip
    assert result.exit_code == 1  # the one page that is a PDF
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["counts"] == {"annotated": 10, "skipped": 1, "failed": 1}


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr("ptce_gloss.batch.distributed.CONNECT_TIMEOUT", "1s")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "p.html").write_text(PAGE.format(n=1), encoding="utf-8")
    with pytest.raises(BatchError, match=r"cannot reach the Dask scheduler tcp://127\.0\.0\.1:9"):
        run_batch(ANNOTATOR, [str(tmp_path / "in")], str(tmp_path / "out"), engine="dask", scheduler="tcp://127.0.0.1:9")


# --- the library API -------------------------------------------------------------------------------


def test_the_annotator_survives_pickling():
    page = Document.from_text(PAGE.format(n=1), "html")
    copy = pickle.loads(pickle.dumps(ANNOTATOR))
    assert copy.annotate(page) == ANNOTATOR.annotate(page)


def test_annotate_partition_is_the_per_partition_function():
    from ptce_gloss.batch.distributed import annotate_partition

    records = [("a.html", PAGE.format(n=1).encode()), ("b.txt", b"Une SCOP."), ("c.html", b"%PDF-1.4"),
               ("d.html", "<p>Une coopérative.</p>".encode("cp1252"), "windows-1252")]  # fmt: skip
    results = list(annotate_partition(iter(records), ANNOTATOR))
    assert [r["name"] for r in results] == ["a.html", "b.txt", "c.html", "d.html"]
    assert [r["status"] for r in results] == ["annotated", "annotated", "failed", "annotated"]
    assert b"gloss-term" in results[0]["output"] and results[0]["occurrences"]["scop"] == 1
    assert results[2]["output"] is None and "binary" in results[2]["error"]
    assert "coopérative".encode("cp1252") in results[3]["output"]  # read and written back in windows-1252


def test_annotate_bag_maps_it_over_a_dask_bag():
    import dask
    import dask.bag

    from ptce_gloss.batch.distributed import annotate_bag, annotate_partition

    records = [(f"p{n}.html", PAGE.format(n=n).encode()) for n in range(9)]
    bag = dask.bag.from_sequence(records, npartitions=3)
    with dask.config.set(scheduler="sync"):
        results = annotate_bag(bag, ANNOTATOR, HtmlOptions(assets="none")).compute()
    assert results == list(annotate_partition(records, ANNOTATOR, HtmlOptions(assets="none")))


def test_the_pyspark_recipe_uses_the_same_function():
    """The recipe of docs/dask.md: rdd.mapPartitions(lambda part: annotate_partition(part, annotator))."""
    from ptce_gloss.batch.distributed import annotate_partition

    partitions = [[("a.html", PAGE.format(n=1).encode())], [], [("b.html", PAGE.format(n=2).encode())]]
    results = [r for part in partitions for r in (lambda part: annotate_partition(part, ANNOTATOR))(iter(part))]
    assert [r["name"] for r in results] == ["a.html", "b.html"] and all(r["status"] == "annotated" for r in results)


# --- fsspec URLs as inputs and outputs -------------------------------------------------------------


@pytest.fixture
def memory():
    """fsspec's in-memory file system, emptied after the test."""
    fsspec = pytest.importorskip("fsspec")
    fs = fsspec.filesystem("memory")
    yield fs
    fs.rm("/", recursive=True) if fs.ls("/") else None


def test_folder_urls_in_and_out_give_what_local_folders_give(tmp_path, memory):
    local_in = tmp_path / "in"
    for n in range(12):
        page = PAGE.format(n=n).encode()
        memory.pipe_file(f"/site/rubrique{n % 3}/p{n}.html", page)
        (local_in / f"rubrique{n % 3}").mkdir(parents=True, exist_ok=True)
        (local_in / f"rubrique{n % 3}" / f"p{n}.html").write_bytes(page)
    memory.pipe_file("/site/logo.png", b"\x89PNG")
    expected = run_batch(ANNOTATOR, [str(local_in)], str(tmp_path / "out"), jobs=1)
    report = run_batch(ANNOTATOR, ["memory://site"], "memory://out", jobs=2)  # memory:// is this process's only
    assert report.counts() == expected.counts()
    for path in (tmp_path / "out").rglob("*.html"):
        assert memory.cat_file("/out/" + path.relative_to(tmp_path / "out").as_posix()) == path.read_bytes()


def test_archive_urls_in_and_out(tmp_path, memory, gloss):
    memory.pipe_file("/in/articles.zip", make_archive(tmp_path / "a.zip", count=5).read_bytes())
    result = gloss("annotate", "memory://in/articles.zip", "-o", "memory://out/annotated.zip", "-q")
    assert result.exit_code == 1  # the PDF among the pages
    memory.get_file("/out/annotated.zip", str(tmp_path / "back.zip"))
    run_batch(ANNOTATOR, [str(tmp_path / "a.zip")], str(tmp_path / "local.zip"))
    assert (tmp_path / "back.zip").read_bytes() == (tmp_path / "local.zip").read_bytes()


def test_a_file_url_is_a_local_path(tmp_path, gloss):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "p.html").write_text(PAGE.format(n=1), encoding="utf-8")
    result = gloss("annotate", (tmp_path / "in").as_uri(), "-o", (tmp_path / "out").as_uri() + "/", "-q")
    assert result.exit_code == 0, result.stderr
    assert b"gloss-term" in (tmp_path / "out" / "p.html").read_bytes()


def test_an_unknown_protocol_is_a_clear_error(tmp_path, gloss):
    result = gloss("annotate", "nosuchprotocol://x/site", "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "nosuchprotocol" in result.stderr and "Traceback" not in result.stderr


# --- workers that reach the files themselves -------------------------------------------------------


def make_tree(folder, count):
    for n in range(count):
        (folder / f"rubrique{n % 4}").mkdir(parents=True, exist_ok=True)
        (folder / f"rubrique{n % 4}" / f"article{n}.html").write_text(PAGE.format(n=n), encoding="utf-8")
    (folder / "notes.md").write_text("Une SCOP et une SCIC.", encoding="utf-8")
    return folder


def test_with_folder_urls_the_workers_read_and_write_the_files(tmp_path, cluster, monkeypatch):
    source = make_tree(tmp_path / "in", 40)
    (tmp_path / "in" / "lien.html").symlink_to(tmp_path / "in" / "notes.md")  # never followed
    expected = run_batch(ANNOTATOR, [str(source)], str(tmp_path / "local"), jobs=1)

    def no_reading_here(*_args):
        raise AssertionError("the machine running gloss read a file")

    monkeypatch.setattr("ptce_gloss.batch.remote.read_file", no_reading_here)  # in this process only
    report = run_batch(ANNOTATOR, [source.as_uri()], (tmp_path / "out").as_uri(), engine="dask",
                       scheduler=cluster.scheduler_address)  # fmt: skip
    assert report.counts() == expected.counts() and report.counts()["annotated"] == 41  # and the link failed
    assert [(f.name, f.status, f.error) for f in report.files] == [(f.name, f.status, f.error) for f in expected.files]
    for path in (tmp_path / "local").rglob("*.*"):
        assert (tmp_path / "out" / path.relative_to(tmp_path / "local")).read_bytes() == path.read_bytes()
    assert not (tmp_path / "out" / "lien.html").exists()


def test_a_killed_worker_that_was_writing_leaves_every_file_whole(tmp_path, cluster):
    source = make_tree(tmp_path / "in", 300)
    client = distributed.Client(cluster)
    pids = client.run(os.getpid)
    client.close()
    killed = []

    def progress(file_report, size):
        if not killed:
            killed.append(sorted(pids.values())[-1])
            os.kill(killed[0], signal.SIGKILL)

    report = run_batch(ANNOTATOR, [source.as_uri()], (tmp_path / "out").as_uri(), engine="dask",
                       scheduler=cluster.scheduler_address, partition_size=4, progress=progress)  # fmt: skip
    assert killed and report.counts()["annotated"] == 301
    run_batch(ANNOTATOR, [str(source)], str(tmp_path / "local"), jobs=1)
    written = sorted(p.relative_to(tmp_path / "out") for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert written == sorted(p.relative_to(tmp_path / "local") for p in (tmp_path / "local").rglob("*") if p.is_file())
    assert all((tmp_path / "out" / p).read_bytes() == (tmp_path / "local" / p).read_bytes() for p in written)


def test_changed_only_needs_a_local_output_folder(tmp_path):
    with pytest.raises(BatchError, match="--changed-only needs a local output folder"):
        run_batch(ANNOTATOR, [str(tmp_path)], "memory://out", changed_only="key")


def test_the_scheduler_comes_from_gloss_dask_scheduler(tmp_path, monkeypatch, gloss):
    monkeypatch.setattr("ptce_gloss.batch.distributed.CONNECT_TIMEOUT", "1s")
    monkeypatch.setenv("GLOSS_DASK_SCHEDULER", "tcp://127.0.0.1:9")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "p.html").write_text(PAGE.format(n=1), encoding="utf-8")
    result = gloss("annotate", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--engine", "dask", "-q")
    assert result.exit_code == 1 and "cannot reach the Dask scheduler tcp://127.0.0.1:9" in result.stderr


def test_without_fsspec_a_url_says_how_to_install_it(tmp_path, monkeypatch, gloss):
    monkeypatch.setitem(sys.modules, "fsspec", None)  # import fsspec now raises ImportError
    result = gloss("annotate", "s3://bucket/site/", "-o", str(tmp_path / "out"))
    assert result.exit_code == 1 and "pip install 'ptce_gloss[dask]'" in result.stderr


def test_workers_failing_past_the_retries_stop_the_batch_with_a_clear_error(tmp_path):
    import dask

    source = make_archive(tmp_path / "articles.zip", count=300)
    no_retry = dask.config.set({"distributed.scheduler.allowed-failures": 0})
    with no_retry, distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as local:
        with distributed.Client(local) as client:
            pids = sorted(client.run(os.getpid).values())

        def progress(file_report, size):
            for pid in pids:  # every worker, at the first file: their tasks cannot be retried
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)

        with pytest.raises(BatchError, match=r"^the Dask workers failed \(KilledWorker: .* the outputs written "
                                             r"are complete: run the same command again with --changed-only"):  # fmt: skip
            run_batch(ANNOTATOR, [str(source)], str(tmp_path / "out"), engine="dask",
                      scheduler=local.scheduler_address, partition_size=2, progress=progress)  # fmt: skip
