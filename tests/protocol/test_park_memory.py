"""A long job parks for another client's job only when that job fits in the memory free now
(a parked job keeps its own): the admission check, run again at the moment of parking."""

from __future__ import annotations

import pytest
from stylebridge.pixel_layout import packed_layout
from stylebridge.service.jobs import Job
from stylebridge.service.park_memory import fits_beside_a_parked_job
from stylebridge.service.requests import StylizeSpec
from stylebridge.style_blend import WeightedStyle

pytestmark = pytest.mark.timeout(120)


def optimize_job(side_px: int) -> Job:
    image = packed_layout(side_px, side_px, "RGB", "uint8")
    styles = (WeightedStyle(1.0, name="starry-night"),)
    params = {"size": side_px, "steps": 10}
    spec = StylizeSpec("optimize", "default", image, False, styles, params, False)
    return Job("j", b"B", "r", spec, [b""])


def test_a_waiting_job_fits_only_when_its_estimate_fits_the_memory_free_now() -> None:
    waiting = optimize_job(1024)
    assert fits_beside_a_parked_job(waiting, "cpu", free=lambda _device: 64 * 2**30)
    assert not fits_beside_a_parked_job(waiting, "cpu", free=lambda _device: 16 * 2**20)
    assert fits_beside_a_parked_job(
        waiting, "cpu", free=lambda _device: None
    )  # unknown: as admission
