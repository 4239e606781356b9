"""Optional: conv2d, max/avg pooling against PyTorch (forward values and every gradient).

Skipped when PyTorch is not installed. PyTorch's kernels are an independent
implementation: agreement in float64 to ~1e-12 confirms the formulas, the
stride/padding conventions, and the argmax rule for ties and NaN.
"""

import numpy as np
import pytest

torch = pytest.importorskip("torch")
TF = torch.nn.functional

from nnlib import functional as F  # noqa: E402

TORCH_DTYPE = {np.float64: torch.float64, np.float32: torch.float32}
TOLERANCE = {np.float64: 1e-10, np.float32: 2e-4}


def torch_run(fn, arrays, upstream):
    tensors = [torch.tensor(a, requires_grad=True) for a in arrays]
    out = fn(*tensors)
    out.backward(torch.tensor(upstream))
    return out.detach().numpy(), [t.grad.numpy() for t in tensors]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shape,kernel,stride,padding", [
    ((4, 16, 14, 14), (32, 16, 3, 3), 1, 1),
    ((2, 3, 9, 7), (4, 3, 3, 3), 2, 1),
    ((3, 2, 8, 8), (5, 2, 2, 3), (1, 2), (0, 1)),
    ((2, 3, 6, 6), (2, 3, 1, 1), 1, 0),
    ((2, 1, 7, 7), (3, 1, 5, 5), 1, 2),
])
def test_conv2d_matches_torch(dtype, shape, kernel, stride, padding):
    rng = np.random.default_rng(0)
    x, w, b = (rng.normal(size=s).astype(dtype) for s in (shape, kernel, kernel[:1]))
    y, cache = F.conv2d_forward(x, w, b, stride, padding)
    dy = rng.normal(size=y.shape).astype(dtype)
    dx, grads = F.conv2d_backward(dy, cache)
    y_t, (dx_t, dw_t, db_t) = torch_run(lambda x, w, b: TF.conv2d(x, w, b, stride=stride, padding=padding),
                                        (x, w, b), dy)
    tol = TOLERANCE[dtype]
    for ours, theirs in ((y, y_t), (dx, dx_t), (grads["W"], dw_t), (grads["b"], db_t)):
        assert ours.dtype == dtype
        np.testing.assert_allclose(ours, theirs, rtol=tol, atol=tol * np.abs(theirs).max())


@pytest.mark.parametrize("op", ["max", "avg"])
@pytest.mark.parametrize("values", ["normal", "ties", "nan"])
@pytest.mark.parametrize("shape,kernel,stride", [
    ((4, 32, 14, 14), 2, None), ((2, 3, 7, 9), 2, None), ((2, 2, 9, 9), 3, 2), ((2, 2, 8, 8), (2, 3), (1, 2)),
])
def test_pooling_matches_torch(op, values, shape, kernel, stride):
    rng = np.random.default_rng(1)
    if values == "normal":
        x = rng.normal(size=shape)
    else:
        x = rng.integers(0, 3, size=shape).astype(float)
        if values == "nan":
            x[rng.random(shape) < 0.05] = np.nan
    forward, backward, torch_fn = {
        "max": (F.max_pool2d_forward, F.max_pool2d_backward, TF.max_pool2d),
        "avg": (F.avg_pool2d_forward, F.avg_pool2d_backward, TF.avg_pool2d),
    }[op]
    y, cache = forward(x, kernel, stride)
    dy = rng.normal(size=y.shape)
    dx, _ = backward(dy, cache)
    y_t, (dx_t,) = torch_run(lambda t: torch_fn(t, kernel, stride), (x,), dy)
    np.testing.assert_allclose(y, y_t, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(dx, dx_t, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("values", ["normal", "ties", "nan"])
@pytest.mark.parametrize("kernel,stride", [(2, None), (3, 2), ((2, 3), (1, 2))])
def test_max_pool_argmax_is_torchs_index(values, kernel, stride):
    rng = np.random.default_rng(2)
    x = rng.normal(size=(2, 3, 8, 9)) if values == "normal" else rng.integers(0, 3, size=(2, 3, 8, 9)).astype(float)
    if values == "nan":
        x[rng.random(x.shape) < 0.05] = np.nan
    _, cache = F.max_pool2d_forward(x, kernel, stride)
    _, indices = TF.max_pool2d(torch.tensor(x), kernel, stride, return_indices=True)
    np.testing.assert_array_equal(cache["argmax"], indices.numpy())
