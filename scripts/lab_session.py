"""Drive JupyterLab headless: a server on a scratch folder, a notebook in Chromium, its cells run.

Used by ``benchmarks/widget_fps.py`` (frames per second as the browser sees them)
and by the live-widget browser tests. Needs Debian's ``chromium`` and PyPI's
``playwright`` (never ``playwright install``).

    with jupyterlab(folder) as lab, chromium() as browser:
        page = open_notebook(browser, lab, folder, ["from nnlib.book.widgets import LossRace", "LossRace()"])
        run_cells(page, 2)
        output(page, 1).locator("button:has-text('Play')").click()
"""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
TOKEN = "nnfp-lab"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def jupyterlab(folder: Path, python: str = sys.executable, root: Path | None = None):
    """Run ``jupyter lab`` on ``root`` (default: ``folder``); yield its base URL.

    ``folder`` holds the server's log (``lab.log``) and a fresh workspace and settings,
    so nothing is restored from an earlier session. JupyterLab is first set up as
    ``make lab`` sets it up (``scripts/configure_lab.py``), so what is measured and
    tested is what a reader gets. The server is stopped (and its kernels with it) when
    the block ends.
    """
    folder = Path(folder)
    subprocess.run([python, str(Path(__file__).resolve().parent / "configure_lab.py")], check=True)
    port = _free_port()
    log = (folder / "lab.log").open("w")
    lab = subprocess.Popen(
        [python, "-m", "jupyter", "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         f"--IdentityProvider.token={TOKEN}", "--ServerApp.allow_root=True", f"--ServerApp.root_dir={root or folder}",
         "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
         f"--LabApp.workspaces_dir={folder / 'workspaces'}", f"--LabApp.user_settings_dir={folder / 'settings'}"],
        stdout=subprocess.DEVNULL, stderr=log,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError(f"JupyterLab did not start; see {folder / 'lab.log'}")
        yield url
    finally:
        lab.terminate()
        try:
            lab.wait(timeout=20)
        except subprocess.TimeoutExpired:  # still shutting its kernels down
            lab.kill()
            lab.wait()
        log.close()


@contextlib.contextmanager
def chromium():
    """A headless Debian Chromium driven by playwright."""
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        raise RuntimeError("Debian chromium is not installed: sudo apt-get install -y chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def open_notebook(browser, url: str, folder: Path, cells, name: str = "widgets.ipynb", viewport=(1400, 1000)):
    """Write a notebook of code ``cells`` into ``folder``, open it in JupyterLab; return the page."""
    notebook = {
        "cells": [{"cell_type": "code", "metadata": {}, "source": source, "outputs": [], "execution_count": None}
                  for source in cells],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5,
    }
    (Path(folder) / name).write_text(json.dumps(notebook))
    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
    workspace = Path(name).stem  # its own workspace: nothing restored from an earlier notebook
    page.goto(f"{url}/lab/workspaces/{workspace}/tree/{name}?reset&token={TOKEN}")
    page.wait_for_function(  # every cell shown, and the kernel started and idle (the status bar says so)
        "(n) => document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell').length === n && "
        "/\\| Idle/.test(document.querySelector('.jp-StatusBar-Widget') ? document.body.innerText : '')",
        arg=len(cells), timeout=120000)
    return page


def cell(page, index: int):
    """The locator of code cell ``index`` of the open notebook."""
    return page.locator(".jp-NotebookPanel .jp-CodeCell").nth(index)


def output(page, index: int):
    """The output area of code cell ``index``."""
    return cell(page, index).locator(".jp-OutputArea")


def run_cell(page, index: int, timeout: float = 120000) -> None:
    """Run code cell ``index`` (click into it, Shift+Enter) and wait until it has run.

    If the cell has not started after 20 s (the key press went astray on a busy
    machine), it is started again.
    """
    prompt = f"document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell')[{index}].querySelector('.jp-InputPrompt')"
    before = page.evaluate(f"() => {prompt}.textContent")
    started = f"(before) => {prompt}.textContent !== before"  # "[*]:" or a new count
    finished = f"(before) => {{ const text = {prompt}.textContent; return /\\[\\d+\\]/.test(text) && text !== before; }}"
    for attempt in range(2):
        cell(page, index).locator(".jp-InputArea-editor").click()
        page.keyboard.press("Shift+Enter")
        try:
            page.wait_for_function(started, arg=before, timeout=20000)
            break
        except Exception:
            if attempt:
                raise
    page.wait_for_function(finished, arg=before, timeout=timeout)


def count_image_updates(image) -> None:
    """Start counting, in the page, the frames the image element (a playwright locator) shows: its load events."""
    image.evaluate("""(element) => {
        window.__frames = 0;
        element.addEventListener('load', () => { window.__frames += 1; });
    }""")


def frames_seen(page) -> tuple[int, float]:
    """(frames counted so far, the page's clock in seconds)."""
    frames, now = page.evaluate("() => [window.__frames, performance.now()]")
    return frames, now / 1000


def shut_down_kernels(url: str) -> None:
    """Stop every kernel of the server (nothing keeps running between measurements)."""
    sessions = json.load(urllib.request.urlopen(f"{url}/api/kernels?token={TOKEN}", timeout=10))
    for kernel in sessions:
        request = urllib.request.Request(f"{url}/api/kernels/{kernel['id']}?token={TOKEN}", method="DELETE")
        urllib.request.urlopen(request, timeout=30)
