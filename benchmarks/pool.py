"""2x2 pooling (stride 2), forward + backward: nnlib against PyTorch CPU with the same number of threads.

The input is the output of the convolution benchmarked in ``conv.py``:
(64, 32, 14, 14). Max pooling (target: ratio <= 1.0 in both float64 and
float32) and, without a target, average pooling. Both sides start from the
same arrays; the first results are compared.

Without PyTorch the reference is a straightforward NumPy version (a reshape
``max`` and a comparison mask, written out below), and the output says so.

Run: ``python benchmarks/pool.py`` (options: ``--threads 1 2``, ``--repeats 31``, ``--inner 5``).
Benchmarks never assert on time; they print figures.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness  # noqa: E402

SHAPE = (64, 32, 14, 14)


def naive_pool(op, x, dy):
    """Reshape to (..., 7, 2, 7, 2), reduce; backward through a mask (ties: every maximum gets a share)."""
    import numpy as np

    n, c, h, w = x.shape
    windows = x.reshape(n, c, h // 2, 2, w // 2, 2)
    if op == "max":
        y = windows.max(axis=(3, 5))
        mask = windows == y[:, :, :, None, :, None]
        dx = mask * (dy / mask.sum(axis=(3, 5)))[:, :, :, None, :, None]
    else:
        y = windows.mean(axis=(3, 5))
        dx = np.broadcast_to(dy[:, :, :, None, :, None] / 4, windows.shape)
    return y, dx.reshape(x.shape)


def worker(torch, repeats: int, inner: int) -> list:
    import numpy as np

    from nnlib import functional as F

    rows = []
    for op, target in (("max", 1.0), ("avg", None)):
        forward, backward = {"max": (F.max_pool2d_forward, F.max_pool2d_backward),
                             "avg": (F.avg_pool2d_forward, F.avg_pool2d_backward)}[op]
        for dtype in (np.float64, np.float32):
            rng = np.random.default_rng(0)
            x = rng.standard_normal(SHAPE).astype(dtype)
            dy = rng.standard_normal((*SHAPE[:2], SHAPE[2] // 2, SHAPE[3] // 2)).astype(dtype)

            def ours():
                y, cache = forward(x, 2)
                return y, backward(dy, cache)[0]

            if torch is not None:
                xt, dyt = torch.from_numpy(x), torch.from_numpy(dy)
                pool = {"max": torch.nn.functional.max_pool2d, "avg": torch.nn.functional.avg_pool2d}[op]

                def reference():
                    xr = xt.detach().requires_grad_()
                    y = pool(xr, 2)
                    y.backward(dyt)
                    return y.detach().numpy(), xr.grad.numpy()
            else:
                def reference():
                    return naive_pool(op, x, dy)

            (y1, dx1), (y2, dx2) = ours(), reference()
            agree = max(float(np.abs(y1 - y2).max()), float(np.abs(dx1 - dx2).max()))
            rows.append(_harness.measure(f"{np.dtype(dtype).name} {op}-pool 2x2 fwd+bwd", ours, reference,
                                         repeats, inner, target,
                                         check=f"first results agree to {agree:.1e} (absolute)"))
    return rows


if __name__ == "__main__":
    sys.exit(_harness.main(__file__, __doc__.splitlines()[0], worker))
