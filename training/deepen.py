"""Give a training checkpoint more residual blocks without changing what it paints.

Why: the recipe experiments (benchmarks/RESULTS.md) levelled off at one texture/content trade-off
with 3 residual blocks; more capacity is the next lever, and a CPU cannot afford to start over.
Each new block is appended after the existing ones with the last CIN's gamma and beta at zero for
every style, so the block adds nothing (x + 0) until training moves them (the zero-init residual of
Goyal et al. 2017). The Adam moments of every existing parameter are carried over by name.

Usage (repository root): .venv/bin/python training/deepen.py CHECKPOINT BLOCKS OUT
(OUT a .ckpt.safetensors path; its .ckpt.adam.pt is written beside it.)
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import torch
from stylebridge.core.model_file import load_model
from stylebridge.core.training import TrainConfig, make_optimizer
from stylebridge.core.training_data import CheckpointFiles
from stylebridge.core.transformer import StyleNetwork


def deeper(network: StyleNetwork, blocks: int) -> StyleNetwork:
    """`network` with `blocks` residual blocks; the output is unchanged (new blocks add zero)."""
    if blocks <= network.shape.residual_blocks:
        raise ValueError(f"the network already has {network.shape.residual_blocks} blocks")
    shape = dataclasses.replace(network.shape, residual_blocks=blocks)
    grown = StyleNetwork(network.num_styles, width=network.width, shape=shape)
    missing, unexpected = grown.load_state_dict(network.state_dict(), strict=False)
    assert not unexpected and all(k.startswith("residual.") for k in missing), missing
    with torch.no_grad():
        for block in list(grown.residual)[network.shape.residual_blocks :]:
            block.second.norm.gamma.zero_()
            block.second.norm.beta.zero_()
    return grown


def carried_adam(old: StyleNetwork, new: StyleNetwork, state: dict, config: TrainConfig) -> dict:
    """The old optimizer state re-indexed for `new`'s parameters (new ones start fresh)."""
    old_ids = _indices(old, config)
    new_state = make_optimizer(new, config).state_dict()
    for name, index in _indices(new, config).items():
        if name in old_ids and old_ids[name] in state.get("state", {}):
            new_state["state"][index] = state["state"][old_ids[name]]
    return new_state


def _indices(network: StyleNetwork, config: TrainConfig) -> dict[str, int]:
    """Parameter name -> its index in make_optimizer's state_dict (groups in order)."""
    names = {id(p): n for n, p in network.named_parameters()}
    groups = make_optimizer(network, config).param_groups
    ordered = [names[id(p)] for group in groups for p in group["params"]]
    return {name: i for i, name in enumerate(ordered)}


def main(checkpoint: str, blocks: str, out: str) -> None:
    loaded = load_model(checkpoint)
    grown = deeper(loaded.network, int(blocks))
    probe = torch.rand(1, 3, 64, 64)
    weights = torch.eye(grown.num_styles)[:1]
    with torch.no_grad():
        assert torch.allclose(grown(probe, weights), loaded.network(probe, weights), atol=1e-6)
    meta = dataclasses.replace(
        loaded.metadata,
        shape=grown.shape,
        recipe={**loaded.metadata.recipe, "shape": grown.shape.to_dict(),
                "deepened_at_step": loaded.metadata.recipe.get("steps")},
    )  # fmt: skip
    config = TrainConfig(norm_lr=1e-2)  # two groups, as training makes them
    state = CheckpointFiles.for_checkpoint(Path(checkpoint)).load_optimizer()
    files = CheckpointFiles.for_checkpoint(Path(out))
    optimizer = make_optimizer(grown, config)
    optimizer.load_state_dict(carried_adam(loaded.network, grown, state, config))
    files.save(grown, optimizer, meta)
    print(f"{out}: {grown.shape.residual_blocks} residual blocks, output unchanged")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
