"""The book's live widgets and their films.

- :mod:`~nnlib.book.widgets.base`: :class:`~nnlib.book.widgets.base.FigureWidget`, the one base: a figure
  drawn by the widget's own code (one store of drawn artists), for the live view
  and for films;
- :mod:`~nnlib.book.widgets.training`: :class:`~nnlib.book.widgets.training.TrainingWidget`, Play / Pause /
  Step / Reset around a training run; :mod:`~nnlib.book.widgets.interactive`:
  :class:`~nnlib.book.widgets.interactive.InteractivePlot`, a figure redrawn when a control moves;
- :mod:`~nnlib.book.widgets.render` (figure to PNG/JPEG, blitting),
  :mod:`~nnlib.book.widgets.film` (films that play without a kernel),
  :mod:`~nnlib.book.widgets.controls` (control models, checked and built on demand),
  :mod:`~nnlib.book.widgets.live` (playing in a kernel, never unseen),
  :mod:`~nnlib.book.widgets.view` (the ipywidgets user interface, built when shown),
  :mod:`~nnlib.book.widgets.frames` (a slider-driven widget's pictures, made ahead and switched in the browser),
  :mod:`~nnlib.book.widgets.snapshot` (the static picture in the HTML book);
- one module per chapter widget: :class:`~nnlib.book.widgets.perceptron.PerceptronWidget`,
  :class:`~nnlib.book.widgets.activations.ActivationExplorer`, :class:`~nnlib.book.widgets.loss_race.LossRace`, :class:`~nnlib.book.widgets.optimizer_race.OptimizerRace`,
  :class:`~nnlib.book.widgets.gradient_flow.GradientFlowExplorer`,
  :class:`~nnlib.book.widgets.conv_explorer.ConvExplorer` and :class:`~nnlib.book.widgets.cnn_trainer.CNNTrainer`
  (chapter 8; their shared drawing helpers in :mod:`~nnlib.book.widgets.cnn_drawing`), and the :class:`~nnlib.book.widgets.playground.widget.Playground`
  (a sub-package: drawing, user interface, films).
- Chapter 7's overfitting lab is :class:`~nnlib.book.widgets.overfitting.OverfittingLab`.

Each widget draws and controls an experiment of :mod:`nnlib.book.experiments`.
"""

from .activations import ActivationExplorer
from .base import FigureWidget
from .cnn_trainer import CNNTrainer
from .conv_explorer import ConvExplorer
from .film import FILM_DPI, Film, animate, record_film
from .gradient_flow import GradientFlowExplorer
from .interactive import InteractivePlot
from .loss_race import LossRace
from .optimizer_race import OptimizerRace
from .overfitting import OverfittingLab
from .perceptron import PerceptronWidget
from .playground import Playground, playground_films
from .render import new_figure
from .training import TrainingWidget

__all__ = [
    "FigureWidget",
    "TrainingWidget",
    "InteractivePlot",
    "PerceptronWidget",
    "ActivationExplorer",
    "LossRace",
    "OptimizerRace",
    "OverfittingLab",
    "GradientFlowExplorer",
    "ConvExplorer",
    "CNNTrainer",
    "Playground",
    "playground_films",
    "Film",
    "FILM_DPI",
    "animate",
    "record_film",
    "new_figure",
]
