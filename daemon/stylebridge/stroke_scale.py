"""The network's processing size for a stroke: the one formula the daemon (core/stroke.py, which
says why strokes work this way) and the editors (editor/crop_context.py sizes a crop's context in
processing pixels) share. Stdlib only, Python 3.8+: vendored into the editors' plugins."""

from __future__ import annotations

REFERENCE_PX = 512  # long side at which the shipped network's strokes have their trained size
MIN_STROKE, MAX_STROKE = 0.125, 8.0
GRID_PX = 4
MIN_PROCESSING_PX = 16


def processing_long_side(stroke: float) -> int:
    """The long side in px the network runs a whole picture at for `stroke` (on its 4 px grid)."""
    if not MIN_STROKE <= stroke <= MAX_STROKE:
        raise ValueError(f"stroke must be in [{MIN_STROKE}, {MAX_STROKE}], got {stroke}")
    return max(MIN_PROCESSING_PX, round(REFERENCE_PX / stroke / GRID_PX) * GRID_PX)
