"""METHODS.md §9 identities for the style losses, in float64 on tiny random features."""

from __future__ import annotations

import pytest
import torch
from stylebridge.core.losses.bn import bn_loss, channel_moments
from stylebridge.core.losses.content import content_loss
from stylebridge.core.losses.gram import gram_loss, gram_matrix
from stylebridge.core.losses.mmd import (
    BANDWIDTH_FACTOR,
    channel_means,
    gauss_bandwidth,
    gauss_mmd_loss,
    linear_mmd_loss,
    poly_mmd_loss,
)
from stylebridge.core.losses.tv import tv_loss
from stylebridge.core.losses.wasserstein import (
    inter_loss,
    intra_loss,
    random_directions,
    resample_sorted,
)
from torch import Tensor

N = 7


def features(m_h: int, m_w: int, seed: int, shift: float = 0.0) -> Tensor:
    g = torch.Generator().manual_seed(seed)
    return torch.randn(1, N, m_h, m_w, generator=g, dtype=torch.float64).abs() + shift


def mmd2(x: Tensor, y: Tensor, kernel) -> Tensor:
    """Biased MMD² from the definition (METHODS §3.1); x (N, M), y (N, M')."""
    kxx, kyy, kxy = kernel(x.T @ x), kernel(y.T @ y), kernel(x.T @ y)
    return kxx.mean() + kyy.mean() - 2 * kxy.mean()


def cols(f: Tensor) -> Tensor:
    return f.reshape(f.shape[1], -1)


def test_gram_loss_is_poly2_mmd_over_n_squared_for_unequal_sizes() -> None:
    x, y = features(5, 10, 0), features(4, 9, 1)
    expected = mmd2(cols(x), cols(y), lambda d: d**2) / N**2
    assert torch.allclose(gram_loss(x, gram_matrix(y)), expected.reshape(1), rtol=1e-10)


def test_gatys_e_l_is_poly_mmd_over_4n2_and_a_quarter_of_magenta_loss() -> None:
    x, y = features(5, 10, 0), features(5, 10, 1)
    f, s = cols(x), cols(y)
    m = f.shape[1]
    e_l = ((f @ f.T - s @ s.T) ** 2).sum() / (4 * N**2 * m**2)
    assert torch.allclose(e_l, mmd2(f, s, lambda d: d**2) / (4 * N**2), rtol=1e-10)
    magenta = ((f @ f.T / m - s @ s.T / m) ** 2).mean()
    assert torch.allclose(magenta, 4 * e_l, rtol=1e-10)


def test_linear_mmd_is_distance_of_channel_means() -> None:
    x, y = features(5, 10, 0), features(3, 7, 1)
    reference = mmd2(cols(x), cols(y), lambda d: d)
    direct = (cols(x).mean(1) - cols(y).mean(1)).pow(2).sum()
    assert torch.allclose(reference, direct, rtol=1e-10)
    assert torch.allclose(linear_mmd_loss(x, channel_means(y)) * N, direct.reshape(1))


@pytest.mark.parametrize("c", [0.0, 0.37, 2.5])
def test_poly_mmd_with_c_decomposes_into_gram_plus_linear(c: float) -> None:
    x, y = features(5, 10, 2), features(6, 6, 3)
    with_c = mmd2(cols(x), cols(y), lambda d: (d + c) ** 2)
    decomposed = mmd2(cols(x), cols(y), lambda d: d**2) + 2 * c * mmd2(
        cols(x), cols(y), lambda d: d
    )
    assert torch.allclose(with_c, decomposed, rtol=1e-10)
    loss = poly_mmd_loss(x, gram_matrix(y), channel_means(y), c)
    assert torch.allclose(loss, (with_c / N**2).reshape(1), rtol=1e-10)


def test_bn_loss_zero_after_moment_matching_and_positive_otherwise() -> None:
    x, y = features(5, 10, 4), features(3, 3, 5, shift=2.0)
    mean_y, std_y = channel_moments(y)
    mean_x, std_x = channel_moments(x)
    matched = (x - mean_x[..., None, None]) / std_x[..., None, None]
    matched = matched * std_y[..., None, None] + mean_y[..., None, None]
    assert bn_loss(matched, mean_y, std_y).item() < 1e-9
    assert bn_loss(x, mean_y, std_y).item() > 0.1


def per_channel_shuffle(f: Tensor, seed: int) -> Tensor:
    g = torch.Generator().manual_seed(seed)
    c = cols(f)
    rows = [row[torch.randperm(row.numel(), generator=g)] for row in c]
    return torch.stack(rows).reshape(f.shape)


def common_shuffle(f: Tensor, seed: int) -> Tensor:
    order = torch.randperm(cols(f).shape[1], generator=torch.Generator().manual_seed(seed))
    return cols(f)[:, order].reshape(f.shape)


def all_losses(x: Tensor, y: Tensor) -> dict[str, float]:
    """Every deterministic style loss of x against y."""
    directions = random_directions(N, N, torch.Generator().manual_seed(9), x.device).double()
    sorted_y = torch.sort(cols(y), dim=1)[0]
    return {
        "gram": gram_loss(x, gram_matrix(y)).item(),
        "mmd-linear": linear_mmd_loss(x, channel_means(y)).item(),
        "mmd-poly": poly_mmd_loss(x, gram_matrix(y), channel_means(y), 0.5).item(),
        "bn": bn_loss(x, *channel_moments(y)).item(),
        "intra": intra_loss(cols(x), sorted_y).item(),
        "inter": inter_loss(cols(x), cols(y), directions).item(),
    }


def test_every_loss_invariant_to_a_common_spatial_permutation() -> None:
    x, y = features(5, 10, 6), features(4, 8, 7, shift=0.5)
    before, after = all_losses(x, y), all_losses(common_shuffle(x, 1), y)
    for name, value in before.items():
        assert after[name] == pytest.approx(value, rel=1e-9), name


def test_intra_losses_ignore_per_channel_shuffles_and_inter_losses_do_not() -> None:
    x, y = features(5, 10, 8), features(4, 8, 9, shift=0.5)
    # Correlate the channels so that independent shuffles change the joint distribution.
    x = x + 3 * x[:, :1]
    before, after = all_losses(x, y), all_losses(per_channel_shuffle(x, 2), y)
    for name in ("mmd-linear", "bn", "intra"):
        assert after[name] == pytest.approx(before[name], rel=1e-9), name
    for name in ("gram", "mmd-poly", "inter"):
        assert abs(after[name] - before[name]) > 1e-3 * before[name], name


def test_intra_loss_zero_when_sorted_channels_match_and_inter_zero_for_same_set() -> None:
    x = features(5, 10, 10)
    shuffled = per_channel_shuffle(x, 3)
    assert intra_loss(cols(shuffled), torch.sort(cols(x), dim=1)[0]).item() < 1e-20
    directions = random_directions(N, N, torch.Generator().manual_seed(1), x.device).double()
    assert inter_loss(cols(common_shuffle(x, 4)), cols(x), directions).item() < 1e-20
    assert inter_loss(cols(shuffled), cols(x), directions).item() > 1e-4


def test_inter_loss_is_deterministic_for_a_seed() -> None:
    x, y = features(5, 10, 11), features(4, 4, 12)

    def run(seed: int) -> float:
        d = random_directions(N, N, torch.Generator().manual_seed(seed), x.device).double()
        return inter_loss(cols(x), cols(y), d).item()

    assert run(5) == run(5)
    assert run(5) != run(6)


def test_resample_sorted_keeps_endpoints_and_is_identity_at_same_size() -> None:
    values = torch.sort(torch.rand(3, 9, dtype=torch.float64), dim=1)[0]
    assert torch.equal(resample_sorted(values, 9), values)
    wide = resample_sorted(values, 17)
    assert torch.allclose(wide[:, 0], values[:, 0]) and torch.allclose(wide[:, -1], values[:, -1])
    assert torch.all(wide[:, 1:] >= wide[:, :-1])


def gauss(x: Tensor, y: Tensor, seed: int, two_sigma2: Tensor | None = None) -> float:
    bandwidth = gauss_bandwidth(y) if two_sigma2 is None else two_sigma2
    return gauss_mmd_loss(x, y, bandwidth, torch.Generator().manual_seed(seed)).item()


def test_gauss_mmd_seeded_near_zero_for_same_distribution_positive_after_shift() -> None:
    g = torch.Generator().manual_seed(13)
    x = torch.randn(N, 4000, generator=g)
    y = torch.randn(N, 4000, generator=g)
    assert gauss(x, y, 1) == gauss(x, y, 1)
    same = sum(gauss(x, y, s) for s in range(8)) / 8
    shifted = sum(gauss(x, y + 1.0, s) for s in range(8)) / 8
    assert shifted > 20 * same
    assert shifted > 0.01


def test_gauss_mmd_averages_to_the_full_mmd_of_the_definition() -> None:
    # Random Fourier features: E_W of the estimate is the biased MMD² (METHODS §3.1) exactly.
    g = torch.Generator().manual_seed(5)
    x = torch.randn(N, 60, generator=g)
    y = torch.randn(N, 50, generator=g) * 1.5 + 0.5
    two_sigma2 = torch.tensor(20.0)

    def kernel_of_distances(a: Tensor, b: Tensor) -> Tensor:
        return torch.exp(-torch.cdist(a.T.double(), b.T.double()).pow(2) / 20.0)

    exact = (
        kernel_of_distances(x, x).mean()
        + kernel_of_distances(y, y).mean()
        - 2 * kernel_of_distances(x, y).mean()
    ).item()
    estimate = sum(gauss(x, y, s, two_sigma2) for s in range(200)) / 200
    assert estimate == pytest.approx(exact, rel=0.05)


def test_gauss_bandwidth_is_factor_times_mean_pair_distance() -> None:
    y = torch.randn(N, 30, generator=torch.Generator().manual_seed(2))
    pairs = [(i, j) for i in range(30) for j in range(30) if i != j]
    mean_pair = sum((y[:, i] - y[:, j]).pow(2).sum().item() for i, j in pairs) / len(pairs)
    assert gauss_bandwidth(y).item() == pytest.approx(BANDWIDTH_FACTOR * mean_pair, rel=1e-5)


def test_losses_are_zero_at_their_targets() -> None:
    x = features(4, 4, 14)
    assert content_loss(x, x).item() == 0.0
    assert gram_loss(x, gram_matrix(x)).item() == 0.0
    assert bn_loss(x, *channel_moments(x)).item() == 0.0
    assert tv_loss(torch.ones(1, 3, 8, 8)).item() == 0.0


def test_tv_loss_is_a_per_pixel_mean_independent_of_image_size() -> None:
    def stripes(size_px: int) -> Tensor:
        return (torch.arange(size_px) % 2).float().repeat(1, 3, size_px, 1)

    assert tv_loss(stripes(8)).item() == pytest.approx(1.0)
    assert tv_loss(stripes(32)).item() == pytest.approx(1.0)


def test_gradients_match_finite_differences() -> None:
    x, y = features(2, 3, 15), features(2, 2, 16)
    x.requires_grad_(True)
    directions = random_directions(N, N, torch.Generator().manual_seed(2), x.device).double()
    assert torch.autograd.gradcheck(lambda f: gram_loss(f, gram_matrix(y)), (x,))
    assert torch.autograd.gradcheck(lambda f: bn_loss(f, *channel_moments(y)), (x,))
    assert torch.autograd.gradcheck(lambda f: inter_loss(cols(f), cols(y), directions), (x,))
