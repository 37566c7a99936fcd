"""The dialog's mode list and what each mode offers. A mode the daemon cannot run (its engine is
not installed) stays listed, greyed, saying why: the painter learns what is missing."""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

from __future__ import annotations

from PyQt5.QtCore import Qt
from stylebridge.editor.dialog_model import CUSTOM_STYLE_MODES, MODE_LABELS, MODES


def mark_unavailable_modes(combo, model) -> None:
    """Grey out each mode of `combo` (items in MODES order) that `model` says is unavailable,
    with the reason in its text and tooltip; select the first usable mode if needed."""
    usable = []
    for index, mode in enumerate(MODES):
        reason = model.reason_unavailable(mode)
        if not reason:
            usable.append(index)
            continue
        combo.setItemText(index, f"{MODE_LABELS[mode]}: unavailable, {reason}")
        combo.setItemData(index, reason, Qt.ToolTipRole)
        combo.model().item(index).setEnabled(False)
    if usable and combo.currentIndex() not in usable:
        combo.setCurrentIndex(usable[0])


def enable_mode_widgets(dialog, mode: str) -> None:
    """Offer what `mode` uses: custom styles (not the network's, which knows only its trained
    styles), the methods tab (optimize), the live preview (not for a slow optimization)."""
    dialog.tabs.setTabEnabled(1, mode == "optimize")
    dialog.live.setEnabled(mode != "optimize")  # an optimization preview only when asked for
    for widget in (dialog.add_file, dialog.layer_choice, dialog.add_layer):
        widget.setEnabled(mode in CUSTOM_STYLE_MODES)
