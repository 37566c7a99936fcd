"""Training images for the multi-style network: photos pre-resized once into one uint8 array, so
each training step only slices memory (random crop + flip) instead of decoding JPEGs."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from PIL import Image, ImageOps
from torch import Tensor

from stylebridge.core.images import load_image, resize_to_area
from stylebridge.core.model_file import ModelMetadata, save_model, thumbnail_base64
from stylebridge.core.temp_files import temporary_beside
from stylebridge.core.transformer import StyleNetwork

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".bmp")
# Stored squares are this much larger than the crop, leaving room for random crops.
CROP_MARGIN = 1.125


def list_images(source: Path | str | Sequence[Path | str]) -> list[Path]:
    """Image files of a folder (sorted), or the given files; ValueError if there are none."""
    items = [source] if isinstance(source, str | Path) else list(source)
    found: list[Path] = []
    for item in map(Path, items):
        if item.is_dir():
            found += sorted(p for p in item.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        elif item.is_file():
            found.append(item)
        else:
            raise FileNotFoundError(f"no such image file or folder: {item}")
    if not found:
        raise ValueError(f"no images ({', '.join(IMAGE_SUFFIXES)}) in {items}")
    return found


def square_crop(path: Path, side_px: int) -> np.ndarray:
    """The image's central square, resized to side_px: (side, side, 3) uint8."""
    with Image.open(path) as picture:
        picture = ImageOps.exif_transpose(picture).convert("RGB")
        fitted = ImageOps.fit(picture, (side_px, side_px), Image.Resampling.LANCZOS)
        return np.asarray(fitted, dtype=np.uint8)


def stored_side_px(crop_px: int) -> int:
    """Side of the stored squares for training crops of crop_px."""
    return round(crop_px * CROP_MARGIN)


def prepare_crops(source: Path | str, cache_file: Path, crop_px: int) -> np.ndarray:
    """(N, side, side, 3) uint8 of every photo in `source`, cached in `cache_file` (.npy)."""
    side = stored_side_px(crop_px)
    if cache_file.is_file():
        array = np.load(cache_file, mmap_mode="r")
        if array.ndim == 4 and array.shape[1:] == (side, side, 3):
            return array
    paths = list_images(source)
    array = np.stack([square_crop(p, side) for p in paths])
    cache_file.parent.mkdir(parents=True, exist_ok=True)
    temp = temporary_beside(cache_file)
    try:
        with open(temp, "wb") as handle:
            # np.save's own writes report a full disk as "N requested and M written"
            # (ValueError); Python's file writes say OSError "No space left on device".
            header = np.lib.format.header_data_from_array_1_0(array)
            np.lib.format.write_array_header_1_0(handle, header)
            handle.write(np.ascontiguousarray(array).data)
        temp.replace(cache_file)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return array


def random_batch(array: np.ndarray, batch: int, crop_px: int, generator: torch.Generator) -> Tensor:
    """(batch, 3, crop, crop) float32 in [0, 1]: random photos, random crops, random flips."""
    n, side = array.shape[0], array.shape[1]
    picks = torch.randint(0, n, (batch,), generator=generator).tolist()
    offsets = torch.randint(0, side - crop_px + 1, (batch, 2), generator=generator).tolist()
    flips = torch.rand(batch, generator=generator).lt(0.5).tolist()
    crops = []
    for i, (y, x), flip in zip(picks, offsets, flips, strict=True):
        crop = np.asarray(array[i, y : y + crop_px, x : x + crop_px])
        crops.append(crop[:, ::-1] if flip else crop)
    stacked = torch.from_numpy(np.ascontiguousarray(np.stack(crops)))
    return stacked.permute(0, 3, 1, 2).float().div_(255.0).contiguous()


@dataclass(frozen=True)
class CheckpointFiles:
    """A model's training companions: checkpoint (fp32), Adam state, preview grid."""

    checkpoint: Path
    optimizer: Path
    preview: Path

    @staticmethod
    def for_model(model: Path) -> CheckpointFiles:
        stem = model.with_suffix("")
        return CheckpointFiles(
            stem.with_name(stem.name + ".ckpt.safetensors"),
            stem.with_name(stem.name + ".ckpt.adam.pt"),
            stem.with_name(stem.name + ".preview.png"),
        )

    @staticmethod
    def for_checkpoint(checkpoint: Path) -> CheckpointFiles:
        name = checkpoint.name.removesuffix(".safetensors").removesuffix(".ckpt")
        return CheckpointFiles.for_model(checkpoint.with_name(name + ".safetensors"))

    def save(
        self, network: StyleNetwork, optimizer: torch.optim.Optimizer, meta: ModelMetadata
    ) -> None:
        """Checkpoint and optimizer state, each written atomically."""
        save_model(self.checkpoint, network, meta, dtype=torch.float32)
        temp = self.optimizer.with_name(self.optimizer.name + ".tmp")
        torch.save(optimizer.state_dict(), temp)
        os.replace(temp, self.optimizer)

    def load_optimizer(self) -> dict[str, Any]:
        """The saved Adam state (tensors only, weights_only), or {} when there is none."""
        if not self.optimizer.is_file():
            return {}
        return torch.load(self.optimizer, map_location="cpu", weights_only=True)


def load_style_image(path: Path | str, style_px: int) -> Tensor:
    """A style image resized, up or down, to the area of a 4:3 picture style_px wide.

    The area, not the long side: a square pattern and a wide painting then have strokes of the
    same size relative to a picture of that area, which is how the quality benchmark compares a
    result with its style (the style resized to the result's pixel count). A 256 px pattern is
    enlarged too, so that its strokes have the size they will be judged at.
    """
    return resize_to_area(load_image(path), style_px * style_px * 3 / 4)


def load_styles(
    sources: Sequence[str], style_px: int
) -> tuple[list[str], list[Tensor], dict[str, str]]:
    """Style images -> (names = file stems, images (1,3,H,W), base64 thumbnails by name)."""
    paths = list_images(sources)
    names = [p.stem for p in paths]
    if len(set(names)) != len(names):
        raise ValueError(f"style names (file stems) must be unique, got {names}")
    images = [load_style_image(p, style_px) for p in paths]
    return names, images, {n: thumbnail_base64(i) for n, i in zip(names, images, strict=True)}


def device_label(device: torch.device) -> str:
    """'NVIDIA H100 ...' or '2-core CPU', for the training recipe."""
    if device.type == "cuda":
        return torch.cuda.get_device_name(device)
    return f"{os.cpu_count()}-core CPU"
