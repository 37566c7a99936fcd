"""`train --precision`: bf16 only where the hardware runs it natively, never emulated silently."""

from __future__ import annotations

import pytest
import torch
from stylebridge.cli import train


def test_bf16_on_a_cpu_without_native_bf16_is_refused_and_auto_stays_fp32(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(train, "cpu_has_fast_bf16", lambda: False)
    cpu = torch.device("cpu")
    with pytest.raises(ValueError, match="no native bfloat16"):
        train.use_bf16("bf16", cpu)
    assert train.use_bf16("auto", cpu) is False
    assert train.use_bf16("fp32", cpu) is False


def test_auto_uses_bf16_where_the_cpu_has_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(train, "cpu_has_fast_bf16", lambda: True)
    assert train.use_bf16("auto", torch.device("cpu")) is True
    assert train.use_bf16("fp32", torch.device("cpu")) is False
