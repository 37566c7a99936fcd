#!/usr/bin/env python3
"""GIMP 3 plug-in: Filters > Artistic > Neural Style Transfer… (procedure plug-in-stylebridge).

Thin: GIMP's procedure, progress and messages <-> the vendored stylebridge client. The same
procedure serves the menu (a dialog), Python-Fu and gimp-console batch calls (no UI)."""

# pyright: reportMissingImports=false
# (gi, GIMP's GObject bindings, exists only inside GIMP's Python.)

from __future__ import annotations

import os
import sys
import traceback
from typing import Any

import gi

gi.require_version("Gimp", "3.0")
from gi.repository import Gimp, GLib, GObject  # noqa: E402

HERE = os.path.dirname(os.path.realpath(__file__))
# vendor/ goes first: this very file is also called stylebridge(.py).
sys.path[:0] = [os.path.join(HERE, "vendor"), HERE]

from gimp_args import ARGUMENTS, PROCEDURE, Argument  # noqa: E402

FRAMES_PROCEDURE = "plug-in-stylebridge-frames"  # gimp_frames.py (imported only when run)

FLAGS = GObject.ParamFlags.READWRITE


def missing_dependency_text(error: ImportError) -> str:
    """What to tell the user when pyzmq or msgpack is missing from GIMP's Python."""
    return (
        f"Neural Style Transfer cannot talk to the stylebridge daemon: GIMP's Python "
        f"({sys.executable}, {sys.version.split()[0]}) cannot import pyzmq/msgpack ({error}). "
        "Fix: run `stylebridge install --gimp`, which puts them into the plug-in folder, "
        "then restart GIMP."
    )


def _add_argument(proc: Gimp.Procedure, arg: Argument) -> None:
    if arg.kind == "string":
        proc.add_string_argument(arg.name, arg.label, arg.help, arg.default, FLAGS)
    elif arg.kind == "boolean":
        proc.add_boolean_argument(arg.name, arg.label, arg.help, arg.default, FLAGS)
    else:
        add = proc.add_double_argument if arg.kind == "double" else proc.add_int_argument
        add(arg.name, arg.label, arg.help, arg.minimum, arg.maximum, arg.default, FLAGS)


class StyleBridge(Gimp.PlugIn):
    """Registers plug-in-stylebridge."""

    def do_query_procedures(self) -> list[str]:
        return [PROCEDURE, FRAMES_PROCEDURE]

    def do_set_i18n(self, name: str) -> bool:
        return False

    def do_create_procedure(self, name: str) -> Gimp.Procedure:
        if name == FRAMES_PROCEDURE:
            return self._create_frames_procedure(name)
        proc = Gimp.ImageProcedure.new(self, name, Gimp.PDBProcType.PLUGIN, self.run, None)
        proc.set_image_types("RGB*")
        proc.set_sensitivity_mask(Gimp.ProcedureSensitivityMask.DRAWABLE)
        proc.set_menu_label("Neural Style Transfer…")
        proc.add_menu_path("<Image>/Filters/Artistic")
        proc.set_documentation(
            "Neural style transfer into a new layer",
            "Stylizes the selected layer through the local stylebridge daemon and puts the "
            "result in a new layer above it; the selection (feathering included) sets its alpha.",
            name,
        )
        proc.set_attribution("stylebridge", "stylebridge", "2026")
        for arg in ARGUMENTS:
            _add_argument(proc, arg)
        return proc

    def _create_frames_procedure(self, name: str) -> Gimp.Procedure:
        proc = Gimp.ImageProcedure.new(self, name, Gimp.PDBProcType.PLUGIN, self.run_frames, None)
        proc.set_image_types("RGB*")
        proc.set_sensitivity_mask(Gimp.ProcedureSensitivityMask.ALWAYS)
        proc.set_menu_label("Stylize Layers as Frames…")
        proc.add_menu_path("<Image>/Filters/Animation")
        proc.set_documentation(
            "Neural style transfer of every layer as an animation frame",
            "Stylizes each layer of the image (a frame, as GIMP's animations keep them) through "
            "the local stylebridge daemon into a new image with the same layers.",
            name,
        )
        proc.set_attribution("stylebridge", "stylebridge", "2026")
        for arg in ARGUMENTS:
            _add_argument(proc, arg)
        return proc

    def run_frames(
        self,
        procedure: Gimp.Procedure,
        run_mode: Gimp.RunMode,
        image: Gimp.Image,
        drawables: list[Gimp.Drawable],
        config: Gimp.ProcedureConfig,
        data: Any,
    ) -> Gimp.ValueArray:
        """Every layer as a frame into a new image; every failure an error return."""
        args = {arg.name: config.get_property(arg.name) for arg in ARGUMENTS}
        try:
            import gimp_frames
            import gimp_job
        except ImportError as e:
            return _fail(procedure, missing_dependency_text(e))
        try:
            layers = gimp_frames.frame_layers(image)
            if run_mode == Gimp.RunMode.INTERACTIVE and layers:
                args = _ask(image, layers[-1], args, config)
                if args is None:
                    return procedure.new_return_values(Gimp.PDBStatusType.CANCEL, GLib.Error())
            Gimp.progress_init("Neural style transfer of frames")
            result = gimp_frames.stylize_frames_image(image, args, _report)
            if run_mode == Gimp.RunMode.INTERACTIVE:
                Gimp.Display.new(result)
        except gimp_job.JOB_ERRORS as e:
            return _fail(procedure, f"Neural style transfer of frames failed: {e}")
        except Exception as e:  # a bug: still answer GIMP, with the traceback on stderr
            traceback.print_exc()
            return _fail(
                procedure, f"Neural style transfer: internal error {type(e).__name__}: {e}"
            )
        finally:
            Gimp.progress_end()
        Gimp.displays_flush()
        return procedure.new_return_values(Gimp.PDBStatusType.SUCCESS, GLib.Error())

    def run(
        self,
        procedure: Gimp.Procedure,
        run_mode: Gimp.RunMode,
        image: Gimp.Image,
        drawables: list[Gimp.Drawable],
        config: Gimp.ProcedureConfig,
        data: Any,
    ) -> Gimp.ValueArray:
        """The one error boundary: every failure becomes an error return with its message."""
        if len(drawables) != 1 or not isinstance(drawables[0], Gimp.Layer):
            return _fail(procedure, "select exactly one layer to stylize")
        args = {arg.name: config.get_property(arg.name) for arg in ARGUMENTS}
        try:
            import gimp_job
            import gimp_pixels
        except ImportError as e:
            return _fail(procedure, missing_dependency_text(e))
        layer = drawables[0]
        if run_mode != Gimp.RunMode.NONINTERACTIVE:  # Repeat, Re-Show: never restyle a result
            layer = gimp_pixels.stylized_source(image, layer)
        try:
            if run_mode == Gimp.RunMode.INTERACTIVE:
                args = _ask(image, layer, args, config)
                if args is None:
                    return procedure.new_return_values(Gimp.PDBStatusType.CANCEL, GLib.Error())
            Gimp.progress_init("Neural style transfer")
            gimp_job.stylize_layer(image, layer, args, _report)
        except gimp_job.JOB_ERRORS as e:
            return _fail(procedure, f"Neural style transfer failed: {e}")
        except Exception as e:  # a bug: still answer GIMP, with the traceback on stderr
            traceback.print_exc()
            return _fail(
                procedure, f"Neural style transfer: internal error {type(e).__name__}: {e}"
            )
        finally:
            Gimp.progress_end()
        Gimp.displays_flush()
        return procedure.new_return_values(Gimp.PDBStatusType.SUCCESS, GLib.Error())


def _ask(image: Gimp.Image, layer: Gimp.Layer, args: dict, config: Any) -> dict | None:
    """The dialog's choice (also stored as GIMP's last-used values), or None on Cancel."""
    from gimp_dialog import run_dialog

    chosen = run_dialog(image, layer, args)
    for name, value in (chosen or {}).items():
        config.set_property(name, value)
    return chosen


def _report(fraction: float, text: str) -> None:
    # Cancel in GIMP's progress bar ends this process (gimp_plug_in_close); the daemon then
    # cancels the job of the vanished client. The dialog's preview has its own Cancel.
    Gimp.progress_set_text(text)
    Gimp.progress_update(fraction)


def _fail(procedure: Gimp.Procedure, text: str) -> Gimp.ValueArray:
    # GIMP shows a returned error in a message (a dialog, or stderr in batch mode) and hands
    # it to a calling script: reporting it here too would say everything twice.
    return procedure.new_return_values(Gimp.PDBStatusType.EXECUTION_ERROR, GLib.Error(text))


if __name__ == "__main__":
    Gimp.main(StyleBridge.__gtype__, sys.argv)
