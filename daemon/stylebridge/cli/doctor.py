"""Check torch, the weights, the default model, the daemon and each editor; print fixes."""

from __future__ import annotations

import argparse

from stylebridge_installer import doctor
from stylebridge_installer.locations import current_platform

from stylebridge.config import load_settings, paths

MARKS = {"ok": "[ ok ]", "warn": "[warn]", "fail": "[FAIL]", "skip": "[skip]"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--endpoint", help="the daemon endpoint to check (default: the usual one)")
    parser.add_argument(
        "--no-engine", action="store_true", help="skip the torch, VGG and model checks (faster)"
    )


def format_check(check: doctor.Check) -> str:
    """`[FAIL] name: detail` plus an indented `fix:` line when there is one."""
    line = f"{MARKS[check.status]} {check.name}: {check.detail}"
    return f"{line}\n       fix: {check.fix}" if check.fix else line


def run(args: argparse.Namespace) -> int:
    settings = load_settings()
    checks: list[doctor.Check] = []
    if not args.no_engine:
        checks += [
            doctor.check_torch(settings.device),
            doctor.check_vgg(settings.vgg, paths().weights_cache_dir),
            doctor.check_model(),
        ]
    checks.append(doctor.check_daemon(args.endpoint or settings.endpoint or None))
    checks += doctor.editor_checks(current_platform(), paths().config_dir)
    for check in checks:
        print(format_check(check))
    failed = [c.name for c in checks if c.status == "fail"]
    print(f"{len(failed)} problem(s): {', '.join(failed)}" if failed else "no problems found")
    return 1 if failed else 0
