"""The five-line example in the preface (intro.md) runs and learns."""

from __future__ import annotations

import contextlib
import io
import re

from conftest import ROOT

MARKER = "<!-- intro-example"


def preface_example() -> str:
    text = (ROOT / "intro.md").read_text()
    after = text[text.index(MARKER):]
    block = re.search(r"```python\n(.*?)```", after, flags=re.S)
    assert block, "intro.md: no ```python block after the intro-example marker"
    return block.group(1)


def test_preface_example_is_five_lines():
    lines = [line for line in preface_example().splitlines() if line.strip()]
    assert len(lines) == 5, f"the preface promises five lines, the block has {len(lines)}"


def test_preface_example_runs_and_learns():
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(preface_example(), "intro.md", "exec"), {})
    accuracy = float(re.search(r"training accuracy: ([0-9.]+)", out.getvalue()).group(1))
    assert accuracy >= 0.95, f"the preface example reached only {accuracy:.2f} training accuracy"
