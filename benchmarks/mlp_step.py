"""One MLP training step: nnlib against PyTorch CPU, with the same number of threads.

The step is the classic one on a batch of 128 MNIST-sized examples::

    784 -> 256 -> ReLU -> 128 -> ReLU -> 10, softmax cross-entropy, plain SGD
    zero_grad, forward, loss, backward, optimizer step

in float32 and in float64, and the same step through ``nnlib.training.Trainer.step`` (its
overhead over the hand-written step: batch indexing, the divergence checks). Both libraries start from the same weights and the
same batch (the script checks that their first losses agree), the two are
timed in interleaved repetitions (nnlib, torch, nnlib, torch, ...) so that a
noisy machine slows both alike, and the median times are compared:
ratio = nnlib / torch (below 1: nnlib is faster). Targets: <= 1.0 in float32,
<= 1.2 in float64.

Threads. Each thread count runs in a fresh worker process whose
``OPENBLAS_NUM_THREADS`` / ``OMP_NUM_THREADS`` / ``MKL_NUM_THREADS`` are set
*before* NumPy is imported (that is what fixes the size of NumPy's BLAS thread
pool) and which calls ``torch.set_num_threads(k)``. If threadpoolctl is
installed, the worker also limits and reports NumPy's BLAS threads with it;
otherwise the reported BLAS thread count is the environment variable's.

Without PyTorch the reference is a naive NumPy implementation of the same step
(written out in this file), and the output says so.

Run: ``python benchmarks/mlp_step.py`` (options: ``--threads 1 2``, ``--repeats 15``).
Benchmarks never assert on time; they print figures.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

SIZES = (784, 256, 128, 10)
BATCH = 128
LR = 0.01
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


# ----------------------------------------------------------------------------- the worker (one thread count)


def _blas_threads(k: int):
    """Limit NumPy's BLAS to k threads with threadpoolctl if it is installed; return (threads, how)."""
    try:
        from threadpoolctl import threadpool_info, threadpool_limits
    except ImportError:
        return int(os.environ["OPENBLAS_NUM_THREADS"]), "OPENBLAS_NUM_THREADS (threadpoolctl not installed)"
    threadpool_limits(k, user_api="blas")
    blas = [p for p in threadpool_info() if p["user_api"] == "blas"]
    return (blas[0]["num_threads"] if blas else None), "threadpoolctl"


def _nnlib_step(dtype):
    from nnlib.losses import softmax_cross_entropy_loss
    from nnlib.models import mlp
    from nnlib.optim import SGD

    model = mlp(list(SIZES), activation="relu", rng=0, dtype=dtype)
    optimizer = SGD(model.parameters(trainable_only=True), lr=LR)
    grads = model.gradients(trainable_only=True)

    def step(X, y):
        model.zero_grad()
        logits = model.forward(X)
        loss, d_logits = softmax_cross_entropy_loss(logits, y)
        model.backward(d_logits, input_grad=False)
        optimizer.step(grads)
        return loss

    return model, step


def _trainer_step(dtype, X, y):
    """The same step through nnlib.training.Trainer (validated once; one batch of the whole set per step)."""
    from nnlib.models import mlp
    from nnlib.optim import SGD
    from nnlib.training import Trainer

    model = mlp(list(SIZES), activation="relu", rng=0, dtype=dtype)
    trainer = Trainer(model, X, y, loss="softmax_cross_entropy", optimizer=SGD(model.parameters(), lr=LR),
                      shuffle=False)
    return lambda X, y: trainer.step()["loss"]


def _torch_step(model_np, dtype):
    import numpy as np
    import torch

    torch_dtype = {np.float32: torch.float32, np.float64: torch.float64}[dtype]
    layers = []
    dense = [layer for layer in model_np.layers if hasattr(layer, "in_features")]
    for i, layer in enumerate(dense):
        linear = torch.nn.Linear(layer.in_features, layer.out_features, dtype=torch_dtype)
        with torch.no_grad():  # the same initial weights as nnlib (torch stores W transposed)
            linear.weight.copy_(torch.from_numpy(np.ascontiguousarray(layer.params["W"].T)))
            linear.bias.copy_(torch.from_numpy(layer.params["b"]))
        layers.append(linear)
        if i < len(dense) - 1:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)

    def step(X, y):
        optimizer.zero_grad(set_to_none=False)
        loss = torch.nn.functional.cross_entropy(model(X), y)
        loss.backward()
        optimizer.step()
        return float(loss)

    return step


def _naive_step(model_np, dtype):
    """A straightforward NumPy implementation of the same step (the reference when torch is missing)."""
    import numpy as np

    Ws = [layer.params["W"].copy() for layer in model_np.layers if hasattr(layer, "in_features")]
    bs = [layer.params["b"].copy() for layer in model_np.layers if hasattr(layer, "in_features")]

    def step(X, y):
        hs, h = [X], X
        for i, (W, b) in enumerate(zip(Ws, bs)):
            z = h @ W + b
            h = np.maximum(z, 0) if i < len(Ws) - 1 else z
            hs.append(h)
        z = hs[-1]
        z = z - z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        n = X.shape[0]
        loss = -np.log(p[np.arange(n), y]).mean()
        d = p
        d[np.arange(n), y] -= 1
        d /= n
        for i in range(len(Ws) - 1, -1, -1):
            dW, db = hs[i].T @ d, d.sum(axis=0)
            if i > 0:
                d = (d @ Ws[i].T) * (hs[i] > 0)
            Ws[i] -= LR * dW
            bs[i] -= LR * db
        return float(loss)

    return step


def _time(step, args, inner: int) -> float:
    start = time.perf_counter()
    for _ in range(inner):
        step(*args)
    return (time.perf_counter() - start) / inner


def worker(threads: int, repeats: int, inner: int) -> dict:
    """Time both steps in float32 and float64 with ``threads`` threads; return the figures."""
    import numpy as np

    blas_threads, how = _blas_threads(threads)
    try:
        import torch

        torch.set_num_threads(threads)
        reference = f"torch {torch.__version__} CPU ({torch.get_num_threads()} threads)"
    except ImportError:
        torch = None
        reference = "naive NumPy (PyTorch is not installed)"

    results = {"threads": threads, "numpy_blas_threads": blas_threads, "blas_threads_set_by": how,
               "reference": reference, "numpy": np.__version__, "dtypes": {}}
    rng = np.random.default_rng(0)
    X64 = rng.standard_normal((BATCH, SIZES[0]))
    y = rng.integers(0, SIZES[-1], size=BATCH)
    for dtype in (np.float32, np.float64):
        X = X64.astype(dtype)
        model, nn_step = _nnlib_step(dtype)
        if torch is not None:
            ref_step = _torch_step(model, dtype)
            ref_args = (torch.from_numpy(X), torch.from_numpy(y))
        else:
            ref_step = _naive_step(model, dtype)
            ref_args = (X, y)
        first_nn, first_ref = nn_step(X, y), ref_step(*ref_args)  # same weights, same batch: same loss
        for _ in range(3):  # warm up (allocations, thread pools)
            nn_step(X, y)
            ref_step(*ref_args)
        tr_step = _trainer_step(dtype, X, y)
        first_tr = tr_step(X, y)
        nn_times, ref_times, tr_times = [], [], []
        for _ in range(repeats):  # interleaved
            nn_times.append(_time(nn_step, (X, y), inner))
            ref_times.append(_time(ref_step, ref_args, inner))
            tr_times.append(_time(tr_step, (X, y), inner))
        nn, ref, tr = (float(np.median(t)) for t in (nn_times, ref_times, tr_times))
        results["dtypes"][np.dtype(dtype).name] = {
            "nnlib_ms": 1e3 * nn, "reference_ms": 1e3 * ref, "ratio": nn / ref,
            "first_loss_difference": abs(first_nn - first_ref),
            "trainer_ms": 1e3 * tr, "trainer_ratio": tr / nn, "trainer_first_loss_difference": abs(first_tr - first_nn),
        }
    return results


# ----------------------------------------------------------------------------- the driver


TARGETS = {"float32": 1.0, "float64": 1.2}


def run(threads: int, repeats: int, inner: int) -> dict:
    """Run :func:`worker` in a fresh process with the thread variables set before NumPy loads."""
    env = dict(os.environ, **{name: str(threads) for name in THREAD_VARIABLES})
    out = subprocess.run(
        [sys.executable, __file__, "--worker", "--threads", str(threads), "--repeats", str(repeats),
         "--inner", str(inner)],
        env=env, check=True, capture_output=True, text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(results: dict) -> None:
    print(f"threads {results['threads']}: reference {results['reference']}; NumPy {results['numpy']} BLAS "
          f"threads {results['numpy_blas_threads']} (set by {results['blas_threads_set_by']})")
    for dtype, r in results["dtypes"].items():
        verdict = "meets" if r["ratio"] <= TARGETS[dtype] else "MISSES"
        print(f"  {dtype}: nnlib {r['nnlib_ms']:.3f} ms, reference {r['reference_ms']:.3f} ms, "
              f"ratio nnlib/reference {r['ratio']:.2f} ({verdict} the target <= {TARGETS[dtype]}); "
              f"first-step loss difference {r['first_loss_difference']:.1e}")
        print(f"  {dtype}: the same step through Trainer.step {r['trainer_ms']:.3f} ms, "
              f"{r['trainer_ratio']:.2f}x the hand-written nnlib step (first-loss difference "
              f"{r['trainer_first_loss_difference']:.1e})")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, nargs="+", default=None,
                        help="thread counts to compare (default: 1 and the number of CPUs)")
    parser.add_argument("--repeats", type=int, default=15, help="interleaved repetitions (median is reported)")
    parser.add_argument("--inner", type=int, default=10, help="steps per timed repetition")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.threads[0], args.repeats, args.inner)))
        return 0
    threads = args.threads or sorted({1, os.cpu_count() or 1})
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "unknown"
    print(f"{os.cpu_count()} CPUs, load average {load} (other processes slow both libraries alike)")
    print(f"MLP step {'-'.join(map(str, SIZES))}, ReLU, softmax cross-entropy, SGD, batch {BATCH}; "
          f"median of {args.repeats} interleaved repetitions of {args.inner} steps")
    for k in threads:
        report(run(k, args.repeats, args.inner))
    return 0


if __name__ == "__main__":
    sys.exit(main())
