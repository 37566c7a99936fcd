"""A crop sent with `picture_px` (the 100 % preview) is painted with the whole picture's
strokes: it matches the same crop of the whole result far better than the crop painted as a
picture of its own, and far better still when it replays the statistics of the fitted preview's
shot, and closer still when sent with the context around it (editor/crop_context.py); a
`picture_px` smaller than the crop is refused."""

from __future__ import annotations

from importlib import resources

import numpy as np
import pytest
from PIL import Image
from stylebridge.client import Client, DaemonError
from stylebridge.editor.crop_context import context_crop
from stylebridge.editor.crop_preview import crop_request
from stylebridge.editor.preview_shot import fitted_preview_px
from stylebridge.editor.request_params import DialogValues
from stylebridge.editor.session import load_dialog_model

from .conftest import DaemonProcess

pytestmark = pytest.mark.timeout(300)

CROP_PX = 128
VALUES = DialogValues("network", (("starry-night", 1.0),), (), {}, "full")
BORDER_PX = 16  # the network's padding reaches about this far into a crop


def _photo() -> np.ndarray:
    path = resources.files("stylebridge") / "data" / "samples" / "washington-monument.jpg"
    with Image.open(str(path)) as image:
        return np.asarray(image.convert("RGB").resize((512, 384)), dtype=np.uint8)


def _stylize(daemon: DaemonProcess, rgb: np.ndarray, params: dict) -> np.ndarray:
    with daemon.client(timeout_s=120) as client:
        return _stylize_with(client, rgb, params)


def _stylize_with(client: Client, rgb: np.ndarray, params: dict) -> np.ndarray:
    height, width = rgb.shape[:2]
    fmt = {"width": width, "height": height, "channels": "RGB", "dtype": "uint8"}
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
    # norms follow the statistics more); the fitted preview's shot closes much of the rest (below).
    assert as_crop < 0.85 * on_its_own


def test_a_crop_in_the_fitted_previews_shot_matches_the_whole_result_closely(
    daemon: DaemonProcess,
) -> None:
    photo = _photo()
    top, left = 128, 192
    crop = photo[top : top + CROP_PX, left : left + CROP_PX]
    whole = _stylize(daemon, photo, {})[top : top + CROP_PX, left : left + CROP_PX]
    with daemon.client(timeout_s=120) as client:  # one dialog: one connection, its shots
        _fitted_preview(client, photo)
        in_shot = _stylize_with(
            client, crop, {"size_px": CROP_PX, "picture_px": 512, "shot": "fitted"}
        )
    inside = (slice(BORDER_PX, -BORDER_PX),) * 2
    in_shot_error, own_error = np.abs(in_shot - whole), np.abs(_stylize(daemon, crop, {}) - whole)
    error, error_inside = in_shot_error.mean(), in_shot_error[inside].mean()
    own, own_inside = own_error.mean(), own_error[inside].mean()
    print(f"mean error against the whole result in the fitted preview's shot: {error:.3f} "
          f"({error_inside:.3f} inside a {BORDER_PX} px border; on its own {own:.3f}, "
          f"{own_inside:.3f})")  # fmt: skip
    # Measured: 0.033 (0.010 inside) against 0.088 (0.092) on its own with the 16,500-step
    # model, 0.043 (0.026) against 0.097 (0.090) with the 20,549-step one. The rest is the crop's
    # border, which the network pads instead of seeing its neighbours (the next test). A 256 px
    # fitted thumbnail (enlarged to the processing size, blurred) gave 0.046 and 0.135: with the
    # later model worse than no shot at all.
    assert error < 0.6 * own and error_inside < 0.4 * own_inside


def _fitted_preview(client: Client, photo: np.ndarray) -> None:
    """The dialog's fitted preview of `photo` (editor/preview_shot.fitted_preview_px: the
    network's processing size, 512 px at stroke 1), recording shot "fitted"."""
    model = load_dialog_model(client, "default", required_mode="network")
    side = fitted_preview_px(VALUES, model)
    height, width = photo.shape[:2]
    size = (
        (side, round(side * height / width))
        if width >= height
        else (round(side * width / height), side)
    )
    fitted = np.asarray(Image.fromarray(photo).resize(size, Image.Resampling.BOX))
    _stylize_with(client, fitted, {"size_px": side, "shot": "fitted"})


def _crop_with_context(client: Client, photo: np.ndarray, top: int, left: int, shot: str) -> tuple:
    """(the crop's result cut out of the crop-with-context's, the rectangle sent): the dialogs'
    rule (editor/crop_context.py)."""
    model = load_dialog_model(client, "default", required_mode="network")
    values = VALUES
    region, crop = (0, 0, 512, 384), (left, top, CROP_PX, CROP_PX)
    context = context_crop(values, model, crop, region)
    x, y, width, height = context.sent
    params = {**crop_request(values, model, context.sent, region).params, "shot": shot}
    result = _stylize_with(client, photo[y : y + height, x : x + width], params)
    cx, cy = context.crop_in_sent[:2]
    return result[cy : cy + CROP_PX, cx : cx + CROP_PX], context.sent


@pytest.mark.parametrize(("top", "left"), [(128, 192), (0, 0)])  # inside; at the corner
def test_a_crop_sent_with_its_context_matches_the_whole_result_closer_still(
    daemon: DaemonProcess, top: int, left: int
) -> None:
    photo = _photo()
    crop = photo[top : top + CROP_PX, left : left + CROP_PX]
    with daemon.client(timeout_s=120) as client:
        whole = _stylize_with(client, photo, {"shot": "whole"})  # Apply's own statistics
        whole = whole[top : top + CROP_PX, left : left + CROP_PX]
        _fitted_preview(client, photo)
        alone = _stylize_with(
            client, crop, {"size_px": CROP_PX, "picture_px": 512, "shot": "fitted"}
        )
        in_context, sent = _crop_with_context(client, photo, top, left, "fitted")
        exact, _ = _crop_with_context(client, photo, top, left, "whole")
    own = np.abs(_stylize(daemon, crop, {}) - whole).mean()
    error, alone_error = np.abs(in_context - whole).mean(), np.abs(alone - whole).mean()
    exact_error = np.abs(exact - whole).mean()
    print(f"crop at ({left}, {top}) sent as {sent}, mean error against the whole "
          f"result: {error:.4f} in the fitted preview's shot ({alone_error:.4f} without the "
          f"context, {own:.4f} on its own), {exact_error:.4f} with the whole picture's "
          f"statistics")  # fmt: skip
    # Measured with the 16,500-step model at (192, 128): 0.0005 against 0.032 without context and
    # 0.088 on its own; at (0, 0) 0.0001, 0.019, 0.104 (context on two sides only: the picture's
    # own edges pad in the whole result too); the 20,549-step model 0.0022 and 0.0002. The fitted
    # thumbnail at the processing size gives the whole picture's statistics, so the crop with
    # its context is the applied result's (a 256 px thumbnail gave 0.024 and 0.039).
    x, y = max(0, left - 32), max(0, top - 32)  # 32 px each side, inside the picture
    assert sent == (x, y, left + CROP_PX + 32 - x, top + CROP_PX + 32 - y)
    assert error < 0.3 * alone_error and error < 0.05 * own
    assert exact_error < 0.01 and exact_error < 0.2 * own


def test_a_picture_smaller_than_the_crop_is_refused(daemon: DaemonProcess) -> None:
    crop = _photo()[:CROP_PX, :CROP_PX]
    with pytest.raises(DaemonError) as info:
        _stylize(daemon, crop, {"picture_px": 64})
    assert info.value.code == "bad_parameter" and "picture_px" in info.value.message
