"""One training step of chapter 8's CNN: nnlib against an identical PyTorch CNN, with the same threads.

The network is :func:`nnlib.book.experiments.cnn_digits.digits_cnn` on a batch of
32 digits ``(32, 1, 8, 8)`` (the chapter's mini-batch)::

    Conv2d(1 -> 8, 3x3, pad 1) -> ReLU -> MaxPool 2 -> Conv2d(8 -> 16, 3x3, pad 1) -> ReLU -> MaxPool 2
    -> Flatten -> Dense(64 -> 10), softmax cross-entropy, plain SGD

and the step is zero_grad, forward, loss, backward (no input gradient for the
first layer, on both sides), optimizer step. A second row times the same step
on a batch of 128. Both libraries start from the same weights and batch (the
first losses are compared). Target: ratio <= 1.5 in float64 (the chapter's
dtype); float32 is reported without a target.

Without PyTorch there is no fair reference for a whole network (the loop twins
are a thousand times slower): the rows then time nnlib against itself, and say so.

Run: ``python benchmarks/cnn_step.py`` (options: ``--threads 1 2``, ``--repeats 31``, ``--inner 5``).
Benchmarks never assert on time; they print figures.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness  # noqa: E402

LR = 0.1
TARGET = 1.5


def _nnlib_step(model):
    from nnlib.losses import softmax_cross_entropy_loss
    from nnlib.optim import SGD

    optimizer = SGD(model.parameters(trainable_only=True), lr=LR)
    grads = model.gradients(trainable_only=True)

    def step(X, y):
        model.zero_grad()
        loss, d_logits = softmax_cross_entropy_loss(model.forward(X), y)
        model.backward(d_logits, input_grad=False)
        optimizer.step(grads)
        return loss

    return step


def _torch_twin(model, torch):
    """A torch.nn.Sequential with the same layers and weights (Linear stores W transposed)."""
    import numpy as np

    from nnlib.layers import Conv2d, Dense, Flatten, MaxPool2d, ReLU

    dtype = {np.dtype(np.float32): torch.float32, np.dtype(np.float64): torch.float64}[model[0].dtype]
    layers = []
    for layer in model:
        if isinstance(layer, Conv2d):
            twin = torch.nn.Conv2d(layer.in_channels, layer.out_channels, layer.kernel_size, layer.stride,
                                   layer.padding, dtype=dtype)
            weight = layer.params["W"]
        elif isinstance(layer, Dense):
            twin = torch.nn.Linear(layer.in_features, layer.out_features, dtype=dtype)
            weight = np.ascontiguousarray(layer.params["W"].T)
        else:
            layers.append({ReLU: torch.nn.ReLU, MaxPool2d: lambda: torch.nn.MaxPool2d(2),
                           Flatten: torch.nn.Flatten}[type(layer)]())
            continue
        with torch.no_grad():
            twin.weight.copy_(torch.from_numpy(weight))
            twin.bias.copy_(torch.from_numpy(layer.params["b"]))
        layers.append(twin)
    return torch.nn.Sequential(*layers)


def _torch_step(tmodel, torch):
    optimizer = torch.optim.SGD(tmodel.parameters(), lr=LR)

    def step(X, y):
        optimizer.zero_grad(set_to_none=False)
        loss = torch.nn.functional.cross_entropy(tmodel(X), y)
        loss.backward()
        optimizer.step()
        return float(loss)

    return step


def worker(torch, repeats: int, inner: int) -> list:
    import numpy as np

    from nnlib.book.experiments.cnn_digits import digits_cnn
    from nnlib.book.experiments.digits import load_digits

    digits = load_digits()
    rows = []
    for dtype, batch in ((np.float64, 32), (np.float32, 32), (np.float64, 128)):
        X = np.ascontiguousarray(digits.images("train")[:batch], dtype=dtype)
        y = digits.y_train[:batch]
        model = digits_cnn(rng=0, dtype=dtype)
        ours = _nnlib_step(model)
        name = f"{np.dtype(dtype).name} CNN step, batch {batch}"
        target = TARGET if (dtype, batch) == (np.float64, 32) else None
        if torch is None:
            rows.append(_harness.measure(name + " (no PyTorch: nnlib against itself)", lambda: ours(X, y),
                                         lambda: ours(X, y), repeats, inner))
            continue
        tmodel = _torch_twin(model, torch)
        theirs = _torch_step(tmodel, torch)
        tX, ty = torch.from_numpy(X), torch.from_numpy(y.astype(np.int64))
        difference = abs(ours(X, y) - theirs(tX, ty))  # same weights and batch: the same first loss
        rows.append(_harness.measure(name, lambda: ours(X, y), lambda: theirs(tX, ty), repeats, inner, target,
                                     check=f"first losses differ by {difference:.1e}"))
    return rows


if __name__ == "__main__":
    sys.exit(_harness.main(__file__, __doc__.splitlines()[0], worker))
