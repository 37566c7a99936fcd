"""Exceptions that core loops raise and the CLI and daemon map to their own replies."""

from __future__ import annotations


class Cancelled(Exception):  # noqa: N818 (the name is the contract)
    """The caller's should_cancel() turned true; the loop stopped at the next step boundary."""


class OptimizationFailed(Exception):  # noqa: N818 (the name is the contract)
    """The optimization loss became inf/NaN or stopped falling, even after one retry in float32;
    raised instead of returning an unchanged or broken image."""
