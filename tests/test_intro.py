"""The examples a newcomer meets first run and learn: the preface's five lines (intro.md) and the README's."""

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


def readme_example() -> str:
    text = (ROOT / "README.md").read_text()
    after = text[text.index("## Using nnlib from your own code"):]
    block = re.search(r"```python\n(.*?)```", after, flags=re.S)
    assert block, "README.md: no ```python block in 'Using nnlib from your own code'"
    return block.group(1)


def test_readme_example_runs_and_shows_its_result():
    """Bug: the README's example ran and printed nothing; a newcomer should see the result."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(readme_example(), "README.md", "exec"), {})
    printed = re.search(r"final loss ([0-9.]+), training accuracy ([0-9.]+)%", out.getvalue())
    assert printed, f"the README example printed {out.getvalue()!r}"
    loss, accuracy = float(printed.group(1)), float(printed.group(2))
    assert loss < 0.1 and accuracy >= 95, (loss, accuracy)
