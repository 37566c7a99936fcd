"""The 100 % crop preview in the fitted preview's shot (issue 15): the crop replays the whole
picture's instance statistics, so its colours and texture are those of the same crop of the
applied result rather than of a picture of its own.

A fitted (whole-picture) preview of a path that declares `shot` (the network path) records
under a new shot id; a later crop with the same settings (all the daemon's shot fingerprint
holds: service/shots.py) names that id and replays them. Settings changed since, or no fitted
preview yet: the crop goes without a shot (its own statistics, as before), never an error. The
daemon keeps shots per connection, so the previews share one (KeptClient).

Stdlib plus the vendored client: runs inside the editors."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from ..client import Client, DaemonError
from ..shot_params import shot_params
from ..stroke_scale import processing_long_side
from . import session
from .crop_context import request_stroke
from .dialog_model import DialogModel
from .frame_loop import SHOT_NAME
from .request_params import PREVIEW_SIZE_PX, DialogValues, StylizeRequest, stylize_request


def declares_shot(request: StylizeRequest, model: DialogModel) -> bool:
    """Whether the request's path takes a `shot` (the network path; not arbitrary or optimize)."""
    return any(control.name == SHOT_NAME for control in model.controls_for(request.path))


def shot_settings(request: StylizeRequest) -> tuple:
    """What a shot's statistics depend on in `request`, as the daemon compares it."""
    styles = sorted((repr(s.name), repr(s.picture), s.weight) for s in request.styles)
    return request.path, request.model, tuple(styles), shot_params(request.params)


MAX_FITTED_PX = 1024  # below stroke 0.5 the thumbnail stays this size (pixels read, sent)


def fitted_preview_px(values: DialogValues, model: DialogModel) -> int:
    """The long side of the fitted preview's thumbnail: PREVIEW_SIZE_PX, or on a path that takes
    a shot the stroke's processing size when larger. The network runs a whole picture at that
    size whatever the thumbnail's (stroke_scale.py), so it costs no more, and the statistics
    the crops replay are then the applied result's rather than those of a thumbnail enlarged
    (blurred) to it: a crop replaying a 256 px thumbnail's could end further from the result
    than one on its own (tests/protocol/test_crop_preview.py)."""
    request = stylize_request(values, model, PREVIEW_SIZE_PX)
    stroke = request_stroke(request, model)
    if not declares_shot(request, model) or stroke <= 0:
        return PREVIEW_SIZE_PX
    return min(MAX_FITTED_PX, max(PREVIEW_SIZE_PX, processing_long_side(stroke)))


class PreviewShot:
    """A dialog's preview shot: the id its last fitted preview records under, and once that
    preview came back (done), the id and settings a crop may replay."""

    def __init__(self) -> None:
        self._pending: tuple[str, tuple] = ("", ())
        self._recorded: tuple[str, tuple] = ("", ())

    def fitted(self, request: StylizeRequest, model: DialogModel) -> StylizeRequest:
        """The fitted preview's request, recording under a new shot id (unchanged when its
        path takes no shot)."""
        if not declares_shot(request, model):
            return request
        self._pending = (f"preview-{uuid.uuid4().hex}", shot_settings(request))
        return replace(request, params={**request.params, SHOT_NAME: self._pending[0]})

    def done(self, request: StylizeRequest) -> None:
        """A preview of `request` came back: when it is the fitted one, its shot now holds its
        statistics (a cancelled or failed one recorded nothing: a crop would record its own)."""
        if request.params.get(SHOT_NAME) == self._pending[0] != "":
            self._recorded = self._pending

    def forget(self) -> None:
        """The connection the shot lived on is gone: crops go without a shot until the next
        fitted preview is done."""
        self._pending = self._recorded = ("", ())

    def crop(self, request: StylizeRequest, model: DialogModel) -> StylizeRequest:
        """The crop's request in the fitted preview's shot when that preview is done and the
        settings are the same; otherwise unchanged (the crop's own statistics)."""
        shot_id, settings = self._recorded
        if not shot_id or not declares_shot(request, model):
            return request
        if shot_settings(request) != settings:
            return request
        return replace(request, params={**request.params, SHOT_NAME: shot_id})


class KeptClient:
    """One connection kept across a dialog's previews (one at a time, from any thread): the
    daemon keeps a client's shots per connection, so a crop can replay the fitted preview's.
    A failure other than the daemon's own reply drops it (and the shot that lived on it): the
    next preview connects afresh."""

    def __init__(self, shot: PreviewShot) -> None:
        self._client: Client | None = None
        self._shot = shot

    def stylize(
        self,
        connect: Callable[[], Client],
        job: session.StylizeJob,
        on_progress: session.OnProgress | None = None,
        should_cancel: session.ShouldCancel | None = None,
    ) -> tuple[bytes, dict[str, Any]]:
        """session.stylize on the kept connection, made with connect() when there is none."""
        if self._client is None:
            self._client = connect()
        try:
            result = session.stylize(self._client, job, on_progress, should_cancel)
        except DaemonError:
            raise  # the daemon answered: the connection (and its shots) still serve
        except BaseException:
            self.close()
            raise
        self._shot.done(job.request)
        return result

    def close(self) -> None:
        """Close the kept connection, if any, and forget the shot that lived on it."""
        self._shot.forget()
        if self._client is not None:
            self._client.close()
            self._client = None
