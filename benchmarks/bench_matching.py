"""Benchmark of finding terms: `gloss annotate --format json` against references measured in the same run.

Run from the repository root (after the README's set-up):

    python benchmarks/bench_matching.py            # the whole benchmark, a few minutes
    python benchmarks/bench_matching.py --quick    # smaller corpora, for a first look

Every target is a ratio between timings taken in this run, never an absolute time: these
machines are shared and noisy, so each timing is the best of several repeats.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tarfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import lxml.etree
import lxml.html

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.baselines.bs4_regex import RegexGlossary, annotate_html, annotate_html_output  # noqa: E402
from ptce_gloss import combine_glossaries, load_glossaries, parse_glossary  # noqa: E402
from ptce_gloss.annotate import Annotator  # noqa: E402
from ptce_gloss.annotate.options import AnnotateOptions  # noqa: E402
from ptce_gloss.html.document import decode  # noqa: E402
from ptce_gloss.match.matcher import compile_glossary  # noqa: E402
from ptce_gloss.views.jsonl import document_record  # noqa: E402

DATA = ROOT / "benchmarks" / ".data"
REAL = ROOT.parent / "shared" / "corpora" / "real-fr-html" / "an-doslegs.tar.xz"
Corpus = list[tuple[str, bytes]]
results: list[tuple[str, bool, str]] = []


def best_of(repeats: int, work: Callable[[], object]) -> float:
    """Return the best wall time of ``repeats`` runs of ``work``."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def check(name: str, ok: bool, detail: str) -> None:
    results.append((name, ok, detail))
    print(f"  {'PASS' if ok else 'FAIL'}  {name}: {detail}", flush=True)


def real_pages(limit: int | None) -> Corpus:
    """The legacy pages of the Assemblée nationale (unpacked once into benchmarks/.data)."""
    target = DATA / "real-fr-html"
    if not target.exists():
        if not REAL.exists():
            sys.exit(f"missing {REAL}: the shared corpora sit beside the checkout")
        target.mkdir(parents=True)
        with tarfile.open(REAL) as archive:
            archive.extractall(target, filter="data")
    files = sorted(p for p in target.rglob("*") if p.is_file())[:limit]
    return [(str(p.relative_to(target)), p.read_bytes()) for p in files]


FILLER = (
    "Le conseil régional a présenté jeudi son plan pour les acteurs du territoire, avec les habitants et les élus. "
    "Selon la directrice, cette démarche répond aux besoins des quartiers et des communes rurales. "
    "Les partenaires ont signé une convention pour trois ans, et un comité de suivi se réunira chaque trimestre. "
)


def dense_corpus(glossary_forms: Sequence[tuple[str, bool]], megabytes: float, seed: int = 7) -> Corpus:
    """Generate HTML articles where a glossary form occurs every few words, as French writes them."""
    rng = random.Random(seed)
    articles, size, number = [], 0, 0
    while size < megabytes * 1_000_000:
        paragraphs = []
        for _ in range(12):
            words = []
            for _ in range(8):
                form, acronym = rng.choice(glossary_forms)
                if not acronym:
                    form = rng.choice([form, form.capitalize(), form.upper(), f"l’{form}", f"d'{form}", f"des {form}"])
                words.append(f"{rng.choice(FILLER.split('. '))} {form}")
            text = ", ".join(words)
            if rng.random() < 0.3:
                text = text.replace(" ", " <b>", 1).replace(",", "</b>,", 1)
            paragraphs.append(f"<p>{text}.</p>")
        page = (
            f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Article {number}</title></head>'
            f'<body><h1>Article {number}</h1><a href="/">Accueil</a>{"".join(paragraphs)}</body></html>'
        )
        data = page.encode("utf-8")
        articles.append((f"dense/{number:05d}.html", data))
        size += len(data)
        number += 1
    return articles


def markdown_articles(pages: Corpus, seed: int = 3) -> Corpus:
    """The readable text of HTML pages written as Markdown articles: paragraphs, headings, lists, links
    and emphasis, as a site's sources hold them (for the Markdown path, which no real corpus here has)."""
    from ptce_gloss.html.scan import project

    rng = random.Random(seed)
    articles = []
    for name, raw in pages:
        words = project(decode(raw, name).text, True).text.split()
        blocks, position = [], 0
        while position < len(words):
            chunk = words[position : position + rng.randint(20, 80)]
            position += len(chunk)
            shape = rng.random()
            if shape < 0.1:
                blocks.append("## " + " ".join(chunk[:6]))
            elif shape < 0.25:
                blocks.append("\n".join("- " + " ".join(chunk[k : k + 8]) for k in range(0, len(chunk), 8)))
            elif shape < 0.35:
                link = f"[{' '.join(chunk[:3])}](https://example.org/{position})"
                blocks.append(f"Voir {link} et *{' '.join(chunk[3:8])}* {' '.join(chunk[8:])}")
            else:
                blocks.append(" ".join(chunk))
        articles.append((str(Path(name).with_suffix(".md")), ("\n\n".join(blocks) + "\n").encode("utf-8")))
    return articles


def ascii_corpus(forms: Sequence[tuple[str, bool]], pages: int = 150, seed: int = 5) -> Corpus:
    """Pages where ASCII-only forms appear as written, capitalised or in capitals, for the fairness check."""
    rng = random.Random(seed)
    corpus = []
    for number in range(pages):
        paragraphs = []
        for _ in range(6):
            words = []
            for _ in range(6):
                form, acronym = rng.choice(forms)
                if not acronym:
                    form = rng.choice([form, form.capitalize(), form.upper()])
                words.append(f"{rng.choice(FILLER.split('. '))} {form}")
            paragraphs.append(f"<p>{', '.join(words)}.</p>")
        page = f"<!DOCTYPE html><html><body><h1>Page {number}</h1>{''.join(paragraphs)}</body></html>"
        corpus.append((f"ascii/{number:04d}.html", page.encode("utf-8")))
    return corpus


SYLLABLES = "ba ca da fa ga la ma na pa ra sa ta va bri cla dro fle gra pro tri vo mu ni lo ré dé pé né".split()


def synthetic_glossary_yaml(entries: int, seed: int = 11) -> str:
    """A valid glossary of ``entries`` made-up two- to four-word terms, some with acronyms."""
    rng = random.Random(seed)
    seen: set[str] = set()
    lines = ["entries:"]
    while len(seen) < entries:
        words = ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(rng.randint(2, 4))]
        term = " ".join(words)
        if term in seen:
            continue
        seen.add(term)
        lines.append(f"  - id: t{len(seen)}\n    term: {term}\n    definition: Définition numéro {len(seen)}.")
        if rng.random() < 0.2:
            lines.append(f"    acronyms: [X{len(seen)}]")
    return "\n".join(lines) + "\n"


def lxml_round_trip(corpus: Corpus) -> None:
    for _, data in corpus:
        lxml.etree.tostring(lxml.html.document_fromstring(data), method="html")


def gloss_json(annotator: Annotator, corpus: Corpus) -> int:
    """What `gloss annotate --format json` does per file: decode, scan, find, serialize."""
    found = 0
    for name, data in corpus:
        document = decode(data, name, "html")
        matches = annotator.find(document)
        json.dumps(document_record(name, document, matches), ensure_ascii=False)
        found += len(matches)
    return found


def gloss_html(annotator: Annotator, corpus: Corpus) -> int:
    """What `gloss annotate` does per file: decode, scan, find, splice the markup, encode."""
    return sum(len(annotator.annotate_bytes(data, name, "html")) for name, data in corpus)


def megabytes(corpus: Corpus) -> float:
    return sum(len(data) for _, data in corpus) / 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller corpora (a first look, not the verdict)")
    parser.add_argument("--repeats", type=int, default=3, help="repeats per timing (best kept)")
    args = parser.parse_args(argv)
    repeats = args.repeats

    glossary = load_glossaries()
    bundled = Annotator(glossary)
    real = real_pages(300 if args.quick else None)
    forms = [(e.term, False) for e in glossary] + [(a, True) for e in glossary for a in e.acronyms]
    dense = dense_corpus(forms, 2 if args.quick else 10)
    print(f"corpora: real pages {len(real)} files {megabytes(real):.1f} MB; dense {len(dense)} files {megabytes(dense):.1f} MB")

    print("\n[1] gloss annotate --format json vs lxml parse + serialize (same files, same run)")
    for label, corpus in (("real pages", real), ("dense", dense)):
        reference = best_of(repeats, lambda c=corpus: lxml_round_trip(c))
        ours = best_of(repeats, lambda c=corpus: gloss_json(bundled, c))
        ratio = reference / ours
        detail = f"{megabytes(corpus) / ours:.1f} MB/s vs lxml {megabytes(corpus) / reference:.1f} MB/s = {ratio:.2f}x"
        if label == "real pages":
            check("json throughput >= 0.8x lxml on real pages", ratio >= 0.8, detail)
        else:
            print(f"  info  dense corpus: {detail} ({gloss_json(bundled, corpus):,} matches)")

    print("\n[2] a 10,000-entry glossary (the bundled entries and made-up ones)")
    text = synthetic_glossary_yaml(10_000 - len(glossary))
    started = time.perf_counter()
    big_glossary = combine_glossaries([glossary, parse_glossary(text, "synthetic.yaml")])
    parsed = time.perf_counter() - started
    compile_time = best_of(1, lambda: compile_glossary(big_glossary))
    check(
        "compiling 10,000 entries < 2 s",
        parsed + compile_time < 2.0,
        f"{len(big_glossary):,} entries: parse {parsed:.2f} s + compile {compile_time:.2f} s",
    )
    big = Annotator(big_glossary)
    big.find(decode(b"warm up", "x.txt"))  # build the automata outside the timing
    for label, corpus in (("real pages", real), ("dense", dense)):
        with_bundled = best_of(repeats, lambda c=corpus: gloss_json(bundled, c))
        with_big = best_of(repeats, lambda c=corpus: gloss_json(big, c))
        check(
            f"10,000 entries at most 1.3x slower ({label})",
            with_big / with_bundled <= 1.3,
            f"{with_big / with_bundled:.2f}x ({with_bundled:.2f} s -> {with_big:.2f} s)",
        )

    print("\n[3] start-up with a cached compiled glossary")
    sample = ROOT / "examples" / "lettre-scic.txt"
    gloss = [sys.executable, "-m", "ptce_gloss", "annotate", "--format", "json", str(sample)]
    subprocess.run(gloss, check=True, capture_output=True)  # fills the cache
    start_gloss = best_of(5, lambda: subprocess.run(gloss, check=True, capture_output=True))
    start_import = best_of(5, lambda: subprocess.run([sys.executable, "-c", "import ptce_gloss"], check=True))
    check(
        "second gloss call < import + 0.2 s",
        start_gloss - start_import < 0.2,
        f"gloss {start_gloss:.3f} s, import ptce_gloss {start_import:.3f} s: +{start_gloss - start_import:.3f} s",
    )

    print("\n[4] the obvious implementation (BeautifulSoup + one regex alternation)")
    ascii_forms = [(e.id, f, False) for e in glossary for f in (e.term, *e.variants) if f.isascii()]
    ascii_forms += [(e.id, a, True) for e in glossary for a in e.acronyms]
    baseline = RegexGlossary(ascii_forms)
    ascii_entries = "entries:\n" + "".join(
        f'  - id: {entry_id}-{n}\n    term: "{form}"\n    definition: d.\n    inflect: false\n'
        if not acronym
        else f'  - id: {entry_id}-{n}\n    term: "zz{n}"\n    acronyms: ["{form}"]\n    definition: d.\n'
        for n, (entry_id, form, acronym) in enumerate(ascii_forms)
    )
    fair = Annotator(parse_glossary(ascii_entries), AnnotateOptions(occurrences="all"))
    plain_forms = [(form, acronym) for _, form, acronym in ascii_forms]
    for label, sample_pages in (("generated", ascii_corpus(plain_forms)), ("real", real[:300])):
        theirs = sorted((name, s.lower()) for name, data in sample_pages for _, s in annotate_html(data, baseline))
        ours = sorted((name, m.surface.lower()) for name, data in sample_pages for m in fair.find(decode(data, name, "html")))
        check(
            f"baseline finds the same matches on ASCII-only terms ({label} pages)",
            theirs == ours,
            f"{len(theirs)} vs {len(ours)} matches on {len(sample_pages)} pages",
        )
    corpus = real if args.quick else real[: len(real) // 2]
    theirs_time = best_of(1, lambda: [annotate_html(data, baseline) for _, data in corpus])
    ours_time = best_of(repeats, lambda: gloss_json(bundled, corpus))
    check(
        "json >= 20x faster than the baseline",
        theirs_time / ours_time >= 20,
        f"{theirs_time / ours_time:.1f}x ({theirs_time:.1f} s vs {ours_time:.2f} s on {megabytes(corpus):.1f} MB)",
    )

    print("\n[5] gloss annotate (HTML out), end to end")
    reference = best_of(repeats, lambda: lxml_round_trip(real))
    html_time = best_of(repeats, lambda: gloss_html(bundled, real))
    check(
        "annotate (HTML out) >= 0.7x lxml on real pages",
        reference / html_time >= 0.7,
        f"{megabytes(real) / html_time:.1f} MB/s vs lxml {megabytes(real) / reference:.1f} MB/s = {reference / html_time:.2f}x",
    )
    html_half = best_of(repeats, lambda: gloss_html(bundled, corpus))
    theirs_html = best_of(1, lambda: [annotate_html_output(data, baseline) for _, data in corpus])
    check(
        "annotate (HTML out) >= 20x faster than the baseline",
        theirs_html / html_half >= 20,
        f"{theirs_html / html_half:.1f}x ({theirs_html:.1f} s vs {html_half:.2f} s on {megabytes(corpus):.1f} MB; "
        "the baseline annotates and serializes its tree)",
    )

    failed = [name for name, ok, _ in results if not ok]
    print(f"\n{len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
