"""What the editors' shared logic is tested against: the daemon's own list_methods reply, not a
hand-written schema that could name parameters the daemon never sends."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(scope="session")
def list_methods_reply() -> dict[str, Any]:
    """The daemon's list_methods reply (service/catalog.py): methods and every path's schema."""
    from stylebridge.service.catalog import list_methods

    return list_methods()
