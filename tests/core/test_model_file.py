"""Model files: round trip, checksum, corrupt/foreign files, atomic save, name resolution."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from safetensors.torch import save_file
from stylebridge.core.model_file import (
    ModelMetadata,
    default_model_path,
    load_model,
    read_metadata,
    resolve_model,
    save_model,
    thumbnail_base64,
)
from stylebridge.core.transformer import StyleNetwork


def _network(styles: int = 2) -> StyleNetwork:
    torch.manual_seed(0)
    net = StyleNetwork(styles, width=0.25)
    with torch.no_grad():
        for norm in net.norms():
            norm.gamma.normal_(1.0, 0.2)
    return net


def _metadata(names: tuple[str, ...] = ("a", "b")) -> ModelMetadata:
    thumb = thumbnail_base64(torch.rand(1, 3, 40, 30))
    return ModelMetadata(names, 0.25, {n: thumb for n in names}, {"steps": 7, "device": "test"})


def test_round_trip_keeps_tensors_and_metadata(tmp_path: Path) -> None:
    net, meta = _network(), _metadata()
    save_model(tmp_path / "m.safetensors", net, meta, dtype=torch.float32)
    loaded = load_model(tmp_path / "m.safetensors")
    assert loaded.metadata == meta
    for (name, a), (_, b) in zip(
        net.state_dict().items(), loaded.network.state_dict().items(), strict=True
    ):
        assert torch.equal(a, b), name
    assert read_metadata(tmp_path / "m.safetensors").style_names == ("a", "b")


def test_fp16_file_is_compact_and_close(tmp_path: Path) -> None:
    net = _network()
    save_model(tmp_path / "h.safetensors", net, _metadata())
    save_model(tmp_path / "f.safetensors", net, _metadata(), dtype=torch.float32)
    assert (tmp_path / "h.safetensors").stat().st_size < 0.6 * (
        tmp_path / "f.safetensors"
    ).stat().st_size
    loaded = load_model(tmp_path / "h.safetensors").network
    x = torch.rand(1, 3, 32, 32)
    with torch.no_grad():
        diff = (loaded(x, torch.tensor([1.0, 0.0])) - net(x, torch.tensor([1.0, 0.0]))).abs().max()
    assert float(diff) < 1e-2


def test_flipped_payload_byte_fails_the_checksum(tmp_path: Path) -> None:
    path = tmp_path / "m.safetensors"
    save_model(path, _network(), _metadata())
    data = bytearray(path.read_bytes())
    data[-10] ^= 0x55
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="checksum"):
        load_model(path)


@pytest.mark.parametrize("cut", [10, 100, 5000])
def test_truncated_file_is_a_clear_error(tmp_path: Path, cut: int) -> None:
    path = tmp_path / "m.safetensors"
    save_model(path, _network(), _metadata())
    path.write_bytes(path.read_bytes()[:cut])
    with pytest.raises(ValueError, match="corrupt or truncated"):
        load_model(path)


def test_garbage_and_foreign_safetensors_are_rejected(tmp_path: Path) -> None:
    (tmp_path / "junk.safetensors").write_bytes(b"\xff" * 64)
    with pytest.raises(ValueError, match="not a readable model"):
        load_model(tmp_path / "junk.safetensors")
    save_file({"x": torch.zeros(2)}, str(tmp_path / "other.safetensors"), metadata={"a": "b"})
    with pytest.raises(ValueError, match="not a stylebridge model"):
        load_model(tmp_path / "other.safetensors")


def test_metadata_that_lies_about_the_architecture_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "m.safetensors"
    save_model(path, _network(), _metadata())
    from safetensors import safe_open

    with safe_open(str(path), "pt") as f:
        header, tensors = f.metadata(), {k: f.get_tensor(k) for k in f.keys()}  # noqa: SIM118
    fake = json.loads(header["stylebridge"])
    fake["width"] = 0.5
    save_file(tensors, str(path), metadata={**header, "stylebridge": json.dumps(fake)})
    with pytest.raises(ValueError, match="architecture"):
        load_model(path)


def test_interrupted_save_leaves_the_old_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "m.safetensors"
    save_model(path, _network(), _metadata())
    before = path.read_bytes()

    def interrupted(fd: int) -> None:  # the new file is fully written, then Ctrl-C hits
        raise KeyboardInterrupt

    monkeypatch.setattr("stylebridge.core.model_file.os.fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        save_model(path, _network(3), _metadata(("a", "b", "c")))
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["m.safetensors"]
    assert load_model(path).metadata.style_names == ("a", "b")


def test_mismatched_metadata_is_refused_before_writing(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="styles"):
        save_model(tmp_path / "m.safetensors", _network(3), _metadata())
    assert not list(tmp_path.iterdir())


def test_model_names_resolve_to_shipped_user_or_path(tmp_path: Path) -> None:
    assert resolve_model("default") == default_model_path()
    assert resolve_model("mine", models_dir=tmp_path) == tmp_path / "mine.safetensors"
    assert resolve_model("./x.safetensors") == Path("./x.safetensors")
    assert resolve_model("x.safetensors") == Path("x.safetensors")
    with pytest.raises(ValueError, match="empty"):
        resolve_model("")
