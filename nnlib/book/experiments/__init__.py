"""The runs the chapters and their widgets share, with no user interface.

Nothing here imports ipywidgets, matplotlib or IPython: a chapter, a test or a
script can run an experiment and read its numbers, and a widget
(:mod:`nnlib.book.widgets`) draws and controls the same object.

- :mod:`~nnlib.book.experiments.perceptron`: the perceptron trained example by
  example on small 2-D data sets (:class:`~nnlib.book.experiments.perceptron.PerceptronRun`);
- :mod:`~nnlib.book.experiments.deep_stack`: a batch up and a gradient down a deep
  stack of random layers (:func:`~nnlib.book.experiments.deep_stack.run_deep_stack`, :class:`~nnlib.book.experiments.deep_stack.DeepStackRun`);
- :mod:`~nnlib.book.experiments.loss_race`: cross-entropy against MSE/MAE on a 1-D
  logistic regression (:class:`~nnlib.book.experiments.loss_race.LogisticRun`, :class:`~nnlib.book.experiments.loss_race.LossRaceRun`);
- :mod:`~nnlib.book.experiments.playground`: the Playground's configuration, run and
  code generation (:class:`~nnlib.book.experiments.playground.config.PlaygroundConfig`, :class:`~nnlib.book.experiments.playground.run.PlaygroundRun`,
  :func:`~nnlib.book.experiments.playground.code.generate_code`);
- :mod:`~nnlib.book.experiments.progress`: is the loss going down?
  (:class:`~nnlib.book.experiments.progress.LossWatch`).
"""

from .deep_stack import ACTIVATION_LABELS, ACTIVATION_LAYERS, INIT_CHOICES, DeepStackRun, build_stack, run_deep_stack
from .loss_race import RIVALS, LogisticRun, LossRaceRun, make_1d_data
from .perceptron import PERCEPTRON_DATASETS, PerceptronRun, line_in_box, make_perceptron_dataset
from .playground import PlaygroundConfig, PlaygroundRun, generate_code
from .progress import LossWatch

__all__ = [
    "ACTIVATION_LABELS",
    "ACTIVATION_LAYERS",
    "INIT_CHOICES",
    "DeepStackRun",
    "build_stack",
    "run_deep_stack",
    "RIVALS",
    "LogisticRun",
    "LossRaceRun",
    "make_1d_data",
    "PERCEPTRON_DATASETS",
    "PerceptronRun",
    "line_in_box",
    "make_perceptron_dataset",
    "PlaygroundConfig",
    "PlaygroundRun",
    "generate_code",
    "LossWatch",
]
