"""A crop sent with `picture_px` (the 100 % preview) is painted with the whole picture's
strokes: it matches the same crop of the whole result far better than the crop painted as a
picture of its own; a `picture_px` smaller than the crop is refused."""

from __future__ import annotations

from importlib import resources

import numpy as np
import pytest
from PIL import Image
from stylebridge.client import DaemonError

from .conftest import DaemonProcess

pytestmark = pytest.mark.timeout(300)

CROP_PX = 128


def _photo() -> np.ndarray:
    path = resources.files("stylebridge") / "data" / "samples" / "washington-monument.jpg"
    with Image.open(str(path)) as image:
        return np.asarray(image.convert("RGB").resize((512, 384)), dtype=np.uint8)


def _stylize(daemon: DaemonProcess, rgb: np.ndarray, params: dict) -> np.ndarray:
    height, width = rgb.shape[:2]
    fmt = {"width": width, "height": height, "channels": "RGB", "dtype": "uint8"}
    with daemon.client(timeout_s=120) as client:
        out, _ = client.stylize(
            np.ascontiguousarray(rgb).tobytes(), fmt, {"tile_px": 0, **params},
            path="network", style_names={"starry-night": 1.0},
        )  # fmt: skip
    return np.frombuffer(out, np.uint8).reshape(height, width, 3).astype(float) / 255


def test_a_crop_with_the_picture_size_matches_the_whole_result(daemon: DaemonProcess) -> None:
    photo = _photo()
    top, left = 128, 192
    crop = photo[top : top + CROP_PX, left : left + CROP_PX]
    whole = _stylize(daemon, photo, {})[top : top + CROP_PX, left : left + CROP_PX]
    as_crop = np.abs(_stylize(daemon, crop, {"picture_px": 512}) - whole).mean()
    on_its_own = np.abs(_stylize(daemon, crop, {}) - whole).mean()
    print(f"mean error against the whole result: {as_crop:.3f} (on its own {on_its_own:.3f})")
    # Not equal: the network's instance statistics are the crop's own. Measured 0.05 vs 0.09 with
    # the 7,754-step model, 0.067 vs 0.088 with the 16,500-step one (whose covariance-trained
    # norms follow the statistics more); sharing the whole picture's statistics would close it.
    assert as_crop < 0.85 * on_its_own


def test_a_picture_smaller_than_the_crop_is_refused(daemon: DaemonProcess) -> None:
    crop = _photo()[:CROP_PX, :CROP_PX]
    with pytest.raises(DaemonError) as info:
        _stylize(daemon, crop, {"picture_px": 64})
    assert info.value.code == "bad_parameter" and "picture_px" in info.value.message
