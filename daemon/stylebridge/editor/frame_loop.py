"""Frames of an animation stylized one after another inside an editor (GIMP: every layer of an
image; Krita: every keyframe of a layer), with one progress over them all, as one shot: the
network path's frames share the first frame's normalisation statistics (the `shot` parameter,
docs/protocol.md), so they do not flicker. Stdlib only: runs in the editors' own Pythons."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace

from .dialog_model import DialogModel
from .request_params import StylizeRequest

SHOT_NAME = "shot"  # the network path's parameter naming a shot
Report = Callable[[float, str], None]
ShouldCancel = Callable[[], bool]


def frame_report(report: Report, index: int, count: int) -> Report:
    """A job's report (fraction 0..1, text) as a part of the whole: frame index of count."""

    def part(fraction: float, text: str) -> None:
        whole = (index + min(max(fraction, 0.0), 1.0)) / count
        report(whole, f"Frame {index + 1} of {count}: {text}")

    return part


def stylize_frames(
    count: int,
    stylize_one: Callable[[int, Report], None],
    report: Report,
    should_cancel: ShouldCancel | None = None,
) -> int:
    """stylize_one(index, report) for frames 0..count-1 in order; the number done, fewer than
    `count` when cancelled between frames (the frames done stay done)."""
    if count < 1:
        raise ValueError("there are no frames to stylize")
    for index in range(count):
        if should_cancel is not None and should_cancel():
            return index
        stylize_one(index, frame_report(report, index, count))
    report(1.0, f"{count} frames stylized")
    return count


def new_shot_id() -> str:
    """A shot id no earlier run of this client used (the daemon keeps shots per connection)."""
    return f"frames-{uuid.uuid4().hex}"


def in_one_shot(request: StylizeRequest, model: DialogModel) -> StylizeRequest:
    """`request` with a fresh shot id when its path declares `shot` (the network path): every
    frame sent with the result shares one set of statistics. Other paths: unchanged."""
    if not any(control.name == SHOT_NAME for control in model.controls_for(request.path)):
        return request
    return replace(request, params={**request.params, SHOT_NAME: new_shot_id()})
