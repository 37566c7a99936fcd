"""The dialogs' preview shot (stylebridge.editor.preview_shot, #15): a 100 % crop with the fitted
preview's settings replays that preview's shot, on the connection it was recorded on; anything
else goes without a shot, never an error. Without an editor."""

from __future__ import annotations

from typing import Any

import pytest
from stylebridge.client import DaemonError, DaemonUnavailable
from stylebridge.editor import crop_context, preview_shot
from stylebridge.editor.crop_preview import crop_around, crop_request
from stylebridge.editor.dialog_model import DialogModel, build_dialog_model
from stylebridge.editor.frame_loop import SHOT_NAME
from stylebridge.editor.preview_shot import KeptClient, PreviewShot
from stylebridge.editor.request_params import (
    PREVIEW_SIZE_PX,
    DialogValues,
    StylizeRequest,
    preview_request,
)
from stylebridge.editor.session import StylizeJob
from stylebridge.service import protocol as wire
from stylebridge.service import shots
from stylebridge.service.path_parameters import checked_params
from stylebridge.service.requests import parse_stylize
from stylebridge.shot_params import STROKE_PARAMETER

REGION = (0, 0, 2048, 1536)
CROP = crop_around(REGION, (1024, 768), 300, 200)


@pytest.fixture(scope="module")
def model(list_methods_reply: dict[str, Any]) -> DialogModel:
    styles = [{"name": "udnie", "label": "Udnie"}, {"name": "the-scream", "label": "Scream"}]
    names = {"network": styles, "optimize": styles, "arbitrary": styles}
    return build_dialog_model(list_methods_reply, names)


def network(**options: Any) -> DialogValues:
    return DialogValues("network", (("udnie", 1.0),), (), options, "standard")


def fitted_then_crop(
    shot: PreviewShot, model: DialogModel, first: DialogValues, later: DialogValues
) -> tuple[StylizeRequest, StylizeRequest]:
    fitted = shot.fitted(preview_request(first, model), model)
    shot.done(fitted)
    return fitted, shot.crop(crop_request(later, model, CROP, REGION), model)


def test_a_crop_with_the_same_settings_replays_the_fitted_previews_shot(
    model: DialogModel,
) -> None:
    shot = PreviewShot()
    fitted, crop = fitted_then_crop(shot, model, network(stroke=2.0), network(stroke=2.0))
    assert shots.check_shot_id(fitted.params[SHOT_NAME]) == crop.params[SHOT_NAME]
    again, _ = fitted_then_crop(shot, model, network(stroke=2.0), network(stroke=2.0))
    assert again.params[SHOT_NAME] != fitted.params[SHOT_NAME]  # each fitted preview: a new one
    # Applied after the network: the crop still replays the statistics.
    _, crop = fitted_then_crop(shot, model, network(), network(strength=0.5))
    assert SHOT_NAME in crop.params


@pytest.mark.parametrize(
    "later",
    [
        network(stroke=2.0),
        network(tile_px=512),
        DialogValues("network", (("udnie", 1.0), ("the-scream", 1.0)), (), {}, "standard"),
    ],
)
def test_a_crop_with_changed_settings_goes_without_a_shot(
    model: DialogModel, later: DialogValues
) -> None:
    _, crop = fitted_then_crop(PreviewShot(), model, network(), later)
    assert SHOT_NAME not in crop.params


def test_at_stroke_0_the_crop_goes_without_a_shot(model: DialogModel) -> None:
    # The network then runs at size_px: the thumbnail's statistics are of another scale.
    _, crop = fitted_then_crop(PreviewShot(), model, network(stroke=0.0), network(stroke=0.0))
    assert SHOT_NAME not in crop.params


def test_no_crop_replays_a_fitted_preview_that_did_not_come_back(model: DialogModel) -> None:
    shot = PreviewShot()
    assert SHOT_NAME not in shot.crop(crop_request(network(), model, CROP, REGION), model).params
    shot.fitted(preview_request(network(), model), model)  # cancelled: never done
    assert SHOT_NAME not in shot.crop(crop_request(network(), model, CROP, REGION), model).params
    fitted_then_crop(shot, model, network(), network())
    shot.forget()  # its connection closed
    assert SHOT_NAME not in shot.crop(crop_request(network(), model, CROP, REGION), model).params


@pytest.mark.parametrize(
    "values",
    [
        DialogValues("optimize", (("udnie", 1.0),), (("gram", 1.0),), {}, "standard"),
        DialogValues("arbitrary", (("udnie", 1.0),), (), {}, "standard"),
    ],
)
def test_paths_without_a_shot_get_none(model: DialogModel, values: DialogValues) -> None:
    fitted, crop = fitted_then_crop(PreviewShot(), model, values, values)
    assert SHOT_NAME not in fitted.params and SHOT_NAME not in crop.params


def test_the_fitted_thumbnail_is_the_networks_processing_size(model: DialogModel) -> None:
    """Its statistics are then the applied result's (a smaller one would be enlarged, blurred)."""
    assert preview_shot.fitted_preview_px(network(), model) == 512  # stroke 1
    assert preview_shot.fitted_preview_px(network(stroke=2.0), model) == 256
    assert preview_shot.fitted_preview_px(network(stroke=4.0), model) == PREVIEW_SIZE_PX
    assert preview_shot.fitted_preview_px(network(stroke=0.5), model) == 1024
    assert preview_shot.fitted_preview_px(network(stroke=0.25), model) == 1024  # not 2048
    assert preview_shot.fitted_preview_px(network(stroke=0.0), model) == PREVIEW_SIZE_PX
    other = DialogValues("arbitrary", (("udnie", 1.0),), (), {}, "standard")
    assert preview_shot.fitted_preview_px(other, model) == PREVIEW_SIZE_PX


def test_the_editor_leaves_out_what_the_daemon_leaves_out() -> None:
    assert preview_shot.shot_params is shots.shot_params  # one rule (stylebridge/shot_params.py)
    assert crop_context.STROKE_NAME == STROKE_PARAMETER


def test_the_daemon_puts_the_crop_in_the_fitted_previews_shot(model: DialogModel) -> None:
    store = shots.ShotStore()
    fitted, crop = fitted_then_crop(PreviewShot(), model, network(stroke=2.0), network(stroke=2.0))
    image = {"width": 4, "height": 4, "channels": "RGB", "dtype": "uint8"}
    header = wire.request(wire.OP_STYLIZE, "s", path="network", image=image, params={})
    header["styles"] = [{"name": "udnie", "weight": 1.0}]
    spec = parse_stylize(header, [4 * 4 * 3], wire.Limits())
    first = store.claim(b"a", spec, checked_params("network", fitted.params))
    assert store.claim(b"a", spec, checked_params("network", crop.params)) is first


class FakeClient:
    """Stands in for a connection: counts closes."""

    closed = 0

    def close(self) -> None:
        self.closed += 1


def test_the_previews_share_one_connection_until_it_fails(
    model: DialogModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    replies: list[Any] = [(b"x", {}), DaemonError("cancelled", "cancelled"), DaemonUnavailable()]

    def stylize(client: Any, job: StylizeJob, *_: Any) -> tuple[bytes, dict]:
        reply = replies.pop(0)
        if isinstance(reply, Exception):
            raise reply
        return reply

    monkeypatch.setattr(preview_shot.session, "stylize", stylize)
    made: list[FakeClient] = []
    connect = lambda: made.append(FakeClient()) or made[-1]  # noqa: E731
    shot = PreviewShot()
    kept = KeptClient(shot)
    request = shot.fitted(preview_request(network(), model), model)
    job = StylizeJob(b"", {}, None, request)
    kept.stylize(connect, job)  # type: ignore[arg-type]
    assert SHOT_NAME in shot.crop(crop_request(network(), model, CROP, REGION), model).params
    with pytest.raises(DaemonError):
        kept.stylize(connect, job)  # type: ignore[arg-type]
    assert len(made) == 1 and made[0].closed == 0  # the daemon answered: kept
    with pytest.raises(DaemonUnavailable):
        kept.stylize(connect, job)  # type: ignore[arg-type]
    assert made[0].closed == 1  # dropped, with its shot
    assert SHOT_NAME not in shot.crop(crop_request(network(), model, CROP, REGION), model).params
