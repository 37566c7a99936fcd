"""Start-up and tear-down of the daemon: logs, lock, stale socket, secure bind, workers."""

from __future__ import annotations

import logging
import logging.handlers
import signal
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import zmq

from stylebridge import config
from stylebridge.config import Settings
from stylebridge.service import endpoints, loopback_keys, protocol, security, slow_readers
from stylebridge.service.handlers import DaemonState
from stylebridge.service.jobs import JobQueue
from stylebridge.service.model_cache import ModelCache
from stylebridge.service.protocol import Limits
from stylebridge.service.server import Server

log = logging.getLogger("stylebridge.daemon")
LOG_NAME = "daemon.log"


@dataclass(frozen=True)
class DaemonOptions:
    """What `stylebridge daemon` was asked for, on top of Settings."""

    settings: Settings
    benchmark_ops: bool = False


def setup_logging() -> logging.Handler:
    """Log to <log dir>/daemon.log (rotated); returns the handler, to remove at exit."""
    folder = config.private_dir(config.paths().log_dir)
    path = folder / LOG_NAME
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=5_000_000, backupCount=3)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("stylebridge")
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return handler


def devices(name: str) -> tuple[str, ...]:
    """The devices to run one worker each on: 'auto' takes every CUDA GPU, else the CPU."""
    import torch

    if name in ("auto", "cuda") and torch.cuda.is_available():
        return tuple(f"cuda:{i}" for i in range(torch.cuda.device_count()))
    if name == "cuda":
        raise ValueError("device 'cuda' asked for, but no CUDA GPU is available")
    if name.startswith("cuda:") or name == "cpu":
        return (name,)
    if name == "auto":
        return ("cpu",)
    raise ValueError(f"device must be auto, cpu, cuda or cuda:N, got {name!r}")


def limits_from(settings: Settings) -> Limits:
    """Wire limits from the settings."""
    return Limits(
        max_side_px=settings.max_side_px,
        max_pixels=settings.max_pixels,
        max_message_bytes=settings.max_message_bytes,
        max_queued_bytes=settings.max_queued_bytes,
        job_time_limit_s=settings.job_time_limit_s,
        max_unread_bytes=settings.max_unread_bytes,
    )


def curve_keys_folder(endpoint: str, settings: Settings) -> Path | None:
    """The CURVE keys the bind uses: --curve-keys, else on loopback TCP (which every local user
    can reach) the user's own loopback keys, created on first use; None for ipc:// (a 0600 file).
    """
    if settings.curve_keys:
        return Path(settings.curve_keys)
    if loopback_keys.is_loopback_tcp(endpoint):
        return security.loopback_keys(endpoints.runtime_dir())
    return None


def bind(context: zmq.Context, endpoint: str, settings: Settings) -> tuple[zmq.Socket, Any]:
    """A ROUTER bound to `endpoint` (CURVE when keys are configured); (socket, authenticator).
    Call it holding the endpoint's lock: it replaces a stale socket file."""
    router = context.socket(zmq.ROUTER)
    router.setsockopt(zmq.LINGER, 0)
    # Above max_message_bytes, so the loop can answer a frame over it (protocol.py says why).
    router.setsockopt(zmq.MAXMSGSIZE, protocol.received_frame_bytes(limits_from(settings)))
    router.setsockopt(zmq.SNDHWM, slow_readers.SEND_HWM)
    router.setsockopt(zmq.SNDBUF, protocol.SOCKET_BUFFER_BYTES)
    router.setsockopt(zmq.RCVBUF, protocol.SOCKET_BUFFER_BYTES)
    authenticator = None
    keys = curve_keys_folder(endpoint, settings)
    if keys is not None:
        authenticator = security.secure_server(router, context, keys)
    if endpoints.remove_stale_socket(endpoint):
        log.warning("removed a stale socket left by a crashed daemon: %s", endpoint)
    endpoints.bind_private(router, endpoint)
    return router, authenticator


def warm_up() -> None:
    """Import the core before serving, so the first requests do not stall the loop."""
    from stylebridge.service import catalog

    catalog.list_methods()


def run_daemon(options: DaemonOptions) -> int:
    """Serve until stopped; returns the exit code."""
    settings = options.settings
    endpoint = settings.endpoint or endpoints.default_endpoint()
    security.check_bind(endpoint, settings.curve_keys)
    lock = endpoints.lock_endpoint(endpoint)  # before the stale-socket check (endpoints.py)
    handler = setup_logging()
    context = zmq.Context()
    authenticator = router = None
    try:
        router, authenticator = bind(context, endpoint, settings)
        warm_up()
        limits = limits_from(settings)
        state = DaemonState(
            endpoint=endpoint,
            limits=limits,
            devices=devices(settings.device),
            queue=JobQueue.from_limits(limits, settings.job_slice_s),
            cache=ModelCache(settings.model_memory_budget_mb),
            benchmark_ops=options.benchmark_ops,
        )
        _stop_on_signals(state.stopping)
        log.info("serving on %s (devices %s)", endpoint, state.devices)
        Server(state, router, context).serve()
        router.close(linger=0)
        log.info("stopped")
    finally:
        if authenticator is not None:
            authenticator.stop()
        context.destroy(linger=0)
        socket_file = endpoints.ipc_path(endpoint)
        if socket_file is not None and router is not None:  # never a socket it did not bind
            socket_file.unlink(missing_ok=True)
        lock.release()
        logging.getLogger("stylebridge").removeHandler(handler)
        handler.close()
    return 0


def _stop_on_signals(stopping: threading.Event) -> None:
    if threading.current_thread() is not threading.main_thread():
        return
    for name in ("SIGTERM", "SIGINT", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), lambda *_: stopping.set())
