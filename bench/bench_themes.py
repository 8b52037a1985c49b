"""Benchmark theme methods against human coding, and the default method's speed and memory.

    .venv/bin/python bench/bench_themes.py [PATH/TO/nhs_fft_phase1.csv] [--quick] [--speed-only]

Quality: NMI and ARI against the people's 9 themes (k = 9, and the tool's own k) and 44
subthemes (k = 44), for every registered method, the TF-IDF + KMeans baseline included,
over three seeds; the spread is max - min NMI across seeds, and "seed ARI" is how much two
seeds agree with each other. Speed: ``codesign themes`` end to end as a real process (Python
start-up, imports, model load, CSV in and out) for 1,000 and 10,000 comments, with its peak
memory, and the pipeline alone in process for N from 250 to 10,000 to show how time grows.
"""

from __future__ import annotations

import csv
import itertools
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from codesign.themes import METHODS, cluster_stories

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "nhs_fft_phase1.csv"
SEEDS = (0, 1, 2)
CODESIGN = Path(sys.executable).with_name("codesign")


def load(path: Path) -> tuple[list[str], list[str], list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [r["text"] for r in rows], [r["theme"] for r in rows], [r["subtheme"] for r in rows]


def quality(
    texts: list[str], themes: list[str], subthemes: list[str], methods: list[str], seeds: tuple[int, ...]
) -> None:
    print(f"== Quality against human coding ({len(texts):,} comments; seeds {', '.join(map(str, seeds))})")
    print(f"{'method':<15} {'k':>5} {'NMI':>6} {'spread':>7} {'ARI':>6} {'seed ARI':>9} {'CPU s':>6}")
    for method, (k, truth) in itertools.product(methods, [(9, themes), (44, subthemes), (None, themes)]):
        nmis, aris, runs, cpu, ks = [], [], [], 0.0, []
        for seed in seeds:
            start = time.process_time()
            result = cluster_stories(texts, k=k, method=method, seed=seed)
            cpu += time.process_time() - start
            nmis.append(normalized_mutual_info_score(truth, result.assignments))
            aris.append(adjusted_rand_score(truth, result.assignments))
            runs.append(result.assignments)
            ks.append(result.k)
        agreement = (
            np.mean([adjusted_rand_score(a, b) for a, b in itertools.combinations(runs, 2)]) if len(runs) > 1 else 1.0
        )
        shown_k = str(k) if k else "auto=" + "/".join(map(str, ks))
        print(
            f"{method:<15} {shown_k:>5} {np.mean(nmis):6.3f} {max(nmis) - min(nmis):7.3f} {np.mean(aris):6.3f} "
            f"{agreement:9.3f} {cpu / len(seeds):6.2f}",
            flush=True,
        )


def cli_speed(texts: list[str]) -> None:
    print("== codesign themes end to end (default method, one process each; wall and CPU seconds, peak RSS)")
    with tempfile.TemporaryDirectory() as tmp:
        for n, k in itertools.product((1_000, 10_000), ("9", None)):
            source = Path(tmp) / f"in_{n}.csv"
            with source.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(["text"])
                writer.writerows([t] for t in (texts * (1 + n // len(texts)))[:n])
            args = [str(CODESIGN), "themes", str(source), "--out", str(Path(tmp) / "out.csv")]
            args += ["--k", k] if k else []
            start = time.perf_counter()
            child = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _pid, status, usage = os.wait4(child.pid, 0)
            wall = time.perf_counter() - start
            child.returncode = os.waitstatus_to_exitcode(status)
            if child.returncode:
                sys.exit(f"codesign themes failed with status {child.returncode}")
            cpu = usage.ru_utime + usage.ru_stime
            peak = usage.ru_maxrss / 1024
            print(f"N={n:>6,}  k={k or 'auto':>4}  wall {wall:5.2f} s  CPU {cpu:5.2f} s  peak RSS {peak:6.0f} MB")
    start = time.perf_counter()
    subprocess.run([str(CODESIGN), "themes", "--help"], check=True, capture_output=True)
    print(f"(start-up alone, `codesign themes --help`: {time.perf_counter() - start:.2f} s wall)")


def growth(texts: list[str]) -> None:
    print("== Pipeline alone, in process (default method, k = 9, after one warm-up): CPU seconds by N")
    cluster_stories(texts[:200], k=9)
    previous = None
    for n in (250, 500, 1_000, 2_000, 5_000, 10_000):
        start = time.process_time()
        cluster_stories(texts[:n], k=9)
        cpu = time.process_time() - start
        ratio = "" if previous is None else f"  x{cpu / previous[1]:.1f} for x{n / previous[0]:.1f} stories"
        print(f"N={n:>6,}  {cpu:5.2f} s{ratio}")
        previous = (n, cpu)


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    quick = "--quick" in sys.argv
    speed_only = "--speed-only" in sys.argv
    path = Path(args[0]) if args else DEFAULT_DATA
    if not path.is_file():
        sys.exit(f"No data at {path}: pass the path to nhs_fft_phase1.csv.")
    texts, themes, subthemes = load(path)
    methods = ["static-minilm", "tfidf-kmeans"] if quick else sorted(METHODS, key=lambda m: m != "static-minilm")
    # Speed first: a child forked from a parent that has grown during the quality runs
    # reports the parent's pages as its own peak memory.
    cli_speed(texts)
    growth(texts)
    if not speed_only:
        quality(texts, themes, subthemes, methods, SEEDS[:2] if quick else SEEDS)


if __name__ == "__main__":
    main()
