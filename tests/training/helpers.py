"""Data, snapshots and a recording callback the training tests share."""

import numpy as np

from nnlib.training import Callback

XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_y = np.array([0, 1, 1, 0])


def blobs(n=60, seed=0):
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 3
    centers = np.array([[0.0, 2.0], [2.0, -1.0], [-2.0, -1.0]])
    return centers[y] + 0.3 * rng.normal(size=(n, 2)), y


def snapshot(model):
    return {k: v.copy() for k, v in model.parameters().items()}


def assert_same_params(model, snap):
    for k, v in model.parameters().items():
        np.testing.assert_array_equal(v, snap[k], err_msg=k)


class Recorder(Callback):
    def __init__(self, stop_at=None):
        self.calls, self.stop_at, self.batch_sizes = [], stop_at, []

    def on_train_begin(self, model, logs):
        self.calls.append("begin")
        self.begin_logs = logs

    def on_batch_end(self, batch, logs):
        self.calls.append(("batch", logs["epoch"], batch))
        self.batch_sizes.append(logs["size"])

    def on_epoch_end(self, epoch, logs):
        self.calls.append(("epoch", epoch))
        self.last_logs = logs
        return epoch == self.stop_at

    def on_train_end(self, history):
        self.calls.append("end")
