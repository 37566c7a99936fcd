"""What the worker threads do with the daemon: connect (starting it if needed), fetch the
dialog's schema, stylize. Runs off the UI thread: no Krita API here, only the client."""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

from __future__ import annotations

import sys
from dataclasses import dataclass

from stylebridge.client import Client, DaemonError, DaemonUnavailable
from stylebridge.editor.daemon_launch import restart_daemon, start_daemon
from stylebridge.editor.dialog_model import MODES, DialogModel, build_dialog_model
from stylebridge.editor.progress_text import ENGINE_STARTED_TEXT
from stylebridge.editor.request_params import StylizeRequest

CLIENT_NAME = "stylebridge-krita"


@dataclass(frozen=True)
class StylizeJob:
    """One stylize call: the image frame, its mask, the request and custom style frames
    (indexed by request.custom_weights)."""

    pixels: bytes
    fmt: dict
    mask: bytes | None
    request: StylizeRequest
    custom_styles: tuple = ()
    intermediate_previews: bool = False  # progress events carry low-res previews


def _is_running(settings) -> bool:
    probe = Client(settings.endpoint or None, timeout_s=1.0, tries=1)
    try:
        return probe.ping()
    except DaemonUnavailable:
        return False
    finally:
        probe.close()


def connect(settings, worker) -> Client:
    """A client of a running daemon; starts one with the configured command when none answers."""
    if start_daemon(settings.daemon_command, lambda: _is_running(settings)):
        print(f"stylebridge: started the daemon with `{settings.daemon_command}`", file=sys.stderr)
        worker.note(ENGINE_STARTED_TEXT)
    client = Client(settings.endpoint or None, timeout_s=settings.timeout_s)
    client.hello(CLIENT_NAME)
    return client


def restart(settings, worker) -> int:
    """Stop the engine and start it again with the configured command; the new one's pid."""

    def shutdown() -> None:
        with Client(settings.endpoint or None, timeout_s=settings.timeout_s, tries=1) as client:
            client.shutdown()

    restart_daemon(settings.daemon_command, lambda: _is_running(settings), shutdown)
    print(f"stylebridge: restarted the daemon with `{settings.daemon_command}`", file=sys.stderr)
    client = connect(settings, worker)
    try:
        return int(client.status()["pid"])
    finally:
        client.close()


def _styles(client: Client, mode: str, model: str) -> list:
    try:
        return client.list_styles(mode, model)
    except DaemonError as e:
        if e.code in ("unknown_model", "unknown_method"):
            return []  # that path is not installed: the dialog offers the other one
        raise


def load_model(settings, worker) -> DialogModel:
    """The dialog model from list_methods and list_styles of every mode."""
    client = connect(settings, worker)
    try:
        methods = client.list_methods()
        styles = {mode: _styles(client, mode, settings.model) for mode in MODES}
        return build_dialog_model(methods, styles, settings.model)
    finally:
        client.close()


def stylize(settings, job: StylizeJob, worker) -> tuple:
    """(pixels, format) of the stylized job; DaemonError('cancelled') after worker.cancel()."""
    client = connect(settings, worker)
    request = job.request
    customs = [(*job.custom_styles[index], weight) for index, weight in request.custom_weights]
    try:
        return client.stylize(
            job.pixels,
            job.fmt,
            request.params,
            mask=job.mask,
            styles=customs,
            on_progress=worker.report,
            should_cancel=worker.is_cancelled,
            path=request.path,
            style_names=request.style_names,
            model=request.model,
            preview=job.intermediate_previews,
        )
    finally:
        client.close()
