"""Memory of a large piped text: `cat big.txt | gloss annotate -` must stay well below 1 GB.

Run from the repository root:  python benchmarks/bench_memory.py [--megabytes 200]

It writes a plain text of the given size (repeated French paragraphs from examples/) into
benchmarks/.data, pipes it through `gloss annotate` (HTML out, then --format json) and reports
the peak resident memory of each run, measured by the kernel for that process alone.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / ".data"


def big_text(megabytes: int) -> Path:
    path = DATA / f"big-{megabytes}mb.txt"
    if path.exists() and path.stat().st_size >= megabytes * 1_000_000:
        return path
    DATA.mkdir(parents=True, exist_ok=True)
    paragraphs = (ROOT / "examples" / "lettre-scic.txt").read_text(encoding="utf-8").encode()
    with open(path, "wb") as handle:
        written = 0
        while written < megabytes * 1_000_000:
            handle.write(paragraphs + b"\n\n")
            written += len(paragraphs) + 2
    return path


def run(arguments: list[str], source: Path) -> tuple[float, float, int]:
    """Run gloss with ``source`` on stdin; return (seconds, peak RSS in MB, bytes written)."""
    started = time.perf_counter()
    with open(source, "rb") as stdin, open(os.devnull, "wb") as sink:
        process = subprocess.Popen([sys.executable, "-m", "ptce_gloss", *arguments], stdin=stdin, stdout=sink)
        _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"gloss {' '.join(arguments)} failed")
    return time.perf_counter() - started, usage.ru_maxrss / 1024, source.stat().st_size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--megabytes", type=int, default=200)
    args = parser.parse_args()
    source = big_text(args.megabytes)
    failed = 0
    for label, arguments in (("HTML out", ["annotate", "-q", "-"]), ("JSON out", ["annotate", "-q", "-f", "json", "-"])):
        seconds, peak, size = run(arguments, source)
        ok = peak < 1024
        failed += not ok
        print(
            f"  {'PASS' if ok else 'FAIL'}  {label}: {size / 1e6:.0f} MB piped in {seconds:.1f} s "
            f"({size / 1e6 / seconds:.1f} MB/s), peak RSS {peak:.0f} MB (target < 1024 MB)"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
