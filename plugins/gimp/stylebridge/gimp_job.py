"""One stylize job: connect (starting a missing daemon), read the schema, send the layer, add the
result layer. Imports the vendored client, so pyzmq and msgpack must be importable."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from gimp_args import dialog_values
from gimp_pixels import LayerPixels, add_result_layer, read_layer, read_selection
from gimp_settings import daemon_command
from gimp_styles import custom_frames
from stylebridge.client import Client, DaemonError, DaemonUnavailable, JobProgress
from stylebridge.editor.daemon_launch import DaemonStartError, start_daemon
from stylebridge.editor.dialog_model import MODES, DialogModel, build_dialog_model
from stylebridge.editor.layer_formats import check_frame
from stylebridge.editor.layer_names import layer_name
from stylebridge.editor.progress_text import ENGINE_STARTING_TEXT, percent, progress_text
from stylebridge.editor.request_params import StylizeRequest, stylize_request

CLIENT_NAME = "stylebridge-gimp"
PING_TIMEOUT_S = 1.0
# Everything a job may raise that the user should read (the daemon's message included).
JOB_ERRORS = (DaemonError, DaemonUnavailable, DaemonStartError, ValueError, OSError)
Report = Callable[[float, str], None]
ShouldCancel = Callable[[], bool]


def _endpoint(args: dict[str, Any]) -> str | None:
    return str(args.get("endpoint") or "") or None


def _is_running(endpoint: str | None) -> bool:
    try:
        with Client(endpoint, timeout_s=PING_TIMEOUT_S, tries=1) as probe:
            return probe.ping()
    except DaemonUnavailable:
        return False


def connect(args: dict[str, Any], report: Report) -> Client:
    """A client for the `endpoint` argument; starts the daemon first when none answers."""
    endpoint = _endpoint(args)
    command = daemon_command(args)
    if command and not _is_running(endpoint):
        report(0.0, ENGINE_STARTING_TEXT)
        start_daemon(command, lambda: _is_running(endpoint))
    client = Client(endpoint)
    try:
        client.hello(CLIENT_NAME)
    except BaseException:
        client.close()
        raise
    return client


def load_model(client: Client, model: str, mode: str) -> DialogModel:
    """The dialog model from the daemon's list_methods and list_styles (per mode) answers.

    Only `mode` must list its styles: the other one may be unavailable (no model file)."""
    styles: dict[str, list[Any]] = {}
    for path in MODES:
        try:
            styles[path] = client.list_styles(path=path, model=model)
        except DaemonError:
            if path == mode:
                raise
            styles[path] = []
    return build_dialog_model(client.list_methods(), styles, model)


def send(
    client: Client,
    pixels: LayerPixels,
    mask: bytes | None,
    request: StylizeRequest,
    report: Report,
    should_cancel: ShouldCancel | None = None,
    customs: Sequence[tuple[bytes, dict]] = (),
) -> bytes:
    """The stylized pixels, in the format of `pixels`; DaemonError with the daemon's message.
    `customs`: the frames of DialogValues.custom_styles (request.custom_weights indexes them)."""

    def on_progress(event: JobProgress) -> None:
        fields = {"step": event.step, "total": event.total, "eta_s": event.eta_s}
        report(percent(event.step, event.total) / 100.0, progress_text(fields))

    data, _ = client.stylize(
        pixels.data,
        pixels.wire_format,
        request.params,
        mask=mask,
        styles=[(*customs[index], weight) for index, weight in request.custom_weights],
        on_progress=on_progress,
        should_cancel=should_cancel,
        path=request.path,
        style_names=request.style_names,
        model=request.model,
    )
    check_frame(data, pixels.wire_format)
    return data


def prepare_request(
    client: Client, image: Any, args: dict[str, Any]
) -> tuple[DialogModel, StylizeRequest, list[tuple[bytes, dict]]]:
    """What a job sends for `args`: the dialog model, the request and the custom style frames."""
    mode = str(args.get("mode") or "network")
    model = load_model(client, str(args.get("model") or "default"), mode)
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
        data = send(client, pixels, mask, request, report, should_cancel, customs)
    side = max(pixels.wire_format["width"], pixels.wire_format["height"])
    name = layer_name(request, model.labels(), side)  # says so when the result was upscaled
    return add_result_layer(image, layer, pixels, data, name)
