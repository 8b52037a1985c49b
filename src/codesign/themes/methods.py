"""Clustering methods behind a tiny registry: each turns texts and a seed into groups.

A method has two steps, so the pipeline can score the choice of k and place late stories
in the same space the groups were found in: ``embed`` (texts -> one row per text) and
``group`` (rows, k, seed -> a group number per row). Same texts, same seed, same groups.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from codesign.errors import ValidationFailed
from codesign.themes import text as textnorm
from codesign.themes.kmeans import kmeans

# scikit-learn is imported inside the NMF method and for sparse KMeans only: importing it costs
# about 1.5 CPU-seconds, more than the default method needs to group 10,000 stories.

# Dense rows (embeddings) or sparse rows (TF-IDF); scipy ships no types.
Matrix: TypeAlias = Any
Embed = Callable[[Sequence[str], int], Matrix]
Group = Callable[[Matrix, int, int], NDArray[np.int64]]

# KMeans restarts: with fewer, seeds disagree more (measured on the NHS comments, NMI spread
# 0.03 at 1 restart, under 0.01 at 4); more cost time for no gain.
N_INIT = 4


@dataclass(frozen=True)
class Method:
    """A registered way of grouping texts."""

    name: str
    description: str
    embed: Embed
    group: Group
    needs: str = ""
    """An optional extra this method needs ("" when ``make run`` installs all it needs)."""


METHODS: dict[str, Method] = {}
DEFAULT_METHOD = "static-minilm"


def register(method: Method) -> Method:
    """Add a method to the registry (a later one with the same name replaces it)."""
    METHODS[method.name] = method
    return method


def get_method(name: str) -> Method:
    """The registered method called ``name``.

    Raises:
        ValidationFailed: If there is no such method, naming the ones there are.
    """
    method = METHODS.get(name)
    if method is None:
        raise ValidationFailed(f"There is no method called {name!r}. Choose one of: {', '.join(sorted(METHODS))}.")
    return method


def kmeans_groups(rows: Matrix, k: int, seed: int) -> NDArray[np.int64]:
    """KMeans on unit-length rows (cosine geometry), with ``N_INIT`` seeded restarts."""
    if not sparse.issparse(rows):
        return kmeans(rows, k, seed=seed, n_init=N_INIT)
    from sklearn.cluster import KMeans
    from sklearn.exceptions import ConvergenceWarning
    from threadpoolctl import threadpool_limits

    # One thread: on a shared server, OpenMP threads competing for two cores cost five
    # times the CPU (measured here: 5.5 s against 0.5 s for 1,000 stories).
    with warnings.catch_warnings(), threadpool_limits(limits=1):
        # Near-duplicates can make a cluster collapse; the pipeline renumbers what is left.
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = KMeans(n_clusters=k, n_init=N_INIT, random_state=seed)
        return np.asarray(model.fit_predict(rows), dtype=np.int64)


def _tfidf(texts: Sequence[str], min_df: int = 1) -> sparse.csr_matrix:
    """scikit-learn's ``TfidfVectorizer(analyzer=analyse, min_df=min_df, sublinear_tf=True)``, to
    the last digit (``tests/themes/test_pipeline.py`` compares them), in scipy alone: importing
    scikit-learn's text module costs about 1.3 CPU-seconds, more than the default method needs
    to group 1,000 long stories. Columns are the terms in sorted order, as scikit-learn has them.
    """
    vocabulary: dict[str, int] = {}
    columns: list[int] = []
    tallies: list[int] = []
    pointers = [0]
    for text in texts:
        counts: dict[int, int] = {}
        for term in textnorm.analyse(text):
            column = vocabulary.setdefault(term, len(vocabulary))
            counts[column] = counts.get(column, 0) + 1
        columns.extend(counts)
        tallies.extend(counts.values())
        pointers.append(len(columns))
    if not vocabulary:
        # Every text lacks words (emoji only, or empty): one empty column keeps shapes valid.
        return sparse.csr_matrix((len(texts), 1), dtype=np.float32)
    values = np.asarray(tallies, dtype=np.float64)
    matrix = sparse.csr_matrix((values, np.asarray(columns), np.asarray(pointers)), shape=(len(texts), len(vocabulary)))
    terms = sorted(vocabulary)
    order = np.fromiter((vocabulary[t] for t in terms), dtype=np.int64, count=len(terms))
    matrix = sparse.csr_matrix(matrix[:, order])
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    keep = np.flatnonzero(df >= min_df)
    if not len(keep):
        return sparse.csr_matrix((len(texts), 1), dtype=np.float32)
    matrix = sparse.csr_matrix(matrix[:, keep])
    df = df[keep]
    matrix.data = np.log(matrix.data) + 1.0
    idf = np.log((1.0 + len(texts)) / (1.0 + df)) + 1.0
    matrix = sparse.csr_matrix(matrix @ sparse.diags(idf))
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    matrix = sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix)
    return sparse.csr_matrix(matrix, dtype=np.float32)


def _min_df(n: int) -> int:
    # Words used once cannot link two stories; dropping them on big inputs halves the matrix.
    return 2 if n >= 200 else 1


def embed_tfidf(texts: Sequence[str], seed: int) -> Matrix:
    """TF-IDF of content words and adjacent pairs, L2-normalised rows."""
    del seed
    return _tfidf(texts, _min_df(len(texts)))


def embed_lsa(texts: Sequence[str], seed: int) -> Matrix:
    """TF-IDF reduced to at most 100 latent dimensions (LSA), unit-length rows.

    The truncated SVD is scipy's (PROPACK, seeded): scikit-learn's ``TruncatedSVD`` finds the same
    subspace, but its import alone costs more than this method; on 1,000 long stories PROPACK
    takes 0.35 CPU-s where ARPACK takes 1.05.
    """
    from scipy.sparse.linalg import svds

    tfidf = _tfidf(texts, _min_df(len(texts)))
    dims = min(100, tfidf.shape[1] - 1, tfidf.shape[0] - 1)
    if dims < 2:
        return np.asarray(tfidf.toarray(), dtype=np.float32)
    matrix = tfidf.astype(np.float64)
    try:
        left, values, _right = svds(matrix, k=dims, solver="propack", random_state=seed)
    except np.linalg.LinAlgError:
        # Fewer distinct stories than dimensions (the same few stories pasted many times):
        # PROPACK stops at the smaller subspace; a full SVD of the small matrix does not.
        left, values, _right = np.linalg.svd(matrix.toarray(), full_matrices=False)
        left, values = left[:, :dims], values[:dims]
    reduced = left * values
    norms = np.linalg.norm(reduced, axis=1, keepdims=True)
    out: NDArray[np.float32] = np.divide(reduced, norms, out=np.zeros_like(reduced), where=norms > 0).astype(np.float32)
    return out


def nmf_groups(rows: Matrix, k: int, seed: int) -> NDArray[np.int64]:
    """Non-negative matrix factorisation: each text goes to its strongest topic."""
    from sklearn.decomposition import NMF
    from sklearn.exceptions import ConvergenceWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        weights = NMF(n_components=k, init="nndsvda", random_state=seed, max_iter=300).fit_transform(rows)
    return np.asarray(np.argmax(weights, axis=1), dtype=np.int64)


def embed_static(texts: Sequence[str], seed: int) -> Matrix:
    """The shipped static model's sentence vectors (see ``embedding``); for long stories, the same
    vectors weighted by word rarity beside the stories' own topics (``embed_hybrid``).

    Short comments ("Staff were kind") are best served by the plain mean of their word pieces;
    long narratives share so many common words that the plain mean blurs them together, and
    the words that set them apart (a ward's name, "section", "discharge letter") carry the theme.
    """
    if is_long(texts):
        return embed_hybrid(texts, seed)
    from codesign.themes.embedding import load_static_model

    return load_static_model().encode(texts)


# Stories are "long" when the median one has more words than this (FFT comments: 8; the
# Care Opinion narratives: 68; workshop stories from a phone: 30 to 120).
LONG_MEDIAN_WORDS = 30
# The stories' own topics (LSA) need enough stories to be learnt: on a dozen they are noise
# (three clear topics of four stories each come out mixed), on 985 they lift AMI from 0.086 to
# 0.145. Below this many stories the plain static vectors are used whatever the length.
HYBRID_MIN_STORIES = 200


def is_long(texts: Sequence[str]) -> bool:
    """Whether there are enough stories, and long enough, for the rarity-weighted path."""
    if len(texts) < HYBRID_MIN_STORIES:
        return False
    return float(np.median([len(t.split()) for t in texts])) > LONG_MEDIAN_WORDS


# Weight of the lexical (LSA) half against the static half in ``embed_hybrid``: measured on the
# Care Opinion dev stories at k = 40, 1.0 gives AMI 0.123, 1.5 gives 0.133 and 2.0 gives 0.126.
LEXICAL_WEIGHT = 1.5


def embed_static_idf(texts: Sequence[str], seed: int) -> Matrix:
    """Static vectors pooled with each word piece weighted by its rarity in these texts (inverse
    document frequency), then the component common to all texts removed: long stories share many
    common words, and a plain mean drowns what sets them apart."""
    del seed
    from codesign.themes.embedding import load_static_model

    model = load_static_model()
    counts = model.counts(texts)
    df = np.asarray((counts > 0).sum(axis=0), dtype=np.float32).ravel()
    idf = (np.log((1.0 + len(texts)) / (1.0 + df)) + 1.0).astype(np.float32)
    pooled = np.asarray(sparse.csr_matrix(counts.multiply(idf[None, :])) @ model.vectors, dtype=np.float32)
    lengths = np.linalg.norm(pooled, axis=1, keepdims=True)
    rows = np.divide(pooled, lengths, out=np.zeros_like(pooled), where=lengths > 0)
    if len(texts) < 3:
        return rows
    centred = rows - rows.mean(axis=0)
    sample = centred[:: max(1, len(centred) // 2000)]
    top = np.linalg.svd(sample, full_matrices=False)[2][0]
    centred -= np.outer(centred @ top, top)
    norms = np.linalg.norm(centred, axis=1, keepdims=True)
    out: NDArray[np.float32] = np.divide(centred, norms, out=np.zeros_like(centred), where=norms > 0)
    out[np.abs(rows).sum(axis=1) == 0] = 0.0
    return out


def embed_hybrid(texts: Sequence[str], seed: int) -> Matrix:
    """The rarity-weighted static vectors beside the texts' own latent topics (LSA): meaning from
    the distilled model, and the words these stories share that the model has never met."""
    static = np.asarray(embed_static_idf(texts, seed), dtype=np.float32)
    lexical = np.asarray(embed_lsa(texts, seed), dtype=np.float32)
    joined = np.hstack([static, LEXICAL_WEIGHT * lexical])
    norms = np.linalg.norm(joined, axis=1, keepdims=True)
    out: NDArray[np.float32] = np.divide(joined, norms, out=np.zeros_like(joined), where=norms > 0)
    return out


register(
    Method(
        name="static-lsa",
        description="Static vectors weighted by word rarity, beside the stories' own topics (LSA), then KMeans.",
        embed=embed_hybrid,
        group=kmeans_groups,
    )
)
register(
    Method(
        name="static-minilm",
        description=(
            "Static word-piece vectors distilled from all-MiniLM-L6-v2 (for long stories weighted by word "
            "rarity, beside the stories' own topics), then KMeans (the default)."
        ),
        embed=embed_static,
        group=kmeans_groups,
    )
)
register(
    Method(
        name="tfidf-kmeans",
        description="TF-IDF of content words and word pairs, then KMeans (the baseline).",
        embed=embed_tfidf,
        group=kmeans_groups,
    )
)
register(
    Method(
        name="tfidf-nmf",
        description="TF-IDF, then non-negative matrix factorisation (topics).",
        embed=embed_tfidf,
        group=nmf_groups,
    )
)
register(
    Method(
        name="lsa-kmeans",
        description="TF-IDF reduced by LSA to 100 dimensions, then KMeans.",
        embed=embed_lsa,
        group=kmeans_groups,
    )
)
