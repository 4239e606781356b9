"""A helper the optimizer tests share: apply gradients one step at a time."""

import numpy as np


def run(opt_cls, theta0, grads, **kw):
    """Apply the gradients one step at a time; return the parameter after each step, and the optimizer."""
    theta = np.array(theta0, dtype=float)
    opt = opt_cls({"w": theta}, **kw)
    history = []
    for g in grads:
        opt.step({"w": np.array(g, dtype=float)})
        history.append(theta.copy())
    return history, opt
