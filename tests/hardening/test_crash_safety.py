"""Family 10 — crash safety: gloss killed with SIGKILL at random moments, 16 times (50 with ``--full``).

During a batch into a folder and during an ``--in-place`` run, every target is always either
wholly old or wholly new (never truncated, never half-written), and the next run finishes the job
and leaves no temporary file, even those of the killed runs.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from ptce_gloss import load_glossaries
from ptce_gloss.annotate import Annotator
from ptce_gloss.atomic import remove_leftovers
from ptce_gloss.batch import run_batch

from ..conftest import full
from ..ptyrun import gloss_command

KILLS = 25 if full() else 8  # per mode
BODY = " ".join(["Le PTCE réunit des SCOP, des SCIC et des associations de l’ESS."] * 300)


def _tree(root: Path, count: int = 300) -> Path:
    for n in range(count):
        folder = root / f"r{n % 5}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"a{n}.html").write_text(f"<html><body><h1>{n}</h1><p>{BODY}</p></body></html>", encoding="utf-8")
    return root


def _timed_run(command: list[str]) -> float:
    """Seconds a whole run takes here (the kills are spread over that time)."""
    started = time.perf_counter()
    subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, timeout=300, check=True)
    return time.perf_counter() - started


def _kill_at_random(command: list[str], chooser: random.Random, duration: float) -> None:
    process = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    time.sleep(chooser.uniform(0.1, 0.95) * duration)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # gloss and its workers, with no chance to clean up
    process.wait(timeout=60)


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _temporaries(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.endswith(".gloss-tmp")]


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    root = tmp_path_factory.mktemp("crash")
    source = _tree(root / "in")
    run_batch(Annotator(load_glossaries()), [str(source)], str(root / "annotated"), jobs=1)
    return source, _files(source), _files(root / "annotated")


def test_batch_killed_at_random_moments(reference, tmp_path):
    source, _, annotated = reference
    out = tmp_path / "out"
    command = [*gloss_command(), "annotate", str(source), "-o", str(out), "-j", "2", "-q"]
    duration = _timed_run([*gloss_command(), "annotate", str(source), "-o", str(tmp_path / "timing"), "-j", "2", "-q"])
    chooser = random.Random(20261126)
    for _ in range(KILLS):
        _kill_at_random(command, chooser, duration)
        if out.exists():
            for name, data in _files(out).items():
                if not name.endswith(".gloss-tmp"):
                    assert data == annotated[name], f"{name} is half-written"
    finished = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    assert _files(out) == annotated and not _temporaries(out)


def test_in_place_killed_at_random_moments(reference, tmp_path):
    source, original, annotated = reference
    folder = tmp_path / "site"
    shutil.copytree(source, folder)
    command = [*gloss_command(), "annotate", "--in-place", str(folder), "-j", "2", "-q"]
    shutil.copytree(source, tmp_path / "timing")
    duration = _timed_run([*gloss_command(), "annotate", "--in-place", str(tmp_path / "timing"), "-j", "2", "-q"])
    chooser = random.Random(11)
    for _ in range(KILLS):
        _kill_at_random(command, chooser, duration)
        for name, data in _files(folder).items():
            if not name.endswith(".gloss-tmp"):
                assert data in (original[name], annotated[name]), f"{name} is neither old nor new"
    finished = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    assert _files(folder) == annotated and not _temporaries(folder)


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="telling an exited process needs Linux's /proc")
def test_a_leftover_of_a_killed_worker_not_yet_reaped_is_removed(tmp_path):
    # A batch killed with its workers: each worker has exited but stays a zombie until the system
    # reaps it; it will never finish its write, so what it left is a leftover like any other.
    worker = subprocess.Popen(["sleep", "60"])
    try:
        worker.kill()
        for _ in range(500):  # until the kernel marks it exited (not reaped: no wait() yet)
            with open(f"/proc/{worker.pid}/stat", "rb") as handle:
                if handle.read().rsplit(b")", 1)[1].split()[0] == b"Z":
                    break
            time.sleep(0.01)
        else:
            pytest.fail("the killed process never became a zombie")
        leftover = tmp_path / f".a1.html.{worker.pid}-0123abcd.gloss-tmp"
        leftover.write_bytes(b"")
        assert remove_leftovers(tmp_path) == 1 and not leftover.exists()
    finally:
        worker.wait()


def test_leftovers_of_dead_processes_are_removed_and_live_ones_kept(tmp_path):
    from ptce_gloss.atomic import write_atomically

    dead = subprocess.Popen(["true"])
    dead.wait()
    (tmp_path / "sub").mkdir()
    stale = tmp_path / "sub" / f".page.html.{dead.pid}-0123abcd.gloss-tmp"
    live = tmp_path / "sub" / f".page.html.{os.getppid()}-0123abcd.gloss-tmp"
    other = tmp_path / "sub" / ".page.html.notes"
    for path in (stale, live, other):
        path.write_bytes(b"partial")
    assert remove_leftovers(tmp_path, recursive=True) == 1
    assert not stale.exists() and live.exists() and other.exists()
    stale.write_bytes(b"partial")
    write_atomically(tmp_path / "sub" / "page.html", b"<p>new</p>")  # a single write sweeps its folder
    assert not stale.exists() and live.exists() and (tmp_path / "sub" / "page.html").read_bytes() == b"<p>new</p>"
