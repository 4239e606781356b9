"""Shared fixtures: paths of the book, and the chapters listed in _toc.yml."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() == "true"


def toc_chapters() -> list[Path]:
    """Every chapter file named in _toc.yml, in reading order."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [entry["file"] for part in toc["parts"] for entry in part["chapters"]]
    return [ROOT / f"{name}.md" for name in files if name.startswith("chapters/")]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
