"""FigureWidget: one store of drawn artists, one rendering path, and a static picture for the HTML book."""

import re

import pytest

pytest.importorskip("ipywidgets")
pytest.importorskip("matplotlib")

from nnlib.book.widgets import PerceptronWidget  # noqa: E402
from nnlib.book.widgets.snapshot import HOW_TO_RUN, snapshot_html  # noqa: E402

CONTROLS = re.compile(r"<(button|input|select|textarea)\b", re.I)


def test_the_html_picture_has_no_controls_and_says_how_to_run_live():
    widget = PerceptronWidget(dataset="XOR", lr=0.5)
    bundle = widget._repr_mimebundle_()
    assert set(bundle) == {"application/vnd.jupyter.widget-view+json", "text/html", "text/plain"}
    picture = bundle["text/html"]
    assert not CONTROLS.search(picture)  # nothing to click that would need a kernel
    width, height = widget.figure.canvas.get_width_height()
    band = widget.headline_band  # the live view's picture, without the band a film's headline goes in
    assert f'width="{width}" height="{height - band}"' in picture and "data:image/png;base64," in picture
    assert "data: <b>XOR</b>" in picture and "learning rate η: <b>0.5</b>" in picture
    assert HOW_TO_RUN in picture and "Binder" in HOW_TO_RUN and "make lab" in HOW_TO_RUN
    assert bundle["text/plain"].startswith("<PerceptronWidget: data=XOR, learning rate η=0.5")


def test_snapshot_html_escapes_its_text():
    picture = snapshot_html(b"\x89PNG", (10, 20), [("a <b>", "x & y")], status="step 0")
    assert "a &lt;b&gt;: <b>x &amp; y</b>" in picture and "step 0" in picture


def test_each_figure_keeps_its_own_artists():
    widget = PerceptronWidget()
    live = widget.drawn(widget.figure)
    film_figure = widget.film_figure()
    widget._render(film_figure, full=True)
    film = widget.drawn(film_figure)
    assert live["regions"] is not film["regions"] and live["regions"].figure is widget.figure
    assert widget.drawn() is live  # the live figure's by default
    assert widget.drawn(object.__new__(type(widget.figure))) == {}  # a figure it never drew


def test_show_outside_ipython_prints(capsys):
    PerceptronWidget(dataset="OR").show()
    assert capsys.readouterr().out.startswith("<PerceptronWidget: data=OR")
