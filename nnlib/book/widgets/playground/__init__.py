"""The Playground: train a small network on 2-D data and watch every unit learn.

A Python counterpart of TensorFlow Playground, built on nnlib, in three parts
over the experiment :mod:`nnlib.book.experiments.playground`:

- :mod:`~nnlib.book.widgets.playground.drawing`: the picture of a run (network,
  decision map, loss curves);
- :mod:`~nnlib.book.widgets.playground.widget`: the widget, over the run and the picture;
- :mod:`~nnlib.book.widgets.playground.ui` (with
  :mod:`~nnlib.book.widgets.playground.editor`): its controls, their rows and buttons;
- :mod:`~nnlib.book.widgets.playground.films`: one film per data set.
"""

from .films import FILM_TITLES, playground_films
from .widget import Playground

__all__ = ["Playground", "playground_films", "FILM_TITLES"]
