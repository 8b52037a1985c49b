"""The theme pipeline: texts in, one ``ThemeClustering`` out (groups, labels, quotes, quality)."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from threadpoolctl import threadpool_limits

from codesign.errors import ValidationFailed
from codesign.themes import text as textnorm
from codesign.themes.kmeans import KMEANS_DIMS, principal_components, silhouette_from_similarity
from codesign.themes.labels import central_phrases, spell_out
from codesign.themes.methods import DEFAULT_METHOD, Matrix, Method, get_method, kmeans_groups

Progress = Callable[[float, str], None]

# The board a room can work with: fewer than 2 themes says nothing, more than 12 is a wall
# of sticky notes again. Within that, from sqrt(N)/2 to sqrt(N) themes for N stories: 2-3
# for 10, 4-8 for 72, 6-12 from 150 on. The silhouette of sentence vectors falls as k grows,
# so an open range would always pick 2; the floor keeps the draft useful.
MIN_AUTO_K = 2
MAX_AUTO_K = 12
MAX_AUTO_K_FLOOR = 6
# Choosing k scores every candidate; on a sample this size the silhouette is stable to about
# 0.01 and 10,000 stories cost no more than 2,000.
K_SEARCH_SAMPLE = 2_000
QUOTES_PER_THEME = 3
# Quotes are read aloud and projected: prefer stories short enough to read at a glance.
QUOTE_MAX_CHARS = 400
NO_WORDS_LABEL = "No words to group by"
# A two-word label replaces a one-word one when at least this share of the stories that
# use the word use the phrase.
WIDEN_SHARE = 0.25


@dataclass(frozen=True)
class FoundTheme:
    """One theme found by the pipeline."""

    label: str
    key_phrases: tuple[str, ...]
    members: tuple[int, ...]
    """Positions of its stories in the input, most typical first."""
    quotes: tuple[int, ...]
    """Positions of up to three quotable stories, most typical first."""
    centroid: tuple[float, ...]
    """Mean of its stories' vectors in the shipped static model's space (for placing late stories)."""

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass(frozen=True)
class ThemeClustering:
    """What ``cluster_stories`` found."""

    method: str
    seed: int
    k: int
    """Number of themes found from words (a "no words" group, if any, comes on top)."""
    k_chosen_automatically: bool
    assignments: tuple[int, ...]
    """For each input text, the index of its theme in ``themes``."""
    themes: tuple[FoundTheme, ...]
    quality: float | None
    """Silhouette (cosine) of the grouping, from -1 to 1; None when it is not defined (one theme)."""
    k_scores: tuple[tuple[int, float], ...] = ()
    """When k was chosen automatically: each candidate k with its silhouette."""
    message: str = ""
    """Anything the facilitator should know about the result, in plain words."""


def auto_k_range(n: int) -> range:
    """Candidate numbers of themes for ``n`` stories: sqrt(n)/2 to sqrt(n), within 2..12."""
    root = math.isqrt(max(n, 0))
    upper = max(MIN_AUTO_K, min(MAX_AUTO_K, root, max(n - 1, MIN_AUTO_K)))
    lower = max(MIN_AUTO_K, min(MAX_AUTO_K_FLOOR, root // 2, upper))
    return range(lower, upper + 1)


def cluster_stories(
    texts: Sequence[str],
    *,
    k: int | None = None,
    method: str = DEFAULT_METHOD,
    seed: int = 0,
    quotable: Sequence[bool] | None = None,
    progress: Progress | None = None,
    taken_labels: Sequence[str] = (),
    glossary: Mapping[str, str] | None = None,
) -> ThemeClustering:
    """Group texts into themes with labels, quotes and a quality score.

    Args:
        texts: The stories' texts (already de-identified).
        k: How many themes; None lets the pipeline choose by silhouette over ``auto_k_range``.
        method: A name in ``methods.METHODS``.
        seed: Seeds every random step: the same texts and seed give the same themes.
        quotable: For each text, whether it may be quoted (consent allows it and it is not an
            unreviewed risk-flagged story). None means none may be quoted.
        progress: Called with a fraction done and a short note, for a progress bar.
        taken_labels: Labels already on the board: no new theme gets one of them.
        glossary: Acronyms to spell out once in the labels (acronym -> meaning).

    Returns:
        The themes found. An empty input gives no themes; texts without any words go to a
        separate "No words to group by" theme.

    Raises:
        ValidationFailed: If ``k`` is below 1, the method is unknown or ``quotable`` has the wrong length.
    """
    chosen = get_method(method)
    if k is not None and k < 1:
        raise ValidationFailed("The number of themes must be at least 1.")
    if quotable is not None and len(quotable) != len(texts):
        raise ValidationFailed("quotable must have one entry per text.")
    report = progress or (lambda _fraction, _note: None)
    n = len(texts)
    may_quote = list(quotable) if quotable is not None else [False] * n
    if n == 0:
        return ThemeClustering(method, seed, 0, k is None, (), (), None, message="There are no stories to group yet.")

    # One BLAS thread: on a shared server, threads competing for two cores cost several
    # times the CPU (measured here: 5.5 s against 0.5 s for 1,000 stories).
    with threadpool_limits(limits=1):
        return _cluster(texts, k, chosen, seed, may_quote, report, taken_labels, glossary or {})


def _cluster(
    texts: Sequence[str],
    k: int | None,
    chosen: Method,
    seed: int,
    may_quote: list[bool],
    report: Progress,
    taken: Sequence[str],
    glossary: Mapping[str, str],
) -> ThemeClustering:
    n = len(texts)
    report(0.05, "Reading the stories")
    rows = chosen.embed(texts, seed)
    worded = _non_empty_rows(rows) & np.asarray(textnorm.has_words(texts))
    index = np.flatnonzero(worded)
    notes: list[str] = []
    labels = np.full(n, -1, dtype=np.int64)
    k_scores: tuple[tuple[int, float], ...] = ()
    quality: float | None = None
    found_k = 0
    if len(index):
        sub = rows[index]
        distinct = textnorm.distinct_count([texts[int(i)] for i in index])
        # Dense vectors are reduced once to the components KMeans works on (it would do so
        # for every candidate k otherwise); the silhouette keeps the full cosine geometry.
        grouped = sub if sparse.issparse(sub) else principal_components(np.asarray(sub, dtype=np.float32), KMEANS_DIMS)
        sample = _Sample(sub, grouped, seed)
        if k is None:
            report(0.3, "Choosing the number of themes")
            found_k, k_scores = _choose_k(sample, len(index), min(distinct, len(index)), chosen.group, seed)
        else:
            found_k = min(k, len(index), distinct)
            if found_k < k:
                notes.append(f"Asked for {k} themes, but there are only {found_k} different stories to group.")
        report(0.6, f"Grouping into {found_k} themes")
        sub_labels = chosen.group(grouped, found_k, seed) if found_k > 1 else np.zeros(len(index), dtype=np.int64)
        sub_labels = _consecutive(sub_labels)
        found_k = int(sub_labels.max()) + 1
        labels[index] = sub_labels
        quality = sample.silhouette(sub_labels[sample.index])
        if distinct == 1 and len(index) > 1:
            notes.append("All the stories say the same thing, so they make one theme.")
    empty = np.flatnonzero(~worded)
    if len(empty):
        labels[empty] = found_k
        notes.append(f"{len(empty)} stories have no words to group by (only emoji, numbers or symbols).")

    report(0.8, "Naming the themes")
    vectors = _placement_vectors(texts, rows, chosen.name)
    themes = _describe(texts, labels, found_k, vectors, may_quote, taken, glossary)
    report(1.0, "Done")
    return ThemeClustering(
        method=chosen.name,
        seed=seed,
        k=found_k,
        k_chosen_automatically=k is None,
        assignments=tuple(int(x) for x in labels),
        themes=themes,
        quality=quality,
        k_scores=k_scores,
        message=" ".join(notes),
    )


def _non_empty_rows(rows: Matrix) -> NDArray[np.bool_]:
    if sparse.issparse(rows):
        return np.asarray(rows.getnnz(axis=1) > 0)
    return np.asarray(np.abs(rows).sum(axis=1) > 0)


def _consecutive(labels: NDArray[np.int64]) -> NDArray[np.int64]:
    # Number groups by size (largest first) so theme 0 is the biggest, and close any gaps
    # left by a collapsed cluster.
    sizes = Counter(int(x) for x in labels)
    order = sorted(sizes, key=lambda g: (-sizes[g], g))
    remap = {g: i for i, g in enumerate(order)}
    return np.asarray([remap[int(x)] for x in labels], dtype=np.int64)


class _Sample:
    """A seeded sample of the rows and their cosine similarities, computed once per run:
    every candidate k and the final grouping are scored on it."""

    def __init__(self, rows: Matrix, grouped: Matrix, seed: int) -> None:
        n = rows.shape[0]
        self.index = np.arange(n)
        if n > K_SEARCH_SAMPLE:
            self.index = np.sort(np.random.default_rng(seed).choice(n, K_SEARCH_SAMPLE, replace=False))
        self.rows = grouped[self.index]
        self.similarity = _cosine_similarity(rows[self.index])

    def silhouette(self, labels: NDArray[np.int64]) -> float | None:
        """Silhouette of labels given for the sampled rows; None when undefined."""
        groups = len(set(labels.tolist()))
        if groups < 2 or groups >= len(labels):
            return None
        return silhouette_from_similarity(self.similarity, labels)


def _cosine_similarity(rows: Matrix) -> NDArray[np.float64]:
    if sparse.issparse(rows):
        norms = np.sqrt(np.asarray(rows.multiply(rows).sum(axis=1))).ravel()
        scaled = sparse.diags(np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)) @ rows
        return np.asarray((scaled @ scaled.T).toarray(), dtype=np.float64)
    x = np.asarray(rows, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    x = np.divide(x, norms, out=np.zeros_like(x), where=norms > 0)
    return np.asarray(x @ x.T, dtype=np.float64)


def _choose_k(
    sample: _Sample,
    population: int,
    limit: int,
    group: Callable[[Matrix, int, int], NDArray[np.int64]],
    seed: int,
) -> tuple[int, tuple[tuple[int, float], ...]]:
    candidates = [c for c in auto_k_range(population) if c <= limit]
    if not candidates:
        return max(min(limit, 1), 1), ()
    scores: list[tuple[int, float]] = []
    for candidate in candidates:
        score = sample.silhouette(group(sample.rows, candidate, seed))
        if score is not None:
            scores.append((candidate, round(score, 4)))
    if not scores:
        return candidates[0], ()
    best = max(scores, key=lambda pair: (pair[1], pair[0]))[0]
    return best, tuple(scores)


def _placement_vectors(texts: Sequence[str], rows: Matrix, method: str) -> NDArray[np.float32]:
    # Centres and labels live in the shipped model's space (late stories are placed there);
    # the default method's rows are already those vectors unless the stories are long.
    from codesign.themes.embedding import load_static_model

    model = load_static_model()
    if method == "static-minilm" and not sparse.issparse(rows) and rows.shape[1] == model.dim:
        return np.asarray(rows, dtype=np.float32)
    return model.encode(texts)


def _describe(
    texts: Sequence[str],
    labels: NDArray[np.int64],
    found_k: int,
    vectors: NDArray[np.float32],
    may_quote: Sequence[bool],
    taken: Sequence[str] = (),
    glossary: Mapping[str, str] | None = None,
) -> tuple[FoundTheme, ...]:
    groups = int(labels.max()) + 1 if len(labels) else 0
    members = [np.flatnonzero(labels == g) for g in range(groups)]
    phrase_lists = [textnorm.phrases(t) for t in texts]
    names = _key_phrases(phrase_lists, members)
    units = []
    orders = []
    for idx in members:
        centroid = vectors[idx].mean(axis=0) if len(idx) else np.zeros(vectors.shape[1], dtype=np.float32)
        norm = float(np.linalg.norm(centroid))
        unit = centroid / norm if norm > 0 else centroid
        units.append(unit)
        orders.append(idx[np.argsort(-(vectors[idx] @ unit), kind="stable")] if len(idx) else idx)
    own_words = _own_words(texts, orders[:found_k], may_quote, names, np.asarray(units[:found_k]))
    used: set[str] = {label.casefold() for label in taken}
    spelt: set[str] = set()
    themes: list[FoundTheme] = []
    for g, idx in enumerate(members):
        unit, order = units[g], orders[g]
        if g >= found_k:
            label, phrases = NO_WORDS_LABEL, tuple[str, ...]()
        else:
            phrases = _as_written(names[g], [texts[int(i)] for i in idx])
            spoken = own_words[g]
            options = ([spoken] if spoken else []) + list(phrases)
            label = next((p for p in options if p.casefold() not in used), "")
            if not label:
                label = f"{options[0]} ({g + 1})" if options else f"Theme {g + 1}"
            label = spell_out(label[:1].upper() + label[1:], glossary or {}, spelt)
        used.add(label.casefold())
        short = [int(i) for i in order if may_quote[i] and len(texts[i]) <= QUOTE_MAX_CHARS]
        long = [int(i) for i in order if may_quote[i] and len(texts[i]) > QUOTE_MAX_CHARS]
        themes.append(
            FoundTheme(
                label=label,
                key_phrases=phrases,
                members=tuple(int(i) for i in order),
                quotes=tuple((short + long)[:QUOTES_PER_THEME]),
                centroid=tuple(round(float(x), 5) for x in unit),
            )
        )
    return tuple(themes)


_WORD = re.compile(r"\w+")


def _own_words(
    texts: Sequence[str],
    orders: Sequence[NDArray[np.int64]],
    may_quote: Sequence[bool],
    names: Sequence[Sequence[str]],
    units: NDArray[np.float32],
) -> list[str | None]:
    """The most central short phrase each theme's quotable stories say (see ``labels``)."""
    if not len(orders) or not any(may_quote):
        return [None] * len(orders)
    from codesign.themes.embedding import load_static_model

    return central_phrases(
        texts, [[int(i) for i in o] for o in orders], may_quote, names, load_static_model().encode, units
    )


def _as_written(phrases: Sequence[str], texts: Sequence[str]) -> tuple[str, ...]:
    """Key phrases as the theme's stories write them: "someone's", "I'm", "Talking Therapies",
    "CMHT", not the folded "someones", "im", "talking therapies", "cmht". The commonest spelling
    wins; a phrase no story writes word for word (a contraction spelt out: "did not listen")
    keeps the folded words, with acronyms' capitals put back."""
    folded = [unicodedata.normalize("NFKC", t).translate(_APOSTROPHES) for t in texts]
    out = []
    for phrase, fallback in zip(phrases, _restore_acronyms(phrases, texts), strict=True):
        pattern = _written_pattern(phrase)
        seen = Counter(m.group(0) for text in folded for m in pattern.finditer(text))
        out.append(" ".join(seen.most_common(1)[0][0].split()) if seen else fallback)
    return tuple(out)


_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})


def _written_pattern(phrase: str) -> re.Pattern[str]:
    # Each folded word matches the word as written, with any apostrophe that folding dropped
    # ("someones" matches "someone's"); words are apart by spaces only (one clause).
    def word(w: str) -> str:
        return re.escape(w[0]) + "".join("'?" + re.escape(c) for c in w[1:])

    return re.compile(r"(?<![\w'])" + r"\s+".join(word(w) for w in phrase.split()) + r"(?![\w'])", re.IGNORECASE)


def _restore_acronyms(labels: Sequence[str], texts: Sequence[str]) -> tuple[str, ...]:
    """Put back the capitals of words people write as acronyms (CMHT, GP, A&E's "E"), which
    normalisation lowered: "cmht referral" reads "CMHT referral". One pass over the theme's
    texts for all its labels."""
    wanted = {word for label in labels for word in label.split()}
    forms: dict[str, Counter[str]] = {}
    for text in texts:
        for token in _WORD.findall(text):
            low = token.lower()
            if low in wanted:
                forms.setdefault(low, Counter())[token] += 1
    restored = []
    for label in labels:
        words = []
        for word in label.split():
            common = forms[word].most_common(1)[0][0] if word in forms else word
            words.append(common if len(common) > 1 and common.isupper() else word)
        restored.append(" ".join(words))
    return tuple(restored)


def _key_phrases(
    phrase_lists: Sequence[set[str]], members: Sequence[NDArray[np.int64]], top: int = 5
) -> list[list[str]]:
    """Per group, phrases common in it and rare elsewhere (class-based TF-IDF over phrases)."""
    total = Counter[str]()
    per_group: list[Counter[str]] = []
    for idx in members:
        counts = Counter[str]()
        for i in idx:
            counts.update(phrase_lists[i])
        per_group.append(counts)
        total.update(counts)
    n = sum(len(idx) for idx in members) or 1
    result: list[list[str]] = []
    for idx, counts in zip(members, per_group, strict=True):
        size = max(len(idx), 1)
        floor = 2 if size >= 4 else 1
        scored = []
        for phrase, df in counts.items():
            if df < floor:
                continue
            words = phrase.count(" ") + 1
            # Coverage in the group times rarity in the whole set; a second word gets a lift
            # because it reads as a label ("waiting times", not "times").
            score = (df / size) * math.log(1 + n / total[phrase]) * (1.0 + 0.3 * min(words - 1, 1))
            scored.append((score, phrase))
        scored.sort(key=lambda pair: (-pair[0], pair[1]))
        chosen: list[str] = []
        for _score, phrase in scored:
            if any(phrase in other or other in phrase for other in chosen):
                continue
            chosen.append(_widen(phrase, counts, floor))
            if len(chosen) == top:
                break
        result.append(chosen)
    return result


def _widen(phrase: str, counts: Counter[str], floor: int) -> str:
    """A longer phrase that contains ``phrase`` and is common enough in the group to name it.

    A single word such as "staff" often tops the list; "friendly staff", said by a third of
    the stories that say "staff", is the better label.
    """
    if " " in phrase:
        return phrase
    base = counts[phrase]
    wider = [
        (df, p)
        for p, df in counts.items()
        if df >= max(floor, 2, WIDEN_SHARE * base) and p != phrase and f" {p} ".find(f" {phrase} ") >= 0
    ]
    if not wider:
        return phrase
    return max(wider, key=lambda pair: (pair[0], -len(pair[1]), pair[1]))[1]


__all__ = ["FoundTheme", "ThemeClustering", "auto_k_range", "cluster_stories", "kmeans_groups"]
