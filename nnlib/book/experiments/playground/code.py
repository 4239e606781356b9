"""Show code: the plain nnlib script that reproduces a Playground run, epoch for epoch."""

from __future__ import annotations

from .config import ACTIVATIONS, FEATURES, OPTIMIZERS, PlaygroundConfig
from .run import DATA_SCALE, GENERATORS

__all__ = ["generate_code"]


def _data_code(config: PlaygroundConfig) -> tuple[list[str], list[str]]:
    """(names to import from nnlib.data, lines that make X and y)."""
    if config.is_regression:
        return ["make_regression_2d"], [
            f"X, y = make_regression_2d({config.n}, noise={config.noise!r}, rng=rng)   # y = sin(x1) cos(x2) + noise"
        ]
    name = GENERATORS[config.dataset].__name__
    return [name], [f"X, y = {name}({config.n}, n_classes={config.n_classes}, noise={config.noise!r}, rng=rng)"]


def generate_code(config: PlaygroundConfig, epochs: int = 100, batch_size: int | None = None) -> str:
    """The plain nnlib script that reproduces a Playground run.

    Running it gives the same data, the same initial weights and the same
    mini-batches as the widget, so after ``epochs`` epochs its model equals
    the widget's after as many steps.

    Parameters
    ----------
    config : PlaygroundConfig
    epochs : int, default 100
    batch_size : int, optional
        The batch size actually used (default: ``config.batch_size``).

    Returns
    -------
    str
        Python source, runnable as it is (it prints the final losses).
    """
    batch_size = config.batch_size if batch_size is None else batch_size
    data_imports, data_lines = _data_code(config)
    opt_cls, opt_extra = OPTIMIZERS[config.optimizer]
    opt_args = "".join(f", {k}={v!r}" for k, v in opt_extra.items())
    feature_codes = ", ".join(FEATURES[name].code for name in config.features)
    sizes = ", ".join(str(s) for s in (len(config.features), *config.hidden, config.n_outputs))
    penalty = "".join(f", {k}={v!r}" for k, v in config.penalties.items())
    stratify = "False" if config.is_regression else "True"
    hidden = f"hidden layers {list(config.hidden)} ({config.activation})" if config.hidden else "no hidden layer"
    output = "1 output, mean squared error" if config.is_regression else \
        f"{config.n_outputs} logits, softmax cross-entropy"
    lines = [
        "import numpy as np",
        "",
        f"from nnlib.data import {', '.join(sorted([*data_imports, 'train_test_split']))}",
        "from nnlib.layers import mlp",
        f"from nnlib.optim import {opt_cls.__name__}",
        "from nnlib.training import evaluate, fit",
        "",
        f"rng = np.random.default_rng({config.seed})   # draws the data, the split, the weights, the batches",
        "",
        f"# Data: {config.dataset}, {config.n} points, scaled to standard deviation {DATA_SCALE}",
        *data_lines,
        f"X = {DATA_SCALE} * (X - X.mean(axis=0)) / X.std()",
        f"X_train, X_test, y_train, y_test = train_test_split(X, y, test_size={config.test_size!r}, rng=rng, "
        f"stratify={stratify})",
        "",
        "",
        "def features(X):",
        f'    """The input features: {", ".join(config.features)}."""',
        "    x1, x2 = X[:, 0], X[:, 1]",
        f"    return np.column_stack([{feature_codes}])",
        "",
        "",
        f"# Network: {len(config.features)} features -> {hidden} -> {output}",
        f'model = mlp([{sizes}], activation="{ACTIVATIONS[config.activation]}", rng=rng)',
        f"optimizer = {opt_cls.__name__}(model.parameters(trainable_only=True), lr={config.lr!r}{opt_args})",
        "",
        f"EPOCHS = {epochs}",
        f'history = fit(model, features(X_train), y_train, loss="{config.loss}", optimizer=optimizer,',
        f"              epochs=EPOCHS, batch_size={batch_size}, rng=rng{penalty},",
        "              validation_data=(features(X_test), y_test))",
        f'train = evaluate(model, features(X_train), y_train, loss="{config.loss}")',
        f'test = evaluate(model, features(X_test), y_test, loss="{config.loss}")',
        'print(f"after {EPOCHS} epochs: training loss {train[\'loss\']:.4f}, test loss {test[\'loss\']:.4f}")',
    ]
    return "\n".join(lines) + "\n"
