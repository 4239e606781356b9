"""Open every page of the built book in headless Chromium, offline.

The book in ``_build/html`` is served on 127.0.0.1; every request to any other
address is blocked and recorded. For each page this checks: no JavaScript errors,
math typeset by MathJax with no raw TeX left in the text, no control that would do
nothing without a kernel (live widgets show as pictures), widget pictures and films
at their pixel size, every animation scrubbable, and no request outside loopback.
A screenshot of each page (and of each chapter's Play section) goes to
``artifacts/screenshots/``. The live widgets are also tried in a real JupyterLab.

Needs Debian's ``chromium`` (never ``playwright install``). Without it the test
skips with the install command, except under ``CI=true``, where it fails.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import http.server
import shutil
import threading
import warnings
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import IN_CI, ROOT, toc_chapters

HTML = ROOT / "_build" / "html"
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
INSTALL_HINT = "install it with: sudo apt-get update && sudo apt-get install -y chromium"
LOOPBACK = {"127.0.0.1", "localhost", "[::1]", "::1"}

# Raw TeX commands that must not survive in a page's visible text once MathJax ran
# (code blocks and typeset math are removed first).
RAW_TEX_JS = r"""() => {
  const body = document.body.cloneNode(true);
  body.querySelectorAll('mjx-container, pre, code, script, style, textarea, .highlight').forEach(e => e.remove());
  const m = body.innerText.match(/\\(frac|sum|begin|end\{|mathbf|mathbb|partial|sigma|odot|left|right|sqrt|cdot|top)\b/);
  return m ? m[0] + ' … ' + body.innerText.substr(Math.max(0, m.index - 60), 120) : null;
}"""


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _skip_or_fail(message: str):
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def pages() -> list[Path]:
    """Every HTML page of the book (not assets)."""
    if not HTML.exists():
        return []
    return sorted(p for p in HTML.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts)


@pytest.fixture(scope="module")
def server():
    if not (HTML / "index.html").exists():
        _skip_or_fail("no built book in _build/html: run `make book` first")
    handler = functools.partial(QuietHandler, directory=str(HTML))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    chromium = shutil.which("chromium")
    if chromium is None:
        _skip_or_fail(f"Debian chromium is not installed; {INSTALL_HINT}")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _relative(page: Path) -> str:
    return page.relative_to(HTML).as_posix()


PAGES = pages()


@pytest.mark.parametrize("page_path", PAGES, ids=[_relative(p) for p in PAGES])
def test_page_renders_offline(server, browser, page_path):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    outside, js_errors, broken = [], [], []

    def guard(route):
        host = urlparse(route.request.url).hostname or ""
        if host in LOOPBACK or route.request.url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.on("pageerror", lambda exc: js_errors.append(str(exc)))
    page.on("console", lambda msg: js_errors.append(msg.text)
            if msg.type == "error" and not msg.text.startswith("Failed to load resource") else None)
    page.on("response", lambda r: broken.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    try:
        source = page_path.read_text(errors="replace")
        redirect = re.search(r'http-equiv="refresh" content="\d+;\s*url=([^"]+)"', source, flags=re.I)
        if redirect:  # index.html only forwards to the first page: check that the target exists
            assert (page_path.parent / redirect.group(1)).exists(), f"redirect to a missing page: {redirect.group(1)}"
            return
        page.goto(f"{server}/{_relative(page_path)}", wait_until="load")

        if 'class="math' in source:
            page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=15000)
            page.evaluate("() => MathJax.startup.promise")
            assert page.locator("mjx-container").count() > 0, "math on the page but MathJax typeset nothing"
            raw = page.evaluate(RAW_TEX_JS)
            assert raw is None, f"raw TeX left in the page text: {raw}"

        assert "widget-state+json" not in source and "embed-amd" not in source, \
            "the page embeds widget state (and loads a widget manager) although no widget view is in it"
        _no_dead_controls(page, source)
        _pictures_at_pixel_size(page)

        for slider in page.locator("input[type=range][id^='_anim_slider']").all():
            anim_id = slider.get_attribute("id").removeprefix("_anim_slider")
            image = page.locator(f"#_anim_img{anim_id}")
            before = image.get_attribute("src")
            last = int(slider.get_attribute("max"))
            assert last >= 1, "an animation with a single frame"
            slider.evaluate(f"(el) => {{ el.value = {last}; el.dispatchEvent(new Event('input')); }}")
            after = image.get_attribute("src")
            assert after != before, f"scrubbing animation {anim_id} did not change its frame"

        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / (_relative(page_path).replace("/", "__") + ".png")), full_page=False)
        play = page.locator("section[id^='play']").first
        if play.count():  # a chapter's Play section: the widget's picture and the films, as a reader sees them
            play.screenshot(path=str(SHOTS / (_relative(page_path).replace("/", "__") + "__play.png")))
        assert not js_errors, f"JavaScript errors: {js_errors[:5]}"
        assert not broken, f"resources missing from the build: {broken[:5]}"
        assert not outside, f"requests outside loopback were attempted: {outside[:5]}"
    finally:
        context.close()


# Clickable things in cell outputs. A live widget's controls need a kernel: in the static book they
# would do nothing. Films (matplotlib's player, div.animation) and the theme's copy buttons work
# without one and are allowed.
DEAD_CONTROLS_JS = r"""() => Array.from(document.querySelectorAll(
    '.cell_output button, .cell_output input, .cell_output select, .cell_output textarea, ' +
    '.cell_output [role=slider], .cell_output [role=button], .cell_output [contenteditable=true], ' +
    '.jupyter-widgets button, .jupyter-widgets input, .jupyter-widgets select, .jupyter-widgets textarea'))
  .filter(el => !el.closest('.animation') && !el.classList.contains('copybtn'))
  .map(el => el.outerHTML.slice(0, 100))"""


def _no_dead_controls(page, source: str) -> None:
    """No widget view and no clickable control in an output, except the films' players."""
    n_views = source.count('application/vnd.jupyter.widget-view+json')
    assert n_views == 0, (f"{n_views} live widget view(s) in the static page: their controls need a kernel "
                          "(nb_mime_priority_overrides in _config.yml drops them; the widget's picture shows instead)")
    dead = page.evaluate(DEAD_CONTROLS_JS)
    assert not dead, f"{len(dead)} control(s) in the page that do nothing without a kernel: {dead[:5]}"


def _pictures_at_pixel_size(page) -> None:
    """Widget pictures and film frames show at their pixel size (not stretched, not shrunk): legible text."""
    sizes = page.evaluate("""() => Array.from(document.querySelectorAll(
        '.nnlib-widget-snapshot img, img[id^=_anim_img]')).map(
        img => [img.id || img.className || 'picture', img.naturalWidth, img.clientWidth])""")
    for name, natural, shown in sizes:
        assert natural > 0, f"{name}: the image did not load"
        assert shown == natural, f"{name}: {natural} pixels wide, shown {shown} wide (scaled: blurred or tiny text)"


def test_there_are_pages_to_check():
    if not PAGES:
        _skip_or_fail("no built book in _build/html: run `make book` first")
    names = {_relative(p) for p in PAGES}
    assert "index.html" in names or "intro.html" in names
    assert any(n.startswith("chapters/") for n in names), "no chapter pages were built"


def _scroll_to_markdown(page, pattern: str):
    """Scroll the open notebook until a rendered Markdown cell matches ``pattern`` (JupyterLab renders lazily)."""
    for step in range(300):
        page.evaluate("(y) => { const o = document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer');"
                      " if (o) o.scrollTop = y; }", step * 500)
        page.wait_for_timeout(100)
        cell = page.locator(".jp-NotebookPanel .jp-MarkdownCell").filter(has_text=re.compile(pattern)).first
        if cell.count():
            cell.scroll_into_view_if_needed()
            return cell
    return None


def test_lab_opens_a_chapter_as_a_notebook(browser, tmp_path):
    """What `make lab` and Binder promise: double-clicking a chapter in JupyterLab opens a runnable notebook,
    its exercises render with their solutions hidden, and opening and saving it leaves the file unchanged.

    scripts/configure_lab.py (run by `make lab` and Binder's postBuild) makes jupytext's
    "Jupytext Notebook" the default viewer for Markdown; without it the chapter opens in the
    text editor and this test fails. jupyterlab-myst renders the MyST directives; without it the
    exercise shows as raw text. The chapters' headers are in the form jupytext and JupyterLab write
    (jupytext.toml, kernelspec), so a save is byte-for-byte a no-op.
    """
    chapter_path = toc_chapters()[0]
    chapter = chapter_path.name
    original = chapter_path.read_bytes()
    lab = _lab_session()
    try:
        with lab.jupyterlab(tmp_path, root=ROOT) as url:
            _open_and_save_a_chapter(browser, f"{url}/lab/tree/chapters?token={lab.TOKEN}", chapter, chapter_path,
                                     original, tmp_path)
    finally:
        if chapter_path.read_bytes() != original:  # never leave the source modified by the test
            chapter_path.write_bytes(original)


def _open_and_save_a_chapter(browser, url, chapter, chapter_path, original, tmp_path) -> None:
    """Double-click the chapter, look at its exercises and solutions, save it: the file is unchanged."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(url)
    item = page.locator(f".jp-DirListing-item:has-text('{chapter}')").first
    item.wait_for(timeout=60000)
    page.wait_for_timeout(3000)  # let the extensions register their document viewers
    item.dblclick()
    try:  # a notebook panel with code cells (the text editor has none)
        page.locator(".jp-NotebookPanel .jp-CodeCell").first.wait_for(timeout=60000)
    except Exception:
        page.screenshot(path=str(tmp_path / "jupyterlab.png"))
        pytest.fail(f"{chapter} did not open as a notebook on double-click (screenshot: {tmp_path / 'jupyterlab.png'})")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "jupyterlab.png"))

    # the exercises render (jupyterlab-myst), each solution behind a closed dropdown
    exercise = _scroll_to_markdown(page, r"Exercise 1")
    assert exercise is not None, "no rendered exercise in the notebook (is jupyterlab-myst installed?)"
    assert "```{exercise}" not in exercise.inner_text() and ":label:" not in exercise.inner_text()
    page.wait_for_timeout(1000)
    page.screenshot(path=str(SHOTS / "jupyterlab-exercise.png"))
    solutions = page.locator(".jp-NotebookPanel .jp-MarkdownCell details").filter(has_text="Solution")
    assert solutions.count() >= 1, "the solutions are not rendered as dropdowns"
    assert solutions.first.get_attribute("open") is None, "a solution is shown open"
    # a locator, not an element handle: JupyterLab may re-render the cell between two reads
    solution_cell = page.locator(".jp-NotebookPanel .jp-MarkdownCell").filter(
        has=page.locator("details", has_text="Solution")).first
    cell_text = solution_cell.inner_text(timeout=30000)
    assert "{solution}" not in cell_text and ":class: dropdown" not in cell_text, "raw MyST shown"
    assert solutions.first.inner_text().strip().startswith("Solution to"), "the solution is not hidden"

    # opening and saving leaves the chapter's source as it was
    page.locator(".jp-NotebookPanel .jp-MarkdownCell").first.click()
    page.keyboard.press("Control+s")
    saved = f"Saving file at /chapters/{chapter}"
    for _ in range(120):
        if saved in (tmp_path / "lab.log").read_text():
            break
        page.wait_for_timeout(250)
    assert saved in (tmp_path / "lab.log").read_text(), "JupyterLab did not save the chapter"
    page.wait_for_timeout(500)
    assert chapter_path.read_bytes() == original, f"opening and saving {chapter} in JupyterLab changed it"
    page.close()


def _lab_session():
    """scripts/lab_session.py (the JupyterLab driver the fps benchmark uses too)."""
    spec = importlib.util.spec_from_file_location("lab_session", ROOT / "scripts" / "lab_session.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


LIVE_CELLS = [
    "from nnlib.book.widgets import LossRace, PerceptronWidget\n"
    "first = PerceptronWidget(dataset='noisy', epochs=100)\nfirst",
    "second = LossRace()\nkept = globals().setdefault('kept', [])\nkept.append(second)\nsecond",
    "print('playing:', first.playing, [w.playing for w in kept], '|', kept[0].status.value)",
]


def test_live_widgets_in_jupyterlab(browser, tmp_path):
    """Live, in a real JupyterLab: pictures at their pixel size, one widget plays at a time, and a widget
    whose output is cleared (its cell re-run) stops instead of training unseen."""
    _in_jupyterlab(browser, tmp_path, LIVE_CELLS, _live_widgets_scenario)


def _in_jupyterlab(browser, tmp_path, cells, scenario) -> None:
    """Open a notebook of ``cells`` in a JupyterLab set up as `make lab` sets it up; run ``scenario(lab, page)``."""
    lab = _lab_session()
    for attempt in (1, 2):  # a kernel that never answers its first cell (seen once in a while under a full run)
        folder = tmp_path / f"attempt{attempt}"  # gets one more try with a fresh JupyterLab; an assertion none
        folder.mkdir()
        with lab.jupyterlab(folder) as url:
            page = lab.open_notebook(browser, url, folder, cells)
            try:
                scenario(lab, page)
                log = (folder / "lab.log").read_text()  # set up as `make lab` sets it up (configure_lab.py)
                assert "kernel websockets send without delay" in log, "nnlib.book.lab_server was not loaded"
                return
            except Exception as error:
                page.screenshot(path=str(folder / "jupyterlab.png"))
                if attempt == 2 or "Timeout" not in type(error).__name__:  # only a wait that timed out is retried
                    raise AssertionError(f"{error}\n(screenshot: {folder / 'jupyterlab.png'})") from error
                warnings.warn(f"JupyterLab timed out ({error}); trying again with a fresh server", stacklevel=1)
            finally:
                page.close()


SLIDER_CELLS = [
    "from nnlib.book.widgets import ConvExplorer\nexplorer = ConvExplorer(padding=1)\nexplorer",
    # the explorer makes the pictures for the other strides and paddings while the reader looks
    "import asyncio, hashlib\nwhile explorer.n_ahead < 6:\n    await asyncio.sleep(0.1)\ndraws = explorer.n_draws",
    "fresh = ConvExplorer(padding=3)\n"
    "print(hashlib.sha1(bytes(fresh.image.value)).hexdigest(), explorer.n_draws - draws, explorer.values['padding'])",
]

_SHOWN_PICTURE_JS = """async (img) => {
    const bytes = await (await fetch(img.src)).arrayBuffer();
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-1', bytes));
    return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}"""


def test_a_dragged_slider_shows_pictures_made_ahead(browser, tmp_path):
    """A slider moved in the browser shows the picture for its new value at once, from the pictures the
    kernel made ahead (not drawn for the move), and it is the picture the kernel would have drawn."""
    _in_jupyterlab(browser, tmp_path, SLIDER_CELLS, _slider_scenario)


def _slider_scenario(lab, page) -> None:
    lab.run_cell(page, 0)
    lab.run_cell(page, 1, timeout=60000)
    widget = lab.output(page, 0)
    image = widget.locator("img.widget-image").first
    handle = widget.locator(".widget-slider:has-text('padding') .noUi-handle").first
    handle.focus()
    for _ in range(2):  # padding 1 -> 3, with the keyboard
        page.keyboard.press("ArrowRight")
    widget.locator(".widget-slider:has-text('padding') .widget-readout:has-text('3')").wait_for(timeout=5000)
    page.wait_for_timeout(500)
    shown = image.evaluate(_SHOWN_PICTURE_JS)
    lab.run_cell(page, 2)
    expected, drawn, padding = lab.output(page, 2).inner_text().split()
    assert padding == "3", f"the kernel has padding {padding}"
    assert drawn == "0", f"the kernel drew {drawn} pictures for the move: the view did not use the ones made ahead"
    assert shown == expected, "the picture shown is not the one for padding 3"
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.screenshot(path=str(SHOTS / "jupyterlab_slider.png"))


def _live_widgets_scenario(lab, page) -> None:
    """Two widgets: the first plays, the second starts and pauses it, its cell is re-run: it stops."""
    lab.run_cell(page, 0)
    lab.run_cell(page, 1)
    first, second = lab.output(page, 0), lab.output(page, 1)
    image = first.locator("img.widget-image").first
    image.wait_for(timeout=60000)
    natural, shown = image.evaluate("(img) => [img.naturalWidth, img.clientWidth]")
    assert natural == shown == 684, f"the widget image is {natural} px wide but shown {shown} px wide"

    lab.count_image_updates(image)
    first.locator("button:has-text('Play')").click()
    page.wait_for_function("() => window.__frames >= 10", timeout=30000)  # it plays, frames arrive
    second.locator("button:has-text('Play')").click()
    first.locator(".widget-html:has-text('another widget started playing')").wait_for(timeout=15000)
    assert first.locator("button:has-text('Play')").is_enabled()  # the first one was paused

    lab.run_cell(page, 1)  # re-running the cell clears the playing widget's output
    page.wait_for_timeout(1500)
    lab.run_cell(page, 2)
    report = lab.output(page, 2).inner_text()
    assert "playing: False [False, False]" in report, report
    assert "no longer shown" in report, report
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "jupyterlab_widgets.png"))
