"""Tests for the optimizer chapter's experiments: quadratic rates, the race on 2-D surfaces, the digits runs."""

import numpy as np
import pytest

from nnlib import optim
from nnlib.book.experiments import quadratic as quad
from nnlib.book.experiments.optimizer_digits import (DEFAULT_LR, DIGITS_OPTIMIZERS, make_digits_optimizer,
                                                     minibatch_noise, per_example_gradients, train_digits)
from nnlib.book.experiments.optimizer_race import RACERS, SURFACES, VALLEY_HESSIAN, OptimizerRaceRun, make_optimizer
from nnlib.models import mlp

# -- the quadratic -------------------------------------------------------------------------------


def test_rotated_quadratic_has_the_eigenvalues():
    H = quad.rotated_quadratic((1.0, 25.0), 0.3)
    np.testing.assert_allclose(np.linalg.eigvalsh(H), [1.0, 25.0], rtol=1e-12)
    np.testing.assert_allclose(H, H.T)
    np.testing.assert_allclose(VALLEY_HESSIAN, quad.rotated_quadratic((1.0, 25.0), np.pi / 6))


def test_gd_rate_and_best_step():
    # lambda = 1 and 25: eta = 1/13 balances 1 - eta and 25 eta - 1 at 12/13
    assert quad.best_gd_step([1.0, 25.0]) == pytest.approx(1 / 13)
    assert quad.gd_rate(1 / 13, [1.0, 25.0]) == pytest.approx(12 / 13)
    assert quad.gd_rate(0.1, [1.0, 25.0]) == pytest.approx(1.5)  # |1 - 2.5|: diverges
    assert quad.gd_rate(0.02, [1.0, 25.0]) == pytest.approx(0.98)


def test_polyak_parameters_and_momentum_rate():
    eta, beta = quad.polyak_parameters([1.0, 25.0])
    assert eta == pytest.approx(1 / 9) and beta == pytest.approx(4 / 9)
    assert quad.momentum_rate(eta, beta, [1.0, 25.0]) == pytest.approx(2 / 3, abs=1e-6)
    assert quad.momentum_rate(eta, 0.81, [1.0, 25.0]) == pytest.approx(0.9)  # inside the band: sqrt(beta)
    # beta = 0 is gradient descent
    assert quad.momentum_rate(0.05, 0.0, [1.0, 25.0]) == pytest.approx(quad.gd_rate(0.05, [1.0, 25.0]))


def test_momentum_matrix_is_the_iteration():
    # one step of heavy ball along an eigenvector, from (theta_t, theta_{t-1}) with u_t = (theta_{t-1} - theta_t)/eta
    eta, beta, lam = 0.1, 0.7, 3.0
    theta_prev, theta = 1.0, 0.6
    u = (theta_prev - theta) / eta
    u_next = beta * u + lam * theta
    expected = theta - eta * u_next
    np.testing.assert_allclose(quad.momentum_matrix(eta, beta, lam) @ [theta, theta_prev], [expected, theta])
    # Nesterov, parameters phi: phi_t = phi_{t-1} - eta (lam phi_{t-1} + beta u_t) gives u_t; then one step
    phi, phi_prev = theta, theta_prev
    u = ((phi_prev - phi) / eta - lam * phi_prev) / beta
    u_next = beta * u + lam * phi
    phi_next = phi - eta * (lam * phi + beta * u_next)
    np.testing.assert_allclose(quad.momentum_matrix(eta, beta, lam, nesterov=True) @ [phi, phi_prev],
                               [phi_next, phi])


@pytest.mark.parametrize("eta", [0.03, 1 / 13, 0.081])
def test_measured_rate_of_gradient_descent_is_the_predicted_one(eta):
    path = quad.descend(lambda p: optim.SGD(p, lr=eta), VALLEY_HESSIAN, [-3.5, -0.5], 300)
    assert quad.measured_rate(path) == pytest.approx(quad.gd_rate(eta, [1.0, 25.0]), abs=1e-3)


def test_measured_rate_of_momentum_with_complex_roots():
    path = quad.descend(lambda p: optim.Momentum(p, lr=1 / 9, beta=0.64, form="classical"), VALLEY_HESSIAN,
                        [1.0, 1.0], 300)
    assert quad.measured_rate(path) == pytest.approx(0.8, rel=1e-3)


def test_quadratic_bad_input():
    with pytest.raises(ValueError, match="eigenvalues"):
        quad.gd_rate(0.1, [1.0, -2.0])
    with pytest.raises(ValueError, match="eigenvalues"):
        quad.rotated_quadratic((1.0, 2.0, 3.0))
    with pytest.raises(ValueError, match="beta"):
        quad.momentum_rate(0.1, 1.0, [1.0])
    with pytest.raises(ValueError, match="too few"):
        quad.measured_rate(np.ones((10, 2)), skip=50)


# -- the race ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(SURFACES))
def test_surface_gradients_match_finite_differences(name):
    surface = SURFACES[name]
    rng = np.random.default_rng(0)
    x0, x1, y0, y1 = surface.box
    for x, y in zip(rng.uniform(x0, x1, 5), rng.uniform(y0, y1, 5)):
        h = 1e-6
        numeric = ((surface.f(x + h, y) - surface.f(x - h, y)) / (2 * h),
                   (surface.f(x, y + h) - surface.f(x, y - h)) / (2 * h))
        np.testing.assert_allclose(surface.grad(x, y), numeric, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("name", list(SURFACES))
def test_surface_minimum_is_the_lowest_value(name):
    surface = SURFACES[name]
    x0, x1, y0, y1 = surface.box
    xs, ys = np.meshgrid(np.linspace(x0, x1, 401), np.linspace(y0, y1, 401))
    assert surface.f(xs, ys).min() >= surface.minimum - 1e-9
    assert surface.f(xs, ys).min() <= surface.minimum + 1e-2


def test_race_steps_every_racer_from_one_start():
    race = OptimizerRaceRun("rosenbrock", ["gd", "adam"], start=(-1.0, 2.0), lr=0.001, lr_adaptive=0.01)
    race.run(5)
    assert race.t == 5 and all(len(race.paths[r]) == 6 for r in race.racers)
    np.testing.assert_allclose(race.paths["gd"][0], [-1.0, 2.0])
    # gradient descent's first step is -lr * grad at the start
    gx, gy = SURFACES["rosenbrock"].grad(-1.0, 2.0)
    np.testing.assert_allclose(race.paths["gd"][1], [-1.0 - 0.001 * gx, 2.0 - 0.001 * gy])
    # Adam's first step is lr * sign(grad) in each coordinate
    np.testing.assert_allclose(race.paths["adam"][1], [-1.0 - 0.01 * np.sign(gx), 2.0 - 0.01 * np.sign(gy)],
                               rtol=1e-6)
    assert race.losses["gd"][-1] < race.losses["gd"][0]


def test_each_surface_tells_its_story_with_its_defaults():
    valley = OptimizerRaceRun("valley").run(SURFACES["valley"].steps)
    assert valley.losses["momentum"][-1] < valley.losses["gd"][-1] / 100  # momentum crosses the valley fast
    saddle = OptimizerRaceRun("saddle").run(30)
    assert abs(saddle.paths["rmsprop"][-1][1]) > abs(saddle.paths["gd"][-1][1])  # adaptive escapes first
    wells = OptimizerRaceRun("wells").run(SURFACES["wells"].steps)
    ends = {r: wells.losses[r][-1] for r in wells.racers}
    assert ends["momentum"] < 1e-3 < ends["gd"]  # momentum rolls into the deepest well, descent stays high


def test_a_racer_that_flies_off_stops_and_says_why():
    race = OptimizerRaceRun("valley", ["gd", "adam"], lr=0.2).run(40)  # eta * 25 = 5: diverges
    assert race.stopped["gd"].startswith("left the map") and race.stopped["adam"] is None
    assert race.leader() == "adam"


def test_race_bad_arguments():
    with pytest.raises(ValueError, match="surface"):
        OptimizerRaceRun("moon", ["gd"])
    with pytest.raises(ValueError, match="racers"):
        OptimizerRaceRun("valley", [])
    with pytest.raises(ValueError, match="racers"):
        OptimizerRaceRun("valley", ["gd", "gd"])
    with pytest.raises(ValueError, match="lr"):
        OptimizerRaceRun("valley", ["gd"], lr=-1.0)
    with pytest.raises(ValueError, match="name"):
        make_optimizer("lion", {"w": np.zeros(2)}, 0.1)


def test_make_optimizer_builds_each_racer():
    for name in RACERS:
        assert isinstance(make_optimizer(name, {"w": np.zeros(2)}, 0.1), optim.Optimizer)


# -- the digits ----------------------------------------------------------------------------------


def test_digits_optimizers_and_adamw_decays_only_weights():
    model = mlp([4, 3, 2], "tanh", rng=0)
    for name in DIGITS_OPTIMIZERS:
        opt = make_digits_optimizer(name, model, DEFAULT_LR[name])
        assert set(opt.params) == set(model.parameters())
    adamw = make_digits_optimizer("adamw", model, 0.001)
    assert set(adamw.decayed) == {"0.W", "2.W"}
    with pytest.raises(ValueError, match="name"):
        make_digits_optimizer("lion", model, 0.1)


def _small_digits():
    """Random 8x8 "digits" in the shape of the real split (no scikit-learn import: fast)."""
    from nnlib.book.experiments.digits import Digits

    rng = np.random.default_rng(0)
    X, y = rng.uniform(size=(160, 64)), rng.integers(0, 10, size=160)
    return Digits(X[:100], y[:100], X[100:130], y[100:130], X[130:], y[130:])


def test_train_digits_is_reproducible_and_records_history():
    digits = _small_digits()
    a = train_digits("sgd", 0.1, epochs=2, digits=digits)
    b = train_digits("sgd", 0.1, epochs=2, digits=digits)
    assert a.history["loss"] == b.history["loss"] and len(a.history["loss"]) == 2
    assert a.history["loss"][1] < a.history["loss"][0]
    assert min(a.history["seconds"]) > 0 and a.seconds_per_epoch == np.median(a.history["seconds"])
    c = train_digits("adam", 0.001, epochs=3, digits=digits,
                     schedule=lambda opt: optim.StepDecay(opt, step_size=1, gamma=0.5))
    assert c.optimizer.lr == pytest.approx(0.001 * 0.5**3)  # stepped after every epoch


def test_per_example_gradients_average_to_the_batch_gradient():
    from nnlib import losses

    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(7, 4)), rng.integers(0, 3, size=7)
    model = mlp([4, 5, 3], "tanh", rng=0)
    G = per_example_gradients(model, X, y)
    model.zero_grad()
    _, d_out = losses.softmax_cross_entropy_loss(model.forward(X), y)
    model.backward(d_out, input_grad=False)
    full = np.concatenate([g.ravel() for g in model.gradients().values()])
    assert G.shape == (7, full.size)
    np.testing.assert_allclose(G.mean(axis=0), full, rtol=1e-12, atol=1e-15)


def test_minibatch_noise_matches_the_formula():
    rng = np.random.default_rng(0)
    G = rng.normal(size=(50, 3))
    noise = minibatch_noise(G, [1, 5, 25, 50], samples=3000, rng=1)
    assert noise["sigma2"] == pytest.approx(((G - G.mean(0)) ** 2).sum(1).mean())
    for m, values in noise["by_size"].items():
        assert values["predicted"] == pytest.approx(noise["sigma2"] / m * (50 - m) / 49)
        if m < 50:
            assert values["measured"] == pytest.approx(values["predicted"], rel=0.1)
    assert noise["by_size"][50]["measured"] == pytest.approx(0, abs=1e-12)  # the whole set: no noise
    with pytest.raises(ValueError, match="batch size"):
        minibatch_noise(G, [51])
