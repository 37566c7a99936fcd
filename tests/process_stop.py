"""Stopping the processes a test started, in teardowns that never fail themselves: a slow exit on
a loaded machine must not turn the test's own failure into two (or hide it behind a timeout)."""

from __future__ import annotations

import subprocess
from contextlib import suppress

STOP_GRACE_S = 60.0  # a daemon finishing a step on a 2-core machine at load 9


def stop_process(process: subprocess.Popen, grace_s: float = STOP_GRACE_S) -> None:
    """SIGTERM, wait up to `grace_s`, then SIGKILL and reap. Never raises."""
    if process.poll() is not None:
        return
    try:
        process.terminate()
        process.communicate(timeout=grace_s)
    except subprocess.TimeoutExpired:
        process.kill()
        # Unkillable (stuck in the kernel): nothing more a teardown can do.
        with suppress(subprocess.TimeoutExpired):
            process.communicate(timeout=grace_s)
    except OSError:
        pass  # already gone


def stop_pid(pid: int, grace_s: float = STOP_GRACE_S) -> None:
    """The same for a process this test did not spawn itself (a detached daemon, one an editor
    restarted): SIGTERM, wait up to `grace_s`, then SIGKILL. Never raises."""
    import os
    import signal
    import time

    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.kill(pid, sig)
        except OSError:
            return  # gone (or never ours)
        deadline = time.monotonic() + grace_s
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except OSError:
                return
            time.sleep(0.2)


def stop_daemon_on(endpoint: str, grace_s: float = STOP_GRACE_S) -> None:
    """Stop whichever daemon holds `endpoint`'s lock (one an editor started or restarted that
    the test never saw), if its command line names that endpoint: a recorded pid may since
    have been reused by an unrelated process. Never raises."""
    from pathlib import Path

    from stylebridge.service.endpoints import lock_path, read_lock_info

    with suppress(Exception):
        pid = read_lock_info(lock_path(endpoint)).get("pid")
        if not isinstance(pid, int):
            return
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        if "stylebridge" in command and endpoint in command:
            stop_pid(pid, grace_s)
