"""init "network": the optimization starts from the shipped fast network's result for the same
styles, so that a few optimization steps add the paper losses' detail on top of an instant image
instead of starting from the photo (init "auto" chooses it whenever it can: optimize_start.py)."""

from __future__ import annotations

import functools
from collections.abc import Sequence

import torch
from torch import Tensor

from stylebridge.core.model_file import LoadedModel, default_model_path, load_model, read_metadata
from stylebridge.core.style_weights import checked_style_weights

NETWORK_INIT = "network"


@functools.cache
def network_style_names() -> tuple[str, ...]:
    """The styles of the shipped model (read from its header only)."""
    return tuple(read_metadata(default_model_path()).style_names)


def check_network_styles(style_names: Sequence[str | None]) -> None:
    """ValueError unless every style is a named style of the shipped model (None: a custom
    image, which the network cannot paint)."""
    known = network_style_names()
    for name in style_names:
        if name is None or name not in known:
            shown = "a custom style image" if name is None else repr(name)
            raise ValueError(
                f"init 'network' starts from the shipped network, which cannot paint {shown}; "
                f"its styles: {', '.join(known)} (or use init 'content')"
            )


@functools.cache
def _shipped_network(device: str) -> LoadedModel:
    """The shipped model prepared for `device`, read once: `batch` starts every frame from it."""
    from stylebridge.core.feedforward import prepare_network

    model = load_model(default_model_path())
    return LoadedModel(prepare_network(model.network, device), model.metadata)


def network_start(
    content: Tensor,
    style_names: Sequence[str | None],
    style_weights: Sequence[float] | None,
    device: torch.device,
    loaded: LoadedModel | None = None,
) -> Tensor:
    """(1, 3, H, W) content -> the shipped network's (1, 3, H, W) result for the styles blended
    by their weights, on the CPU. `loaded`: the model already prepared for `device` (the daemon
    caches it); else the shipped one, loaded once per process."""
    from stylebridge.core.feedforward import stylize_network

    check_network_styles(style_names)
    if loaded is None:
        loaded = _shipped_network(str(device))
    names = list(loaded.metadata.style_names)
    weights = torch.zeros(len(names))
    given = checked_style_weights(style_weights, len(style_names))  # normalised by the caller
    for name, weight in zip(style_names, given, strict=True):
        weights[names.index(str(name))] += weight
    with torch.no_grad():
        result = stylize_network(loaded.network, content.to(device), weights.to(device))
    return result.float().cpu()
