"""Optional: every op of tests/op_specs.py against its PyTorch twin, forward and gradients.

Skipped when PyTorch is not installed. PyTorch's autograd is an independent
implementation, so agreement to ~1e-12 in float64 confirms both the forward
formulas and the backward passes, including the conventions at the kinks
(ReLU'(0) = 0, LeakyReLU'(0) = alpha, step'(x) = 0), which are placed in the
inputs on purpose.
"""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from op_specs import ALL_SPECS  # noqa: E402

RTOL, ATOL = 1e-10, 1e-13


def with_kinks(spec, inputs):
    """The inputs, with the first entries of each data input set exactly at the op's kinks."""
    inputs = [x.copy() for x in inputs]
    for x in inputs[:spec.n_data_inputs]:
        for i, kink in enumerate(spec.kinks * 2):
            x.flat[i] = kink
    return inputs


@pytest.mark.parametrize("spec", [s for s in ALL_SPECS if s.torch_twin is not None], ids=str)
def test_op_matches_its_torch_twin(spec):
    rng = np.random.default_rng(0)
    inputs = with_kinks(spec, spec.make_inputs(rng, np.float64))
    y, cache = spec.forward(*inputs)
    outputs = y if isinstance(y, tuple) else (y,)
    upstream = tuple(rng.normal(size=out.shape) for out in outputs)
    dx, grads = spec.backward(upstream if isinstance(y, tuple) else upstream[0], cache)
    ours = [*(dx if spec.n_data_inputs > 1 else (dx,)), *grads.values()]

    tensors = [torch.tensor(x, requires_grad=True) for x in inputs]
    twin = spec.torch_twin(*tensors)
    twin = twin if isinstance(twin, tuple) else (twin,)
    torch.autograd.backward(twin, [torch.tensor(g) for g in upstream])

    for out, out_t in zip(outputs, twin, strict=True):
        np.testing.assert_allclose(out, out_t.detach().numpy(), rtol=RTOL, atol=ATOL)
    for name, g, t in zip(range(len(ours)), ours, tensors, strict=True):
        np.testing.assert_allclose(g, t.grad.numpy(), rtol=RTOL, atol=ATOL, err_msg=f"input {name}")
