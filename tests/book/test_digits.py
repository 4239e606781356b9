"""The book's digits loader: scikit-learn's bundled 8x8 digits, scaled and split the same way everywhere."""

import numpy as np
import pytest

from nnlib.book.experiments.digits import IMAGE_SHAPE, load_digits


def test_split_sizes_cover_all_digits_once():
    d = load_digits()
    assert (len(d.y_train), len(d.y_val), len(d.y_test)) == (1078, 360, 359)
    rows = np.concatenate([d.X_train, d.X_val, d.X_test])
    labels = np.concatenate([d.y_train, d.y_val, d.y_test])
    from sklearn.datasets import load_digits as sklearn_digits

    raw = sklearn_digits()
    def canonical(X, y):  # the multiset of (pixels, label) rows, in one order
        table = np.column_stack([X, y])
        return table[np.lexsort(table.T[::-1])]

    assert np.array_equal(canonical(rows, labels), canonical(raw.data / 16.0, raw.target))


def test_pixels_scaled_to_unit_interval_and_labels_are_digits():
    d = load_digits()
    assert d.X_train.min() == 0.0 and d.X_train.max() == 1.0
    assert set(np.unique(d.y_train)) == set(range(10))
    assert d.y_train.dtype.kind == "i"


def test_split_is_stratified_and_repeatable():
    d = load_digits()
    counts = np.bincount(d.y_test, minlength=10)
    assert counts.min() >= 35 and counts.max() <= 37  # ~10 % of 359 each
    again = load_digits()
    assert np.array_equal(d.X_train, again.X_train) and np.array_equal(d.y_val, again.y_val)
    other = load_digits(rng=1)
    assert not np.array_equal(d.y_train, other.y_train)


def test_images_are_views_of_the_rows():
    d = load_digits()
    images = d.images("train")
    assert images.shape == (1078, *IMAGE_SHAPE)
    assert np.shares_memory(images, d.X_train)
    assert np.array_equal(images[5, 0, 2], d.X_train[5, 16:24])


def test_float32_on_request():
    d = load_digits(dtype=np.float32)
    assert d.X_train.dtype == np.float32 and d.X_test.dtype == np.float32


@pytest.mark.parametrize("kwargs, error, match", [
    ({"val_size": 0.0}, ValueError, "val_size"),
    ({"test_size": 1.5}, ValueError, "test_size"),
    ({"val_size": 0.5, "test_size": 0.5}, ValueError, "below 1"),
    ({"dtype": np.int64}, TypeError, "float32 or float64"),
])
def test_bad_arguments_are_named(kwargs, error, match):
    with pytest.raises(error, match=match):
        load_digits(**kwargs)


def test_unknown_split_name():
    with pytest.raises(ValueError, match="'train', 'val' or 'test'"):
        load_digits().split("validation")


def test_reference_mlp_learns_the_digits_with_sgd():
    from nnlib.book.experiments.digits import REFERENCE_TRAINING, reference_mlp
    from nnlib.optim import SGD
    from nnlib.training import Trainer, predict_classes

    d = load_digits()
    model = reference_mlp(rng=0)
    assert [p.shape for p in model.parameters().values()] == [(64, 64), (64,), (64, 10), (10,)]
    trainer = Trainer(model, d.X_train, d.y_train, loss="softmax_cross_entropy",
                      optimizer=SGD(model.parameters(), lr=REFERENCE_TRAINING["lr"]),
                      batch_size=REFERENCE_TRAINING["batch_size"], rng=0)
    for _ in range(REFERENCE_TRAINING["epochs"]):
        trainer.run_epoch()
    assert (predict_classes(model, d.X_val) == d.y_val).mean() > 0.95


def test_the_digits_are_read_without_importing_scikit_learn():
    """Importing sklearn.datasets takes seconds (SciPy); the loader reads the bundled file directly."""
    import subprocess
    import sys

    code = ("import sys\nfrom nnlib.book.experiments.digits import load_digits\nload_digits()\n"
            "assert not any(m.startswith('sklearn') for m in sys.modules), 'sklearn was imported'")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
