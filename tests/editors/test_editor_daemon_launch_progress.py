"""Starting the daemon from an editor, and the progress bar's text."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import pytest
from stylebridge.editor.daemon_launch import (
    DaemonStartError,
    default_command,
    split_command,
    start_daemon,
)
from stylebridge.editor.progress_text import format_duration, percent, progress_text


def _python(code: str) -> str:
    return shlex.join([sys.executable, "-c", code])


def test_running_daemon_is_not_started_again(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    command = _python(f"open({str(marker)!r}, 'w').close()")
    assert start_daemon(command, lambda: True) is False
    assert not marker.exists()


def test_command_is_run_until_the_daemon_answers(tmp_path: Path) -> None:
    marker = tmp_path / "up"
    command = _python(f"open({str(marker)!r}, 'w').close()")
    assert start_daemon(command, marker.exists, timeout_s=20) is True


def test_failing_command_reports_its_own_error_output() -> None:
    command = _python("import sys; sys.exit('no module named stylebridge')")
    with pytest.raises(DaemonStartError, match="status 1: no module named stylebridge"):
        start_daemon(command, lambda: False, timeout_s=20)


def test_missing_program_and_empty_command_are_errors() -> None:
    with pytest.raises(DaemonStartError, match="could not run"):
        start_daemon("/nonexistent/python3 -m stylebridge", lambda: False, timeout_s=1)
    with pytest.raises(ValueError, match="empty"):
        split_command("   ")


def test_default_command_runs_stylebridge_detached() -> None:
    argv = split_command(default_command("/opt/py 3/bin/python"))
    assert argv == ["/opt/py 3/bin/python", "-m", "stylebridge", "daemon", "--detach"]


def test_progress_text_shows_steps_and_eta() -> None:
    assert progress_text({"step": 12, "total": 100, "eta_s": 35.4}) == "Step 12/100, 0:35 left"
    assert progress_text({"step": 0, "total": 0, "eta_s": None}) == "Working…"
    assert format_duration(3725) == "1:02:05"
    assert (percent(1, 3), percent(5, 0), percent(9, 4)) == (33, 0, 100)
