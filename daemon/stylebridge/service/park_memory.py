"""Whether a long job may park for another client's job: only when that job fits in the memory
the device has free now. A parked job keeps its tensors (`job_turns.py`), and admission checked
each job against the free memory at its arrival, not against a parked job's, so parking without
this check could hold two jobs' working memory at once and exceed what admission promised.
"""

from __future__ import annotations

from stylebridge.service.admission import FreeBytes, check_admission, device_free_bytes
from stylebridge.service.jobs import Job
from stylebridge.service.precheck import effective_values
from stylebridge.service.protocol import ProtocolError


def fits_beside_a_parked_job(job: Job, device: str, free: FreeBytes = device_free_bytes) -> bool:
    """True when `job` passes the admission check on `device` with its free memory now."""
    try:
        values = effective_values(job.spec, job.values, (device,))
        check_admission(job.spec, values, (device,), free)
    except ProtocolError:
        return False
    return True
