"""The book's one display fallback: rich display inside IPython, plain text outside."""

from nnlib.book.display import in_ipython, show


class Rich:
    def _repr_html_(self):
        return "<b>rich</b>"

    def __repr__(self):
        return "Rich()"


def test_outside_ipython_show_prints(capsys):
    assert not in_ipython()
    show(Rich())
    show({"text/markdown": "**x**", "text/plain": "x"})
    show(Rich(), text="as text")
    assert capsys.readouterr().out == "Rich()\nx\nas text\n"


def test_inside_ipython_show_displays(monkeypatch):
    import IPython
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython, "get_ipython", lambda: object())
    monkeypatch.setattr(IPython.display, "display", lambda obj, raw=False: shown.append((obj, raw)))
    bundle = {"text/plain": "x"}
    show(bundle)
    show("text")
    assert shown == [(bundle, True), ("text", False)]
