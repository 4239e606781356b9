"""The Playground's experiment, with no user interface: configuration, one run, and its code.

- :mod:`~nnlib.book.experiments.playground.config`: the choices (data sets,
  features, activations, optimizers, ...) and :class:`~nnlib.book.experiments.playground.config.PlaygroundConfig`;
- :mod:`~nnlib.book.experiments.playground.run`: data, features, model and
  optimizer of one run, trained epoch by epoch (:class:`~nnlib.book.experiments.playground.run.PlaygroundRun`);
- :mod:`~nnlib.book.experiments.playground.code`: the plain nnlib script of a
  run (:func:`~nnlib.book.experiments.playground.code.generate_code`).

The widget (:class:`nnlib.book.widgets.playground.widget.Playground`) draws and controls a
:class:`~nnlib.book.experiments.playground.run.PlaygroundRun`; tests and scripts can use it without one::

    run = PlaygroundRun(PlaygroundConfig(dataset="spiral", hidden=(8, 8)))
    for _ in range(50):
        metrics = run.run_epoch()
    print(generate_code(run.config, epochs=50))
"""

from .code import generate_code
from .config import (
    ACTIVATIONS,
    DATASETS,
    DEFAULT_NOISE,
    FEATURES,
    LEARNING_RATES,
    MAX_CLASSES,
    MAX_LAYERS,
    MAX_UNITS,
    MULTICLASS_DATASETS,
    OPTIMIZERS,
    REG_RATES,
    REGULARIZATIONS,
    Feature,
    PlaygroundConfig,
    check_hidden,
)
from .run import DATA_SCALE, PlaygroundRun, build_model, build_optimizer, feature_map, make_dataset, scale_inputs

__all__ = [
    "ACTIVATIONS",
    "DATASETS",
    "DEFAULT_NOISE",
    "FEATURES",
    "LEARNING_RATES",
    "MAX_CLASSES",
    "MAX_LAYERS",
    "MAX_UNITS",
    "MULTICLASS_DATASETS",
    "OPTIMIZERS",
    "REG_RATES",
    "REGULARIZATIONS",
    "DATA_SCALE",
    "Feature",
    "PlaygroundConfig",
    "PlaygroundRun",
    "check_hidden",
    "make_dataset",
    "feature_map",
    "scale_inputs",
    "build_model",
    "build_optimizer",
    "generate_code",
]
