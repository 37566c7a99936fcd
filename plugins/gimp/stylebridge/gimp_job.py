"""One stylize job: connect (starting a missing daemon), read the schema, send the layer, add the
result layer. Imports the vendored client, so pyzmq and msgpack must be importable."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import stylebridge.editor.session as session
from gimp_args import dialog_values
from gimp_pixels import LayerPixels, add_result_layer, read_layer, read_selection
from gimp_settings import daemon_command
from gimp_styles import custom_frames
from stylebridge.client import Client, JobProgress
from stylebridge.editor.dialog_model import DialogModel
from stylebridge.editor.layer_names import layer_name
from stylebridge.editor.request_params import StylizeRequest, stylize_request

CLIENT_NAME = "stylebridge-gimp"
REPLY_TIMEOUT_S = 5.0
JOB_ERRORS = session.JOB_ERRORS
Report = Callable[[float, str], None]
ShouldCancel = Callable[[], bool]


def connect(args: dict[str, Any], report: Report) -> Client:
    """A client for the `endpoint` argument; starts the daemon first when none answers."""
    endpoint = str(args.get("endpoint") or "") or None
    link = session.DaemonLink(endpoint, daemon_command(args), REPLY_TIMEOUT_S, CLIENT_NAME)
    return session.connect(link, lambda text: report(0.0, text))


def load_model(client: Client, model: str, mode: str) -> DialogModel:
    """The dialog model from the daemon's answers. Only `mode` must list its styles: the other
    one may not be installed (no model file)."""
    return session.load_dialog_model(client, model, required_mode=mode)


def send(
    client: Client,
    pixels: LayerPixels,
    mask: bytes | None,
    request: StylizeRequest,
    report: Report,
    should_cancel: ShouldCancel | None = None,
    customs: Sequence[tuple[bytes, dict]] = (),
) -> tuple[bytes, int]:
    """(stylized pixels in the format of `pixels`, the long side in px the daemon worked at, 0 if
    it did not say); DaemonError with the daemon's message. `customs`: the frames of
    DialogValues.custom_styles (the pictures of request.styles index them)."""

    def on_progress(event: JobProgress) -> None:
        done_percent, text = session.progress_line(event)
        report(done_percent / 100.0, text)

    job = session.StylizeJob(pixels.data, pixels.wire_format, mask, request, tuple(customs))
    data, descriptor = session.stylize(client, job, on_progress, should_cancel)
    return data, int(descriptor.get("working_px") or 0)  # a preset may have picked the size


def prepare_request(
    client: Client, image: Any, args: dict[str, Any]
) -> tuple[DialogModel, StylizeRequest, list[tuple[bytes, dict]]]:
    """What a job sends for `args`: the dialog model, the request and the custom style frames."""
    mode = str(args.get("mode") or "network")
    model = load_model(client, str(args.get("model") or "default"), mode)
    if model.reason_unavailable(mode):
        raise ValueError(f"mode {mode} is unavailable: {model.reason_unavailable(mode)}")
    values = dialog_values(args, model)
    return model, stylize_request(values, model), custom_frames(image, values.custom_styles)


def stylize_layer(
    image: Any,
    layer: Any,
    args: dict[str, Any],
    report: Report,
    should_cancel: ShouldCancel | None = None,
) -> Any:
    """Stylize `layer` as `args` say into a new layer above it; returns that layer."""
    pixels = read_layer(layer)
    mask = read_selection(image, layer)
    with connect(args, report) as client:
        model, request, customs = prepare_request(client, image, args)
        report(0.0, "Sending the layer to the daemon…")
        data, working_px = send(client, pixels, mask, request, report, should_cancel, customs)
    side = max(pixels.wire_format["width"], pixels.wire_format["height"])
    name = layer_name(request, model.labels(), side, working_px)  # says so when upscaled
    return add_result_layer(image, layer, pixels, data, name)
