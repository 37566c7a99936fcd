"""Progress events -> the short text and percentage an editor's progress bar shows.

Stdlib only, Python 3.8+ (runs inside the editors)."""

from __future__ import annotations

from typing import Any

# The daemon is "the style engine" to a painter: no command line or path in the dialogs (the
# plugins log those to stderr for whoever debugs).
CONNECTING_TEXT = "Connecting to the style engine…"
ENGINE_STARTING_TEXT = "Starting the style engine…"
ENGINE_STARTED_TEXT = "Started the style engine; it keeps running in the background."
CANCELLED_CODE = "cancelled"  # the daemon's error code for a job stopped at the client's request
# The first step also pays for warming up (autograd buffers, caches): an ETA extrapolated from it
# alone promised tens of minutes for a one-minute job, so none is shown before the second step.
FIRST_ETA_STEP = 2


def format_duration(seconds: float) -> str:
    """37 -> '0:37', 3725 -> '1:02:05'."""
    whole = max(0, round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def percent(step: int, total: int) -> int:
    """0..100; 0 when the total is unknown."""
    if total <= 0:
        return 0
    return max(0, min(100, round(100 * step / total)))


def progress_text(event: dict[str, Any]) -> str:
    """'Step 12/100, 0:35 left' from a progress event (step, total, eta_s; each optional)."""
    step, total = event.get("step"), event.get("total")
    eta_s = event.get("eta_s")
    parts = []
    if isinstance(step, int) and isinstance(total, int) and total > 0:
        parts.append(f"Step {step}/{total}")
    counted = isinstance(step, int) and step >= FIRST_ETA_STEP
    if isinstance(eta_s, (int, float)) and eta_s >= 0 and counted:
        parts.append(f"{format_duration(eta_s)} left")
    return ", ".join(parts) or "Working…"


def was_cancelled(error: BaseException) -> bool:
    """True for the daemon's answer to a Cancel: the painter's choice, reported as a status,
    never as an error."""
    return getattr(error, "code", None) == CANCELLED_CODE


def failure_text(error: BaseException) -> str:
    """The error's own message for the painter: a daemon error without its '(code)' suffix."""
    message = getattr(error, "message", None)
    return message if isinstance(message, str) and message else str(error)
