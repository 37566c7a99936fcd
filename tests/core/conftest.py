"""Fixtures the core tests share: VGG-19 with max pooling (the arbitrary path's encoder and the
quality scores' network), loaded once per session instead of once per test module."""

from __future__ import annotations

import pytest
from stylebridge.core.vgg import VGG19Features
from stylebridge.core.vgg_weights import load_vgg19


@pytest.fixture(scope="session")
def vgg_max() -> VGG19Features:
    return load_vgg19(pooling="max")
