"""The optional systemd --user unit that keeps a stylebridge daemon running (Linux)."""

from __future__ import annotations

import shlex
import subprocess
from collections.abc import Sequence

UNIT_NAME = "stylebridge.service"


def unit_text(daemon_command: Sequence[str]) -> str:
    """A user unit running `<daemon_command> daemon` in the foreground (systemd supervises it).

    `daemon_command` is the prefix the client also uses, e.g. `python -m stylebridge`.
    """
    command = " ".join(shlex.quote(a) for a in (*daemon_command, "daemon"))
    return (
        "[Unit]\n"
        "Description=stylebridge neural style transfer daemon\n"
        "\n"
        "[Service]\n"
        "Type=simple\n"
        f"ExecStart={command}\n"
        "Restart=on-failure\n"
        "\n"
        "[Install]\n"
        "WantedBy=default.target\n"
    )


def systemctl_user(*args: str) -> tuple[bool, str]:
    """Run `systemctl --user ARGS`; (succeeded, one line of output or error)."""
    try:
        done = subprocess.run(
            ["systemctl", "--user", *args], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError) as e:
        return False, str(e)
    lines = (done.stderr or done.stdout).strip().splitlines()
    return done.returncode == 0, lines[-1] if lines else ""


def user_manager_works() -> bool:
    """Whether a systemd user manager answers (not in containers, ssh without lingering, ...)."""
    return systemctl_user("show-environment")[0]


def manual_steps() -> str:
    """What to run by hand when the installer could not talk to systemd --user."""
    return f"systemctl --user daemon-reload && systemctl --user enable --now {UNIT_NAME}"
