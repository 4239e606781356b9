"""Optional: chapter 8's CNN against an identical PyTorch CNN (skipped without PyTorch).

The same float64 weights in both; the forward output, the loss, every parameter
gradient, the input gradient and three SGD steps must agree to round-off.
"""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from nnlib import losses  # noqa: E402
from nnlib.layers import AvgPool2d, Conv2d, Dense, Flatten, MaxPool2d, ReLU, Sequential  # noqa: E402
from nnlib.optim import SGD  # noqa: E402

RTOL, ATOL = 1e-10, 1e-12


def twins(seed=0):
    """An nnlib CNN with every image layer (stride, padding, both poolings) and its PyTorch copy."""
    model = Sequential(Conv2d(2, 4, 3, padding=1, rng=seed), ReLU(), MaxPool2d(2),
                       Conv2d(4, 6, (3, 2), stride=(2, 1), padding=(1, 0), rng=seed + 1), ReLU(),
                       AvgPool2d(2, stride=1), Flatten(), Dense(6, 3, rng=seed + 2))
    rng = np.random.default_rng(seed + 100)
    for name, p in model.parameters().items():
        if name.endswith("b"):
            p[:] = rng.normal(scale=0.3, size=p.shape)
    nn = torch.nn
    tmodel = nn.Sequential(nn.Conv2d(2, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                           nn.Conv2d(4, 6, (3, 2), stride=(2, 1), padding=(1, 0)), nn.ReLU(),
                           nn.AvgPool2d(2, stride=1), nn.Flatten(), nn.Linear(6, 3)).double()
    with torch.no_grad():
        for ours, theirs in zip(model, tmodel):
            if ours.params:
                W = ours.params["W"] if isinstance(ours, Conv2d) else ours.params["W"].T
                theirs.weight.copy_(torch.from_numpy(np.ascontiguousarray(W)))
                theirs.bias.copy_(torch.from_numpy(ours.params["b"]))
    return model, tmodel


def torch_arrays(tmodel, grad: bool) -> dict:
    out = {}
    for i, layer in enumerate(tmodel):
        if hasattr(layer, "weight"):
            W, b = (layer.weight.grad, layer.bias.grad) if grad else (layer.weight, layer.bias)
            W = W.detach().numpy()
            out[f"{i}.W"] = W.T if isinstance(layer, torch.nn.Linear) else W
            out[f"{i}.b"] = b.detach().numpy()
    return out


def batch(seed=1, n=5):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, 2, 8, 6)), rng.integers(0, 3, size=n)


def test_cnn_forward_loss_and_gradients_match_torch():
    model, tmodel = twins()
    X, y = batch()
    out = model.forward(X)
    loss, d_out = losses.softmax_cross_entropy_loss(out, y)
    dx = model.backward(d_out)
    tX = torch.tensor(X, requires_grad=True)
    tout = tmodel(tX)
    tloss = torch.nn.functional.cross_entropy(tout, torch.from_numpy(y))
    tloss.backward()
    np.testing.assert_allclose(out, tout.detach().numpy(), rtol=RTOL, atol=ATOL)
    assert loss == pytest.approx(tloss.item(), rel=1e-12)
    np.testing.assert_allclose(dx, tX.grad.numpy(), rtol=RTOL, atol=ATOL)
    expected = torch_arrays(tmodel, grad=True)
    assert set(expected) == set(model.gradients())
    for name, g in model.gradients().items():
        np.testing.assert_allclose(g, expected[name], rtol=RTOL, atol=ATOL, err_msg=name)


def test_three_sgd_steps_match_torch():
    model, tmodel = twins(seed=3)
    opt, topt = SGD(model.parameters(), lr=0.2), torch.optim.SGD(tmodel.parameters(), lr=0.2)
    for step in range(3):
        X, y = batch(seed=10 + step)
        model.zero_grad()
        _, d_out = losses.softmax_cross_entropy_loss(model.forward(X), y)
        model.backward(d_out, input_grad=False)
        opt.step(model.gradients())
        topt.zero_grad()
        torch.nn.functional.cross_entropy(tmodel(torch.from_numpy(X)), torch.from_numpy(y)).backward()
        topt.step()
    expected = torch_arrays(tmodel, grad=False)
    for name, p in model.parameters().items():
        np.testing.assert_allclose(p, expected[name], rtol=1e-9, atol=1e-12, err_msg=name)
