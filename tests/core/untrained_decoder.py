"""An untrained feature decoder whose output sits at mid-grey with contrast, so that clamping to
[0, 1] does not hide what a change of input changes (the arbitrary-path tests' decoders)."""

from __future__ import annotations

import torch
from stylebridge.core.feature_decoder import DecoderShape, FeatureDecoder


def contrasted_decoder(shape: DecoderShape, seed: int = 0) -> FeatureDecoder:
    torch.manual_seed(seed)
    decoder = FeatureDecoder(shape).eval()
    block = decoder.body[-1]
    assert isinstance(block, torch.nn.Sequential)
    last = block[1]
    assert isinstance(last, torch.nn.Conv2d) and last.bias is not None
    with torch.no_grad():
        last.weight.mul_(20.0)
        last.bias.fill_(0.5)
    return decoder
