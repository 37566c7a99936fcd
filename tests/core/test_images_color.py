"""Image files, resizing, the style library, and colour preservation (METHODS §2.4, §9 item 10)."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from PIL import Image
from stylebridge.core import color
from stylebridge.core.images import (
    fit_long_side,
    load_image,
    load_mask,
    resize_to_area,
    save_image,
)
from stylebridge.core.style_library import list_styles, resolve_style


def test_load_image_applies_exif_orientation_and_flattens_alpha(tmp_path: Path) -> None:
    image = Image.new("RGBA", (40, 20), (255, 0, 0, 0))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise on display
    image.convert("RGB").save(tmp_path / "rot.jpg", exif=exif)
    assert load_image(tmp_path / "rot.jpg").shape == (1, 3, 40, 20)
    image.save(tmp_path / "clear.png")
    loaded = load_image(tmp_path / "clear.png")
    assert loaded.shape == (1, 3, 20, 40)
    assert torch.allclose(loaded, torch.ones_like(loaded))  # fully transparent -> white


def test_load_image_resizes_to_long_side(tmp_path: Path) -> None:
    Image.new("RGB", (100, 50), (10, 20, 30)).save(tmp_path / "a.png")
    assert load_image(tmp_path / "a.png", 32).shape == (1, 3, 16, 32)
    assert fit_long_side(3, 1000, 10) == (1, 10)


def test_resize_to_area_keeps_the_aspect_up_or_down_and_a_minimum_side() -> None:
    wide = torch.rand(1, 3, 100, 400)
    assert resize_to_area(wide, 200 * 800).shape[-2:] == (200, 800)  # enlarged
    assert resize_to_area(wide, 25 * 100).shape[-2:] == (25, 100)  # shrunk
    assert resize_to_area(wide, 25 * 100, min_side_px=40).shape[-2:] == (40, 100)


def test_load_image_errors_name_the_problem(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no such file"):
        load_image(tmp_path / "missing.png")
    (tmp_path / "text.png").write_text("not an image")
    with pytest.raises(ValueError, match="not an image"):
        load_image(tmp_path / "text.png")
    with pytest.raises(IsADirectoryError):
        load_image(tmp_path)


def test_save_then_load_round_trips_within_quantisation(tmp_path: Path) -> None:
    image = torch.rand(1, 3, 8, 12, generator=torch.Generator().manual_seed(0))
    save_image(image, tmp_path / "x.png")
    assert (load_image(tmp_path / "x.png") - image).abs().max() <= 0.5 / 255 + 1e-6
    with pytest.raises(ValueError, match="format"):
        save_image(image, tmp_path / "x.nosuchformat")


def test_load_mask_reads_grey_levels_at_the_requested_size(tmp_path: Path) -> None:
    Image.new("L", (16, 8), 255).save(tmp_path / "m.png")
    mask = load_mask(tmp_path / "m.png", (4, 8))
    assert mask.shape == (1, 1, 4, 8) and torch.allclose(mask, torch.ones_like(mask))


def test_style_names_resolve_to_bundled_files_and_paths_win(tmp_path: Path) -> None:
    styles = list_styles()
    assert "starry-night" in styles and len(styles) >= 10
    assert resolve_style("starry-night") == styles["starry-night"]
    own = tmp_path / "starry-night"
    own.write_bytes(b"x")
    assert resolve_style(own) == own
    with pytest.raises(FileNotFoundError, match="neither a file nor a bundled style"):
        resolve_style("no-such-style")


def random_image(seed: int, scale: float = 1.0) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    base = torch.rand(1, 3, 16, 16, generator=g, dtype=torch.float64)
    return (base * scale + base[:, :1] * 0.3).clamp(0, 1)


@pytest.mark.parametrize("mode", ["cholesky", "sqrt"])
def test_histogram_matching_reproduces_content_mean_and_covariance(mode: str) -> None:
    style, content = random_image(0, 0.5), random_image(1)
    matched = color.match_histogram(style, content, mode)  # type: ignore[arg-type]
    mean_m, cov_m = color._mean_cov(matched)
    mean_c, cov_c = color._mean_cov(content)
    assert torch.allclose(mean_m, mean_c, atol=1e-10)
    assert torch.allclose(cov_m, cov_c, rtol=1e-5, atol=1e-10)


def test_yuv_round_trip_and_luminance_transfer_keeps_content_chroma() -> None:
    image, content = random_image(2), random_image(3)
    assert torch.allclose(color.yuv_to_rgb(color.rgb_to_yuv(image)), image, atol=1e-10)
    combined = color.combine_luminance(color.luminance_as_rgb(image), content)
    assert torch.allclose(color.rgb_to_yuv(combined)[:, 1:], color.rgb_to_yuv(content)[:, 1:])
    assert torch.allclose(color.rgb_to_yuv(combined)[:, :1], color.rgb_to_yuv(image)[:, :1])


def test_luminance_matching_gives_content_mean_and_std() -> None:
    style, content = random_image(4)[:, :1] * 0.2, random_image(5)[:, :1]
    matched = color.match_luminance(style, content)
    assert matched.mean().item() == pytest.approx(content.mean().item())
    assert matched.std(correction=0).item() == pytest.approx(content.std(correction=0).item())
