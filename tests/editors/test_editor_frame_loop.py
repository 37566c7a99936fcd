"""The editors' frame loop: order, one progress over every frame, cancel keeps the frames done."""

from __future__ import annotations

import pytest
from stylebridge.editor.frame_loop import stylize_frames


def test_frames_run_in_order_with_one_progress_over_all() -> None:
    done: list[int] = []
    reports: list[tuple[float, str]] = []

    def one(index: int, report: object) -> None:
        assert callable(report)
        report(0.5, "halfway")
        done.append(index)

    assert stylize_frames(3, one, lambda f, t: reports.append((f, t))) == 3
    assert done == [0, 1, 2]
    assert [round(f, 3) for f, _ in reports] == [0.167, 0.5, 0.833, 1.0]
    assert reports[1][1] == "Frame 2 of 3: halfway"


def test_cancel_between_frames_keeps_the_frames_done() -> None:
    done: list[int] = []
    assert (
        stylize_frames(5, lambda i, _r: done.append(i), lambda f, t: None, lambda: len(done) == 2)
        == 2
    )
    assert done == [0, 1]
    with pytest.raises(ValueError, match="no frames"):
        stylize_frames(0, lambda i, _r: None, lambda f, t: None)
