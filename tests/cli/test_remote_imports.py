"""Deciding whether a stylize can go to a daemon reads wire constants only: it must not load the
daemon's runner (torch models, the job machinery) or its catalog inside the CLI process."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import argparse, sys
from stylebridge.cli.remote import why_local
args = argparse.Namespace(decoder=None, style_mask=None, save_every=0, device=None,
                          init="/tmp/start.png", model="default")
assert why_local(args) == "--init FILE", why_local(args)
args.init, args.model = "network", "../models/x.safetensors"
assert why_local(args) == "--model FILE", why_local(args)
args.model = "default"
assert why_local(args) is None
loaded = sorted(n for n in ("stylebridge.service.runner", "stylebridge.service.catalog")
                if n in sys.modules)
print(",".join(loaded))
"""


def test_why_local_loads_neither_runner_nor_catalog() -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"loaded by why_local: {done.stdout.strip()}"
