"""plug-in-stylebridge-frames inside real GIMP 3: every layer of an image stylized as a frame
into a new image with the same layers, against a real daemon. Needs root; skips otherwise."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from editor_env import GIMP_SKIPS
from gimp_harness import _arguments, daemon, plugin, run_in_gimp, socket_folder

pytestmark = [pytest.mark.gimp, pytest.mark.timeout(300), *GIMP_SKIPS]
__all__ = ["daemon", "plugin"]  # fixtures this module borrows from the plug-in's tests


@pytest.fixture(scope="module")
def report(
    plugin: Path, daemon: tuple[str, str], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("gimp-frames") / "report.json"
    arguments = json.dumps(_arguments("network", *daemon))
    done = run_in_gimp(
        plugin, "frames_call.py", arguments, str(out), bind=[out.parent, socket_folder(daemon[0])]
    )
    print(done.stdout)
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(out.read_text())


def test_every_layer_becomes_a_stylized_frame_of_a_new_image(report: dict[str, Any]) -> None:
    assert report["status"] == "success", report["message"]
    assert report["new_images"] == 1
    assert report["names"] == ["frame 3", "frame 2", "frame 1"]  # the same order: it plays alike
    assert report["sizes"] == [[40, 32]] * 3
    assert report["changed"] == [True, True, True]
    assert report["distinct"] == 3
    assert report["source_unchanged"]


def test_an_image_without_layers_is_an_error_naming_it(report: dict[str, Any]) -> None:
    status, message = report["empty"]
    assert status == "execution-error"
    assert "no layers" in message
