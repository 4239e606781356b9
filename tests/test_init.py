"""Tests for nnlib.init: shapes, sample variances against the formulas, seeding, dtypes, errors."""

import numpy as np
import pytest

from nnlib import init as I

FAN_IN, FAN_OUT = 300, 500  # 150,000 samples: the sample variance is within ~0.4% (1 sd)
REL_TOL = 0.03  # about 8 standard errors: a wrong formula (factor >= 1.5) cannot pass

VARIANCE = {
    "glorot_normal": 2 / (FAN_IN + FAN_OUT),
    "glorot_uniform": 2 / (FAN_IN + FAN_OUT),
    "he_normal": 2 / FAN_IN,
    "he_uniform": 2 / FAN_IN,
    "lecun_normal": 1 / FAN_IN,
    "lecun_uniform": 1 / FAN_IN,
}
UNIFORM_LIMIT = {
    "glorot_uniform": np.sqrt(6 / (FAN_IN + FAN_OUT)),
    "he_uniform": np.sqrt(6 / FAN_IN),
    "lecun_uniform": np.sqrt(3 / FAN_IN),
}


@pytest.mark.parametrize("name", sorted(VARIANCE))
def test_sample_variance_matches_formula(name):
    W = getattr(I, name)(FAN_IN, FAN_OUT, rng=0)
    assert W.shape == (FAN_IN, FAN_OUT) and W.dtype == np.float64
    assert W.var() == pytest.approx(VARIANCE[name], rel=REL_TOL)
    assert abs(W.mean()) < 4 * np.sqrt(VARIANCE[name] / W.size)


@pytest.mark.parametrize("name", sorted(UNIFORM_LIMIT))
def test_uniform_bounds(name):
    W = getattr(I, name)(FAN_IN, FAN_OUT, rng=1)
    a = UNIFORM_LIMIT[name]
    assert np.all(np.abs(W) <= a)
    assert np.abs(W).max() > 0.999 * a  # fills the interval


@pytest.mark.parametrize("name", ["glorot_normal", "he_normal", "lecun_normal"])
def test_normal_initializers_are_gaussian_not_uniform(name):
    W = getattr(I, name)(FAN_IN, FAN_OUT, rng=2)
    z = W / np.sqrt(VARIANCE[name])
    kurtosis = np.mean(z**4) / np.mean(z**2) ** 2
    assert kurtosis == pytest.approx(3.0, abs=0.1)  # a uniform has 1.8


def test_notes_glorot_std_vs_variance():
    """Notes: N(0, sqrt(2/(n_in+n_out))) with a *standard deviation* -> variance 2/(n_in+n_out)."""
    W = I.glorot_normal(FAN_IN, FAN_OUT, rng=3)
    assert W.std() == pytest.approx(np.sqrt(2 / (FAN_IN + FAN_OUT)), rel=REL_TOL)
    # the notes' other "Xavier", N(0, 1/n_in) as a variance, is LeCun normal
    assert I.lecun_normal(FAN_IN, FAN_OUT, rng=3).var() == pytest.approx(1 / FAN_IN, rel=REL_TOL)


def test_normal_takes_a_standard_deviation():
    W = I.normal((400, 400), std=0.5, rng=4)
    assert W.std() == pytest.approx(0.5, rel=0.01)
    assert W.var() == pytest.approx(0.25, rel=0.02)
    assert I.normal(3, std=0.0, rng=0).tolist() == [0.0, 0.0, 0.0]


def test_zeros():
    b = I.zeros(4)
    assert b.shape == (4,) and b.dtype == np.float64 and not b.any()
    assert I.zeros((2, 3), dtype=np.float32).dtype == np.float32


# ------------------------------------------------------------------ seeding and rng


@pytest.mark.parametrize("name", sorted(VARIANCE))
def test_seeded_reproducible_and_generator_accepted(name):
    f = getattr(I, name)
    np.testing.assert_array_equal(f(4, 3, rng=7), f(4, 3, rng=7))
    np.testing.assert_array_equal(f(4, 3, rng=np.random.default_rng(7)), f(4, 3, rng=7))
    assert not np.array_equal(f(4, 3, rng=7), f(4, 3, rng=8))
    g = np.random.default_rng(0)
    assert not np.array_equal(f(4, 3, rng=g), f(4, 3, rng=g))  # the generator advances


def test_global_random_state_untouched():
    np.random.seed(123)
    state = np.random.get_state()[1].copy()
    for name in VARIANCE:
        getattr(I, name)(5, 5)
        getattr(I, name)(5, 5, rng=1)
    I.normal((3, 3), std=1.0)
    np.testing.assert_array_equal(np.random.get_state()[1], state)


# ---------------------------------------------------------------------- dtypes


@pytest.mark.parametrize("name", sorted(VARIANCE))
def test_float32_on_request(name):
    f = getattr(I, name)
    W32 = f(6, 4, rng=5, dtype=np.float32)
    assert W32.dtype == np.float32
    np.testing.assert_allclose(W32, f(6, 4, rng=5), rtol=1e-6)  # same draws, rounded
    assert f(6, 4, rng=5, dtype="float32").dtype == np.float32


def test_bad_dtype():
    with pytest.raises(TypeError, match="dtype: expected np.float32 or np.float64, got int64"):
        I.he_normal(3, 2, dtype=np.int64)
    with pytest.raises(TypeError, match="dtype: expected np.float32 or np.float64, got float16"):
        I.zeros(3, dtype=np.float16)
    with pytest.raises(TypeError, match="dtype: expected np.float32 or np.float64, got 'banana'"):
        I.normal(3, 1.0, dtype="banana")


# ---------------------------------------------------------------------- errors


@pytest.mark.parametrize("name", sorted(VARIANCE))
def test_fans_must_be_positive_integers(name):
    f = getattr(I, name)
    with pytest.raises(ValueError, match=r"fan_in: expected a value in \[1, inf\), got 0"):
        f(0, 3)
    with pytest.raises(ValueError, match=r"fan_out: expected a value in \[1, inf\), got -2"):
        f(3, -2)
    with pytest.raises(TypeError, match="fan_in: expected an integer, got 2.5"):
        f(2.5, 3)
    with pytest.raises(TypeError, match="fan_out: expected an integer, got str '3'"):
        f(3, "3")
    with pytest.raises(TypeError, match="fan_in: expected an integer, got bool True"):
        f(True, 3)


def test_bad_shape_and_std():
    with pytest.raises(ValueError, match=r"std: expected a value in \[0, inf\), got -1.0"):
        I.normal((2, 2), std=-1.0)
    with pytest.raises(ValueError, match=r"shape entry: expected a value in \[1, inf\), got 0"):
        I.zeros((2, 0))
    with pytest.raises(TypeError, match="shape: expected an int or a non-empty tuple of ints, got"):
        I.zeros("3")
    with pytest.raises(TypeError, match="rng: expected a numpy.random.Generator, an int seed or None, got float"):
        I.he_normal(2, 2, rng=0.5)


def test_registry():
    assert set(I.INITIALIZERS) >= {"glorot_normal", "glorot_uniform", "he_normal", "he_uniform", "lecun_normal",
                                   "lecun_uniform", "zeros"}
    assert I.INITIALIZERS["xavier_uniform"] is I.glorot_uniform
    assert I.INITIALIZERS["kaiming_normal"] is I.he_normal
    for name, f in I.INITIALIZERS.items():
        W = f(3, 2, rng=0, dtype=np.float32)
        assert W.shape == (3, 2) and W.dtype == np.float32, name
    assert not I.INITIALIZERS["zeros"](3, 2).any()


def test_draws_are_the_scaled_standard_draws():
    """The rules draw std * N(0, 1) and U(-a, a) from the generator as they always did (seeds keep their numbers)."""
    g = np.random.default_rng(11)
    np.testing.assert_array_equal(I.glorot_normal(5, 3, rng=11), np.sqrt(2.0 / 8) * g.standard_normal((5, 3)))
    g = np.random.default_rng(12)
    np.testing.assert_array_equal(I.he_uniform(5, 3, rng=12), g.uniform(-np.sqrt(6.0 / 5), np.sqrt(6.0 / 5), (5, 3)))


# ------------------------------------------------------------------ fans, variances, any shape


@pytest.mark.parametrize("shape,fans", [
    ((64, 10), (64, 10)),              # dense (n_in, n_out)
    ((16, 3, 5, 5), (75, 400)),        # conv (C_out, C_in, kH, kW): C_in kH kW, C_out kH kW
    ((8, 4, 3), (12, 24)),             # 1-D convolution
    ((2, 6, 1, 1), (6, 2)),            # a 1x1 convolution is a dense layer
    ((4, 2, 3, 3, 3), (54, 108)),      # 3-D convolution
])
def test_fan_in_and_fan_out(shape, fans):
    assert I.fan_in_and_fan_out(shape) == fans


def test_fan_in_and_fan_out_errors():
    with pytest.raises(ValueError, match="at least 2 dimensions.*a bias has no fan-in"):
        I.fan_in_and_fan_out((10,))
    with pytest.raises(ValueError, match="shape entry"):
        I.fan_in_and_fan_out((3, 0, 2, 2))
    with pytest.raises(TypeError, match="shape"):
        I.fan_in_and_fan_out("64x10")


@pytest.mark.parametrize("name", sorted(VARIANCE))
def test_weight_variance(name):
    assert I.weight_variance(name, FAN_IN, FAN_OUT) == pytest.approx(VARIANCE[name], rel=1e-15)


def test_weight_variance_aliases_and_errors():
    assert I.weight_variance("xavier_uniform", 3, 5) == I.weight_variance("glorot_uniform", 3, 5) == 0.25
    assert I.weight_variance("kaiming_normal", 8, 1) == 0.25
    assert I.weight_variance("zeros", 3, 5) == 0.0
    with pytest.raises(ValueError, match="init: expected one of .*got 'xavier'"):
        I.weight_variance("xavier", 3, 5)
    with pytest.raises(ValueError, match="fan_out"):
        I.weight_variance("he_normal", 3, 0)


@pytest.mark.parametrize("name", sorted(I.INITIALIZERS))
def test_initialize_2d_is_the_named_initializer(name):
    np.testing.assert_array_equal(I.initialize((7, 4), name, rng=3), I.INITIALIZERS[name](7, 4, rng=3))
    assert I.initialize((7, 4), name, rng=3, dtype=np.float32).dtype == np.float32


@pytest.mark.parametrize("name", sorted(VARIANCE))
def test_initialize_convolution_uses_the_convolution_fans(name):
    shape = (64, 32, 3, 3)  # fan-in 288, fan-out 576; 18,432 draws
    W = I.initialize(shape, name, rng=4)
    assert W.shape == shape
    expected = I.weight_variance(name, 32 * 9, 64 * 9)
    assert W.var() == pytest.approx(expected, rel=0.06)  # about 6 standard errors
    wrong = I.weight_variance(name, 64, 32)  # the fans of the first two sizes alone
    assert abs(W.var() / wrong - 1) > 0.5


def test_initialize_errors():
    with pytest.raises(ValueError, match="init: expected one of"):
        I.initialize((3, 3), "glorot")
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        I.initialize(5, "he_normal")
    with pytest.raises(TypeError, match="dtype"):
        I.initialize((3, 3), "he_normal", dtype=np.int32)
    assert not I.initialize((2, 3, 2, 2), "zeros").any()


def test_fans_match_torch():
    torch = pytest.importorskip("torch")
    for shape in [(16, 3, 5, 5), (8, 4, 3), (4, 2, 3, 3, 3)]:
        fans = torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(shape))
        assert I.fan_in_and_fan_out(shape) == fans
    # PyTorch stores a linear layer's weight as (out, in): nnlib's (in, out) is its transpose
    assert I.fan_in_and_fan_out((64, 10)) == torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(10, 64))
