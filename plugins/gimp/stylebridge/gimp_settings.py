"""The command that starts a missing daemon: the procedure's `daemon-command` argument, else the
`daemon_command` that `stylebridge install --gimp` wrote to settings.json next to this file.
Stdlib only: tested outside GIMP."""

from __future__ import annotations

import json
import os
import shlex
from typing import Any

SETTINGS_FILE = "settings.json"
PLUGIN_DIR = os.path.dirname(os.path.abspath(__file__))


def read_settings(folder: str = PLUGIN_DIR) -> dict[str, Any]:
    """The installer's settings, or {} when the file is missing or unreadable."""
    try:
        with open(os.path.join(folder, SETTINGS_FILE), encoding="utf-8") as f:
            settings = json.load(f)
    except (OSError, ValueError):
        return {}
    return settings if isinstance(settings, dict) else {}


def daemon_command(args: dict[str, Any], folder: str = PLUGIN_DIR) -> str:
    """The start command; the installer's one is made to listen on the `endpoint` argument when
    one is given (it starts the default endpoint otherwise). "" when there is none."""
    if args.get("daemon-command"):
        return str(args["daemon-command"])
    command = str(read_settings(folder).get("daemon_command") or "")
    endpoint = str(args.get("endpoint") or "")
    return f"{command} --endpoint {shlex.quote(endpoint)}" if command and endpoint else command
