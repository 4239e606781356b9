"""Films: matplotlib's player, with compact frames, that plays offline."""

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from nnlib.book.widgets.film import FILM_DPI, Film, animate, record_film  # noqa: E402
from nnlib.book.widgets.render import new_figure  # noqa: E402


def test_animate_needs_no_cdn():
    """Films must play offline: matplotlib's player links Font Awesome from a CDN; films drop it."""
    figure = new_figure((2, 1), FILM_DPI)
    ax = figure.add_subplot()
    film = animate(figure, lambda i: ax.plot([0, 1], [0, i]), n_frames=3, interval=100)
    assert "_anim_slider" in film.data and '<img id="_anim_img' in film.data
    assert "https://" not in film.data
    assert film.data.count("data:image/png;base64,") == 3


def test_record_film_grabs_the_canvas_as_the_caller_left_it():
    figure = new_figure((1, 1), 20, layout=None)
    colours = [(1.0, 0.0, 0.0), (0.0, 0.0, 1.0)]

    def render_frame(index):
        figure.patch.set_facecolor(colours[index])
        figure.canvas.draw()

    film = record_film(figure, render_frame, 2, interval=300, title="Red, then blue")
    assert film.n_frames == 2 and "Red, then blue" in film.data and 'class="nnlib-film-title"' in film.data
    assert film.data.count("data:image/png;base64,") == 2
    assert figure.get_size_inches().tolist() == [1.0, 1.0]  # not rounded to even pixels


def test_films_join_and_say_what_they_are(tmp_path):
    figure = new_figure((1, 1), 20)
    films = [animate(figure, lambda i: None, n_frames=n, interval=50, title=f"film {n}") for n in (2, 3)]
    joined = Film.join(films)
    assert joined.n_frames == 5 and joined.data.count('class="nnlib-film"') == 2
    assert joined._repr_html_() == joined.data
    assert "5 frames" in repr(joined) and "'film 2'" in repr(films[0])
    page = joined.save(tmp_path / "films.html")
    assert page.read_text().count("_anim_img") >= 2


def test_record_film_checks_its_arguments():
    figure = new_figure((1, 1), 20)
    with pytest.raises(ValueError, match="n_frames"):
        record_film(figure, lambda i: None, 0, interval=100)
    with pytest.raises(ValueError, match="interval"):
        record_film(figure, lambda i: None, 2, interval=1)
    assert np.isfinite(FILM_DPI)
