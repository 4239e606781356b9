"""The Playground's films: one pre-computed run per data set, for readers without a kernel."""

from __future__ import annotations

from nnlib.book.experiments.playground import DATASETS
from nnlib.book.validation import check_number, check_option

from ..film import Film
from .widget import Playground

__all__ = ["FILM_TITLES", "playground_films"]

#: The title of each data set's film.
FILM_TITLES = {
    "circle": "Circle: one class inside a ring of the other",
    "xor": "XOR: the class is the XOR of the signs of x₁ and x₂",
    "gaussian": "Gaussian: two blobs",
    "spiral": "Spiral: two interleaved arms (hard for the default network)",
    "moons": "Moons: two interleaved half circles",
    "regression": "Regression: y = sin(x₁) cos(x₂) + noise",
}


def playground_films(datasets=DATASETS, n_frames: int = 12, steps_per_frame: int = 8, interval: float = 400,
                     **config) -> Film:
    """Pre-computed Playground runs, one film per data set, for readers without a kernel.

    Each film is :meth:`~nnlib.book.widgets.training.TrainingWidget.film` of a
    :class:`~nnlib.book.widgets.playground.widget.Playground` with the default network (or
    ``config``) on one data set, made by the widget's own drawing code (no
    ipywidgets are created): frame ``i`` shows the state after
    ``(i + 1) * steps_per_frame`` epochs.

    Parameters
    ----------
    datasets : sequence of str, default all data sets
    n_frames : int, default 12
        Frames per film (at most 30, to keep the page small: each frame is about 30 kB).
    steps_per_frame : int, default 8
        Epochs between frames.
    interval : float, default 400
        Milliseconds between frames when a film plays.
    **config
        Any other :class:`~nnlib.book.widgets.playground.widget.Playground` argument (e.g. ``hidden=(8, 8)``,
        ``figsize``), the same for every film.

    Returns
    -------
    Film
        The films, one after another, each under its title.

    Raises
    ------
    ValueError
        For an unknown data set, ``n_frames`` outside [1, 30] or an invalid ``config``.
    """
    datasets = tuple(datasets)
    for dataset in datasets:
        check_option(dataset, "datasets", DATASETS)
    n_frames = check_number(n_frames, "n_frames", low=1, high=30, integer=True)
    return Film.join(Playground(dataset=dataset, **config).film(n_frames=n_frames, steps_per_frame=steps_per_frame,
                                                                interval=interval, title=FILM_TITLES[dataset])
                     for dataset in datasets)
