"""What a shot's instance statistics depend on (issue 17's `shot`, issue 15's crop previews): the
one rule the daemon binds a shot to (service/shots.py) and an editor compares to reuse one
(editor/preview_shot.py). Stdlib only, Python 3.8+: vendored into the editors' plugins."""

from __future__ import annotations

from typing import Any

# Applied to the network's result, not inside it: they do not change the statistics.
AFTER_THE_NETWORK = ("shot", "strength", "preserve_color")
# Where the image lies in the picture, not what the statistics are of: picture_px only scales a
# crop's processing size to the whole picture's (stroke > 0; unused at stroke 0).
WHERE_IN_THE_PICTURE = ("picture_px",)
# With stroke > 0 the network runs at the stroke's processing size from the caller's pixels
# whatever size_px says: size_px sizes only the result. At stroke 0 the network runs at size_px.
SIZE_OF_THE_RESULT = ("size_px",)
STROKE_PARAMETER = "stroke"  # 0: strokes fixed in pixels (the schema's default is 1)


def shot_params(params: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    """The (name, value) pairs of `params` a shot's statistics depend on, sorted."""
    ignored = AFTER_THE_NETWORK + WHERE_IN_THE_PICTURE
    if params.get(STROKE_PARAMETER) != 0:
        ignored += SIZE_OF_THE_RESULT
    return tuple(sorted((k, v) for k, v in params.items() if k not in ignored))
