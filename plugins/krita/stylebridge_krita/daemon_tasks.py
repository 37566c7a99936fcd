"""What the worker threads do with the daemon, through the shared editor session: connect
(starting it if needed), fetch the dialog's schema, stylize, restart. Runs off the UI thread: no
Krita API here."""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

from __future__ import annotations

import stylebridge.editor.session as session
from stylebridge.editor.dialog_model import DialogModel
from stylebridge.editor.preview_shot import KeptClient
from stylebridge.editor.session import StylizeJob

CLIENT_NAME = "stylebridge-krita"
__all__ = ["StylizeJob", "load_model", "restart", "stylize", "stylize_kept"]


def _link(settings) -> session.DaemonLink:
    return session.DaemonLink(
        settings.endpoint or None, settings.daemon_command, settings.timeout_s, CLIENT_NAME
    )


def restart(settings, worker) -> int:
    """Stop the engine and start it again with the configured command; the new one's pid."""
    return session.restart(_link(settings), worker.note)


def load_model(settings, worker) -> DialogModel:
    """The dialog model of the daemon (started first when none answers)."""
    with session.connect(_link(settings), worker.note) as client:
        return session.load_dialog_model(client, settings.model)


def stylize(settings, job: StylizeJob, worker) -> tuple:
    """(pixels, format) of the stylized job; DaemonError('cancelled') after worker.cancel()."""
    with session.connect(_link(settings), worker.note) as client:
        return session.stylize(client, job, worker.report, worker.is_cancelled)


def stylize_kept(settings, job: StylizeJob, worker, kept: KeptClient) -> tuple:
    """stylize() on `kept`'s connection (connected on first use): a preview's shot lives there."""
    connect = lambda: session.connect(_link(settings), worker.note)  # noqa: E731
    return kept.stylize(connect, job, worker.report, worker.is_cancelled)
