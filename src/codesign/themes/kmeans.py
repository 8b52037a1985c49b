"""KMeans and the silhouette in NumPy, for dense sentence vectors.

scikit-learn has both, but importing it costs about 1.5 CPU-seconds here, more than
grouping 10,000 stories, and the CLI must group 1,000 stories in under a second end to end.
The algorithm is scikit-learn's (k-means++ seeding, Lloyd iterations, several seeded
restarts, the lowest inertia wins); the TF-IDF methods still use scikit-learn itself.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from threadpoolctl import threadpool_limits

MAX_ITER = 100
# Grouping runs on the first principal components of the sentence vectors. Measured on the
# NHS comments at k = 9: all 384 dimensions NMI 0.222 in 1.96 CPU-s, 64 dimensions 0.220 in
# 0.30 CPU-s, with the same spread across seeds (<= 0.005).
KMEANS_DIMS = 64
# As scikit-learn: stop when the centres move less than this share of the data's variance.
TOLERANCE = 1e-4


def _plus_plus(
    x: NDArray[np.float32], x_sq: NDArray[np.float32], k: int, rng: np.random.Generator
) -> NDArray[np.float32]:
    n = x.shape[0]
    # Greedy k-means++ as in scikit-learn: try 2 + log(k) candidates per centre, keep the best.
    trials = 2 + int(np.log(k))
    centres = np.empty((k, x.shape[1]), dtype=np.float32)
    first = int(rng.integers(n))
    centres[0] = x[first]
    closest = np.maximum(x_sq - 2 * x @ x[first] + x_sq[first], 0)
    for c in range(1, k):
        total = closest.sum()
        if total <= 0:
            centres[c:] = x[rng.integers(n, size=k - c)]
            break
        picks = np.searchsorted(np.cumsum(closest), rng.random(trials) * total)
        picks = np.minimum(picks, n - 1)
        distances = np.maximum(x_sq[None, :] - 2 * x[picks] @ x.T + x_sq[picks][:, None], 0)
        candidate_costs = np.minimum(closest[None, :], distances).sum(axis=1)
        best = int(np.argmin(candidate_costs))
        centres[c] = x[picks[best]]
        closest = np.minimum(closest, distances[best])
    return centres


def _lloyd(
    x: NDArray[np.float32], x_sq: NDArray[np.float32], centres: NDArray[np.float32], tol: float
) -> tuple[NDArray[np.int64], float]:
    k = centres.shape[0]
    labels = np.full(x.shape[0], -1, dtype=np.int64)
    for _ in range(MAX_ITER):
        distances = x_sq[:, None] - 2 * x @ centres.T + (centres * centres).sum(axis=1)[None, :]
        previous, labels = labels, np.asarray(distances.argmin(axis=1), dtype=np.int64)
        if np.array_equal(previous, labels):
            break
        counts = np.bincount(labels, minlength=k)
        sums = np.zeros_like(centres)
        _sum_by_label(sums, labels, x)
        new = centres.copy()
        filled = counts > 0
        new[filled] = sums[filled] / counts[filled, None]
        if not filled.all():
            # An empty cluster takes the point farthest from its centre, as scikit-learn does.
            far = np.argsort(-distances[np.arange(len(labels)), labels])[: int((~filled).sum())]
            new[~filled] = x[far]
        shift = float(((new - centres) ** 2).sum())
        centres = new
        if shift <= tol:
            break
    distances = x_sq[:, None] - 2 * x @ centres.T + (centres * centres).sum(axis=1)[None, :]
    labels = np.asarray(distances.argmin(axis=1), dtype=np.int64)
    return labels, float(np.maximum(distances.min(axis=1), 0).sum())


def _sum_by_label(sums: NDArray[np.float32], labels: NDArray[np.int64], x: NDArray[np.float32]) -> None:
    # A sparse one-hot product: one pass over the rows, no sorting or copying.
    n = len(labels)
    onehot = sparse.csr_matrix((np.ones(n, dtype=np.float32), (labels, np.arange(n))), shape=(sums.shape[0], n))
    sums[:] = onehot @ x


def principal_components(x: NDArray[np.float32], dims: int) -> NDArray[np.float32]:
    """The rows projected on their ``dims`` main directions (PCA by the covariance's eigenvectors)."""
    if x.shape[1] <= dims:
        return x
    centred = x - x.mean(axis=0)
    _values, vectors = np.linalg.eigh(centred.T.astype(np.float64) @ centred.astype(np.float64))
    # eigh orders by increasing variance; fix each direction's sign so the seed alone decides.
    top = vectors[:, ::-1][:, :dims]
    top *= np.where(top[np.abs(top).argmax(axis=0), np.arange(dims)] < 0, -1.0, 1.0)
    return np.asarray(centred @ top.astype(np.float32), dtype=np.float32)


def kmeans(rows: NDArray[np.floating], k: int, *, seed: int, n_init: int) -> NDArray[np.int64]:
    """Group rows into ``k`` clusters; the same rows and seed give the same groups."""
    if k <= 1 or rows.shape[0] <= 1:
        return np.zeros(rows.shape[0], dtype=np.int64)
    rng = np.random.default_rng(seed)
    best_labels = np.zeros(rows.shape[0], dtype=np.int64)
    best_inertia = np.inf
    # One BLAS thread: on a shared server, threads competing for two cores cost several
    # times the CPU (measured here: 5.5 s against 0.5 s for 1,000 stories).
    with threadpool_limits(limits=1):
        x = principal_components(np.asarray(rows, dtype=np.float32), KMEANS_DIMS)
        k = min(k, x.shape[0])
        x_sq = (x * x).sum(axis=1)
        tol = TOLERANCE * float(np.mean(np.var(x, axis=0)))
        for _ in range(n_init):
            labels, inertia = _lloyd(x, x_sq, _plus_plus(x, x_sq, k, rng), tol)
            if inertia < best_inertia - 1e-9:
                best_labels, best_inertia = labels, inertia
    return best_labels


def cosine_silhouette(rows: NDArray[np.floating], labels: NDArray[np.int64]) -> float:
    """Mean silhouette with cosine distance (as scikit-learn's ``silhouette_score``).

    A story alone in its group scores 0. Cost is quadratic: pass a sample of large inputs.
    """
    x = np.asarray(rows, dtype=np.float64)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    x = np.divide(x, norms, out=np.zeros_like(x), where=norms > 0)
    return silhouette_from_similarity(x @ x.T, labels)


def silhouette_from_similarity(similarity: NDArray[np.floating], labels: NDArray[np.int64]) -> float:
    """Mean silhouette from a square matrix of cosine similarities."""
    distance = np.maximum(1.0 - np.asarray(similarity, dtype=np.float64), 0)
    groups, inverse = np.unique(labels, return_inverse=True)
    onehot = np.zeros((len(labels), len(groups)))
    onehot[np.arange(len(labels)), inverse] = 1
    counts = onehot.sum(axis=0)
    totals = distance @ onehot
    own = counts[inverse]
    a = totals[np.arange(len(labels)), inverse] / np.maximum(own - 1, 1)
    means = totals / counts[None, :]
    means[np.arange(len(labels)), inverse] = np.inf
    b = means.min(axis=1)
    scores = np.where(own > 1, (b - a) / np.maximum(np.maximum(a, b), 1e-12), 0.0)
    return float(scores.mean())
