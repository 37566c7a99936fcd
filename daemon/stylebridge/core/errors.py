"""Exceptions that core loops raise and the CLI and daemon map to their own replies."""

from __future__ import annotations


class Cancelled(Exception):  # noqa: N818 (the name is the contract)
    """The caller's should_cancel() turned true; the loop stopped at the next step boundary."""
