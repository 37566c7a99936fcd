"""`stylebridge doctor`: each check, its fix line, and the exit code when something is broken."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from installer_helpers import TempHome
from process_stop import stop_process
from stylebridge_installer import doctor

Cli = Callable[..., tuple[int, str]]


def install_both(cli: Cli) -> None:
    code, out = cli("install", "--krita", "--gimp", "--python-for-editor", sys.executable)
    assert code == 0, out


def test_installed_plugins_import_their_vendored_client(temp_home: TempHome, cli: Cli) -> None:
    install_both(cli)
    code, out = cli("doctor", "--no-engine", "--endpoint", "tcp://127.0.0.1:9")
    assert code == 0, out
    assert "[ ok ] krita plugin enabled" in out
    assert f"[ ok ] gimp plugin imports: {sys.executable} imports zmq, msgpack" in out
    assert f"[ ok ] krita plugin imports: {sys.executable}" in out
    assert "[warn] daemon: not running" in out and "fix: stylebridge daemon --detach" in out
    assert out.rstrip().endswith("no problems found")


def test_broken_plugin_is_a_failure_with_a_fix(temp_home: TempHome, cli: Cli) -> None:
    install_both(cli)
    pykrita = temp_home.home / ".local/share/krita/pykrita"
    (pykrita / "stylebridge_krita/vendor/stylebridge/client.py").unlink()
    kritarc = temp_home.home / ".config/kritarc"
    kritarc.write_bytes(kritarc.read_bytes().replace(b"=true", b"=false"))
    code, out = cli("doctor", "--no-engine", "--endpoint", "tcp://127.0.0.1:9")
    assert code == 1
    assert "[FAIL] krita plugin imports:" in out and "fix: stylebridge install --krita" in out
    assert "[FAIL] krita plugin enabled:" in out
    assert "[ ok ] gimp plugin imports" in out
    assert "2 problem(s): krita plugin enabled, krita plugin imports" in out


def test_missing_gimp_plugin_fails_when_recorded_but_removed(temp_home: TempHome, cli: Cli) -> None:
    install_both(cli)
    script = temp_home.home / ".config/GIMP/3.0/plug-ins/stylebridge/stylebridge.py"
    script.chmod(0o644)  # GIMP 3 only runs executable plug-ins
    code, out = cli("doctor", "--no-engine", "--endpoint", "tcp://127.0.0.1:9")
    assert code == 1
    assert "[FAIL] gimp plugin: not installed" in out and "fix: stylebridge install --gimp" in out


def test_engine_checks_find_torch_and_the_shipped_vgg_weights(tmp_path: Path) -> None:
    torch_check = doctor.check_torch("auto")
    assert torch_check.status == "ok" and "torch " in torch_check.detail
    assert doctor.check_torch("cuda:0").status == (
        "ok" if "CUDA:" in torch_check.detail else "fail"
    )
    assert doctor.check_vgg("caffe", tmp_path).status == "ok"
    missing = doctor.check_vgg("torchvision", tmp_path)  # nothing downloaded into tmp_path
    assert missing.status == "fail" and f"{tmp_path}/vgg19-" in missing.detail, missing
    assert "stylebridge stylize --vgg torchvision" in missing.fix and "caffe" in missing.fix


def test_model_check_catches_a_corrupt_file_and_accepts_the_shipped_one(tmp_path: Path) -> None:
    corrupt = tmp_path / "bad.safetensors"
    corrupt.write_bytes(b"not a model")
    bad = doctor.check_model(corrupt)
    assert bad.status == "fail" and "corrupt" in bad.detail and "reinstall" in bad.fix, bad
    missing = doctor.check_model(tmp_path / "gone.safetensors")
    assert missing.status == "fail" and "is missing" in missing.detail, missing
    from stylebridge.core.model_file import default_model_path, read_metadata

    styles = len(read_metadata(default_model_path()).style_names)  # the package ships it
    shipped = doctor.check_model()
    assert shipped.status == "ok" and f"checksum ok, {styles} styles" in shipped.detail, shipped
    assert styles > 1


@pytest.fixture
def daemon_endpoint(temp_home: TempHome, free_port: int) -> Iterator[str]:
    """A real daemon process on a free loopback port, stopped afterwards."""
    endpoint = f"tcp://127.0.0.1:{free_port}"
    process = subprocess.Popen(
        [sys.executable, "-m", "stylebridge", "daemon", "--endpoint", endpoint, "--device", "cpu"],
        env={**os.environ, "STYLEBRIDGE_HOME": str(temp_home.sbhome)},
    )
    try:
        deadline = time.monotonic() + 120  # a loaded machine imports torch slowly
        while doctor.check_daemon(endpoint).status != "ok":
            assert process.poll() is None and time.monotonic() < deadline, "daemon did not start"
        yield endpoint
    finally:
        stop_process(process)


@pytest.mark.timeout(120)
def test_running_daemon_reports_its_version(daemon_endpoint: str, cli: Cli) -> None:
    _, out = cli("doctor", "--no-engine", "--endpoint", daemon_endpoint)
    assert f"[ ok ] daemon: {daemon_endpoint}" in out
    assert "'daemon_version': '0.1.0'" in out
