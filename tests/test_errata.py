"""The errata appendix: each erratum recorded once in a chapter, listed on one page at build time.

A small Sphinx project exercises the extension (_ext/errata.py); the last tests read the built book.
"""

from __future__ import annotations

import io
import re
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT, toc_chapters

pytest.importorskip("myst_parser")
from sphinx.application import Sphinx  # noqa: E402

ERRATUM = """\
```{{admonition}} {title}
:class: erratum
:name: {name}

**Where:** `notes.md`, section *{section}*.

**The notes say:** {says}

**Correct:** {correct}

{evidence}
```
"""


def erratum(name, title="A slip", evidence="**Evidence:** the [computation](#evidence-{name}).", **fields):
    text = dict(section="Forward pass", says="$z = 1.244$.", correct="$z = 1.2455$.")
    text.update(fields)
    return ERRATUM.format(title=title, name=name, evidence=evidence.format(name=name), **text)


def build(tmp_path: Path, pages: dict[str, str]) -> tuple[Path, str]:
    """Build ``pages`` (name -> MyST text) to HTML with the extension; return the output folder and warnings."""
    source, out = tmp_path / "src", tmp_path / "html"
    source.mkdir()
    (source / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT / '_ext')!r})\n"
        "extensions = ['myst_parser', 'errata']\nmyst_enable_extensions = ['dollarmath']\n"
    )
    for name, text in pages.items():
        (source / f"{name}.md").write_text(textwrap.dedent(text))
    warnings = io.StringIO()
    app = Sphinx(str(source), str(source), str(out), str(tmp_path / "doctrees"), "html",
                 status=None, warning=warnings, freshenv=True)
    app.build()
    return out, warnings.getvalue()


def book(chapter_a=None, chapter_b=None) -> dict[str, str]:
    index = "# Book\n\n```{toctree}\nchapter_b\nchapter_a\nerrata\n```\n"  # b is read first
    chapter_a = chapter_a or "# Chapter A\n\n## Notes on the notes\n\n" + erratum("erratum-a", "A's slip") + \
        "\n(evidence-erratum-a)=\n### The computation\n\nIt shows the slip.\n"
    chapter_b = chapter_b or "# Chapter B\n\n## Notes\n\n" + erratum("erratum-b1", "B's first") + "\n" + \
        erratum("erratum-b2", "B's second") + \
        "\n(evidence-erratum-b1)=\n## One\n\nText.\n\n(evidence-erratum-b2)=\n## Two\n\nText.\n"
    errata = "# Errata\n\n```{errata-list}\n```\n"
    return {"index": index, "chapter_a": chapter_a, "chapter_b": chapter_b, "errata": errata}


def test_every_erratum_is_listed_once_in_reading_order_with_a_link_back(tmp_path):
    out, warnings = build(tmp_path, book())
    assert "WARNING: erratum" not in warnings and "WARNING: undefined" not in warnings, warnings
    page = (out / "errata.html").read_text()
    titles = re.findall(r'<p class="admonition-title">([^<]*)</p>', page)
    assert titles == ["B’s first", "B’s second", "A’s slip"]  # the order of the table of contents (smart quotes)
    assert page.count('href="chapter_b.html#erratum-b1"') == 1
    assert page.count('href="chapter_a.html#erratum-a"') == 1  # "Recorded in Chapter A › Notes on the notes"
    assert "Recorded in <a" in page and "Chapter A › Notes on the notes" in page
    assert 'href="chapter_a.html#evidence-erratum-a"' in page  # the evidence link resolves from the appendix
    assert "3 errata in 2 chapters." in page
    assert "mathjax" in page.lower()  # the copies carry math: the page must load MathJax
    assert 'id="erratum-a"' not in page  # the copies do not steal the chapters' anchors
    assert 'id="erratum-a"' in (out / "chapter_a.html").read_text()


@pytest.mark.parametrize(
    "broken, complaint",
    [
        (erratum("erratum-a", evidence="**Evidence:** see the table below."), "the evidence does not link"),
        (erratum("erratum-a", evidence=""), "no '**Evidence:**' paragraph"),
        (erratum("erratum-a").replace("**Correct:**", "**Right:**"), "no '**Correct:**' paragraph"),
        (erratum("erratum-a").replace(":name: erratum-a\n", ""), "no :name:"),
    ],
)
def test_an_incomplete_erratum_is_a_build_warning(tmp_path, broken, complaint):
    chapter_a = "# Chapter A\n\n" + broken + "\n(evidence-erratum-a)=\n## The computation\n\nText.\n"
    _, warnings = build(tmp_path, book(chapter_a=chapter_a))
    assert f"erratum: {complaint}" in warnings, warnings


def test_an_ordinary_admonition_is_not_an_erratum(tmp_path):
    chapter_a = "# Chapter A\n\n```{admonition} A remark\n:class: tip\n\nNot an erratum.\n```\n"
    out, warnings = build(tmp_path, book(chapter_a=chapter_a))
    assert "A remark" not in (out / "errata.html").read_text()
    assert "2 errata in 1 chapters." in (out / "errata.html").read_text()


# ----------------------------------------------------------------------------- the built book

ERRATUM_NAME = re.compile(r"```\{admonition\}[^\n]*\n:class: erratum\n:name: (\S+)")
BUILT = ROOT / "_build" / "html"


def recorded_errata() -> dict[str, list[str]]:
    """Chapter stem -> the labels of the errata it records, from the sources."""
    return {c.stem: ERRATUM_NAME.findall(c.read_text()) for c in toc_chapters()}


def test_chapters_record_errata_with_unique_labels():
    labels = [name for names in recorded_errata().values() for name in names]
    assert labels, "no chapter records an erratum"
    assert len(labels) == len(set(labels)), "an erratum label is used twice"
    for chapter in toc_chapters():  # every admonition of class erratum has a label (the pattern needs it)
        assert chapter.read_text().count(":class: erratum") == len(ERRATUM_NAME.findall(chapter.read_text()))


def test_the_built_appendix_lists_every_erratum_once_linking_back():
    page = BUILT / "errata.html"
    if not page.exists():
        pytest.skip("no built book: run `make book` first")
    html = page.read_text()
    for stem, labels in recorded_errata().items():
        for label in labels:
            assert html.count(f'href="chapters/{stem}.html#{label}"') == 1, (stem, label)
    total = sum(len(labels) for labels in recorded_errata().values())
    assert len(re.findall(r'<div class="[^"]*\berratum\b[^"]*"', html)) == total


def test_the_bibliography_lists_only_cited_works_by_author_and_year():
    page = BUILT / "bibliography.html"
    if not page.exists():
        pytest.skip("no built book: run `make book` first")
    cited = set()
    for source in [ROOT / "intro.md", *toc_chapters()]:
        for keys in re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", source.read_text()):
            cited |= {k.strip() for k in keys.split(",")}
    html = page.read_text()
    listed = set(re.findall(r'<div class="citation" id="id\d+" role="doc-biblioentry">\s*<span class="label">'
                            r'<span class="fn-bracket">\[</span>([^<]+)<', html))
    assert len(listed) == len(cited), (sorted(listed), sorted(cited))
    assert "Rosenblatt, 1958" in listed and "Rumelhart et al., 1986" in listed


def test_the_bibliography_style_keeps_capitals_and_labels_by_author_and_year():
    sys.path.insert(0, str(ROOT / "_ext"))
    try:
        import bibliography_style
    finally:
        sys.path.remove(str(ROOT / "_ext"))
    from pybtex.database import parse_string

    data = parse_string(textwrap.dedent("""\
        @inproceedings{he2015, author = {He, Kaiming and Zhang, Xiangyu and Ren, Shaoqing and Sun, Jian},
          title = {Delving Deep into Rectifiers: Surpassing Human-Level Performance on ImageNet Classification},
          booktitle = {ICCV}, year = {2015}}
        @inproceedings{glorot2010, author = {Glorot, Xavier and Bengio, Yoshua}, title = {Understanding the Difficulty},
          booktitle = {AISTATS}, year = {2010}}
        @article{a1, author = {Smith, Ann}, title = {One}, journal = {J}, year = {2001}}
        @article{a2, author = {Smith, Ann}, title = {Two}, journal = {J}, year = {2001}}
        """), "bibtex")
    formatted = list(bibliography_style.BookStyle().format_entries(data.entries.values()))
    labels = {entry.key: entry.label for entry in formatted}
    assert labels == {"glorot2010": "Glorot & Bengio, 2010", "he2015": "He et al., 2015",
                      "a1": "Smith, 2001a", "a2": "Smith, 2001b"}
    he = next(entry for entry in formatted if entry.key == "he2015").text.render_as("text")
    assert "on ImageNet Classification" in he
