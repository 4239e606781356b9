"""Shared machinery of the image-op benchmarks (``conv.py``, ``pool.py``); not a benchmark itself.

Each thread count k runs in a fresh worker process whose BLAS thread variables
are set to k *before* NumPy is imported (that fixes the size of NumPy's BLAS
thread pool); the worker also limits BLAS with threadpoolctl when it is installed
and calls ``torch.set_num_threads(k)``. Both sides are timed in interleaved
repetitions (ours, reference, ours, reference, ...) so that other processes on
a shared machine slow both alike, and the medians are compared:
ratio = nnlib / reference (below 1: nnlib is faster). The ratio of the fastest
repetitions is printed too: on a loaded machine (see the load averages printed
before and after) it is the steadier figure, above all with 2 threads, where a
busy core stalls the libraries' thread pools.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def limit_threads(k: int) -> dict:
    """Limit NumPy's BLAS and PyTorch to k threads; describe what was set and the reference library."""
    import numpy as np  # loaded first, so that threadpoolctl finds its BLAS

    try:
        from threadpoolctl import threadpool_info, threadpool_limits

        threadpool_limits(k, user_api="blas")
        blas = [p for p in threadpool_info() if p["user_api"] == "blas"]
        blas_threads, how = (blas[0]["num_threads"] if blas else None), "threadpoolctl"
    except ImportError:
        blas_threads, how = int(os.environ["OPENBLAS_NUM_THREADS"]), "OPENBLAS_NUM_THREADS"
    try:
        import torch

        torch.set_num_threads(k)
        reference = f"torch {torch.__version__} CPU ({torch.get_num_threads()} threads)"
    except ImportError:
        torch, reference = None, "a naive NumPy implementation (PyTorch is not installed)"
    return {"threads": k, "numpy": np.__version__, "numpy_blas_threads": blas_threads,
            "blas_threads_set_by": how, "reference": reference, "torch": torch}


def interleaved(ours, reference, repeats: int, inner: int) -> dict:
    """Milliseconds per call of ``ours`` and ``reference``, timed alternately: medians and minima."""
    import numpy as np

    for _ in range(3):  # warm up: allocations, thread pools, work buffers
        ours()
        reference()
    times = {ours: [], reference: []}
    for _ in range(repeats):
        for fn in (ours, reference):
            start = time.perf_counter()
            for _ in range(inner):
                fn()
            times[fn].append((time.perf_counter() - start) / inner)
    ours_ms, ref_ms = (1e3 * np.array(times[fn]) for fn in (ours, reference))
    return {"nnlib_ms": float(np.median(ours_ms)), "reference_ms": float(np.median(ref_ms)),
            "ratio": float(np.median(ours_ms) / np.median(ref_ms)), "best_ratio": float(ours_ms.min() / ref_ms.min())}


def measure(name: str, ours, reference, repeats: int, inner: int, target=None, **extra) -> dict:
    """One row: the medians, their ratio (the figure compared with ``target``), and the ratio of the minima."""
    return {"name": name, **interleaved(ours, reference, repeats, inner), "target": target, **extra}


def report(results: dict) -> None:
    print(f"threads {results['threads']}: reference {results['reference']}; NumPy {results['numpy']} BLAS "
          f"threads {results['numpy_blas_threads']} (set by {results['blas_threads_set_by']})")
    for r in results["rows"]:
        verdict = "" if r["target"] is None else \
            f" ({'meets' if r['ratio'] <= r['target'] else 'MISSES'} the target <= {r['target']})"
        check = f"; {r['check']}" if r.get("check") else ""
        print(f"  {r['name']}: nnlib {r['nnlib_ms']:.2f} ms, reference {r['reference_ms']:.2f} ms, "
              f"ratio {r['ratio']:.2f}{verdict}; ratio of the fastest repetitions {r['best_ratio']:.2f}{check}")


def load() -> str:
    if not hasattr(os, "getloadavg"):
        return "unknown"
    return ", ".join(f"{v:.2f}" for v in os.getloadavg()) + f" (1, 5, 15 min) on {os.cpu_count()} CPUs"


def main(script: str, title: str, worker, argv=None) -> int:
    """Command line of a benchmark: the driver spawns one worker per thread count and prints its rows."""
    parser = argparse.ArgumentParser(description=title)
    parser.add_argument("--threads", type=int, nargs="+", default=None,
                        help="thread counts to compare (default: 1 and the number of CPUs)")
    parser.add_argument("--repeats", type=int, default=31, help="interleaved repetitions (median is reported)")
    parser.add_argument("--inner", type=int, default=5, help="calls per timed repetition")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        results = limit_threads(args.threads[0])
        results["rows"] = worker(results.pop("torch"), args.repeats, args.inner)
        print(json.dumps(results))
        return 0
    print(title)
    print(f"load average before: {load()}; median of {args.repeats} interleaved repetitions of {args.inner} calls")
    for k in args.threads or sorted({1, os.cpu_count() or 1}):
        env = dict(os.environ, **{name: str(k) for name in THREAD_VARIABLES})
        out = subprocess.run([sys.executable, script, "--worker", "--threads", str(k), "--repeats",
                              str(args.repeats), "--inner", str(args.inner)],
                             env=env, check=True, capture_output=True, text=True)
        report(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"load average after: {load()}")
    return 0
