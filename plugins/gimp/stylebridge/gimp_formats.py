"""Which babl format to read a drawable in, from its native format. Stdlib only.

We read in the drawable's own precision so 16-bit and float layers keep their depth through the
daemon and back, and keep its encoding: R'G'B' (sRGB curve) stays perceptual, RGB (linear light)
is sent as linear and the daemon converts it. R~G~B~ ("perceptual") is read as R'G'B': both are the
sRGB curve in the sRGB space we ask GEGL for. u32 and double have no wire dtype: read as float."""

from __future__ import annotations

COMPONENTS: dict[str, str] = {
    "u8": "u8",
    "u16": "u16",
    "u32": "float",
    "half": "half",
    "float": "float",
    "double": "float",
}


def request_format(native: str) -> str:
    """Native babl name ("RGB half", "R~G~B~A u16") -> the RGBA name to read and write in."""
    model, _, component = native.rpartition(" ")
    if component not in COMPONENTS or not model:
        raise ValueError(f"unsupported layer format {native!r}: only RGB layers can be stylized")
    letters = model.replace("A", "")
    if letters in ("R'G'B'", "R~G~B~"):
        return f"R'G'B'A {COMPONENTS[component]}"
    if letters == "RGB":
        return f"RGBA {COMPONENTS[component]}"
    raise ValueError(
        f"unsupported layer format {native!r}: convert the image with Image > Mode > RGB"
    )
