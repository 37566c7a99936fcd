"""Filter > Stylize Animation Frames: every keyframe of the active layer stylized with the last
settings into a new animated layer above it, as one shot (no flicker on the network path); a
cancel keeps the frames already done."""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

from __future__ import annotations

import stylebridge.editor.session as session
from stylebridge.client import DaemonError
from stylebridge.editor.frame_loop import in_one_shot, stylize_frames
from stylebridge.editor.layer_names import layer_name
from stylebridge.editor.progress_text import was_cancelled
from stylebridge.editor.request_params import stylize_request

from . import daemon_tasks, settings
from .animation_frames import add_animated_layer, read_frames
from .feedback import CANCELLED_TEXT, report_note
from .style_sources import job_inputs

CANCELLED_FRAMES_TEXT = "Cancelled after {done} of {count} frames: the frames done were kept."


def _frames_task(plugin_settings, source, values, customs):
    """The worker's task: (stylized frames in order, layer name); fewer frames after a cancel."""

    link = session.DaemonLink(
        plugin_settings.endpoint or None,
        plugin_settings.daemon_command,
        plugin_settings.timeout_s,
        daemon_tasks.CLIENT_NAME,
    )

    def task(worker):
        side_px = max(source.rect[2:])
        done: list = []
        working_px = [0]  # the size a preset picked, for the layer's name (0: not said)
        with session.connect(link, worker.note) as client:
            model = session.load_dialog_model(client, plugin_settings.model)
            request = in_one_shot(stylize_request(values, model, side_px), model)

            def one(index, part) -> None:
                def on_progress(event) -> None:
                    percent, text = session.progress_line(event)
                    part(percent / 100.0, text)

                job = session.StylizeJob(source.frames[index], source.fmt, None, request, customs)
                pixels, fmt = session.stylize(client, job, on_progress, worker.is_cancelled)
                working_px[0] = int(fmt.get("working_px") or 0)
                done.append(pixels)

            report = lambda fraction, text: worker.progressed.emit(round(fraction * 100), text)  # noqa: E731
            try:
                stylize_frames(len(source.frames), one, report, worker.is_cancelled)
            except DaemonError as e:
                if not was_cancelled(e) or not done:
                    raise
        return done, layer_name(request, model.labels(), side_px, working_px[0])

    return task


def stylize_animation(extension, doc, values, follow=None):
    """Start stylizing the active layer's keyframes of `doc` with `values`; the worker, or None
    when nothing could start (the reason is in extension.last_error)."""
    extension.last_error = ""
    try:
        node, source, customs = job_inputs(doc, read_frames, values)
    except ValueError as e:
        extension.fail(str(e))
        return None
    task = _frames_task(settings.load_settings(), source, values, customs)

    def finished(result) -> None:
        done, name = result
        if not done:  # cancelled before the first frame ended
            extension.last_error = CANCELLED_TEXT
            report_note(CANCELLED_TEXT)
            return
        try:
            extension.last_layer = add_animated_layer(doc, node, name, source, done)
        except RuntimeError:  # the document or layer went away while the job ran
            extension.fail("The source layer or document was closed before the frames arrived.")
            return
        if len(done) < len(source.frames):
            extension.last_error = CANCELLED_FRAMES_TEXT.format(
                done=len(done), count=len(source.frames)
            )
            report_note(extension.last_error)
        settings.save_last_values(values, doc)

    return extension.run_task(task, finished, follow=follow)
