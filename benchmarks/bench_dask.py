"""The Dask engine against the local process pool, on the same archive, in the same run.

Run from the repository root (after ``pip install -e '.[dask]'``):

    python benchmarks/bench_dask.py [--articles 10000] [--repeats 3]

It annotates a zip of ``--articles`` generated articles (the one bench_batch.py writes) three
ways, best of ``--repeats`` each:

1. ``gloss annotate articles.zip -o out.zip -j 2`` (the local pool: the baseline);
2. ``--engine dask -j 2``: gloss starts a 2-worker LocalCluster itself (its start-up counted);
3. ``--engine dask --scheduler ADDRESS``: a 2-worker cluster started beforehand, as on a real
   cluster.

Target: the engine at ≥ 0.9× the throughput of (1), that is an overhead under 10 %.  Wall times
include each run's start-up (importing distributed, starting or joining the cluster, shipping the
glossary); a last measure, in this process, gives the steady throughput from the first file
written to the last, for the local pool and the running cluster.
It checks that the three outputs are byte for byte the same, and prints the peak resident memory
of each process of the run (gloss, and the cluster's workers).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_batch import DATA, articles_zip, descendants, rss, run_sampled  # noqa: E402

CLUSTER = """
import sys
from distributed import LocalCluster
if __name__ == "__main__":
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0")
    print(cluster.scheduler_address, flush=True)
    sys.stdin.read()  # until the benchmark is done
"""


def run(arguments: list[str], watch: list[int] | None = None) -> tuple[float, dict[int, float]]:
    """Run gloss; return (seconds, peak resident MB per process: gloss, its children, and ``watch``)."""
    peaks: dict[int, int] = {}

    def sample(pid: int) -> None:
        for each in descendants(pid) + (watch or []):
            peaks[each] = max(peaks.get(each, 0), rss(each))

    seconds = run_sampled(["annotate", *arguments], sample, interval=0.1)
    return seconds, {pid: peak / 1e6 for pid, peak in peaks.items() if peak}


def steady(source: Path, target: Path, scheduler: str, repeats: int) -> tuple[float, float]:
    """Files per second between the first file written and the last, in this process: the engine's
    throughput without its start-up (importing distributed, connecting, shipping the glossary)."""
    from ptce_gloss import load_glossaries
    from ptce_gloss.annotate import Annotator
    from ptce_gloss.batch import run_batch

    annotator = Annotator(load_glossaries())

    def once(**engine: str) -> float:
        moments: list[float] = []
        run_batch(annotator, [str(source)], str(target), jobs=2, progress=lambda *_: moments.append(time.perf_counter()),
                  **engine)  # fmt: skip
        return (len(moments) - 1) / (moments[-1] - moments[0])

    local = max(once() for _ in range(repeats))
    dask = max(once(engine="dask", scheduler=scheduler) for _ in range(repeats))
    return local, dask


def best(arguments: list[str], repeats: int, watch: list[int] | None = None) -> tuple[float, dict[int, float]]:
    results = [run(arguments, watch) for _ in range(repeats)]
    return min(results, key=lambda result: result[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    arguments = parser.parse_args()
    try:
        from distributed import Client
    except ImportError:
        sys.exit("this benchmark needs the dask extra: pip install -e '.[dask]'")

    source = articles_zip(arguments.articles)
    size = source.stat().st_size
    outputs = {name: DATA / f"dask-bench-{name}.zip" for name in ("local", "dask-own", "dask-cluster")}
    print(f"{arguments.articles:,} articles, {size / 1e6:.1f} MB zipped; best of {arguments.repeats}")

    local, local_memory = best([str(source), "-o", str(outputs["local"]), "-j", "2", "-q"], arguments.repeats)
    own, own_memory = best([str(source), "-o", str(outputs["dask-own"]), "-j", "2", "-q", "--engine", "dask"], arguments.repeats)
    # The running cluster lives in its own process, as a real one would, not in this one.
    script = DATA / "dask-bench-cluster.py"
    script.write_text(CLUSTER, encoding="utf-8")
    cluster = subprocess.Popen([sys.executable, str(script)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        address = cluster.stdout.readline().strip() if cluster.stdout else ""
        with Client(address) as client:
            workers = sorted(client.run(lambda: __import__("os").getpid()).values())
        shared, shared_memory = best(
            [str(source), "-o", str(outputs["dask-cluster"]), "-q", "--engine", "dask", "--scheduler", address],
            arguments.repeats,
            watch=workers,
        )
        steady_local, steady_dask = steady(source, DATA / "dask-bench-steady.zip", address, arguments.repeats)
    finally:
        cluster.terminate()
        cluster.wait()

    same = len({path.read_bytes() for path in outputs.values()}) == 1
    print(f"  local pool -j 2           {local:6.2f} s  {arguments.articles / local:7.0f} files/s")
    for label, seconds in (("dask, own LocalCluster", own), ("dask, running cluster", shared)):
        ratio = local / seconds
        verdict = "PASS" if ratio >= 0.9 else "FAIL"
        overhead = 100 * (1 / ratio - 1)
        print(
            f"  {label:25} {seconds:6.2f} s  {arguments.articles / seconds:7.0f} files/s  {verdict} throughput "
            f"{ratio:.2f}x the local pool (target >= 0.9x; overhead {overhead:+.1f} %)"
        )
    ratio = steady_dask / steady_local
    print(
        f"  steady throughput (in-process, from the first file written to the last): local pool {steady_local:.0f} "
        f"files/s, dask on the running cluster {steady_dask:.0f} files/s: {'PASS' if ratio >= 0.9 else 'FAIL'} "
        f"{ratio:.2f}x (target >= 0.9x; start-up excluded)"
    )
    print(f"  outputs byte for byte the same: {'PASS' if same else 'FAIL'}")
    print(
        "  peak resident memory (MB): local pool " + ", ".join(f"{mb:.0f}" for mb in sorted(local_memory.values(), reverse=True))
    )
    print("    dask, own LocalCluster (gloss, nanny and worker processes) "
          + ", ".join(f"{mb:.0f}" for mb in sorted(own_memory.values(), reverse=True)))  # fmt: skip
    print("    dask, running cluster: gloss " + f"{max(v for k, v in shared_memory.items() if k not in workers):.0f}, workers "
          + ", ".join(f"{shared_memory.get(pid, 0):.0f}" for pid in workers))  # fmt: skip
    return 0 if same and ratio >= 0.9 else 1


if __name__ == "__main__":
    sys.exit(main())
