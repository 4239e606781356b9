"""2-D convolution, forward + backward: nnlib against PyTorch CPU with the same number of threads.

The layer of the brief: 16 -> 32 channels, 3x3 kernel, padding 1, stride 1,
14x14 images, batch 64; forward, then backward with the input gradient (a
second layer's case). Both sides start from the same arrays; the first results
are compared (largest relative difference of y and of dW). Targets:
ratio <= 1.0 in float64 and <= 1.2 in float32. Also reported, without a target:
a first layer's backward, which skips the input gradient on both sides; and
the floor of any convolution made of matrix products in NumPy: the three
products of forward and backward (y = W·columns, dW = δ·columnsᵀ,
d columns = Wᵀ·δ) alone, on random operands of the layer's shapes, chunk by
chunk as nnlib runs them, once with the outputs nnlib computes on the shared
image borders and once with exactly the N·H·W real outputs. No copy, no
im2col, no col2im: only BLAS. When that floor is already above a target, no
NumPy convolution built on BLAS products can meet it.

Without PyTorch the reference is a straightforward im2col with ``np.add.at``
(written out below), and the output says so.

Run: ``python benchmarks/conv.py`` (options: ``--threads 1 2``, ``--repeats 31``, ``--inner 5``).
Benchmarks never assert on time; they print figures.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness  # noqa: E402

N, C_IN, SIZE, C_OUT, K, PAD = 64, 16, 14, 32, 3, 1
TARGETS = {"float64": 1.0, "float32": 1.2}


def naive_conv(x, W, b):
    """im2col by fancy indexing, one product, col2im with np.add.at: the textbook version."""
    import numpy as np

    n, c, h, w = x.shape
    xp = np.pad(x, ((0, 0), (0, 0), (PAD, PAD), (PAD, PAD)))
    i = (np.arange(K)[:, None] + np.arange(h)[None, :])  # (K, h): padded row of kernel row i at output row
    rows = i[:, None, :, None]
    cols = (np.arange(K)[:, None] + np.arange(w)[None, :])[None, :, None, :]
    patches = xp[:, :, rows, cols]  # (n, c, K, K, h, w)
    y = np.einsum("ocij,ncijhw->nohw", W, patches, optimize=True) + b[:, None, None]

    def backward(dy):
        dW = np.einsum("nohw,ncijhw->ocij", dy, patches, optimize=True)
        dpatches = np.einsum("ocij,nohw->ncijhw", W, dy, optimize=True)
        dxp = np.zeros_like(xp)
        np.add.at(dxp, (slice(None), slice(None), rows, cols), dpatches)
        return dxp[:, :, PAD:-PAD, PAD:-PAD], dW, dy.sum(axis=(0, 2, 3))

    return y, backward


def products_alone(dtype, with_borders: bool):
    """The three products of a forward + backward pass, nothing else, on operands of the layer's shapes.

    Shapes as nnlib's fast path has them (``nnlib.functional._im2col.plan``): the columns of a chunk of
    images are ``(C_in*K*K + 1, chunk*Hq*Wq)`` (the bias row included); ``with_borders=False`` drops the
    outputs centred on the shared borders (Hq x Wq = 14 x 14 instead of 15 x 15).
    """
    import numpy as np

    from nnlib.functional import _im2col as I

    itemsize = np.dtype(dtype).itemsize
    p = I.plan((N, C_IN, SIZE, SIZE), (C_OUT, C_IN, K, K), (1, 1), (PAD, PAD), (SIZE, SIZE), itemsize, True)
    per_image = p.Hq * p.Wq if with_borders else SIZE * SIZE
    sizes = [min(p.chunk, N - n0) * per_image for n0 in range(0, N, p.chunk)]
    rng = np.random.default_rng(1)
    weights = rng.standard_normal((C_OUT, p.K + 1)).astype(dtype)
    weights_t = np.ascontiguousarray(weights[:, :p.K].T)
    columns = rng.standard_normal((p.K + 1, sizes[0])).astype(dtype)
    delta = rng.standard_normal((C_OUT, sizes[0])).astype(dtype)
    out, dwb, d_columns = (np.empty(shape, dtype) for shape in ((C_OUT, sizes[0]), (p.K + 1, C_OUT), (p.K, sizes[0])))

    def run():
        for L in sizes:
            np.matmul(weights, columns[:, :L], out=out[:, :L])
            np.matmul(columns[:, :L], delta[:, :L].T, out=dwb)
            np.matmul(weights_t, delta[:, :L], out=d_columns[:, :L])

    return run


def worker(torch, repeats: int, inner: int) -> list:
    import numpy as np

    from nnlib import functional as F

    rows = []
    for dtype in (np.float64, np.float32):
        name = np.dtype(dtype).name
        rng = np.random.default_rng(0)
        x = rng.standard_normal((N, C_IN, SIZE, SIZE)).astype(dtype)
        W = (rng.standard_normal((C_OUT, C_IN, K, K)) / np.sqrt(C_IN * K * K)).astype(dtype)
        b = rng.standard_normal(C_OUT).astype(dtype)
        dy = rng.standard_normal((N, C_OUT, SIZE, SIZE)).astype(dtype)

        def ours(input_grad=True):
            y, cache = F.conv2d_forward(x, W, b, padding=PAD)
            dx, grads = F.conv2d_backward(dy, cache, input_grad=input_grad)
            return y, dx, grads["W"]

        if torch is not None:
            xt, Wt, bt, dyt = (torch.from_numpy(a) for a in (x, W, b, dy))

            def reference(input_grad=True):
                xr = xt.detach().requires_grad_(input_grad)
                Wr, br = Wt.detach().requires_grad_(), bt.detach().requires_grad_()
                y = torch.nn.functional.conv2d(xr, Wr, br, padding=PAD)
                y.backward(dyt)
                return y.detach().numpy(), (xr.grad.numpy() if input_grad else None), Wr.grad.numpy()
        else:
            def reference(input_grad=True):
                y, backward = naive_conv(x, W, b)
                dx, dW, _ = backward(dy)
                return y, (dx if input_grad else None), dW

        (y1, dx1, dW1), (y2, dx2, dW2) = ours(), reference()
        agree = max(float(np.abs(a - c).max() / np.abs(c).max()) for a, c in ((y1, y2), (dx1, dx2), (dW1, dW2)))
        rows.append(_harness.measure(f"{name} conv fwd+bwd", ours, reference, repeats, inner, TARGETS[name],
                                     check=f"first results agree to {agree:.1e} (relative)"))
        rows.append(_harness.measure(f"{name} first layer (no input gradient)", lambda: ours(False),
                                     lambda: reference(False), repeats, inner))
        for with_borders, label in ((True, "nnlib's layout"), (False, "real outputs only")):
            rows.append(_harness.measure(f"{name} floor: the 3 products alone, {label}",
                                         products_alone(dtype, with_borders), reference, repeats, inner))
    return rows


if __name__ == "__main__":
    sys.exit(_harness.main(__file__, __doc__.splitlines()[0], worker))
