"""A frames command's request names one fresh shot (#17) where its path declares `shot` (the
network path, from the daemon's own schema), and the dialogs never show or send it themselves."""

from __future__ import annotations

from typing import Any

import pytest
from stylebridge.editor.control_layout import is_shown, shown_values
from stylebridge.editor.dialog_model import DialogModel, build_dialog_model
from stylebridge.editor.frame_loop import SHOT_NAME, in_one_shot
from stylebridge.editor.request_params import DialogValues, stylize_request
from stylebridge.service.shots import check_shot_id

STYLES = {"network": [{"name": "udnie", "label": "Udnie"}], "optimize": [{"name": "udnie"}]}


@pytest.fixture
def model(list_methods_reply: dict[str, Any]) -> DialogModel:
    return build_dialog_model(list_methods_reply, STYLES)


def test_each_frames_run_of_the_network_path_gets_its_own_valid_shot(model: DialogModel) -> None:
    request = stylize_request(DialogValues("network", (("udnie", 1.0),)), model)
    first, second = in_one_shot(request, model), in_one_shot(request, model)
    assert SHOT_NAME not in request.params  # a single layer is no shot
    ids = first.params[SHOT_NAME], second.params[SHOT_NAME]
    assert ids[0] != ids[1] and all(check_shot_id(shot_id) for shot_id in ids)
    assert {**first.params, SHOT_NAME: ""} == {**request.params, SHOT_NAME: ""}


def test_paths_without_a_shot_parameter_are_sent_unchanged(model: DialogModel) -> None:
    values = DialogValues("optimize", (("udnie", 1.0),), methods=(("gram", 1.0),))
    request = stylize_request(values, model)
    assert in_one_shot(request, model) == request


def test_the_dialogs_never_show_or_send_a_shot() -> None:
    assert not is_shown(SHOT_NAME, {SHOT_NAME: ""})
    assert SHOT_NAME not in shown_values({SHOT_NAME: "", "strength": 1.0})
