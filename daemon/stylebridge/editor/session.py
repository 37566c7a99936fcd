"""The editor side of a conversation with the daemon, shared by the Krita and GIMP adapters:
connect (starting a missing daemon), read the dialog's schema, stylize a layer while following
its events and passing a Cancel on. The adapters keep only their editors' API calls.

Python 3.8+, stdlib plus the vendored client (pyzmq, msgpack): runs inside the editors."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..client import Client, DaemonError, DaemonUnavailable, JobProgress
from .daemon_launch import DaemonStartError, restart_daemon, start_daemon
from .dialog_model import MODES, DialogModel, build_dialog_model
from .layer_formats import check_frame
from .progress_text import ENGINE_STARTED_TEXT, ENGINE_STARTING_TEXT, percent, progress_text
from .request_params import StylizeRequest

# The editors configure no logging: the engine's start command goes to stderr for whoever debugs
# (the painter reads only the status line).
_log = logging.getLogger(__name__)
if not _log.handlers:
    _stderr = logging.StreamHandler()
    _stderr.setFormatter(logging.Formatter("stylebridge: %(message)s"))
    _log.addHandler(_stderr)
    _log.setLevel(logging.INFO)
    _log.propagate = False

PING_TIMEOUT_S = 1.0
QUEUED_TEXT = "Queued…"
# list_styles errors that mean "this path is not installed here" (no model file, a daemon
# without that path): the dialog then offers the other path instead of failing.
NOT_INSTALLED_CODES = ("unknown_model", "unknown_method")
# Everything a job may raise that the painter should read (the daemon's message included).
JOB_ERRORS = (DaemonError, DaemonUnavailable, DaemonStartError, ValueError, OSError)
Announce = Callable[[str], None]
OnProgress = Callable[[JobProgress], None]
ShouldCancel = Callable[[], bool]


@dataclass(frozen=True)
class DaemonLink:
    """How an editor reaches the daemon: `endpoint` (None: the per-user default), the command
    that starts a missing one ("": never start one), the reply timeout and hello's client name."""

    endpoint: str | None
    start_command: str
    timeout_s: float
    client_name: str


@dataclass(frozen=True)
class StylizeJob:
    """One stylize call: the image frame and its wire format, its mask (one byte a pixel), the
    request, and the custom style frames (pixels, format) that request.styles' pictures index."""

    pixels: Any  # bytes, or a QByteArray in Krita
    fmt: dict
    mask: bytes | None
    request: StylizeRequest
    custom_styles: tuple = ()
    intermediate_previews: bool = False  # progress events carry low-res previews


def _silent(_text: str) -> None:
    pass


def is_running(link: DaemonLink) -> bool:
    """True when a daemon answers a ping at the link's endpoint within PING_TIMEOUT_S."""
    try:
        with Client(link.endpoint, timeout_s=PING_TIMEOUT_S, tries=1) as probe:
            return probe.ping()
    except DaemonUnavailable:
        return False


def _start_if_missing(link: DaemonLink, announce: Announce) -> None:
    if not link.start_command or is_running(link):
        return
    announce(ENGINE_STARTING_TEXT)
    if start_daemon(link.start_command, lambda: is_running(link)):
        _log.info("started the daemon with `%s`", link.start_command)
        announce(ENGINE_STARTED_TEXT)


def connect(link: DaemonLink, announce: Announce = _silent) -> Client:
    """A client that said hello; runs the start command first when no daemon answers, telling
    `announce` (the editor's status line) that the engine starts and then that it started."""
    _start_if_missing(link, announce)
    client = Client(link.endpoint, timeout_s=link.timeout_s)
    try:
        client.hello(link.client_name)
    except BaseException:
        client.close()
        raise
    return client


def restart(link: DaemonLink, announce: Announce = _silent) -> int:
    """Stop the engine and start it again with the link's command ("Restart engine"); the new
    daemon's pid. DaemonStartError when it does not stop or does not come back."""

    def shutdown() -> None:
        with Client(link.endpoint, timeout_s=link.timeout_s, tries=1) as client:
            client.shutdown()

    restart_daemon(link.start_command, lambda: is_running(link), shutdown)
    _log.info("restarted the daemon with `%s`", link.start_command)
    with connect(link, announce) as client:
        return int(client.status()["pid"])


def _path_styles(client: Client, path: str, model: str, required: bool) -> list:
    try:
        return client.list_styles(path=path, model=model)
    except DaemonError as e:
        if required or e.code not in NOT_INSTALLED_CODES:
            raise
        return []  # that path is not installed: the dialog offers the other one


def load_dialog_model(client: Client, model: str, required_mode: str = "") -> DialogModel:
    """The dialog model from list_methods and every mode's list_styles. A mode that is not
    installed lists no styles, unless it is `required_mode`: then its error is raised."""
    styles = {mode: _path_styles(client, mode, model, mode == required_mode) for mode in MODES}
    return build_dialog_model(client.list_methods(), styles, model)


def progress_line(progress: JobProgress) -> tuple[int, str]:
    """(percent, 'Step 3/10, 0:12 left') of a progress event, for an editor's progress bar."""
    if progress.state == "queued":
        return percent(progress.step, progress.total), QUEUED_TEXT
    event = {"step": progress.step, "total": progress.total, "eta_s": progress.eta_s}
    return percent(progress.step, progress.total), progress_text(event)


def stylize(
    client: Client,
    job: StylizeJob,
    on_progress: OnProgress | None = None,
    should_cancel: ShouldCancel | None = None,
) -> tuple[bytes, dict]:
    """(pixels, format) of the stylized job, checked against the job's format; DaemonError
    ('cancelled') once `should_cancel()` turned true while the job ran."""
    request = job.request
    names = {s.name: s.weight for s in request.styles if s.name is not None}
    customs = [
        (*job.custom_styles[s.picture], s.weight) for s in request.styles if s.picture is not None
    ]
    data, fmt = client.stylize(
        job.pixels,
        job.fmt,
        request.params,
        mask=job.mask,
        styles=customs,
        on_progress=on_progress,
        should_cancel=should_cancel,
        path=request.path,
        style_names=names,
        model=request.model,
        preview=job.intermediate_previews,
    )
    check_frame(data, job.fmt)
    return data, fmt
