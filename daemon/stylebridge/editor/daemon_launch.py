"""Start the daemon from an editor when none answers, with a configurable command.

Stdlib only, Python 3.8+ (runs inside the editors)."""

from __future__ import annotations

import functools
import os
import shlex
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable

STARTUP_TIMEOUT_S = 60.0
POLL_INTERVAL_S = 0.25
# protocol.EXIT_ALREADY_RUNNING (this module is stdlib only): another daemon holds the endpoint,
# e.g. one that a second editor started at the same moment; it is waited for, not reported.
EXIT_ALREADY_RUNNING = 75  # EX_TEMPFAIL (sysexits.h): retry later
RETRY_AFTER_S = 1.0


class DaemonStartError(RuntimeError):
    """The configured command did not bring up a daemon that answers."""


def default_command(python: str = "") -> str:
    """`PYTHON -m stylebridge daemon --detach`, PYTHON being the one that has stylebridge."""
    return shlex.join([python or sys.executable, "-m", "stylebridge", "daemon", "--detach"])


def split_command(command: str) -> list[str]:
    """The command line as argv; ValueError when it is empty or badly quoted."""
    argv = shlex.split(command)
    if not argv:
        raise ValueError("the daemon start command is empty: set it in the plugin settings")
    return argv


def wait_until(
    ready: Callable[[], bool], timeout_s: float, interval_s: float = POLL_INTERVAL_S
) -> bool:
    """Poll `ready()` until it is true (True) or `timeout_s` passes (False)."""
    deadline = time.monotonic() + timeout_s
    while True:
        if ready():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval_s)


def _tail(path: str, limit: int = 600) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()[-limit:].strip()
    except OSError:
        return ""


def start_daemon(
    command: str,
    is_running: Callable[[], bool],
    timeout_s: float = STARTUP_TIMEOUT_S,
    env: dict[str, str] | None = None,
) -> bool:
    """Run `command` unless a daemon answers; False if one already ran, True if we started it.

    A command that exits EXIT_ALREADY_RUNNING while nothing answers met a daemon that is still
    starting or still stopping (a restart): it is run again until one answers or time is up.
    Raises DaemonStartError with the command's own error output when no daemon comes up."""
    if is_running():
        return False
    argv = split_command(command)
    deadline = time.monotonic() + timeout_s
    fd, log_path = tempfile.mkstemp(prefix="stylebridge-start-", suffix=".log")
    os.close(fd)
    try:
        while True:
            process = _launch(argv, log_path, env)
            ended = functools.partial(_answers_or_exited, is_running, process)
            wait_until(ended, max(0.0, deadline - time.monotonic()))
            code = process.poll()  # read before the reaper below owns the child
            # Reap the child whenever it ends (a foreground daemon runs on): no zombie.
            threading.Thread(target=process.wait, daemon=True).start()
            if is_running():
                return code != EXIT_ALREADY_RUNNING  # False: another start won the race
            if code == EXIT_ALREADY_RUNNING and time.monotonic() < deadline:
                time.sleep(RETRY_AFTER_S)  # the lock's holder is starting or stopping
                continue
            output = _tail(log_path)
            what = f"exited with status {code}" if code else "no daemon answered"
            what += "" if code else f" within {timeout_s:.0f} s"
            raise DaemonStartError(
                f"started `{command}` but {what}" + (f": {output}" if output else "")
            )
    except OSError as e:
        raise DaemonStartError(f"could not run `{command}`: {e}") from e
    finally:
        os.unlink(log_path)


def _launch(argv: list[str], log_path: str, env: dict[str, str] | None) -> subprocess.Popen:
    """Start `argv` in a new session (the daemon must outlive the editor), output to log_path."""
    with open(log_path, "a") as log:
        return subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
            env=env,
        )


def restart_daemon(
    command: str,
    is_running: Callable[[], bool],
    shutdown: Callable[[], None],
    timeout_s: float = STARTUP_TIMEOUT_S,
) -> None:
    """Stop the running daemon (`shutdown()`), wait until it no longer answers, then start one
    with `command` (the settings' "Restart engine"); DaemonStartError when either step fails."""
    if is_running():
        shutdown()
        if not wait_until(lambda: not is_running(), timeout_s):
            raise DaemonStartError(f"the running engine did not stop within {timeout_s:.0f} s")
    start_daemon(command, is_running, timeout_s)


def _answers_or_exited(is_running: Callable[[], bool], process: subprocess.Popen) -> bool:
    """A daemon answers, or the command ended with a failure (a detached start exits 0)."""
    return is_running() or process.poll() not in (None, 0)
