"""Batches: speed-up of `-j 2` over `-j 1`, per-file throughput against the single-file path, memory.

Run from the repository root:  python benchmarks/bench_batch.py [--articles 10000] [--gigabytes 1]

1. It writes a zip of ``--articles`` generated French articles (paragraphs of examples/ shuffled
   per article, 4 to 12 KB each) into benchmarks/.data and runs
   ``gloss annotate articles.zip -o out.zip -j 1`` then ``-j 2``: the ratio is the speed-up
   (target ≥ 1.7 on a 2-core machine).
2. In the same run it does the same work with a plain loop over the library's single-file path
   (``Annotator.annotate_bytes``, zip in and out): the batch at ``-j 1`` must keep that pace
   (ratio ≥ 0.9: no per-file glossary compilation or process start).
3. It writes an uncompressed tar of ``--gigabytes`` of articles and annotates it with ``-j 2``
   into a tar, sampling the resident memory of gloss and its workers together every 50 ms
   (target: peak below 300 MB).
"""

from __future__ import annotations

import argparse
import io
import os
import random
import subprocess
import sys
import tarfile
import threading
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / ".data"


def _paragraphs() -> list[str]:
    found: list[str] = []
    for path in sorted((ROOT / "examples").glob("*.txt")):
        found += [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if len(p.strip()) > 80]
    return found


def article(number: int, paragraphs: list[str]) -> bytes:
    """A generated article: a title and 4–12 KB of shuffled paragraphs, in an HTML page."""
    chooser = random.Random(number)
    body: list[str] = []
    size = chooser.randint(4000, 12000)
    while sum(map(len, body)) < size:
        body.append(f"<p>{chooser.choice(paragraphs)}</p>")
    return (
        f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Article {number}</title></head>'
        f"<body><article><h1>Article {number}</h1>{''.join(body)}</article></body></html>"
    ).encode()


def articles_zip(count: int) -> Path:
    path = DATA / f"articles-{count}.zip"
    if not path.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        paragraphs = _paragraphs()
        with zipfile.ZipFile(str(path) + ".tmp", "w", zipfile.ZIP_DEFLATED) as archive:
            for n in range(count):
                archive.writestr(f"{2000 + n % 25}/{n % 12 + 1:02d}/article-{n}.html", article(n, paragraphs))
        os.replace(str(path) + ".tmp", path)
    return path


def big_tar(gigabytes: float) -> Path:
    path = DATA / f"articles-{gigabytes:g}gb.tar"
    if not path.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        paragraphs = _paragraphs()
        written, n = 0, 0
        with tarfile.open(str(path) + ".tmp", "w") as archive:
            while written < gigabytes * 1e9:
                data = article(n, paragraphs)
                member = tarfile.TarInfo(f"{n // 1000}/article-{n}.html")
                member.size = len(data)
                archive.addfile(member, io.BytesIO(data))
                written, n = written + len(data), n + 1
        os.replace(str(path) + ".tmp", path)
    return path


def descendants(pid: int) -> list[int]:
    """``pid`` and all its descendants (Linux /proc)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return found


def rss(pid: int) -> int:
    """Resident bytes of one process (Linux /proc); 0 once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def run_sampled(arguments: list[str], sample: Callable[[int], None], interval: float = 0.05) -> float:
    """Run ``gloss ARGUMENTS``, calling ``sample(pid)`` every ``interval`` seconds; return its seconds."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "ptce_gloss", *arguments], stdin=subprocess.DEVNULL)
    stop = threading.Event()

    def sampling() -> None:
        while not stop.is_set():
            sample(process.pid)
            stop.wait(interval)

    sampler = threading.Thread(target=sampling, daemon=True)
    sampler.start()
    code = process.wait()
    seconds = time.perf_counter() - started
    stop.set()
    sampler.join()
    if code != 0:
        sys.exit(f"gloss {' '.join(arguments)} failed with exit code {code}")
    return seconds


def gloss(arguments: list[str]) -> tuple[float, float]:
    """Run gloss; return (seconds, peak resident MB of it and its workers together)."""
    peak = 0

    def sample(pid: int) -> None:
        nonlocal peak
        peak = max(peak, sum(rss(p) for p in descendants(pid)))

    seconds = run_sampled(arguments, sample)
    return seconds, peak / 1e6


def in_process(source: Path) -> float:
    """Seconds for a plain loop over the library's single-file path doing the same work as the
    batch: read each member of ``source``, annotate it (``Annotator.annotate_bytes``), write it
    into a zip compressed as the batch's is."""
    from ptce_gloss import load_glossaries
    from ptce_gloss.annotate import Annotator
    from ptce_gloss.batch import ZIP_LEVEL

    started = time.perf_counter()
    annotator = Annotator(load_glossaries())
    with (
        zipfile.ZipFile(source) as archive,
        zipfile.ZipFile(DATA / "loop.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=ZIP_LEVEL) as out,
    ):
        for info in archive.infolist():
            out.writestr(info.filename, annotator.annotate_bytes(archive.read(info), info.filename))
    seconds = time.perf_counter() - started
    (DATA / "loop.zip").unlink()
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--gigabytes", type=float, default=1.0, help="size of the memory test's tar (0: skip it)")
    args = parser.parse_args()
    source = articles_zip(args.articles)
    with zipfile.ZipFile(source) as archive:
        megabytes = sum(info.file_size for info in archive.infolist()) / 1e6
    out = DATA / "out.zip"
    one, _ = gloss(["annotate", str(source), "-o", str(out), "-j", "1", "-q"])
    two, _ = gloss(["annotate", str(source), "-o", str(out), "-j", "2", "-q"])
    single = in_process(source)
    failed = 0
    speedup = one / two
    pace = single / one
    print(f"{args.articles:,} articles, {megabytes:.0f} MB, on {os.cpu_count()} cores")
    print(f"  -j 1: {one:.1f} s ({args.articles / one:,.0f} files/s, {megabytes / one:.1f} MB/s)")
    print(f"  -j 2: {two:.1f} s ({args.articles / two:,.0f} files/s, {megabytes / two:.1f} MB/s)")
    print(f"  a plain loop over the single-file path, same zip in and out: {single:.1f} s")
    for ok, line in (
        (speedup >= 1.7, f"speed-up -j 2 / -j 1: {speedup:.2f}× (target ≥ 1.7×)"),
        (pace >= 0.9, f"-j 1 pace against the single-file path (process start and zip included): {pace:.2f}× (target ≥ 0.9×)"),
    ):
        failed += not ok
        print(f"  {'PASS' if ok else 'FAIL'}  {line}")
    if args.gigabytes > 0:
        tar = big_tar(args.gigabytes)
        seconds, peak = gloss(["annotate", str(tar), "-o", str(DATA / "out.tar"), "-j", "2", "-q"])
        ok = peak < 300
        failed += not ok
        size = tar.stat().st_size / 1e6
        print(
            f"  {'PASS' if ok else 'FAIL'}  {size:,.0f} MB tar at -j 2 in {seconds:.0f} s ({size / seconds:.1f} MB/s): "
            f"peak RSS of gloss and its workers together {peak:.0f} MB (target < 300 MB)"
        )
        (DATA / "out.tar").unlink(missing_ok=True)
    out.unlink(missing_ok=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
