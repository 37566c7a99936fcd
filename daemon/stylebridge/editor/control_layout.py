"""Where the dialogs put each generated control: the few a painter uses in front, the rest under
Advanced; which controls show only while another has a given value (no Adam step size while
L-BFGS is chosen); and the words a zero stands for ("Full size" rather than "0").

Both plugins lay out their forms from these tables. Stdlib only, Python 3.8+ (runs inside the
editors)."""

from __future__ import annotations

from typing import Any

from .dialog_model import Control

# The controls of the first screen (issue 15); every other one is under Advanced.
PAINTER_CONTROLS: tuple[str, ...] = (
    "strength",
    "stroke",
    "transform",
    "passes",
    "preserve_color",
    "preserve_colors",
    "preset",
    "init",
    "style_weight",
)
# control -> (the control it depends on, the values of that control that show it). Steps,
# scales and size are the preset's to decide unless the preset is "none" (issue 11).
SHOWN_WHEN: dict[str, tuple[str, tuple[Any, ...]]] = {
    "learning_rate": ("optimizer", ("adam",)),
    "steps": ("preset", ("none",)),
    "scales": ("preset", ("none",)),
    "size": ("preset", ("none",)),
}
# Parameters the editor sets itself, never shown: the whole picture's size for a 100 % crop, and
# the shot id of a frames command (frame_loop.py).
EDITOR_SET: tuple[str, ...] = ("picture_px", "shot")
# control -> what its value 0 means, shown instead of the number.
ZERO_TEXTS: dict[str, str] = {
    "size_px": "Full size",
    "max_side_px": "Full size",
    "tile_px": "Never tile",
    "stroke": "As trained",
}


def is_advanced(control: Control) -> bool:
    """True for a control that belongs under Advanced."""
    return control.name not in PAINTER_CONTROLS


def zero_text(control: Control) -> str:
    """The words for 0 of a numeric control whose range starts at 0; "" when there are none."""
    if control.kind not in ("int", "float") or control.minimum not in (0, 0.0):
        return ""
    return ZERO_TEXTS.get(control.name, "")


def is_shown(name: str, values: dict[str, Any]) -> bool:
    """Whether the control `name` applies, given the form's current `values`; a control whose
    condition names a control the form does not have is always shown."""
    if name in EDITOR_SET:
        return False
    condition = SHOWN_WHEN.get(name)
    if condition is None or condition[0] not in values:
        return True
    other, allowed = condition
    return values[other] in allowed


def shown_values(values: dict[str, Any]) -> dict[str, Any]:
    """The form's values without those of hidden controls: what the painter sees is sent."""
    return {name: value for name, value in values.items() if is_shown(name, values)}
