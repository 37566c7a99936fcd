"""`batch --cluster` on a real Ray cluster started here (2 CPU slots, small frames): the frames
equal the local batch's byte for byte, and a worker killed mid-batch is replaced and its frames
redone, every frame written exactly once. The only test file that starts Ray."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ray = pytest.importorskip("ray", reason="needs Ray: pip install 'stylebridge[cluster]'")

from stylebridge.cli import batch_cluster_loop  # noqa: E402
from stylebridge.cli.batch_cluster_loop import run_frames_on_cluster  # noqa: E402
from stylebridge.cli.cluster_pool import WorkerPool  # noqa: E402
from stylebridge.cli.main import build_parser, main  # noqa: E402
from stylebridge.core.frame_io import write_frame  # noqa: E402
from stylebridge.core.frames import collect_shots  # noqa: E402
from stylebridge.core.images import load_image  # noqa: E402
from stylebridge.core.progress import Progress  # noqa: E402

pytestmark = pytest.mark.timeout(600)
PHOTO = Path(__file__).parents[2] / "daemon/stylebridge/data/samples/washington-monument.jpg"
HEIGHT, WIDTH, COUNT = 48, 64, 6
NETWORK = ["--model", "default", "--blend", "udnie=1", "--stroke", "0", "--quiet"]


@pytest.fixture(scope="module")
def cluster() -> Iterator[None]:
    """A fresh local Ray cluster with 2 CPU slots; ports are Ray's choice."""
    ray.init(
        address="local", num_cpus=2, include_dashboard=False, log_to_driver=False,
        object_store_memory=100 * 1024 * 1024, configure_logging=False,
    )  # fmt: skip
    try:
        yield
    finally:
        ray.shutdown()


@pytest.fixture(scope="module")
def frames(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A panning shot of COUNT frames: frame_00.png ..."""
    folder = tmp_path_factory.mktemp("shot")
    scene = load_image(PHOTO, long_side_px=300)
    for i in range(COUNT):
        crop = scene[..., 30 : 30 + HEIGHT, 5 * i : 5 * i + WIDTH]
        write_frame(crop, folder / f"frame_{i:02d}.png", 8)
    return folder


def batch(frames: Path, out: Path, *extra: str) -> int:
    """Exit code of `stylebridge batch` over the shot, run in this process."""
    return main(["batch", str(frames / "frame_%02d.png"), "-o", str(out), *NETWORK, *extra])


def outputs(out: Path) -> list[bytes]:
    return [(out / f"frame_{i:02d}.png").read_bytes() for i in range(COUNT)]


@pytest.mark.parametrize("temporal", ["off", "stats"])
def test_cluster_frames_equal_the_local_batch(
    cluster: None, frames: Path, tmp_path: Path, temporal: str
) -> None:
    assert batch(frames, tmp_path / "local", "--daemon", "off", "--temporal", temporal) == 0
    assert batch(frames, tmp_path / "ray", "--cluster", "local", "--temporal", temporal) == 0
    assert outputs(tmp_path / "ray") == outputs(tmp_path / "local")
    assert sorted(p.name for p in (tmp_path / "ray").iterdir()) == [
        f"frame_{i:02d}.png" for i in range(COUNT)
    ]


def test_killed_worker_is_replaced_and_every_frame_written_once(
    cluster: None,
    frames: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert batch(frames, tmp_path / "local", "--daemon", "off") == 0
    out = tmp_path / "ray"
    out.mkdir()
    args = build_parser().parse_args(
        ["batch", str(frames / "frame_%02d.png"), "-o", str(out), *NETWORK]
    )
    writes: list[Path] = []

    def counted_write(rgb: Any, path: Path, bits: int) -> None:
        writes.append(path)
        write_frame(rgb, path, bits)

    monkeypatch.setattr(batch_cluster_loop, "write_frame", counted_write)
    pool = WorkerPool(args, 2, {"num_cpus": 1})
    first_worker = pool.workers[0]

    def kill_after_first_frame(progress: Progress) -> None:
        # Frames 0 to 3 went out two per worker: worker 0 still holds frame 2 now.
        if progress.step == 1:
            ray.kill(pool.workers[0], no_restart=True)

    try:
        pool.wait_ready()
        with caplog.at_level(logging.WARNING):
            shots = collect_shots([str(frames / "frame_%02d.png")], out)
            report = run_frames_on_cluster(shots, pool, False, False, kill_after_first_frame)
        assert pool.workers[0] is not first_worker
    finally:
        pool.close()
    assert "Ray worker 0 died; replaced" in caplog.text
    assert (report.written, report.skipped, report.failed) == (COUNT, 0, 0)
    assert sorted(writes) == sorted(out / f"frame_{i:02d}.png" for i in range(COUNT))
    assert outputs(out) == outputs(tmp_path / "local")
