"""The interactive dialog (GimpUi): mode, style blend, the schema's controls and a preview."""

# pyright: reportMissingImports=false
# (gi, GIMP's GObject bindings, exists only inside GIMP's Python.)

from __future__ import annotations

from typing import Any

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("GimpUi", "3.0")
from gi.repository import GimpUi, Gtk  # noqa: E402
from gimp_args import arguments_from_values, dialog_values, format_weights, parse_weights  # noqa: E402
from gimp_controls import build_fields, show_applicable  # noqa: E402
from gimp_crop import crop_pixels, layer_region  # noqa: E402
from gimp_crop_follow import CropFollower  # noqa: E402
from gimp_custom_rows import CustomRows  # noqa: E402
from gimp_gallery import StyleGallery  # noqa: E402
from gimp_image_settings import image_settings, remember_settings  # noqa: E402
from gimp_job import JOB_ERRORS, connect, load_model, send  # noqa: E402
from gimp_pixels import LayerPixels, thumbnail  # noqa: E402
from gimp_preview_pane import PreviewPane  # noqa: E402
from gimp_styles import custom_frames  # noqa: E402
from gimp_weights import library_blend  # noqa: E402
from stylebridge.client import Client  # noqa: E402
from stylebridge.editor.control_layout import shown_values  # noqa: E402
from stylebridge.editor.crop_context import ContextCrop, context_crop  # noqa: E402
from stylebridge.editor.crop_preview import crop_around, crop_request, region_centre  # noqa: E402
from stylebridge.editor.crop_stroke import whole_picture_stroke  # noqa: E402
from stylebridge.editor.dialog_model import (  # noqa: E402
    CUSTOM_STYLE_MODES,
    MODE_LABELS,
    MODES,
    DialogModel,
)
from stylebridge.editor.layer_formats import gimp_descriptor  # noqa: E402
from stylebridge.editor.preview_shot import PreviewShot, fitted_preview_px  # noqa: E402
from stylebridge.editor.progress_text import failure_text, was_cancelled  # noqa: E402
from stylebridge.editor.request_params import (  # noqa: E402
    METHOD_NAME,
    PREVIEW_SIZE_PX,
    DialogValues,
    applied_percents,
    preview_request,
)

RESPONSE_PREVIEW = 1
PREVIEW_FORMAT = "R'G'B'A u8"
PREVIEW_READY = "Preview ready"
PREVIEW_CANCELLED = "Preview cancelled"


def _grid() -> Gtk.Grid:
    return Gtk.Grid(column_spacing=8, row_spacing=4)


class StyleDialog:
    """The dialog's widgets; `run()` returns the chosen DialogValues, or None on Cancel."""

    def __init__(self, layer: Any, model: DialogModel, values: DialogValues, client: Client):
        self.layer, self.model, self.saved, self.client = layer, model, values, client
        self.cancel_requested = False
        self.shot = PreviewShot()  # a 100 % crop replays the fitted preview's statistics
        self.dialog = GimpUi.Dialog(title="Neural Style Transfer", role="stylebridge")
        for label, response in (("_Cancel", -6), ("_Preview", RESPONSE_PREVIEW), ("_OK", -5)):
            self.dialog.add_button(label, response)  # -6, -5: Gtk.ResponseType CANCEL, OK
        self.dialog.connect("response", self._on_response)
        box = Gtk.Box(orientation=Gtk.Orientation.HORIZONTAL, spacing=12, border_width=12)
        self.dialog.get_content_area().pack_start(box, True, True, 0)
        self.pane = PreviewPane(PREVIEW_SIZE_PX)
        self.progress, self._report = self.pane.progress, self.pane.report
        # The 100 % toggle and a double-click on the picture preview at once, as Preview does.
        self.pane.on_pick = lambda: self.dialog.response(RESPONSE_PREVIEW)
        self.pane.zoom.connect("toggled", lambda *_: self.pane.on_pick())
        # The pane widens with the dialog; a 100 % crop follows its size (gimp_crop_follow).
        box.pack_start(self.pane.box, True, True, 0)
        start_preview = lambda: self.dialog.response(RESPONSE_PREVIEW)  # noqa: E731
        self.follower = CropFollower(self.pane, self.mode_name, start_preview)
        column = Gtk.Box(orientation=Gtk.Orientation.VERTICAL, spacing=8)
        box.pack_start(column, True, True, 0)
        self.mode = Gtk.ComboBoxText()
        for mode in MODES:
            reason = model.reason_unavailable(mode)
            self.mode.append(mode, f"{MODE_LABELS[mode]}{': unavailable' if reason else ''}")
        self.mode.set_active_id(values.mode if values.mode in MODES else MODES[0])
        self.options_grid, self.advanced_grid = _grid(), _grid()
        self.blend_box = Gtk.Box(orientation=Gtk.Orientation.VERTICAL, spacing=6)
        self.advanced = Gtk.Expander(label="Advanced")
        self.advanced.add(self.advanced_grid)
        self.custom_box = Gtk.Box(orientation=Gtk.Orientation.VERTICAL, spacing=4)
        styles = Gtk.Label(label="Styles", xalign=0.0)
        column_widgets = (self.mode, styles, self.blend_box, self.custom_box, self.options_grid)
        for widget in (*column_widgets, self.advanced):
            column.pack_start(widget, False, False, 0)
        self._rebuild()
        self.mode.connect("changed", self._rebuild)
        self.pane.show_before(*thumbnail(layer, PREVIEW_SIZE_PX, in_selection=True))

    def mode_name(self) -> str:
        """The mode chosen now."""
        return self.mode.get_active_id() or MODES[0]

    def _rebuild(self, *_: Any) -> None:
        mode = self.mode.get_active_id()
        self.blend = None
        for grid in (self.blend_box, self.custom_box, self.options_grid, self.advanced_grid):
            for child in grid.get_children():
                child.destroy()
        self.fields, self.custom = [], None
        if self.model.reason_unavailable(mode):  # said instead of styles; OK would be refused
            reason = f"Unavailable: {self.model.reason_unavailable(mode)}."
            self.blend_box.pack_start(Gtk.Label(label=reason, xalign=0.0), False, False, 0)
            self.dialog.show_all()
            return
        values = (
            self.saved if mode == self.saved.mode else dialog_values({"mode": mode}, self.model)
        )
        options = dict(values.options)
        if values.methods:
            options[METHOD_NAME] = format_weights(values.methods)
        styles = self.model.styles_for(mode)
        self.blend = StyleGallery(self.blend_box, styles, library_blend(values), self._show_shares)
        # Custom styles (a file, another layer): not for the network's trained styles.
        if mode in CUSTOM_STYLE_MODES:
            image = self.layer.get_image()
            self.custom = CustomRows(self.custom_box, image, self.layer, values, self._show_shares)
        self._show_shares()
        grids = (self.options_grid, self.advanced_grid)
        self.fields = build_fields(grids, self.model.controls_for(mode), options)
        self.dialog.show_all()
        show_applicable(self.fields)

    def _blend(self) -> tuple:
        custom = self.custom.blend() if self.custom is not None else ()
        picked = self.blend.blend() if self.blend is not None else ()
        return picked + custom

    def _show_shares(self) -> None:
        """Each row's applied percent (weights are shares of their sum) beside its slider."""
        if self.blend is None:
            return  # the gallery is still being built
        rest = self.blend.show_shares(list(applied_percents(self._blend())))
        if self.custom is not None:
            self.custom.show_shares(rest)

    def values(self) -> DialogValues:
        """What the widgets say now."""
        mode = self.mode.get_active_id()
        options = shown_values({field.name: field.read() for field in self.fields})
        methods = parse_weights(str(options.pop(METHOD_NAME, "")), "method")
        sources = self.custom.sources() if self.custom is not None else ()
        return DialogValues(mode, self._blend(), methods, options, preset="", custom_styles=sources)

    def _on_response(self, _dialog: Any, response: int) -> None:
        # During a preview nobody waits in run(): Cancel then only stops the preview.
        self.cancel_requested = response != RESPONSE_PREVIEW
        if self.cancel_requested:
            self.follower.stop()  # no crop follows a Cancel

    def _picture(self, values: DialogValues) -> tuple[bytes, ContextCrop, Any]:
        """(pixels, their rectangles, request) of the fitted thumbnail, or of the 100 % crop
        with the context sent around it (crop_context)."""
        region = layer_region(self.layer)
        if not self.pane.actual_size:
            self.pane.shown_rect, self.pane.crop_region = region, None
            side = fitted_preview_px(values, self.model)  # the crops replay its statistics
            data, width, height = thumbnail(self.layer, side, in_selection=True)
            request = preview_request(values, self.model, max(width, height))
            fitted = ContextCrop((0, 0, width, height), (0, 0, width, height))
            return data, fitted, self.shot.fitted(request, self.model)
        centre = self.pane.crop_centre or region_centre(region)
        crop = crop_around(region, centre, *self.pane.size())
        self.pane.shown_rect, self.pane.crop_region = crop, region
        context = context_crop(values, self.model, crop, region)
        request = crop_request(values, self.model, context.sent, region)
        request = whole_picture_stroke(request, self.model, context.sent, region)
        request = self.shot.crop(request, self.model)
        return crop_pixels(self.layer, context.sent), context, request

    def preview(self) -> None:
        """Stylize a small thumbnail of the layer, or a 100 % crop, and show it (Cancel stops
        it)."""
        values = self.values()
        data, context, request = self._picture(values)
        descriptor = gimp_descriptor(*context.sent[2:], PREVIEW_FORMAT)
        before, shown = context.cut(data, descriptor)
        self.pane.show_before(before, shown["width"], shown["height"])
        customs = custom_frames(self.layer.get_image(), values.custom_styles)
        self.cancel_requested = False
        pixels = LayerPixels(data, descriptor, PREVIEW_FORMAT, 0, 0)
        cancel = lambda: self.cancel_requested  # noqa: E731
        result, _ = send(self.client, pixels, None, request, self._report, cancel, customs)
        self.shot.done(request)
        self.pane.show(context.cut(result, descriptor)[0], shown["width"], shown["height"])
        self._report(1.0, PREVIEW_READY)

    def preview_or_report(self) -> None:
        """preview(), with a failure or a Cancel said under the picture."""
        self.follower.busy = True  # a resize now waits for this preview's end
        try:
            self.preview()
        except JOB_ERRORS as e:
            self._report(0.0, PREVIEW_CANCELLED if was_cancelled(e) else failure_text(e))
        finally:
            self.follower.busy = False

    def run(self) -> DialogValues | None:
        """Loop until OK or Cancel; Preview keeps the dialog open."""
        while True:
            following = self.follower.take_pending()  # the pane was resized during a preview
            response = RESPONSE_PREVIEW if following else self.dialog.run()
            if response != RESPONSE_PREVIEW:
                break
            self.preview_or_report()
        self.follower.stop()
        values = self.values() if response == Gtk.ResponseType.OK else None
        self.dialog.destroy()
        return values


def run_dialog(image: Any, layer: Any, args: dict[str, Any]) -> dict[str, Any] | None:
    """Show the dialog for `layer`, starting from the settings last used on `image` (else
    `args`, GIMP's last values); the chosen procedure arguments, or None on Cancel."""
    GimpUi.init("stylebridge")
    args = {**args, **image_settings(image)}
    with connect(args, lambda _f, _t: None) as client:
        model = load_model(client, str(args.get("model") or "default"), str(args.get("mode")))
        chosen = StyleDialog(layer, model, dialog_values(args, model), client).run()
    if chosen is None:
        return None
    chosen_args = {**args, **arguments_from_values(chosen, model)}
    remember_settings(image, chosen_args)
    return chosen_args
