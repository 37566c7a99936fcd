"""Quality presets: valid values per device, explicit values win, and the ETA weighs steps by
their pixels so that cheap coarse steps do not promise an early finish."""

from __future__ import annotations

import pytest
from stylebridge.core import optimize_report
from stylebridge.core.optimize import OptimizeParams
from stylebridge.core.optimize_params import OPTIMIZE_PARAMETERS
from stylebridge.core.optimize_presets import (
    MAX_STEP_FACTOR,
    PRESET_NAMES,
    preset_values,
    steps_for_methods,
)
from stylebridge.core.optimize_report import Reporter
from stylebridge.core.progress import Progress


@pytest.mark.parametrize("device_type", ["cpu", "cuda"])
@pytest.mark.parametrize("name", PRESET_NAMES)
def test_every_preset_is_a_valid_set_of_parameters(name: str, device_type: str) -> None:
    values = preset_values(name, device_type)
    params = OptimizeParams.from_values({**values, "device": "cpu"})
    assert params.steps == values["steps"] and params.scales >= 2


def test_presets_grow_from_draft_to_fine_and_normal_fits_a_cpu_minute_at_512_px() -> None:
    cost = [
        preset_values(n, "cpu")["steps"] * preset_values(n, "cpu")["size"] ** 2  # type: ignore[operator]
        for n in PRESET_NAMES
    ]
    assert cost == sorted(cost)
    assert preset_values("normal", "cpu")["size"] == 512


def test_a_named_preset_fills_only_the_values_not_given() -> None:
    params = OptimizeParams.from_values({"preset": "normal", "device": "cpu", "steps": 7})
    assert (params.steps, params.scales, params.size) == (7, 3, 512)
    plain = OptimizeParams.from_values({"device": "cpu"})
    assert (plain.preset, plain.steps, plain.scales) == ("none", 300, 1)


def test_unknown_presets_are_refused_by_name() -> None:
    with pytest.raises(ValueError, match="preset must be one of"):
        preset_values("ultra", "cpu")
    with pytest.raises(ValueError, match="'preset' must be one of"):
        OptimizeParams.from_values({"preset": "ultra"})
    assert any(spec.name == "preset" for spec in OPTIMIZE_PARAMETERS)  # schema, CLI, dialogs


def test_eta_counts_the_full_size_steps_still_to_come(monkeypatch: pytest.MonkeyPatch) -> None:
    times = iter([10.0, 12.0, 12.0])  # first evaluation at 10 s, first step done at 12 s
    monkeypatch.setattr(optimize_report.time, "perf_counter", lambda: next(times))
    reports: list[Progress] = []
    small, large = Reporter.work(100), Reporter.work(1600)
    # 4 steps at 100 px² then 4 steps at 1,600 px² (+ one start evaluation per scale).
    reporter = Reporter(8, 5 * small + 5 * large, reports.append, None, 0, started_s=0.0)
    reporter.done_work(100)
    reporter.done_step(1.0, 100, None, lambda image: image)  # type: ignore[arg-type]
    # 2 s bought one small evaluation; 3 small and 5 large ones remain.
    assert reports[-1].eta_s == pytest.approx(2.0 * (3 * small + 5 * large) / small)
    assert reports[-1].elapsed_s == 12.0


@pytest.mark.parametrize("device_type", ["cpu", "cuda"])
@pytest.mark.parametrize("name", PRESET_NAMES)
def test_refining_a_finished_picture_runs_every_step_at_full_size(
    name: str, device_type: str
) -> None:
    scratch = preset_values(name, device_type)
    refine = preset_values(name, device_type, "network")
    assert refine["scales"] == 1 and refine["size"] == scratch["size"]
    assert preset_values(name, device_type, "/some/picture.png") == refine
    assert preset_values(name, device_type, "noise") == scratch


def test_a_preset_refines_when_the_request_starts_from_the_network() -> None:
    params = OptimizeParams.from_values({"preset": "normal", "device": "cpu", "init": "network"})
    assert (params.scales, params.size, params.steps) == (1, 512, 30)
    given = OptimizeParams.from_values(
        {"preset": "normal", "device": "cpu", "init": "network", "scales": 2}
    )
    assert given.scales == 2  # values given explicitly still win


def test_init_auto_refines_the_networks_or_the_arbitrary_paths_result() -> None:
    def resolved(names: list[str | None] | None) -> OptimizeParams:
        return OptimizeParams.from_values({"preset": "normal", "device": "cpu"}, names)

    network = resolved(["starry-night", "udnie"])  # both painted by the shipped network
    assert (network.init, network.scales) == ("network", 1)
    pictures: list[list[str | None]] = [["starry-night", None], ["/my/painting.png"]]
    for names in pictures:  # None: a custom picture
        any_picture = resolved(names)
        assert (any_picture.init, any_picture.scales) == ("arbitrary", 1), names
    unknown = resolved(None)  # params built without their styles: the photo, coarse to fine
    assert (unknown.init, unknown.scales) == ("content", 3)
    explicit = OptimizeParams.from_values({"init": "content"}, ["starry-night"])
    assert explicit.init == "content"


def test_a_preset_at_a_smaller_size_spends_its_time_on_more_steps() -> None:
    def steps(**given: object) -> int:
        values = {"preset": "normal", "device": "cpu", "init": "network", **given}
        return OptimizeParams.from_values(values).steps

    assert steps() == 30  # 512 px, the preset's own size
    assert steps(size=384) == round(30 * (512 / 384) ** 2)  # about the same time
    assert steps(size=128) == 30 * MAX_STEP_FACTOR  # never more than that
    assert steps(size=1024) == 30  # larger: the same steps, a longer (and announced) run
    assert steps(size=384, steps=12) == 12  # given steps win


def test_a_loss_cheaper_per_step_than_gram_spends_a_cpu_preset_on_more_steps() -> None:
    def steps(method: str, **given: object) -> int:
        values = {"preset": "normal", "device": "cpu", "init": "network", "method": method}
        return OptimizeParams.from_values({**values, **given}).steps

    gram = steps("gram")
    assert steps("mmd-linear") > steps("bn") > gram  # cheaper per step: more of them
    assert steps("inter") == steps("mmd-gauss") == gram  # costlier: the preset's own steps
    assert steps("gram=0.5,mmd-linear=0.5") == gram  # a fusion pays for its costliest part
    assert steps("mmd-linear", size=384) > steps("gram", size=384) > gram  # both rules at once
    assert steps("mmd-linear", steps=12) == 12  # given steps win
    assert steps_for_methods(30, ["mmd-linear"], "cuda") == 30  # step costs measured on CPUs only
