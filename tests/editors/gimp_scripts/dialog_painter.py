"""Runs INSIDE GIMP 3 (gimp3-run.sh) with an X display (Xvfb): the plug-in's dialog used as a
painter would, against a real daemon; writes what it saw as JSON.

    GIMP3_RUN_BIND=/tmp/.X11-unix:... gimp3-run.sh dialog_painter.py \
        DISPLAY PLUGIN_DIR PHOTO ARGUMENTS_JSON OUT.json

Network mode (ARGUMENTS name one style): a second style chosen in an empty row, the share each
row shows, a preview and the text under it. Optimize mode: the 'Start from' control, the preset
the dialog starts on, and a preview cancelled while it runs. Any-picture mode: a style layer added
as a custom style, the Match choices, a preview per Match choice.
"""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

from __future__ import annotations

import json
import os
import sys
import time
from types import SimpleNamespace
from typing import Any

import gi

DISPLAY, PLUGIN_DIR, PHOTO, ARGUMENTS, OUT = sys.argv[1:6]
os.environ["DISPLAY"] = DISPLAY  # before Gtk is imported: gimp3-run.sh clears the environment
sys.path[:0] = [os.path.join(PLUGIN_DIR, "vendor"), PLUGIN_DIR]
gi.require_version("Gimp", "3.0")
gi.require_version("Gtk", "3.0")
gi.require_version("GimpUi", "3.0")
from custom_style_call import STYLE_LAYER, add_style_layer  # noqa: E402
from gi.repository import Gimp, GimpUi, Gio, GLib, Gtk  # noqa: E402
from gimp_args import dialog_values  # noqa: E402
from gimp_dialog import StyleDialog  # noqa: E402
from gimp_job import JOB_ERRORS, connect, load_model  # noqa: E402
from stylize_call import write_report  # noqa: E402

CANCEL_AFTER_MS = 2000


def preview(dialog: Any) -> str:
    """Press Preview; the text under the picture afterwards."""
    if hasattr(dialog, "preview_or_report"):
        dialog.preview_or_report()
    else:  # the dialog before issue 15 did this in run()
        try:
            dialog.preview()
        except JOB_ERRORS as e:
            dialog._report(0.0, str(e))
    return dialog.progress.get_text()


def pump(seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        while Gtk.events_pending():
            Gtk.main_iteration_do(False)  # never blocks: a pending event may be gone by now
        time.sleep(0.02)


def centre_colour(picture: Any) -> list[int]:
    """R, G, B of the pixbuf's centre pixel."""
    x, y = picture.get_width() // 2, picture.get_height() // 2
    at = y * picture.get_rowstride() + x * picture.get_n_channels()
    return list(picture.get_pixels()[at : at + 3])


def split_check(dialog: Any) -> dict[str, Any]:
    """The picture on screen with the line at the right edge (all before) and at the left edge
    (all after), and where a click at a quarter of the width puts the line."""
    pane = dialog.pane
    colours = {}
    for split in (1.0, 0.0):
        pane.set_split(split)
        pump(0.3)
        colours[split] = centre_colour(pane.shown())
    x, _, w, _ = pane.picture_rect()
    pane.drag(None, SimpleNamespace(x=x + w / 4))
    return {"before": colours[1.0], "after": colours[0.0], "clicked_split": pane.split}


def field(dialog: Any, name: str) -> Any:
    return next(f for f in dialog.fields if f.name == name)


def network_part(dialog: Any, second: str) -> dict[str, Any]:
    """Pick a second style in the gallery (as a click on its thumbnail does)."""
    labels = [button.get_tooltip_text() for button in dialog.blend.buttons.values()]
    dialog.blend.pick(second)
    size = field(dialog, "size_px").widget
    size.update()
    return {
        "size_text": size.get_text(),
        "labels": labels,
        "second_weight": dict(dialog.values().blend).get(second, 0.0),
        "shares": dialog.blend.shown_shares(),
        "blend": [list(pair) for pair in dialog.values().blend],
        "preview_text": preview(dialog),
        "split": split_check(dialog),
        "before_size": [dialog.pane.before.get_width(), dialog.pane.before.get_height()],
        "selection_size": [dialog.layer.get_width() // 2, dialog.layer.get_height()],
    }


def advanced_part(dialog: Any) -> dict[str, Any]:
    """Which controls are in front and which under Advanced; which show while they apply."""
    out: dict[str, Any] = {"advanced_closed": not dialog.advanced.get_expanded()}
    for place, grid in (("front", dialog.options_grid), ("advanced", dialog.advanced_grid)):
        out[place] = sorted(f.name for f in dialog.fields if f.widget.get_parent() is grid)
    step = field(dialog, "learning_rate").widget
    out["adam_step_shown_with_lbfgs"] = step.get_visible()
    field(dialog, "optimizer").widget.set_active_id("adam")
    out["adam_step_shown_with_adam"] = step.get_visible()
    field(dialog, "optimizer").widget.set_active_id("lbfgs")
    out["steps_shown_with_preset"] = field(dialog, "steps").widget.get_visible()
    return out


def optimize_part(dialog: Any) -> dict[str, Any]:
    dialog.mode.set_active_id("optimize")
    init = field(dialog, "init")
    out: dict[str, Any] = {"init_widget": type(init.widget).__name__}
    if isinstance(init.widget, Gtk.ComboBoxText):
        out["init_offers"] = [row[0] for row in init.widget.get_model()]
        init.widget.get_child().set_text("network")
    out["init_value"] = dialog.values().options.get("init")
    out["preset"] = field(dialog, "preset").read()
    out.update(advanced_part(dialog))
    if "init_offers" in out:
        init.widget.get_child().set_text("content")  # the preview below starts from the photo

    def cancel() -> bool:
        dialog.cancel_requested = True
        return False

    GLib.timeout_add(CANCEL_AFTER_MS, cancel)
    out["cancel_text"] = preview(dialog)
    return out


def after_colour(dialog: Any) -> list[int]:
    """The centre of the preview with the split line at the left edge (all after)."""
    dialog.pane.set_split(0.0)
    pump(0.3)
    return centre_colour(dialog.pane.shown())


def arbitrary_part(dialog: Any) -> dict[str, Any]:
    """Mode 'Any picture (instant)': the style layer added, a preview per Match choice."""
    dialog.mode.set_active_id("arbitrary")
    match = field(dialog, "transform")
    out: dict[str, Any] = {"mode_text": dialog.mode.get_active_text()}
    out["match_offers"] = [row[0] for row in match.widget.get_model()]
    out["front"] = sorted(
        f.name for f in dialog.fields if f.widget.get_parent() is dialog.options_grid
    )
    out["takes_custom"] = dialog.custom is not None
    if dialog.custom is not None:
        dialog.custom.add(f"layer:{STYLE_LAYER}")
    out["custom_styles"] = list(dialog.values().custom_styles)
    for transform in ("intra", "wct"):
        match.widget.set_active_id(transform)
        out[f"{transform}_sent"] = dialog.values().options.get("transform")
        out[f"{transform}_preview_text"] = preview(dialog)
        out[f"{transform}_after"] = after_colour(dialog)
    out["before"] = centre_colour(dialog.pane.before)
    return out


def main() -> int:
    GimpUi.init("stylebridge-painter")
    image = Gimp.file_load(Gimp.RunMode.NONINTERACTIVE, Gio.File.new_for_path(PHOTO))
    layer = image.get_layers()[0]
    add_style_layer(image)  # below the photo: a style for the any-picture mode
    # The left half selected: the preview shows (and stylizes) that part only.
    half = (layer.get_width() // 2, layer.get_height())
    image.select_rectangle(Gimp.ChannelOps.REPLACE, 0, 0, *half)
    args = json.loads(ARGUMENTS)
    with connect(args, lambda _f, _t: None) as client:
        model = load_model(client, str(args.get("model") or "default"), args["mode"])
        second = model.styles_for("network")[1].name
        dialog = StyleDialog(layer, model, dialog_values(args, model), client)
        dialog.dialog.show_all()
        report = {"network": network_part(dialog, second), "optimize": optimize_part(dialog)}
        report["arbitrary"] = arbitrary_part(dialog)
    dialog.dialog.destroy()
    image.delete()
    write_report(report, OUT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
