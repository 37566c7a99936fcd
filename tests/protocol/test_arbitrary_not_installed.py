"""docs/protocol.md: a path left out of list_methods (and hello's `paths`) means not installed.
A daemon with no decoder file (none shipped in its package, none in the user's models folder)
must not offer the arbitrary path, and offers it once a decoder is put in the models folder.

The daemon runs from a copy of the package without the shipped decoders of relu4_1 and relu2_1
(PYTHONPATH comes before the editable install), as an install without them would: no setting
names a decoder file. A job whose `passes` needs a missing level is refused, naming it."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import stylebridge
from stylebridge.client import DaemonError
from stylebridge.core.decoder_file import DECODER_FILE_NAME, decoder_file_name
from stylebridge.service import protocol as wire

from .conftest import DaemonProcess, start_daemon

pytestmark = pytest.mark.timeout(300)
PACKAGE = Path(stylebridge.__file__).parent
RELU2_1 = decoder_file_name("relu2_1")


@pytest.fixture(scope="module")
def daemon_without_decoder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DaemonProcess]:
    root = tmp_path_factory.mktemp("no-decoder")
    ignore = shutil.ignore_patterns("__pycache__", DECODER_FILE_NAME, RELU2_1)
    shutil.copytree(PACKAGE, root / "site" / "stylebridge", ignore=ignore)
    home = root / "home"
    home.mkdir()
    path = os.pathsep.join(filter(None, [str(root / "site"), os.environ.get("PYTHONPATH")]))
    running = start_daemon(home, None, env={"PYTHONPATH": path})
    yield running
    running.stop()


def test_the_copy_really_lacks_the_decoder(daemon_without_decoder: DaemonProcess) -> None:
    copy = daemon_without_decoder.home.parent / "site" / "stylebridge"
    assert (copy / "__init__.py").is_file() and (copy / "models" / "default.safetensors").is_file()
    assert not (copy / "models" / DECODER_FILE_NAME).exists()
    assert not (copy / "models" / RELU2_1).exists()
    assert (copy / "models" / decoder_file_name("relu3_1")).is_file()
    assert (PACKAGE / "models" / DECODER_FILE_NAME).is_file()  # the test's own install has one


def test_no_decoder_means_no_arbitrary_path(daemon_without_decoder: DaemonProcess) -> None:
    with daemon_without_decoder.client(timeout_s=60.0) as client:
        paths = client.request(wire.OP_LIST_METHODS)["paths"]
        assert wire.PATH_ARBITRARY not in paths
        assert wire.PATH_OPTIMIZE in paths and wire.PATH_NETWORK in paths
        assert wire.PATH_ARBITRARY not in client.hello()["paths"]


def test_a_decoder_put_in_the_models_folder_brings_the_path(
    daemon_without_decoder: DaemonProcess,
) -> None:
    models = daemon_without_decoder.home / "data" / "models"
    with daemon_without_decoder.client(timeout_s=60.0) as client:
        assert wire.PATH_ARBITRARY not in client.request(wire.OP_LIST_METHODS)["paths"]
        models.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(PACKAGE / "models" / DECODER_FILE_NAME, models / DECODER_FILE_NAME)
        try:
            assert wire.PATH_ARBITRARY in client.request(wire.OP_LIST_METHODS)["paths"]
            assert wire.PATH_ARBITRARY in client.hello()["paths"]
        finally:
            (models / DECODER_FILE_NAME).unlink()


def test_passes_paint_with_the_levels_there_and_name_a_missing_one(
    daemon_without_decoder: DaemonProcess,
) -> None:
    models = daemon_without_decoder.home / "data" / "models"
    models.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PACKAGE / "models" / DECODER_FILE_NAME, models / DECODER_FILE_NAME)
    image = bytes(i * 37 % 256 for i in range(24 * 20 * 4))
    fmt = {"width": 24, "height": 20, "channels": "RGBA", "dtype": "uint8"}
    styles = {"udnie": 1.0}
    try:
        with daemon_without_decoder.client(timeout_s=120.0) as client:
            pixels, out = client.stylize(
                image, fmt, {"passes": 2}, path="arbitrary", style_names=styles
            )
            assert (out["width"], out["height"]) == (24, 20) and pixels != image
            with pytest.raises(DaemonError) as info:
                client.stylize(image, fmt, {"passes": 3}, path="arbitrary", style_names=styles)
    finally:
        (models / DECODER_FILE_NAME).unlink()
    assert info.value.code == "bad_model", info.value.message
    assert "decoder-relu2_1" in info.value.message
    assert str(daemon_without_decoder.home) not in info.value.message
