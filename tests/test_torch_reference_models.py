"""Optional: compare a Sequential MLP and the optimizers with PyTorch.

Skipped when PyTorch is not installed. The same weights are loaded into a
``torch.nn.Sequential`` (``Linear`` stores :math:`W^\\top`); forward outputs,
the loss, every parameter gradient, the input gradient and one or two steps of
each optimizer must agree to float64 round-off.
"""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from nnlib import losses  # noqa: E402
from nnlib.layers import mlp  # noqa: E402
from nnlib.optim import SGD, Adam, Momentum, RMSprop, clip_grad_norm, clip_grad_value  # noqa: E402

RTOL, ATOL = 1e-10, 1e-12
TORCH_ACT = {"tanh": torch.nn.Tanh, "relu": torch.nn.ReLU, "sigmoid": torch.nn.Sigmoid}


def twin_models(activation="tanh", sizes=(5, 7, 6, 3), seed=0):
    """An nnlib MLP and a PyTorch copy with identical float64 weights (and non-zero biases)."""
    model = mlp(list(sizes), activation, rng=seed)
    rng = np.random.default_rng(seed + 100)
    for name, p in model.parameters().items():
        if name.endswith("b"):
            p[:] = rng.normal(scale=0.3, size=p.shape)
    layers = []
    for i, (d_in, d_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        linear = torch.nn.Linear(d_in, d_out).double()
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(model[2 * i].params["W"].T.copy()))
            linear.bias.copy_(torch.from_numpy(model[2 * i].params["b"].copy()))
        layers.append(linear)
        if i < len(sizes) - 2:
            layers.append(TORCH_ACT[activation]())
    return model, torch.nn.Sequential(*layers)


def torch_params(tmodel):
    """The torch parameters under nnlib's names, as (d_in, d_out) weights."""
    out = {}
    for i, layer in enumerate(tmodel):
        if isinstance(layer, torch.nn.Linear):
            out[f"{i}.W"] = layer.weight.detach().numpy().T
            out[f"{i}.b"] = layer.bias.detach().numpy()
    return out


def torch_grads(tmodel):
    out = {}
    for i, layer in enumerate(tmodel):
        if isinstance(layer, torch.nn.Linear):
            out[f"{i}.W"] = layer.weight.grad.numpy().T
            out[f"{i}.b"] = layer.bias.grad.numpy()
    return out


def data(n=8, d=5, classes=3, seed=1):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, d)), rng.integers(0, classes, size=n)


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
def test_forward_loss_and_gradients_match(activation):
    model, tmodel = twin_models(activation)
    X, y = data()
    out = model.forward(X)
    loss, d_out = losses.softmax_cross_entropy_loss(out, y)
    model.zero_grad()
    dx = model.backward(d_out)

    tX = torch.tensor(X, requires_grad=True)
    tout = tmodel(tX)
    tloss = torch.nn.functional.cross_entropy(tout, torch.from_numpy(y))
    tloss.backward()

    np.testing.assert_allclose(out, tout.detach().numpy(), rtol=RTOL, atol=ATOL)
    assert loss == pytest.approx(tloss.item(), rel=1e-12)
    np.testing.assert_allclose(dx, tX.grad.numpy(), rtol=RTOL, atol=ATOL)
    expected = torch_grads(tmodel)
    for name, g in model.gradients().items():
        np.testing.assert_allclose(g, expected[name], rtol=RTOL, atol=ATOL, err_msg=name)


def _run_steps(make_ours, make_theirs, n_steps):
    model, tmodel = twin_models("tanh")
    opt = make_ours(model.parameters())
    topt = make_theirs(tmodel.parameters())
    for step in range(n_steps):
        X, y = data(seed=10 + step)
        model.zero_grad()
        _, d_out = losses.softmax_cross_entropy_loss(model.forward(X), y)
        model.backward(d_out, input_grad=False)
        opt.step(model.gradients())

        topt.zero_grad()
        torch.nn.functional.cross_entropy(tmodel(torch.from_numpy(X)), torch.from_numpy(y)).backward()
        topt.step()
    expected = torch_params(tmodel)
    for name, p in model.parameters().items():
        np.testing.assert_allclose(p, expected[name], rtol=1e-9, atol=1e-12, err_msg=name)


def test_sgd_matches_torch():
    _run_steps(lambda p: SGD(p, lr=0.3), lambda p: torch.optim.SGD(p, lr=0.3), 2)


def test_classical_momentum_matches_torch_sgd_momentum():
    _run_steps(lambda p: Momentum(p, lr=0.1, beta=0.9, form="classical"),
               lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9), 3)


def test_ema_momentum_matches_torch_with_scaled_lr():
    # v_ema = (1 - beta) v_classical, so the notes' form with lr equals PyTorch's with lr (1 - beta).
    # (PyTorch's dampening=beta is NOT the same: it skips the damping on the very first step.)
    _run_steps(lambda p: Momentum(p, lr=0.5, beta=0.8),
               lambda p: torch.optim.SGD(p, lr=0.5 * 0.2, momentum=0.8), 3)


def test_rmsprop_matches_torch():
    _run_steps(lambda p: RMSprop(p, lr=0.01, beta=0.9, eps=1e-8),
               lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, eps=1e-8), 3)


def test_adam_matches_torch():
    _run_steps(lambda p: Adam(p, lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8),
               lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.9, 0.999), eps=1e-8), 3)


def _gradients_twice(seed: int, scale: float):
    """Random gradients as nnlib's dict and as PyTorch tensors holding the same numbers in ``.grad``."""
    rng = np.random.default_rng(seed)
    grads = {"a": rng.normal(size=(3, 4)) * scale, "b": rng.normal(size=4)}
    tensors = [torch.zeros(g.shape, dtype=torch.float64, requires_grad=True) for g in grads.values()]
    for t, g in zip(tensors, grads.values()):
        t.grad = torch.tensor(g)
    return grads, tensors


def test_clip_grad_norm_matches_torch():
    grads, tensors = _gradients_twice(0, 5.0)
    total = clip_grad_norm(grads, 1.0)
    t_total = torch.nn.utils.clip_grad_norm_(tensors, 1.0)
    assert total == pytest.approx(t_total.item(), rel=1e-12)
    # PyTorch divides by (norm + 1e-6); nnlib by the norm exactly, so agreement is to ~1e-6 relative.
    for t, g in zip(tensors, grads.values()):
        np.testing.assert_allclose(g, t.grad.numpy(), rtol=1e-5)


def test_clip_grad_value_matches_torch():
    grads, tensors = _gradients_twice(1, 2.0)
    largest = clip_grad_value(grads, 0.75)
    torch.nn.utils.clip_grad_value_(tensors, 0.75)
    assert largest > 0.75  # some entries were cut
    for t, g in zip(tensors, grads.values()):
        np.testing.assert_array_equal(g, t.grad.numpy())  # the same clamp, exactly
