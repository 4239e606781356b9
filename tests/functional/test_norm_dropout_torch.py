"""Optional: dropout, batch norm and layer norm against PyTorch, in training and in evaluation mode.

Skipped when PyTorch is not installed. The functional ops are compared with their twins by
test_ops_torch.py (op-spec table); here:

* dropout in training mode, with PyTorch's own mask fed to ours (PyTorch draws from its own
  generator): same outputs, same gradients, so the same inverted scaling 1/(1 - p);
* the layers over several training steps and then in evaluation mode: outputs, input and
  parameter gradients, and the running statistics (momentum 0.1, unbiased running variance),
  for features (BatchNorm1d), sequences-shaped (N, C, L) and images (BatchNorm2d), float64 and float32.
"""

import numpy as np
import pytest

torch = pytest.importorskip("torch")
TF = torch.nn.functional

from nnlib import functional as F  # noqa: E402
from nnlib.layers import BatchNorm, Dropout, LayerNorm  # noqa: E402

TORCH_DTYPE = {np.float64: torch.float64, np.float32: torch.float32}
TOL = {np.float64: 1e-10, np.float32: 2e-5}


@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_dropout_with_torchs_mask_gives_torchs_outputs_and_gradients(p):
    rng = np.random.default_rng(0)
    x = rng.uniform(0.5, 2.0, size=(20, 30))  # no zeros: torch's output reveals its mask
    torch.manual_seed(1)
    x_t = torch.tensor(x, requires_grad=True)
    y_t = TF.dropout(x_t, p, training=True)
    dy = rng.normal(size=x.shape)
    y_t.backward(torch.tensor(dy))
    mask = y_t.detach().numpy() != 0
    assert 0 < mask.mean() < 1
    y, cache = F.dropout_forward(x, p, mask=mask)
    dx, _ = F.dropout_backward(dy, cache)
    np.testing.assert_allclose(y, y_t.detach().numpy(), rtol=1e-15)
    np.testing.assert_allclose(dx, x_t.grad.numpy(), rtol=1e-15)


def test_dropout_layer_in_evaluation_mode_is_torchs():
    x = np.random.default_rng(2).normal(size=(4, 5))
    np.testing.assert_array_equal(Dropout(0.5, rng=0).eval().forward(x),
                                  torch.nn.Dropout(0.5).eval()(torch.tensor(x)).numpy())


def torch_batch_norm(ndim, C, dtype):
    cls = torch.nn.BatchNorm2d if ndim == 4 else torch.nn.BatchNorm1d
    return cls(C, eps=1e-5, momentum=0.1).to(TORCH_DTYPE[dtype])


def copy_affine(ours, theirs, rng):
    for name, p in (("gamma", theirs.weight), ("beta", theirs.bias)):
        ours.params[name][:] = rng.normal(size=ours.params[name].shape)
        with torch.no_grad():
            p.copy_(torch.tensor(ours.params[name]))


def compare_step(ours, theirs, x, dy, dtype):
    """One forward and backward in both; outputs, input gradient and parameter gradients must agree."""
    ours.zero_grad()
    theirs.zero_grad()
    y = ours.forward(x)
    dx = ours.backward(dy)
    x_t = torch.tensor(x, requires_grad=True)
    y_t = theirs(x_t)
    y_t.backward(torch.tensor(dy))
    tol = TOL[dtype]
    for a, b in ((y, y_t), (dx, x_t.grad), (ours.grads["gamma"], theirs.weight.grad),
                 (ours.grads["beta"], theirs.bias.grad)):
        b = b.detach().numpy()
        assert a.dtype == dtype
        np.testing.assert_allclose(a, b, rtol=tol, atol=tol * max(1.0, np.abs(b).max()))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shape", [(8, 3), (5, 3, 4), (4, 3, 5, 6)])
def test_batch_norm_layer_matches_torch_in_training_then_evaluation(shape, dtype):
    rng = np.random.default_rng(3)
    C = shape[1]
    ours, theirs = BatchNorm(C, dtype=dtype), torch_batch_norm(len(shape), C, dtype)
    copy_affine(ours, theirs, rng)
    for step in range(3):  # training mode: batch statistics, running statistics updated
        x = rng.normal(step, 1 + step, size=shape).astype(dtype)
        compare_step(ours, theirs, x, rng.normal(size=shape).astype(dtype), dtype)
    tol = TOL[dtype]
    np.testing.assert_allclose(ours.buffers()["running_mean"], theirs.running_mean.numpy(), rtol=tol, atol=tol)
    np.testing.assert_allclose(ours.buffers()["running_var"], theirs.running_var.numpy(), rtol=tol, atol=tol)
    ours.eval()
    theirs.eval()
    x = rng.normal(size=shape).astype(dtype)
    compare_step(ours, theirs, x, rng.normal(size=shape).astype(dtype), dtype)
    compare_step(ours, theirs, x[:1], rng.normal(size=(1, *shape[1:])).astype(dtype), dtype)  # one example


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shape", [(6, 5), (2, 3, 5)])
def test_layer_norm_layer_matches_torch(shape, dtype):
    rng = np.random.default_rng(4)
    ours = LayerNorm(5, dtype=dtype)
    theirs = torch.nn.LayerNorm(5, eps=1e-5).to(TORCH_DTYPE[dtype])
    copy_affine(ours, theirs, rng)
    for mode in ("train", "eval"):
        getattr(ours, mode)()
        getattr(theirs, mode)()
        compare_step(ours, theirs, rng.normal(2, 3, size=shape).astype(dtype), rng.normal(size=shape).astype(dtype),
                     dtype)
