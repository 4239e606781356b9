"""Playing in a live kernel: one widget plays at a time, none plays unseen or forever."""

import asyncio

import pytest

pytest.importorskip("ipywidgets")
pytest.importorskip("matplotlib")

from nnlib.book.widgets import TrainingWidget  # noqa: E402
from nnlib.book.widgets.controls import Number  # noqa: E402
from nnlib.book.widgets.live import Player  # noqa: E402


class Counter(TrainingWidget):
    """Counts down a number: the smallest widget that can play for long."""

    layout = None

    def controls(self):
        return {"start": Number(1000.0, 1.0, 1e6, "start")}

    def reset_state(self, values):
        self.value = values["start"]

    def train_step(self):
        self.value *= 0.99
        return {"loss": self.value}

    def draw(self, fig):
        ax = fig.add_axes((0.1, 0.1, 0.8, 0.8))
        return {"text": ax.text(0.5, 0.5, "")}

    def update_figure(self, fig):
        self.drawn(fig)["text"].set_text(f"{self.value:.3f}")

    def changing_artists(self, fig):
        return [self.drawn(fig)["text"]]


def fast(widget, idle_timeout=60.0):
    widget._player.frame_interval = 0.0
    widget._player.idle_timeout = idle_timeout
    return widget


async def frames(n=5):
    for _ in range(n):
        await asyncio.sleep(0)


def test_starting_a_widget_pauses_the_others():
    async def scenario():
        first, second = fast(Counter()), fast(Counter())
        first.buttons["play"].click()
        await frames()
        assert first.playing and first.n_steps > 0
        second.buttons["play"].click()
        assert second.playing and not first.playing
        assert "another widget started playing" in first.status.value
        assert first.buttons["play"].disabled is False and first.buttons["pause"].disabled is True
        stopped_at = first.n_steps
        await frames()
        assert first.n_steps == stopped_at and second.n_steps > 0
        second.pause()
        await second._player.wait()

    asyncio.run(scenario())


def test_play_stops_when_the_widget_is_no_longer_shown():
    async def scenario():
        w = fast(Counter())
        assert w.ui._view_count == 0  # the front end counts the views
        w.ui._view_count = 1  # what JupyterLab sends when it shows the widget
        w.play()
        await frames()
        assert w.playing
        w.ui._view_count = 0  # the output was cleared, or the tab closed
        assert not w.playing and "no longer shown" in w.status.value
        stopped_at = w.n_steps
        await frames()
        assert w.n_steps == stopped_at

    asyncio.run(scenario())


def test_a_widget_never_shown_still_plays():
    """Without a front end that counts views (a script, a test), nothing stops it but the rules above."""

    async def scenario():
        w = fast(Counter())
        w.play(max_frames=4)
        await w._player.wait()
        return w.n_steps

    assert asyncio.run(scenario()) == 4


def test_play_stops_by_itself_without_interaction_and_says_so():
    async def scenario():
        w = fast(Counter(), idle_timeout=0.3)
        w.play()
        await asyncio.sleep(0.2)
        w.buttons["step"].click()  # an interaction: the idle time starts again
        await asyncio.sleep(0.2)
        assert w.playing  # 0.4 s after Play, 0.2 s after the click
        await asyncio.sleep(0.5)
        assert not w.playing
        assert "without a click: press Play to go on" in w.status.value
        w.play()  # and it can go on
        assert w.playing and "without a click" not in w.status.value
        w.pause()
        await w._player.wait()

    asyncio.run(scenario())


def test_status_line_shows_the_frame_rate_while_playing():
    async def scenario():
        w = fast(Counter())
        w._player.frame_interval = 0.01
        w.play()
        await asyncio.sleep(1.2)
        assert w._player.frames_per_second > 5 and "frames/s" in w.status.value
        w.pause()
        await w._player.wait()
        assert "frames/s" not in w.status.value and "paused" in w.status.value

    asyncio.run(scenario())


def test_player_without_event_loop_does_not_start():
    changes = []
    player = Player(lambda: True, lambda playing, reason: changes.append((playing, reason)), 0.0, 10.0)
    assert player.start() is False and not player.playing and changes == []
