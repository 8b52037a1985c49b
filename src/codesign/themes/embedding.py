"""Static sentence embeddings that ship with the package: no PyTorch, no download.

The vectors were distilled once, offline, from the all-MiniLM-L6-v2 sentence encoder
(Apache-2.0; see ``static_model/NOTICE.md``) in the Model2Vec way: every WordPiece token of
the encoder's vocabulary was passed through the encoder alone, the outputs reduced with PCA
and weighted by token frequency. A text's vector is then the mean of its tokens' vectors,
which keeps most of the encoder's grouping quality at a thousandth of its cost.
``bench/distil_static_model.py`` rebuilds the files.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from codesign.themes.text import MAX_CHARS

MODEL_PACKAGE = "codesign.themes.static_model"
# WordPiece gives up on longer "words" (URLs, pasted hashes) and BERT marks them unknown.
MAX_WORD_CHARS = 100
# Token ids are kept per whitespace-separated chunk ("waiting,", "A&E"): people reuse a few
# thousand of them, so after the first stories almost every chunk is one dictionary look-up.
# The memo is emptied when it grows past this many chunks (pasted gibberish, a long-running server).
MAX_MEMO_CHUNKS = 200_000


@dataclass(frozen=True)
class StaticModel:
    """A token vocabulary and one vector per token."""

    vocab: dict[str, int]
    vectors: NDArray[np.float32]
    _memo: dict[str, tuple[int, ...]] = field(default_factory=dict, compare=False, repr=False)

    @property
    def dim(self) -> int:
        return int(self.vectors.shape[1])

    def token_ids(self, text: str) -> list[int]:
        """WordPiece token ids of a text, unknown pieces dropped."""
        memo = self._memo
        ids: list[int] = []
        for chunk in text[:MAX_CHARS].split():
            found = memo.get(chunk)
            if found is None:
                if len(memo) >= MAX_MEMO_CHUNKS:
                    memo.clear()
                found = memo[chunk] = tuple(i for word in _fold_word(chunk) for i in _wordpiece_cached(word, self))
            ids.extend(found)
        return ids

    def counts(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """How often each token occurs in each text (texts x vocabulary)."""
        cols: list[int] = []
        pointers = [0]
        for text in texts:
            cols.extend(self.token_ids(text))
            pointers.append(len(cols))
        matrix = sparse.csr_matrix(
            (np.ones(len(cols), dtype=np.float32), np.asarray(cols, dtype=np.int64), np.asarray(pointers)),
            shape=(len(texts), len(self.vocab)),
        )
        matrix.sum_duplicates()
        return matrix

    def encode(self, texts: Sequence[str], weights: NDArray[np.float32] | None = None) -> NDArray[np.float32]:
        """Unit-length vectors, one row per text; a text with no known token gets a zero row.

        ``weights`` (one per token) weight the tokens' vectors in the mean; None weighs them alike.
        """
        counts = self.counts(texts)
        if weights is not None:
            counts = sparse.csr_matrix(counts.multiply(weights[None, :]))
        pooled = np.asarray(counts @ self.vectors, dtype=np.float32)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        unit: NDArray[np.float32] = np.divide(pooled, norms, out=np.zeros_like(pooled), where=norms > 0)
        return unit

    def __hash__(self) -> int:
        return id(self)


def _is_punctuation(ch: str) -> bool:
    code = ord(ch)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(code: int) -> bool:
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2A6DF
        or 0xF900 <= code <= 0xFAFF
        or 0x2F800 <= code <= 0x2FA1F
    )


def _fold_word(word: str) -> tuple[str, ...]:
    # BERT's uncased basic tokenizer: lower case, accents stripped, punctuation and CJK
    # characters split off as tokens of their own.
    stripped = "".join(ch for ch in unicodedata.normalize("NFD", word.lower()) if unicodedata.category(ch) != "Mn")
    out: list[str] = []
    current: list[str] = []
    for ch in stripped:
        if _is_punctuation(ch) or _is_cjk(ord(ch)):
            if current:
                out.append("".join(current))
                current = []
            out.append(ch)
        elif unicodedata.category(ch) in ("Cc", "Cf") or ch == "\ufffd":
            continue
        else:
            current.append(ch)
    if current:
        out.append("".join(current))
    return tuple(out)


@cache
def _wordpiece_cached(word: str, model: StaticModel) -> tuple[int, ...]:
    if len(word) > MAX_WORD_CHARS:
        return ()
    vocab = model.vocab
    ids: list[int] = []
    start = 0
    while start < len(word):
        end = len(word)
        found = None
        while start < end:
            piece = word[start:end] if start == 0 else "##" + word[start:end]
            if piece in vocab:
                found = vocab[piece]
                break
            end -= 1
        if found is None:
            # BERT makes the whole word unknown; an unknown word adds nothing to the mean.
            return ()
        ids.append(found)
        start = end
    return tuple(ids)


@cache
def load_static_model() -> StaticModel:
    """The shipped static model, read from package data (cached: it is the same for everyone).

    Frequent whole words are stored at full width; other tokens as PCA coefficients that
    are expanded here (see ``bench/distil_static_model.py``).
    """
    folder = resources.files(MODEL_PACKAGE)
    tokens = folder.joinpath("tokens.txt").read_text(encoding="utf-8").split("\n")
    with folder.joinpath("head.npz").open("rb") as handle:
        head: Any = dict(np.load(handle))
    with folder.joinpath("tail.npz").open("rb") as handle:
        tail: Any = dict(np.load(handle))
    vectors = np.zeros((len(tokens), head["vectors"].shape[1]), dtype=np.float32)
    vectors[head["ids"]] = head["vectors"].astype(np.float32) * head["scale"].astype(np.float32)[:, None]
    coefficients = tail["coefficients"].astype(np.float32) * tail["scale"].astype(np.float32)[:, None]
    vectors[tail["ids"]] = coefficients @ tail["components"] + tail["mean"]
    vocab = {token: i for i, token in enumerate(tokens) if token}
    return StaticModel(vocab=vocab, vectors=vectors)
