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
from collections.abc import Callable
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
            return _new_procedure(
                self, name, self.run_frames, Gimp.ProcedureSensitivityMask.ALWAYS,
                ("Stylize Layers as Frames…", "<Image>/Filters/Animation"),
                "Neural style transfer of every layer as an animation frame",
                "Stylizes each layer of the image (a frame, as GIMP's animations keep them) "
                "through the local stylebridge daemon into a new image with the same layers.",
            )  # fmt: skip
        return _new_procedure(
            self, name, self.run, Gimp.ProcedureSensitivityMask.DRAWABLE,
            ("Neural Style Transfer…", "<Image>/Filters/Artistic"),
            "Neural style transfer into a new layer",
            "Stylizes the selected layer through the local stylebridge daemon and puts the "
            "result in a new layer above it; the selection (feathering included) sets its alpha.",
        )  # fmt: skip

    def run_frames(
        self,
        procedure: Gimp.Procedure,
        run_mode: Gimp.RunMode,
        image: Gimp.Image,
        drawables: list[Gimp.Drawable],
        config: Gimp.ProcedureConfig,
        data: Any,
    ) -> Gimp.ValueArray:
        """Every layer as a frame into a new image (shown when run from the menu)."""
        args = {arg.name: config.get_property(arg.name) for arg in ARGUMENTS}
        try:
            import gimp_frames
        except ImportError as e:
            return _fail(procedure, missing_dependency_text(e))

        def work() -> Gimp.ValueArray | None:
            layers = gimp_frames.frame_layers(image)
            chosen = args
            if run_mode == Gimp.RunMode.INTERACTIVE and layers:
                chosen = _ask(image, layers[-1], args, config)
                if chosen is None:
                    return procedure.new_return_values(Gimp.PDBStatusType.CANCEL, GLib.Error())
            Gimp.progress_init("Neural style transfer of frames")
            result = gimp_frames.stylize_frames_image(image, chosen, _report)
            if run_mode == Gimp.RunMode.INTERACTIVE:
                Gimp.Display.new(result)
            return None

        return _guarded(procedure, "Neural style transfer of frames", work)

    def run(
        self,
        procedure: Gimp.Procedure,
        run_mode: Gimp.RunMode,
        image: Gimp.Image,
        drawables: list[Gimp.Drawable],
        config: Gimp.ProcedureConfig,
        data: Any,
    ) -> Gimp.ValueArray:
        """Stylize the one selected layer into a new layer above it."""
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

        def work() -> Gimp.ValueArray | None:
            chosen = args
            if run_mode == Gimp.RunMode.INTERACTIVE:
                chosen = _ask(image, layer, args, config)
                if chosen is None:
                    return procedure.new_return_values(Gimp.PDBStatusType.CANCEL, GLib.Error())
            Gimp.progress_init("Neural style transfer")
            gimp_job.stylize_layer(image, layer, chosen, _report)
            return None

        return _guarded(procedure, "Neural style transfer", work)


def _new_procedure(
    plug_in: Gimp.PlugIn, name: str, run: Any, sensitivity: Any, menu: tuple[str, str],
    blurb: str, help_text: str,
) -> Gimp.Procedure:  # fmt: skip
    """An image procedure taking every argument of ARGUMENTS, under menu = (label, path)."""
    proc = Gimp.ImageProcedure.new(plug_in, name, Gimp.PDBProcType.PLUGIN, run, None)
    proc.set_image_types("RGB*")
    proc.set_sensitivity_mask(sensitivity)
    proc.set_menu_label(menu[0])
    proc.add_menu_path(menu[1])
    proc.set_documentation(blurb, help_text, name)
    proc.set_attribution("stylebridge", "stylebridge", "2026")
    for arg in ARGUMENTS:
        _add_argument(proc, arg)
    return proc


def _guarded(
    procedure: Gimp.Procedure, what: str, work: Callable[[], Gimp.ValueArray | None]
) -> Gimp.ValueArray:
    """The one error boundary: work() (its own return, e.g. a cancel, or success) with every
    failure an error return carrying its message."""
    import gimp_job

    try:
        answer = work()
    except gimp_job.JOB_ERRORS as e:
        return _fail(procedure, f"{what} failed: {e}")
    except Exception as e:  # a bug: still answer GIMP, with the traceback on stderr
        traceback.print_exc()
        return _fail(procedure, f"{what}: internal error {type(e).__name__}: {e}")
    finally:
        Gimp.progress_end()
    if answer is not None:
        return answer
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
