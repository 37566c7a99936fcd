"""Free-text parameters a painter picks from a short list instead: the arbitrary path's
`transform` (wct, intra, a fusion such as "wct=0.5,intra=0.5") becomes a choice of what the style
should bring, each meaning one wire value.

The daemon declares `transform` as a string (any fusion is allowed on the wire); the dialogs offer
three of its values, worded for a painter: per-feature transport (intra-class: the style's
colours and contrast) or the whitening-colouring transform (inter-class: its textures and
patterns), or both. Stdlib only, Python 3.8+ (runs inside the editors)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .dialog_model import Control

# (mode, parameter) -> (label of the control, ((wire value, what a painter reads), ...)).
PAINTER_CHOICES: dict[tuple[str, str], tuple[str, tuple[tuple[str, str], ...]]] = {
    ("arbitrary", "transform"): (
        "Match",
        (
            ("intra", "Colours and contrast (fast, intra)"),
            ("wct", "Textures and patterns (WCT, inter)"),
            ("wct=0.5,intra=0.5", "Blend of both"),
        ),
    ),
}


def painter_choice(mode: str, control: Control) -> Control:
    """`control` as a choice among PAINTER_CHOICES' values when it has an entry there (its
    default kept when the list holds it, else the first); unchanged otherwise."""
    entry = PAINTER_CHOICES.get((mode, control.name))
    if entry is None or control.kind not in ("string", "choice"):
        return control
    label, pairs = entry
    values = tuple(value for value, _ in pairs)
    default = control.default if control.default in values else values[0]
    return replace(
        control,
        kind="choice",
        label=label,
        default=default,
        choices=values,
        choice_labels=tuple(text for _, text in pairs),
        suggestions=(),
        help=control.help,
    )
