"""What the real-Krita tests share: the plugin assembled for a temporary Krita profile, a real
daemon process for it (the `krita` module fixture), and running a GUI script inside Krita.

Test modules import the fixture by name (`from krita_harness import krita`) and list it in
`__all__`, so each module starts its own daemon and Krita profile."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from editor_env import KRITA_MISSING, KRITA_RUN, krita_ready
from stylebridge.client import Client, DaemonUnavailable
from stylebridge.editor.request_params import DialogValues, values_to_json

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).parent / "krita_scripts" / "apply_again.py"


@dataclass(frozen=True)
class KritaRun:
    """Where the assembled plugin and the Krita profile live, the environment, the style."""

    pykrita: Path
    profile: Path
    env: dict[str, str]
    styles: tuple[str, ...]
    model: str = "default"
    daemon_command: str = field(default_factory=lambda: f"{sys.executable} -m stylebridge daemon")

    @property
    def style(self) -> str:
        return self.styles[0]


# Xvfb -displayfd hands krita-run.sh a display that, on a loaded machine, is now and then gone
# before Krita connects (seen once in a fresh-clone CI run: "could not connect to display :0",
# Krita aborted before loading any plugin). Krita never ran the script then, so it is run again.
DISPLAY_TRIES = 3


def _display_lost(done: subprocess.CompletedProcess[str]) -> bool:
    return done.returncode != 0 and "could not connect to display" in done.stdout + done.stderr


def run_in_krita(run: KritaRun, script: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """krita-run.sh --gui with the plugin; its settings.json says how to reach the daemon."""
    settings = {"daemon_command": run.daemon_command, "model": run.model, "timeout_s": 30}
    settings_file = run.pykrita / "stylebridge_krita" / "settings.json"
    settings_file.write_text(json.dumps(settings), encoding="utf-8")
    env = {
        **os.environ,
        **run.env,
        "KRITA_RUN_PROFILE": str(run.profile),
        "KRITA_RUN_TIMEOUT": "400",
    }
    command = [str(KRITA_RUN), "--gui", "--plugin", str(run.pykrita), str(script), *args]
    for _ in range(DISPLAY_TRIES - 1):
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
        if not _display_lost(done):
            return done
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)


def model_for_tests(home: Path) -> tuple[str, tuple[str, ...]]:
    """(model name, its styles): the shipped default model, else a tiny random two-style one
    whose styles borrow two library names and thumbnails (the pixels it makes are noise)."""
    from stylebridge.core.model_file import ModelMetadata, read_metadata, resolve_model, save_model

    shipped = resolve_model("default")
    if shipped.is_file():
        return "default", read_metadata(shipped).style_names
    import torch
    from stylebridge.core.model_file import thumbnail_base64
    from stylebridge.core.style_library import list_styles
    from stylebridge.core.transformer import StyleNetwork

    torch.manual_seed(0)
    names = ("starry-night", "the-scream")
    library = list_styles()
    thumbnails = {n: thumbnail_base64(_image_tensor(library[n])) for n in names}
    metadata = ModelMetadata(names, width=0.25, thumbnails=thumbnails)
    save_model(home / "data" / "models" / "tiny.safetensors", StyleNetwork(2, 0.25), metadata)
    return "tiny", names


def _image_tensor(path: Path) -> Any:
    import torch
    from PIL import Image

    with Image.open(path) as image:
        rgb = np.asarray(image.convert("RGB"), dtype=np.float32) / 255.0
    return torch.from_numpy(rgb).permute(2, 0, 1).unsqueeze(0)


def _wait_for_daemon(endpoint: str, daemon: subprocess.Popen[bytes], timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and daemon.poll() is None:
        probe = Client(endpoint, timeout_s=1.0, tries=1)
        try:
            if probe.ping():
                return
        except DaemonUnavailable:
            pass
        finally:
            probe.close()
    raise RuntimeError(f"the test daemon did not answer on {endpoint} (exit {daemon.poll()})")


@pytest.fixture(scope="module")
def krita(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KritaRun]:
    """A real daemon (temp STYLEBRIDGE_HOME) and the plugin assembled for a temp Krita profile."""
    if not krita_ready():
        pytest.skip(KRITA_MISSING)
    from stylebridge_installer.bundle import assemble_plugin

    base = tmp_path_factory.mktemp("krita")
    home = base / "home"
    model, styles = model_for_tests(home)
    endpoint = f"ipc://{base}/daemon.sock"
    env = {"STYLEBRIDGE_HOME": str(home), "STYLEBRIDGE_ENDPOINT": endpoint}
    command = [sys.executable, "-m", "stylebridge", "daemon", "--endpoint", endpoint]
    daemon = subprocess.Popen(command, env={**os.environ, **env})
    try:
        _wait_for_daemon(endpoint, daemon, timeout_s=120)
        assemble_plugin("krita", base / "pykrita")
        yield KritaRun(base / "pykrita", base / "profile", env, styles, model)
    finally:
        daemon.terminate()
        daemon.wait(timeout=30)


def _values(style: str) -> str:
    return values_to_json(DialogValues("network", ((style, 1.0),), (), {"strength": 1.0}, "full"))


def write_photo(path: Path) -> None:
    """The sample photo at 96 x 72 px."""
    from PIL import Image

    sample = ROOT / "daemon" / "stylebridge" / "data" / "samples" / "washington-monument.jpg"
    with Image.open(sample) as image:
        image.convert("RGB").resize((96, 72)).save(path)


def distance(a: list[float], b: list[float]) -> float:
    """Euclidean distance of two mean colours."""
    return sum((x - y) ** 2 for x, y in zip(a, b, strict=True)) ** 0.5
