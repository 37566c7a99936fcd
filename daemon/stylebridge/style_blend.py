"""Styles with weights: the one shape a request's styles have, and the one rule that scales
their weights to sum 1.

A style is a listed name (a model or library style) or a custom style picture, the request's
`picture`-th style image frame, each with a weight >= 0. The daemon normalises a wire request's
weights once, before it answers `accepted` (service/requests.py); the CLI does the same for a run
in its own process. The core then receives weights that sum to 1 and only checks that they do.

Stdlib only, Python 3.8+: the installer vendors it beside client.py into Krita and GIMP.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

MAX_WEIGHT = 1e6  # a request's weight above this is refused: sums stay exact in float32
WEIGHTS_RULE = "finite, >= 0 and not all 0"


@dataclass(frozen=True)
class WeightedStyle:
    """One style of a request: exactly one of `name` (a listed style) or `picture` (the index of
    its custom style image among the request's style images, in sending order), and its weight."""

    weight: float
    name: str | None = None
    picture: int | None = None

    @property
    def is_custom(self) -> bool:
        """A custom style image, sent as a pixel frame (not a listed name)."""
        return self.picture is not None


def normalised_weights(weights: Sequence[float]) -> tuple[float, ...]:
    """Weights scaled to sum 1; ValueError unless they are finite, >= 0 and not all 0."""
    values = [float(w) for w in weights]
    if not values or any(not math.isfinite(w) or w < 0 for w in values) or sum(values) <= 0:
        raise ValueError(f"style weights must be {WEIGHTS_RULE}, got {values}")
    total = math.fsum(values)
    return tuple(w / total for w in values)


def normalised(styles: Sequence[WeightedStyle]) -> tuple[WeightedStyle, ...]:
    """The same styles with their weights scaled to sum 1 (see normalised_weights)."""
    weights = normalised_weights([style.weight for style in styles])
    return tuple(replace(style, weight=weights[i]) for i, style in enumerate(styles))
