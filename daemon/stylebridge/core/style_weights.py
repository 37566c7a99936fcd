"""The one check the core makes of a blend's style weights: they arrive normalised.

Weights are scaled to sum 1 once per request, before the core sees them (stylebridge.style_blend:
the daemon when it parses a request, the CLI when it reads its flags), so a core function never
re-scales a blend; it refuses weights that do not already form one.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from torch import Tensor

SUM_TOLERANCE = 1e-4  # float32 weights summed on a device round a little


def checked_style_weights(
    weights: Tensor | Sequence[float] | None, count: int
) -> tuple[float, ...]:
    """`count` weights that are finite, >= 0 and sum to 1, as floats (None: equal shares, the
    blend of styles given without weights); ValueError otherwise."""
    if weights is None:
        return (1.0 / count,) * count
    listed = weights.flatten().tolist() if isinstance(weights, Tensor) else weights
    values = [float(w) for w in listed]
    if len(values) != count:
        raise ValueError(f"{len(values)} style weights given for {count} styles")
    if any(not math.isfinite(w) or w < 0 for w in values) or abs(sum(values) - 1) > SUM_TOLERANCE:
        raise ValueError(
            "style weights must be finite, >= 0 and sum to 1 (normalised by the caller), "
            f"got {values}"
        )
    return tuple(values)
