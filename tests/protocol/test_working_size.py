"""The result descriptor says the long side the result was made at (`working_px`), so an editor
whose preset let the daemon choose the size can say the layer was scaled up from it."""

from __future__ import annotations

import numpy as np
import pytest

from .conftest import DaemonProcess

pytestmark = pytest.mark.timeout(300)

FMT = {"width": 40, "height": 32, "channels": "RGBA", "dtype": "uint8"}
PIXELS = np.random.default_rng(3).integers(0, 256, (32, 40, 4), dtype=np.uint8).tobytes()


def _working_px(daemon: DaemonProcess, path: str, params: dict, style: str) -> int:
    with daemon.client(timeout_s=120) as client:
        out, fmt = client.stylize(PIXELS, FMT, params, path=path, style_names={style: 1.0})
    assert (fmt["width"], fmt["height"]) == (40, 32) and len(out) == len(PIXELS)
    return fmt["working_px"]


def test_an_optimization_at_a_smaller_size_says_its_size(daemon: DaemonProcess) -> None:
    assert _working_px(daemon, "optimize", {"steps": 2, "size": 24}, "udnie") == 24


def test_a_preset_larger_than_the_layer_works_at_the_layer_size(daemon: DaemonProcess) -> None:
    assert _working_px(daemon, "optimize", {"preset": "draft", "steps": 2}, "udnie") == 40


def test_the_network_path_says_its_size(daemon: DaemonProcess) -> None:
    assert _working_px(daemon, "network", {"size_px": 20}, "udnie") == 20
    assert _working_px(daemon, "network", {}, "udnie") == 40
