"""The out_of_memory message is true for each path: only the network path retries with tiles."""

from __future__ import annotations

import pytest
from stylebridge.service import protocol as wire
from stylebridge.service.worker import error_for


def test_only_the_network_path_says_it_tiled() -> None:
    code, message = error_for(MemoryError(), wire.PATH_NETWORK)
    assert code == "out_of_memory" and "even when tiled" in message


@pytest.mark.parametrize("path", [wire.PATH_ARBITRARY, wire.PATH_OPTIMIZE, wire.PATH_ECHO])
def test_paths_that_do_not_tile_say_so(path: str) -> None:
    code, message = error_for(MemoryError(), path)
    assert code == "out_of_memory"
    assert "tiled" not in message and f"the {path} path does not tile" in message
    assert "lower the size" in message
