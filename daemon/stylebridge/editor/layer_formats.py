"""An editor layer's native pixel layout -> the wire pixel descriptor of docs/architecture.md
("Pixels on the wire"). Stdlib only, Python 3.8+: it runs inside Krita's and GIMP's Pythons."""

from __future__ import annotations

from typing import Any

from ..pixel_layout import layout_from_wire, result_layout

# Krita depth -> (memory channel order, dtype). Integer layers are B,G,R,A in memory,
# float layers R,G,B,A (verified in Krita 5.1.5, see ../shared/editors/README.md).
KRITA_LAYOUTS: dict[str, tuple[str, str]] = {
    "U8": ("BGRA", "uint8"),
    "U16": ("BGRA", "uint16"),
    "F16": ("RGBA", "float16"),
    "F32": ("RGBA", "float32"),
}

# GIMP/babl format name -> (channel order, dtype, transfer). A prime (R'G'B') means
# perceptual (sRGB curve); no prime means linear light.
GIMP_LAYOUTS: dict[str, tuple[str, str, str]] = {
    "R'G'B'A u8": ("RGBA", "uint8", "srgb"),
    "R'G'B' u8": ("RGB", "uint8", "srgb"),
    "R'G'B'A u16": ("RGBA", "uint16", "srgb"),
    "R'G'B' u16": ("RGB", "uint16", "srgb"),
    "R'G'B'A half": ("RGBA", "float16", "srgb"),
    "R'G'B'A float": ("RGBA", "float32", "srgb"),
    "RGBA u8": ("RGBA", "uint8", "linear"),
    "RGBA u16": ("RGBA", "uint16", "linear"),
    "RGBA half": ("RGBA", "float16", "linear"),
    "RGBA float": ("RGBA", "float32", "linear"),
    "RGB half": ("RGB", "float16", "linear"),
    "RGB float": ("RGB", "float32", "linear"),
}

# Substrings of ICC profile names that mean a linear (gamma 1.0) transfer curve. Krita's default
# profile for U16/F16/F32 documents is "sRGB-elle-V2-g10.icc".
LINEAR_PROFILE_MARKERS: tuple[str, ...] = ("g10", "linear", "scrgb", "gamma 1.0", "gamma1.0")


def is_linear_profile(profile_name: str) -> bool:
    """True when an ICC profile name denotes linear light (e.g. Krita's `sRGB-elle-V2-g10.icc`)."""
    lowered = profile_name.lower()
    return any(marker in lowered for marker in LINEAR_PROFILE_MARKERS)


def descriptor(
    width: int, height: int, channels: str, dtype: str, transfer: str = "srgb", stride: int = 0
) -> dict[str, Any]:
    """The wire descriptor, checked by the daemon's own rule (pixel_layout); `stride` 0 means
    tightly packed rows."""
    if width < 1 or height < 1:
        raise ValueError(f"layer size must be at least 1x1, got {width}x{height}")
    fields = {"width": width, "height": height, "channels": channels, "dtype": dtype}
    return layout_from_wire({**fields, "transfer": transfer, "stride": stride}, "layer").to_wire()


def krita_descriptor(
    width: int, height: int, color_model: str, depth: str, profile: str
) -> dict[str, Any]:
    """Descriptor for Krita's `node.pixelData()` bytes of an RGBA layer of `depth` and `profile`."""
    if color_model != "RGBA":
        raise ValueError(
            f"only RGB layers can be stylized, this layer is {color_model}: convert it with "
            "Image > Convert Image Color Space"
        )
    if depth not in KRITA_LAYOUTS:
        raise ValueError(f"colour depth must be one of {sorted(KRITA_LAYOUTS)}, got {depth!r}")
    channels, dtype = KRITA_LAYOUTS[depth]
    transfer = "linear" if is_linear_profile(profile) else "srgb"
    return descriptor(width, height, channels, dtype, transfer)


def gimp_descriptor(width: int, height: int, babl_format: str) -> dict[str, Any]:
    """Descriptor for a GEGL buffer read in `babl_format` (e.g. "R'G'B'A u8", "RGBA float")."""
    if babl_format not in GIMP_LAYOUTS:
        raise ValueError(f"babl format must be one of {sorted(GIMP_LAYOUTS)}, got {babl_format!r}")
    channels, dtype, transfer = GIMP_LAYOUTS[babl_format]
    return descriptor(width, height, channels, dtype, transfer)


def frame_size(fmt: dict[str, Any]) -> int:
    """Bytes a buffer with descriptor `fmt` (a layer's or a result's) holds: stride x height."""
    return result_layout(fmt).buffer_bytes


def check_frame(data: bytes, fmt: dict[str, Any]) -> None:
    """ValueError unless `data` has exactly the length `fmt` describes."""
    if len(data) != frame_size(fmt):
        raise ValueError(
            f"pixel buffer holds {len(data)} bytes, its descriptor says {frame_size(fmt)}"
        )
