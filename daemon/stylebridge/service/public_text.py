"""Error text as a client may see it: the daemon's own folders replaced by plain names.

A message from the core names files ("/home/ana/.local/share/stylebridge/models/x.safetensors is
corrupt"); a client on another machine, or another user's, learns nothing useful from the path
and should not learn the daemon's layout. The daemon log keeps the full text.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import stylebridge


@functools.lru_cache(maxsize=1)
def _roots() -> tuple[tuple[str, str], ...]:
    """(folder, shown name) pairs, the longest folders first so they win over their parents."""
    from stylebridge.config import paths

    where = paths()
    pairs = {
        str(where.models_dir): "<models>",
        str(where.data_dir): "<data>",
        str(where.cache_dir): "<cache>",
        str(where.config_dir): "<config>",
        str(where.log_dir): "<logs>",
        str(where.runtime_dir): "<run>",
        str(Path(stylebridge.__file__).parent): "<stylebridge>",
        sys.prefix: "<python>",
        str(Path.home()): "~",
    }
    return tuple(sorted(pairs.items(), key=lambda pair: -len(pair[0])))


def without_server_paths(text: str) -> str:
    """`text` with every folder of the daemon replaced by a short name such as <models>."""
    for folder, name in _roots():
        if len(folder) > 1:  # never "/"
            text = text.replace(folder, name)
    return text
