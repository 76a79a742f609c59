import dataclasses

import pytest
import torch

from redheart.backbone import Backbone
from redheart.checkpoint import (
    CheckpointError,
    CheckpointMeta,
    check_compatible,
    load_state_strict,
    merge_parts,
    read_checkpoint,
    save_checkpoint,
)
from redheart.config import PRESETS


class Wrapper(torch.nn.Module):
    """Gives the backbone the `backbone.` key prefix the model uses."""

    def __init__(self, tasks=("a",), seed=0):
        super().__init__()
        torch.manual_seed(seed)
        self.backbone = Backbone("tiny", 8, list(tasks))


META = CheckpointMeta("tiny-8", 8, PRESETS["tiny"], {"a": "0.1.0"})


def _same(m1, m2):
    s1, s2 = m1.state_dict(), m2.state_dict()
    return s1.keys() == s2.keys() and all(torch.equal(s1[k], s2[k]) for k in s1)


def test_round_trip_is_exact(tmp_path):
    src, dst = Wrapper(seed=0), Wrapper(seed=1)
    assert not _same(src, dst)
    path = save_checkpoint(src, tmp_path / "m.safetensors", META)
    meta, tensors = read_checkpoint(path)
    assert meta == META
    load_state_strict(dst, tensors, str(path))
    assert _same(src, dst)
    x = torch.randn(2, 4, 8)
    mask = torch.ones(2, 4, dtype=torch.bool)
    lang = torch.tensor([0, 1])
    assert torch.equal(src.backbone.eval()(x, mask, lang).features["a"],
                       dst.backbone.eval()(x, mask, lang).features["a"])


def test_fp16_storage_loads_within_fp16_precision(tmp_path):
    src, dst = Wrapper(seed=0), Wrapper(seed=1)
    path = save_checkpoint(src, tmp_path / "m.safetensors", META, dtype=torch.float16)
    _, tensors = read_checkpoint(path)
    load_state_strict(dst, tensors, str(path))
    for k, v in src.state_dict().items():
        torch.testing.assert_close(dst.state_dict()[k], v, rtol=1e-3, atol=1e-3)
        assert dst.state_dict()[k].dtype == torch.float32


def test_missing_unexpected_and_shape_errors(tmp_path):
    path = save_checkpoint(Wrapper(("a",)), tmp_path / "m.safetensors", META)
    _, tensors = read_checkpoint(path)
    with pytest.raises(CheckpointError, match=r"Missing 15 .*backbone.tasks.b"):
        load_state_strict(Wrapper(("a", "b")), tensors, "m")
    with pytest.raises(CheckpointError, match="unexpected 1"):
        load_state_strict(Wrapper(("a",)), {**tensors, "backbone.extra": torch.zeros(1)}, "m")
    bad = dict(tensors)
    bad["backbone.ln_f.weight"] = torch.ones(7)
    with pytest.raises(CheckpointError, match="shape mismatch"):
        load_state_strict(Wrapper(("a",)), bad, "m")


def test_other_encoder_schema_or_preset_is_refused():
    check_compatible(META, encoder="tiny-8", encoder_dim=8, preset=PRESETS["tiny"], source="m")
    with pytest.raises(CheckpointError, match="trained with encoder 'tiny-8'"):
        check_compatible(META, encoder="e5-small", encoder_dim=384, preset=PRESETS["tiny"], source="m")
    with pytest.raises(CheckpointError, match="schema v2"):
        check_compatible(dataclasses.replace(META, schema_version=2), encoder="tiny-8",
                         encoder_dim=8, preset=PRESETS["tiny"], source="m")
    with pytest.raises(CheckpointError, match="preset 'tiny' differs"):
        check_compatible(META, encoder="tiny-8", encoder_dim=8, preset=PRESETS["small"], source="m")


def test_truncated_and_corrupt_files(tmp_path):
    path = save_checkpoint(Wrapper(), tmp_path / "m.safetensors", META)
    data = path.read_bytes()
    truncated = tmp_path / "t.safetensors"
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(CheckpointError, match="truncated or corrupt"):
        read_checkpoint(truncated)
    flipped = bytearray(data)
    flipped[-5] ^= 0xFF  # inside the tensor data: the header still parses
    corrupt = tmp_path / "c.safetensors"
    corrupt.write_bytes(bytes(flipped))
    with pytest.raises(CheckpointError, match="SHA-256"):
        read_checkpoint(corrupt)
    garbage = tmp_path / "g.safetensors"
    garbage.write_bytes(b"\x00" * 64)
    with pytest.raises(CheckpointError):
        read_checkpoint(garbage)
    with pytest.raises(CheckpointError, match="no such checkpoint"):
        read_checkpoint(tmp_path / "absent.safetensors")


def test_plain_safetensors_file_is_not_a_checkpoint(tmp_path):
    from safetensors.torch import save_file

    p = tmp_path / "plain.safetensors"
    save_file({"w": torch.zeros(2)}, str(p))
    with pytest.raises(CheckpointError, match="not a redheart checkpoint"):
        read_checkpoint(p)


def test_parts_merge_and_disagreeing_parts(tmp_path):
    model = Wrapper()
    a = save_checkpoint(model, tmp_path / "bb.safetensors", META, parts=["backbone"])
    meta, tensors = merge_parts([a])
    assert set(tensors) == set(model.state_dict())
    other = save_checkpoint(model, tmp_path / "o.safetensors",
                            dataclasses.replace(META, encoder="other"), parts=["backbone"])
    with pytest.raises(CheckpointError, match="encoder"):
        merge_parts([a, other])
    with pytest.raises(CheckpointError, match="also present"):
        merge_parts([a, a])


def test_zero_dim_tensor_inside_a_part(tmp_path):
    model = Wrapper()
    model.backbone.register_buffer("step", torch.tensor(7))
    path = save_checkpoint(model, tmp_path / "m.safetensors", META)
    _, tensors = read_checkpoint(path)
    assert tensors["backbone.step"].item() == 7
