"""The Ray actors of `batch --cluster`: one per GPU of the cluster (or per CPU slot when it has no
GPU), each keeping the model warm; a worker that died is replaced by a fresh one."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Mapping
from typing import Any

from stylebridge.cli.cluster_worker import FrameWorker
from stylebridge.cli.main import CliError

log = logging.getLogger(__name__)
# Replacements allowed per worker slot before the batch stops: a frame that kills every worker
# it is sent to (out of memory, a crash in a driver) must not loop forever.
REPLACEMENTS_PER_SLOT = 2


def slot_resources(cluster: Mapping[str, float]) -> tuple[int, dict[str, float]]:
    """(how many workers, what each one reserves) for the resources a cluster reports."""
    gpus = int(cluster.get("GPU", 0))
    if gpus > 0:
        return gpus, {"num_gpus": 1}
    return max(1, int(cluster.get("CPU", 1))), {"num_cpus": 1}


class WorkerPool:
    """`size` FrameWorker actors; `replace(i)` swaps a dead one for a fresh one."""

    def __init__(self, args: argparse.Namespace, size: int, resources: dict[str, float]) -> None:
        import ray

        # max_restarts=0: the pool, not Ray, decides when a worker is replaced and what it redoes.
        self._actor_class: Any = ray.remote(FrameWorker).options(max_restarts=0, **resources)
        self._args = args
        self._replacements_left = REPLACEMENTS_PER_SLOT * size
        self.workers: list[Any] = [self._actor_class.remote(args) for _ in range(size)]

    @property
    def size(self) -> int:
        return len(self.workers)

    def replace(self, index: int) -> None:
        """Kill worker `index` (if it still runs) and start a fresh one in its slot."""
        import ray

        if self._replacements_left <= 0:
            raise CliError("Ray workers keep dying; stopped (see the Ray logs on the cluster)")
        self._replacements_left -= 1
        log.warning("Ray worker %d died; replaced, its frames are redone", index)
        ray.kill(self.workers[index], no_restart=True)
        self.workers[index] = self._actor_class.remote(self._args)

    def close(self) -> None:
        """Stop every worker (the cluster itself keeps running)."""
        import ray

        for worker in self.workers:
            ray.kill(worker, no_restart=True)

    def wait_ready(self) -> None:
        """Return once every worker has loaded its model; CliError when they cannot start."""
        import ray
        from ray.exceptions import RayActorError

        try:
            ray.get([worker.ready.remote() for worker in self.workers])
        except RayActorError as e:
            self.close()
            raise CliError(f"the Ray workers could not start: {_cause_line(e)}") from None


def _cause_line(error: BaseException) -> str:
    """The last line of the error Ray relays (its cause), for a one-line message."""
    lines = [line for line in str(error).splitlines() if line.strip()]
    return lines[-1].strip() if lines else type(error).__name__
