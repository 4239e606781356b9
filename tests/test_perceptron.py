"""Tests for nnlib.perceptron."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnlib import perceptron as perceptron_module
from nnlib.data import logic_gate, make_linearly_separable
from nnlib.perceptron import Perceptron, PerceptronResult, PerceptronStep, mistake_bound


def with_weights(w, b, lr=1.0):
    p = Perceptron(len(w), lr=lr)
    p.w, p.b = w, b
    return p


# ---------------------------------------------------------------------------
# the notes' worked examples
# ---------------------------------------------------------------------------


def test_notes_example_1():
    # w = (0.5, -0.6), b = 0.2, x = (1, 2): z = 0.5 - 1.2 + 0.2 = -0.5 < 0 -> y = 0
    p = with_weights([0.5, -0.6], 0.2)
    assert p.decision_function([1.0, 2.0]) == pytest.approx(-0.5)
    assert p.predict([1.0, 2.0]) == 0


def test_notes_example_2():
    # w = (0.5, -1), b = 0.5, x = (2, 3): z = 1 - 3 + 0.5 = -1.5 < 0 -> y = 0
    p = with_weights([0.5, -1.0], 0.5)
    assert p.decision_function([2.0, 3.0]) == pytest.approx(-1.5)
    assert p.predict([2.0, 3.0]) == 0


def test_batch_inference_shapes_and_step_at_zero():
    p = with_weights([1.0, -1.0], 0.0)
    X = np.array([[1.0, 1.0], [2.0, 1.0], [0.0, 1.0]])  # z = 0, 1, -1
    np.testing.assert_allclose(p.decision_function(X), [0.0, 1.0, -1.0])
    y_hat = p.predict(X)
    assert y_hat.dtype == np.int64
    assert y_hat.tolist() == [1, 1, 0]  # z = 0 counts as the positive class


# ---------------------------------------------------------------------------
# the learning rule, by hand
# ---------------------------------------------------------------------------


def test_rule_false_positive_subtracts_lr_x():
    # zero weights: z = 0 -> y_hat = 1; true y = 0 -> error -1
    # w = 0 + 0.5 * (-1) * (1, 2) = (-0.5, -1.0), b = 0 + 0.5 * (-1) = -0.5
    p = Perceptron(2, lr=0.5)
    (step,) = list(p.train_steps([[1.0, 2.0]], [0], epochs=1))
    assert step.z == 0.0 and step.y_hat == 1 and step.mistake
    np.testing.assert_allclose(p.w, [-0.5, -1.0])
    assert p.b == pytest.approx(-0.5)
    np.testing.assert_allclose(step.w, [-0.5, -1.0])
    assert step.b == pytest.approx(-0.5)


def test_rule_false_negative_adds_lr_x():
    # notes' example 1 weights, true label 1: z = -0.5 -> y_hat = 0, error +1, lr = 0.5
    # w = (0.5, -0.6) + 0.5 * (1, 2) = (1.0, 0.4), b = 0.2 + 0.5 = 0.7
    p = with_weights([0.5, -0.6], 0.2, lr=0.5)
    (step,) = list(p.train_steps([[1.0, 2.0]], [1]))
    assert step.z == pytest.approx(-0.5) and step.y_hat == 0 and step.mistake
    np.testing.assert_allclose(p.w, [1.0, 0.4])
    assert p.b == pytest.approx(0.7)


def test_rule_no_update_when_correct():
    p = with_weights([0.5, -0.6], 0.2)
    (step,) = list(p.train_steps([[1.0, 2.0]], [0]))
    assert not step.mistake
    np.testing.assert_allclose(p.w, [0.5, -0.6])
    assert p.b == 0.2


def test_fit_by_hand_on_and_gate():
    # Zero start, lr = 1, rows (0,0)->0, (0,1)->0, (1,0)->0, (1,1)->1, traced by hand:
    # epoch 1: (0,0): z=0 ->1, y=0: w=(0,0), b=-1
    #          (0,1): z=-1 ->0 ok; (1,0): z=-1 ok; (1,1): z=-1 ->0, y=1: w=(1,1), b=0   [2 mistakes]
    # epoch 2: (0,0): z=0 ->1, y=0: b=-1; (0,1): z=0 ->1, y=0: w=(1,0), b=-2;
    #          (1,0): z=-1 ok; (1,1): z=-1 ->0, y=1: w=(2,1), b=-1                      [3 mistakes]
    # epoch 3: (0,0): z=-1 ok; (0,1): z=0 ->1, y=0: w=(2,0), b=-2; (1,0): z=0 ->1, y=0:
    #          w=(1,0), b=-3; (1,1): z=-2 ->0, y=1: w=(2,1), b=-2                       [3 mistakes]
    # epoch 4: (0,0): -2 ok; (0,1): -1 ok; (1,0): 0 ->1, y=0: w=(1,1), b=-3; (1,1): -1 ->0,
    #          y=1: w=(2,2), b=-2                                                       [2 mistakes]
    # epoch 5: (0,0): -2 ok; (0,1): 0 ->1, y=0: w=(2,1), b=-3; (1,0): -1 ok; (1,1): 0 ok [1 mistake]
    # epoch 6: z = -3, -2, -1, 0 -> 0, 0, 0, 1: no mistakes.
    X, y = logic_gate("and")
    p = Perceptron(2)
    result = p.fit(X, y, epochs=100)
    assert result.mistakes_per_epoch == [2, 3, 3, 2, 1, 0]
    assert result.converged and result.n_updates == 11 and result.epochs_run == 6
    np.testing.assert_allclose(result.w, [2.0, 1.0])
    assert result.b == -3.0
    assert p.predict(X).tolist() == [0, 0, 0, 1]


# ---------------------------------------------------------------------------
# convergence and Novikoff's bound
# ---------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(2, 200),
    margin=st.floats(0.05, 1.0),
    shuffle=st.booleans(),
)
def test_converges_within_novikoff_bound(seed, n, margin, shuffle):
    X, y, w_star, b_star = make_linearly_separable(n, 2, margin=margin, rng=seed,
                                                   return_boundary=True)
    bound = mistake_bound(X, y, w_star, b_star)
    p = Perceptron(2)
    result = p.fit(X, y, epochs=int(bound) + 2, shuffle=shuffle, rng=seed)
    assert result.converged
    assert result.n_updates <= bound
    assert np.array_equal(p.predict(X), y)


@pytest.mark.parametrize("name", ["and", "or", "nand", "nor"])
def test_linearly_separable_gates_converge(name):
    X, y = logic_gate(name)
    result = Perceptron(2).fit(X, y, epochs=100)
    assert result.converged
    assert result.mistakes_per_epoch[-1] == 0


@pytest.mark.parametrize("name", ["xor", "xnor"])
def test_xor_never_converges(name):
    X, y = logic_gate(name)
    p = Perceptron(2)
    result = p.fit(X, y, epochs=1000)
    assert not result.converged
    assert result.epochs_run == 1000 and len(result.mistakes_per_epoch) == 1000
    assert min(result.mistakes_per_epoch) >= 1
    assert np.sum(p.predict(X) != y) >= 1


def test_learning_rate_cancels_from_zero_start():
    X, y = make_linearly_separable(60, margin=0.1, rng=11)
    r1 = Perceptron(2, lr=1.0).fit(X, y)
    r2 = Perceptron(2, lr=0.01).fit(X, y)
    assert r1.mistakes_per_epoch == r2.mistakes_per_epoch
    np.testing.assert_allclose(r2.w, 0.01 * r1.w)
    assert r2.b == pytest.approx(0.01 * r1.b)


def test_result_fields_are_consistent():
    X, y = make_linearly_separable(50, margin=0.2, rng=2)
    result = Perceptron(2).fit(X, y)
    assert isinstance(result, PerceptronResult)
    assert result.n_updates == sum(result.mistakes_per_epoch)
    assert result.epochs_run == len(result.mistakes_per_epoch)
    assert result.converged == (result.mistakes_per_epoch[-1] == 0)


def test_fit_continues_from_current_weights_and_reset():
    X, y = make_linearly_separable(50, margin=0.2, rng=2)
    p = Perceptron(2)
    first = p.fit(X, y)
    again = p.fit(X, y)
    assert first.converged and again.mistakes_per_epoch == [0]
    p.reset()
    np.testing.assert_array_equal(p.w, [0.0, 0.0])
    assert p.b == 0.0
    assert p.fit(X, y).mistakes_per_epoch == first.mistakes_per_epoch


def test_result_w_is_a_copy():
    X, y = logic_gate("or")
    p = Perceptron(2)
    result = p.fit(X, y)
    result.w[:] = 100.0
    assert np.all(p.w != 100.0)


def test_shuffle_is_deterministic_with_rng():
    X, y = make_linearly_separable(80, margin=0.05, rng=1)
    a = Perceptron(2).fit(X, y, shuffle=True, rng=5)
    b = Perceptron(2).fit(X, y, shuffle=True, rng=5)
    c = Perceptron(2, rng=5).fit(X, y, shuffle=True)
    d = Perceptron(2, rng=5).fit(X, y, shuffle=True)
    assert a.mistakes_per_epoch == b.mistakes_per_epoch
    assert c.mistakes_per_epoch == d.mistakes_per_epoch


# ---------------------------------------------------------------------------
# train_steps
# ---------------------------------------------------------------------------


def test_train_steps_replays_fit():
    X, y = logic_gate("and")
    steps = list(Perceptron(2).train_steps(X, y, epochs=100))
    result = Perceptron(2).fit(X, y, epochs=100)
    assert all(isinstance(s, PerceptronStep) for s in steps)
    assert len(steps) == 4 * result.epochs_run
    assert sum(s.mistake for s in steps) == result.n_updates
    np.testing.assert_array_equal(steps[-1].w, result.w)
    assert steps[-1].b == result.b
    assert [s.epoch for s in steps[:5]] == [0, 0, 0, 0, 1]
    assert [s.index for s in steps[:4]] == [0, 1, 2, 3]
    # records hold copies: the first record still shows the state after step 1
    np.testing.assert_array_equal(steps[0].w, [0.0, 0.0])
    assert steps[0].b == -1.0


def test_train_steps_without_early_stop_and_lazy_training():
    X, y = logic_gate("or")
    p = Perceptron(2)
    steps = p.train_steps(X, y, epochs=50, stop_when_converged=False)
    np.testing.assert_array_equal(p.w, [0.0, 0.0])  # nothing happens before iteration
    assert len(list(steps)) == 4 * 50


def test_train_steps_validates_at_call_time():
    with pytest.raises(ValueError, match=r"y: expected labels in \{0, 1\}, got \[2\]"):
        Perceptron(2).train_steps([[0.0, 1.0]], [2])


# ---------------------------------------------------------------------------
# decision boundary
# ---------------------------------------------------------------------------


def test_decision_boundary_points_have_zero_z():
    p = with_weights([0.5, -0.6], 0.2)
    x1 = np.linspace(-3, 3, 7)
    x2 = p.decision_boundary(x1)
    np.testing.assert_allclose(p.decision_function(np.column_stack([x1, x2])), 0.0, atol=1e-12)
    # hand: x2 = (0.5 x1 + 0.2) / 0.6 -> at x1 = 1: 0.7 / 0.6
    assert p.decision_boundary(1.0) == pytest.approx(0.7 / 0.6)


def test_decision_boundary_errors():
    with pytest.raises(ValueError, match=r"vertical line x1 = -b / w1 = -2"):
        with_weights([1.0, 0.0], 2.0).decision_boundary(0.0)
    with pytest.raises(ValueError, match=r"w = \(0, 0\), so there is no boundary"):
        Perceptron(2).decision_boundary(0.0)
    with pytest.raises(ValueError, match=r"needs a perceptron with 2 features, this one has 3"):
        Perceptron(3).decision_boundary(0.0)


# ---------------------------------------------------------------------------
# mistake_bound
# ---------------------------------------------------------------------------


def test_mistake_bound_by_hand():
    # x~ = (1, 0, 1) and (-1, 0, 1): R = sqrt(2); u = (1, 0, 0): gamma = 1 -> bound 2
    X = np.array([[1.0, 0.0], [-1.0, 0.0]])
    y = np.array([1, 0])
    bound, R, gamma = mistake_bound(X, y, [1.0, 0.0], 0.0, return_terms=True)
    assert R == pytest.approx(np.sqrt(2)) and gamma == pytest.approx(1.0)
    assert bound == pytest.approx(2.0)
    # with a bias: points (2, 0) -> 1 and (0, 0) -> 0, separator x1 - 1 = 0
    # u = (1, 0, -1)/sqrt(2); margins 1/sqrt(2) each; R = sqrt(5) -> bound 5 / (1/2) = 10
    X = np.array([[2.0, 0.0], [0.0, 0.0]])
    assert mistake_bound(X, y, [1.0, 0.0], -1.0) == pytest.approx(10.0)
    # scaling the separator does not change the bound
    assert mistake_bound(X, y, [3.0, 0.0], -3.0) == pytest.approx(10.0)


def test_mistake_bound_gamma_relates_to_geometric_margin():
    X, y, w, b = make_linearly_separable(100, margin=0.4, rng=9, return_boundary=True)
    _, _, gamma = mistake_bound(X, y, w, b, return_terms=True)
    delta = np.min((2 * y - 1) * (X @ w + b))  # geometric margin (||w|| = 1)
    assert delta >= 0.4
    assert gamma == pytest.approx(delta / np.sqrt(1 + b**2))


def test_mistake_bound_errors():
    X = np.array([[1.0, 0.0], [-1.0, 0.0]])
    with pytest.raises(ValueError, match=r"do not separate the data: 2 of 2 points"):
        mistake_bound(X, [0, 1], [1.0, 0.0], 0.0)
    with pytest.raises(ValueError, match=r"do not separate the data: 2 of 2 points"):
        mistake_bound(X, [1, 0], [0.0, 1.0], 0.0)  # both on the line
    with pytest.raises(ValueError, match=r"expected a non-zero separator"):
        mistake_bound(X, [1, 0], [0.0, 0.0], 0.0)
    with pytest.raises(ValueError, match=r"w_star: expected shape \(2,\), got shape \(3,\)"):
        mistake_bound(X, [1, 0], [1.0, 0.0, 0.0], 0.0)


# ---------------------------------------------------------------------------
# validation and construction
# ---------------------------------------------------------------------------


def test_label_validation_names_the_bad_labels():
    X = np.zeros((3, 2))
    with pytest.raises(ValueError, match=r"y: expected labels in \{0, 1\}, got \[-1\].*\(y \+ 1\) // 2"):
        Perceptron(2).fit(X, [1, -1, 1])
    with pytest.raises(ValueError, match=r"got \[2, 3\]"):
        Perceptron(2).fit(X, [2, 3, 0])
    with pytest.raises(TypeError, match=r"y: expected integer labels"):
        Perceptron(2).fit(X, [0.5, 1.0, 0.0])
    with pytest.raises(ValueError, match=r"y: expected 3 labels \(one per row of X\), got 2"):
        Perceptron(2).fit(X, [0, 1])


def test_shape_and_hyperparameter_validation():
    p = Perceptron(2)
    with pytest.raises(ValueError, match=r"X: expected shape \(2,\) or \(n, 2\), got shape \(3,\)"):
        p.predict([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"X: expected shape \(n, 2\), got shape \(4, 3\)"):
        p.fit(np.zeros((4, 3)), [0, 1, 0, 1])
    with pytest.raises(ValueError, match=r"X: expected finite values"):
        p.predict([[np.nan, 0.0]])
    with pytest.raises(ValueError, match=r"w: expected shape \(2,\), got shape \(3,\)"):
        p.w = [1.0, 2.0, 3.0]
    with pytest.raises(ValueError, match=r"lr: expected a value in \(0, inf\), got 0.0"):
        Perceptron(2, lr=0.0)
    with pytest.raises(ValueError, match=r"init: expected one of \['normal', 'zeros'\], got 'ones'"):
        Perceptron(2, init="ones")
    with pytest.raises(ValueError, match=r"n_features: expected a value in \[1, inf\), got 0"):
        Perceptron(0)
    with pytest.raises(ValueError, match=r"epochs: expected a value in \[1, inf\), got 0"):
        p.fit(np.zeros((2, 2)), [0, 1], epochs=0)


def test_normal_init_is_small_seeded_and_random():
    a, b, c = Perceptron(5, init="normal", rng=1), Perceptron(5, init="normal", rng=1), Perceptron(5, init="normal", rng=2)
    np.testing.assert_array_equal(a.w, b.w)
    assert a.b == b.b
    assert not np.array_equal(a.w, c.w)
    assert np.all(a.w != 0) and np.max(np.abs(a.w)) < 0.1
    assert repr(a) == "Perceptron(n_features=5, lr=1, init='normal')"


def test_all_lists_public_names():
    for name in perceptron_module.__all__:
        assert hasattr(perceptron_module, name)
