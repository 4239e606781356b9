"""Optional: compare the activation functions, their derivatives and every loss with PyTorch.

(The functional ops are compared with their PyTorch twins by tests/functional/test_ops_torch.py,
driven by the table of op specs.)

Skipped when PyTorch is not installed. PyTorch's autograd is an independent
implementation, so agreement to ~1e-12 in float64 confirms both the forward
formulas and the backward passes, including the conventions at kinks
(ReLU'(0) = 0, LeakyReLU'(0) = alpha, d|x|/dx at 0 = 0).
"""

import numpy as np
import pytest

torch = pytest.importorskip("torch")
TF = torch.nn.functional

from nnlib import activations as A  # noqa: E402
from nnlib import losses as L  # noqa: E402

RTOL, ATOL = 1e-12, 1e-14


def torch_forward_backward(fn, *arrays, upstream=None):
    """Run ``fn`` on float64 tensors; return (output, [grad per input]) for upstream gradient G."""
    tensors = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in arrays]
    out = fn(*tensors)
    G = torch.ones_like(out) if upstream is None else torch.tensor(upstream, dtype=torch.float64)
    out.backward(G)
    return out.detach().numpy(), [t.grad.numpy() for t in tensors]


def with_kink_points(rng, shape):
    x = rng.normal(size=shape)
    x.flat[:3] = 0.0  # include exact zeros: the conventions at the kink must match too
    return x


def test_step_matches_torch_heaviside():
    x = with_kink_points(np.random.default_rng(1), (4, 4))
    expected = torch.heaviside(torch.tensor(x), torch.tensor(1.0, dtype=torch.float64)).numpy()
    np.testing.assert_array_equal(A.step(x), expected)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "softplus"])
def test_activation_derivatives_match_torch(name):
    f, df = A.ACTIVATIONS[name]
    x = with_kink_points(np.random.default_rng(2), (30,))
    y_t, (dx_t,) = torch_forward_backward(getattr(TF, name) if name != "tanh" else torch.tanh, x)
    np.testing.assert_allclose(f(x), y_t, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(df(x), dx_t, rtol=1e-10, atol=ATOL)


# ----------------------------------------------------------------------------- losses


def _compare_loss(ours, torch_fn, y_pred, y_true, torch_target=None):
    loss, grad = ours(y_pred, y_true)
    target = torch.tensor(y_true if torch_target is None else torch_target)
    loss_t, (grad_t,) = torch_forward_backward(lambda p: torch_fn(p, target), y_pred)
    assert loss == pytest.approx(float(loss_t), rel=1e-12, abs=1e-14)
    np.testing.assert_allclose(grad, grad_t, rtol=1e-10, atol=ATOL)


def test_mse_matches_torch():
    rng = np.random.default_rng(4)
    _compare_loss(L.mse_loss, TF.mse_loss, rng.normal(size=(7, 3)), rng.normal(size=(7, 3)))


def test_mae_matches_torch_including_zero_residuals():
    rng = np.random.default_rng(5)
    y_pred, y = rng.normal(size=(8, 2)), rng.normal(size=(8, 2))
    y[:2] = y_pred[:2]  # kink: d|r|/dr at r = 0 is 0 in both
    _compare_loss(L.mae_loss, TF.l1_loss, y_pred, y)


def test_bce_matches_torch():
    rng = np.random.default_rng(6)
    p, y = rng.uniform(0.02, 0.98, size=(9, 1)), rng.integers(0, 2, size=(9, 1)).astype(float)
    _compare_loss(L.bce_loss, TF.binary_cross_entropy, p, y)


def test_bce_with_logits_matches_torch_even_at_1000():
    rng = np.random.default_rng(7)
    z, y = 5 * rng.normal(size=(10,)), rng.uniform(size=(10,))
    z[:2] = [1000.0, -1000.0]
    _compare_loss(L.bce_with_logits_loss, TF.binary_cross_entropy_with_logits, z, y)


def test_softmax_cross_entropy_matches_torch_labels_and_probabilities():
    rng = np.random.default_rng(8)
    z, labels = 3 * rng.normal(size=(6, 4)), rng.integers(0, 4, size=6)
    z[0] = [1000.0, -1000.0, 0.0, 5.0]
    _compare_loss(L.softmax_cross_entropy_loss, TF.cross_entropy, z, labels)
    soft = rng.dirichlet(np.ones(4), size=6)
    _compare_loss(L.softmax_cross_entropy_loss, TF.cross_entropy, z, soft)
