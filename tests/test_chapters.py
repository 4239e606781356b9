"""Every chapter listed in _toc.yml runs top to bottom in a fresh kernel.

A failing SymPy derivation check, a failing gradient check or any other cell error
fails the test and prints the cell. The same execution runs in the book build;
this test reports each chapter separately.
"""

from __future__ import annotations

import importlib.util
import re

import pytest

from conftest import ROOT, toc_chapters

spec = importlib.util.spec_from_file_location("run_chapter", ROOT / "scripts" / "run_chapter.py")
run_chapter = importlib.util.module_from_spec(spec)
spec.loader.exec_module(run_chapter)

CHAPTERS = toc_chapters()
RHYTHM = ["idea", "derivation", "implementation", "experiment", "play", "check yourself", "notes on the notes"]


def all_output_text(nb) -> str:
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            parts.append(out.get("text", ""))
            data = out.get("data", {})
            parts.extend(str(data.get(k, "")) for k in ("text/plain", "text/markdown", "text/latex", "text/html"))
    return "\n".join(parts)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.stem for c in CHAPTERS])
def test_chapter_follows_the_rhythm(chapter):
    """The seven sections of GUIDE §3 appear as level-2 headings, in order."""
    headings = [h.lower() for h in re.findall(r"^## (.+)$", chapter.read_text(), flags=re.M)]
    positions = []
    for section in RHYTHM:
        found = [i for i, h in enumerate(headings) if h.startswith(section) or f": {section}" in h or section in h.split(":")[0]]
        assert found, f"{chapter.name}: no '## {section.title()}…' section; headings are {headings}"
        positions.append(found[0])
    assert positions == sorted(positions), f"{chapter.name}: sections out of order: {list(zip(RHYTHM, positions))}"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.stem for c in CHAPTERS])
def test_chapter_executes(chapter):
    nb = run_chapter.execute_chapter(chapter)
    text = all_output_text(nb)
    match = re.search(r"(\d+) derivation checks? passed", text)
    assert match, f"{chapter.name}: no checks_done() summary in the outputs"
    assert int(match.group(1)) >= 5, f"{chapter.name}: only {match.group(1)} derivation checks"
    assert "Traceback" not in text, f"{chapter.name}: a traceback was printed in an output"
    stderr = "".join(
        out.get("text", "") for cell in nb.cells for out in cell.get("outputs", []) if out.get("name") == "stderr"
    )
    assert "Warning" not in stderr, f"{chapter.name}: a warning leaked into the book:\n{stderr[:2000]}"
