"""Batch norm (features and images), layer norm and dropout, forward + backward: nnlib against PyTorch CPU.

Shapes: batch norm over the 256 features of a batch of 128 rows, and over the 32
channels of (64, 32, 14, 14) feature maps (the convolution output of ``conv.py``);
layer norm over the 256 features of (128, 256) rows and of (32, 50, 256) sequences;
inverted dropout (p = 0.5) on (128, 256). Training mode throughout (batch
statistics; the evaluation-mode affine map is cheaper). No targets: the figures
say how far these memory-bound ops are from PyTorch's fused kernels. Dropout draws
its own mask on each side (the libraries' generators differ), so its results are
not compared; the others' first results are.

Without PyTorch the reference is the same computation written in NumPy step by
step (the staged backward of the chapter's computational graph), and the output says so.

Run: ``python benchmarks/norm.py`` (options: ``--threads 1 2``, ``--repeats 31``, ``--inner 5``).
Benchmarks never assert on time; they print figures.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness  # noqa: E402

CASES = [  # name, shape, normalised axes for the NumPy reference, which op
    ("batch norm (128, 256)", (128, 256), (0,), "batch"),
    ("batch norm (64, 32, 14, 14)", (64, 32, 14, 14), (0, 2, 3), "batch"),
    ("layer norm (128, 256)", (128, 256), (-1,), "layer"),
    ("layer norm (32, 50, 256)", (32, 50, 256), (-1,), "layer"),
]


def staged_norm(x, gamma_view, dy, axes, eps=1e-5):
    """Forward and the node-by-node backward through mean, variance, 1/std: the naive reference."""
    import numpy as np

    m = np.prod([x.shape[a] for a in axes])
    mu = x.mean(axis=axes, keepdims=True)
    xc = x - mu
    var = (xc**2).mean(axis=axes, keepdims=True)
    inv = 1 / np.sqrt(var + eps)
    y = gamma_view * xc * inv
    dxhat = dy * gamma_view
    dvar = np.sum(dxhat * xc, axis=axes, keepdims=True) * -0.5 * inv**3
    dxc = dxhat * inv + dvar * 2 * xc / m
    return y, dxc - dxc.mean(axis=axes, keepdims=True)


def worker(torch, repeats: int, inner: int) -> list:
    import numpy as np

    from nnlib import functional as F

    rows = []
    for dtype in (np.float64, np.float32):
        rng = np.random.default_rng(0)
        for name, shape, axes, kind in CASES:
            x = rng.standard_normal(shape).astype(dtype)
            dy = rng.standard_normal(shape).astype(dtype)
            size = shape[1] if kind == "batch" else shape[-1]
            gamma, beta = rng.standard_normal(size).astype(dtype), np.zeros(size, dtype)
            forward, backward = ((F.batch_norm_forward, F.batch_norm_backward) if kind == "batch"
                                 else (F.layer_norm_forward, F.layer_norm_backward))

            def ours():
                y, cache = forward(x, gamma, beta)
                return y, backward(dy, cache)[0]

            if torch is not None:
                xt, dyt, gt, bt = (torch.from_numpy(a) for a in (x, dy, gamma, beta))

                def reference():
                    xr = xt.detach().requires_grad_()
                    if kind == "batch":
                        y = torch.nn.functional.batch_norm(xr, None, None, gt, bt, training=True, eps=1e-5)
                    else:
                        y = torch.nn.functional.layer_norm(xr, (size,), gt, bt, eps=1e-5)
                    y.backward(dyt)
                    return y.detach().numpy(), xr.grad.numpy()
            else:
                view = (1, size) + (1,) * (len(shape) - 2) if kind == "batch" else (size,)

                def reference():
                    return staged_norm(x, gamma.reshape(view), dy, axes)

            (y1, dx1), (y2, dx2) = ours(), reference()
            agree = max(float(np.abs(y1 - y2).max()), float(np.abs(dx1 - dx2).max()))
            rows.append(_harness.measure(f"{np.dtype(dtype).name} {name} fwd+bwd", ours, reference, repeats, inner,
                                         check=f"first results agree to {agree:.1e} (absolute)"))
        x = rng.standard_normal((128, 256)).astype(dtype)
        dy = rng.standard_normal((128, 256)).astype(dtype)
        generator = np.random.default_rng(1)

        def ours_dropout():
            y, cache = F.dropout_forward(x, 0.5, rng=generator)
            return y, F.dropout_backward(dy, cache)[0]

        if torch is not None:
            xt, dyt = torch.from_numpy(x), torch.from_numpy(dy)

            def reference_dropout():
                xr = xt.detach().requires_grad_()
                y = torch.nn.functional.dropout(xr, 0.5, training=True)
                y.backward(dyt)
                return y.detach().numpy(), xr.grad.numpy()
        else:
            def reference_dropout():
                keep = generator.random(x.shape) >= 0.5
                return x * keep / 0.5, dy * keep / 0.5

        rows.append(_harness.measure(f"{np.dtype(dtype).name} dropout p=0.5 (128, 256) fwd+bwd", ours_dropout,
                                     reference_dropout, repeats, inner, check="masks differ: not compared"))
    return rows


if __name__ == "__main__":
    sys.exit(_harness.main(__file__, __doc__.splitlines()[0], worker))
