"""Errata of the course notes: recorded once, where the chapter shows the evidence; listed in an appendix.

A chapter records an erratum as an admonition with the class ``erratum`` (plain
MyST, so JupyterLab with jupyterlab-myst renders it too) and a label::

    ```{admonition} The notes' Z(2) is 1.244; it is 1.2455
    :class: erratum
    :name: erratum-worked-example-z2

    **Where:** `backprop-worked-example.md`, *Forward pass*.

    **The notes say:** $Z^{(2)} \\approx 1.244$.

    **Correct:** $Z^{(2)} = 1.2455$ (1.2453 from the notes' rounded activations).

    **Evidence:** the [worked-example table](#sec-mlp-worked-example).
    ```

Each of the four fields must be there, and the evidence must link to the
computation; otherwise the build warns (and ``-W`` fails it). The directive
``errata-list`` (on the appendix page ``errata.md``) is replaced, when the book
is built, by a copy of every erratum in reading order, grouped by chapter, each
with a link back to where it is recorded. Like Sphinx's ``todo``/``todolist``.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, new_document

logger = logging.getLogger(__name__)

CLASS = "erratum"
FIELDS = ("Where", "The notes say", "Correct", "Evidence")


class errata_list(nodes.General, nodes.Element):
    """Placeholder for the list of all errata, filled in when the page is resolved."""


class ErrataListDirective(SphinxDirective):
    """``errata-list``: every erratum of the book, in reading order."""

    def run(self):
        self.env.nnfp_errata_pages = getattr(self.env, "nnfp_errata_pages", set()) | {self.env.docname}
        return [errata_list("")]


# ----------------------------------------------------------------------------- collecting


def _fields(admonition: nodes.admonition) -> dict[str, nodes.paragraph]:
    """The paragraphs of an erratum that start with a bold field name, by name."""
    found = {}
    for paragraph in admonition.findall(nodes.paragraph):
        first = next((c for c in paragraph.children if not (isinstance(c, nodes.Text) and not c.strip())), None)
        if isinstance(first, nodes.strong):
            found[first.astext().strip().rstrip(":").strip()] = paragraph
    return found


def _has_link(node: nodes.Node) -> bool:
    return any(True for _ in node.findall(lambda n: isinstance(n, (addnodes.pending_xref, nodes.reference))))


def _location(admonition: nodes.admonition) -> tuple[str, str]:
    """The title of the chapter and of the innermost section holding the erratum."""
    titles = []
    parent = admonition.parent
    while parent is not None:
        if isinstance(parent, nodes.section) and parent.children and isinstance(parent[0], nodes.title):
            titles.append(parent[0].astext())
        parent = parent.parent
    return (titles[-1], titles[0]) if titles else ("", "")


def _problems(admonition: nodes.admonition) -> list[str]:
    fields = _fields(admonition)
    problems = [f"no '**{name}:**' paragraph" for name in FIELDS if name not in fields]
    if "Evidence" in fields and not _has_link(fields["Evidence"]):
        problems.append("the evidence does not link to the computation ([text](#label) or {ref})")
    if not admonition["ids"]:
        problems.append("no :name: (a label, so the appendix can link back)")
    return problems


def collect_errata(app: Sphinx, doctree: nodes.document) -> None:
    """Record every erratum of the page just read (and warn about incomplete ones)."""
    env = app.env
    errata = getattr(env, "nnfp_errata", [])
    for order, admonition in enumerate(doctree.findall(nodes.admonition)):
        if CLASS not in admonition["classes"]:
            continue
        problems = _problems(admonition)
        for problem in problems:
            logger.warning(f"erratum: {problem}", location=admonition)
        if not admonition["ids"]:
            continue
        chapter, section = _location(admonition)
        errata.append({
            "docname": env.docname, "order": order, "id": admonition["ids"][0],
            "chapter": chapter, "section": section, "node": admonition.deepcopy(),
        })
    env.nnfp_errata = errata


def purge_errata(app: Sphinx, env, docname: str) -> None:
    env.nnfp_errata = [e for e in getattr(env, "nnfp_errata", []) if e["docname"] != docname]
    env.nnfp_errata_pages = getattr(env, "nnfp_errata_pages", set()) - {docname}


def merge_errata(app: Sphinx, env, docnames, other) -> None:
    env.nnfp_errata = getattr(env, "nnfp_errata", []) + getattr(other, "nnfp_errata", [])
    env.nnfp_errata_pages = getattr(env, "nnfp_errata_pages", set()) | getattr(other, "nnfp_errata_pages", set())


def reread_errata_pages(app: Sphinx, env, added, changed, removed) -> list[str]:
    """The appendix lists every chapter's errata: rebuild it whenever a page changed."""
    return sorted(getattr(env, "nnfp_errata_pages", set())) if added | changed | removed else []


# ----------------------------------------------------------------------------- listing


def _reading_order(app: Sphinx) -> dict[str, int]:
    """Position of each page in the table of contents (pages outside it come last)."""
    env, order = app.env, {}

    def visit(docname: str) -> None:
        if docname in order:
            return
        order[docname] = len(order)
        for child in env.toctree_includes.get(docname, []):
            visit(child)

    visit(app.config.root_doc)
    return order


def _link(app: Sphinx, fromdocname: str, docname: str, anchor: str, text: str, strong: bool = False) -> nodes.reference:
    uri = app.builder.get_relative_uri(fromdocname, docname) + (f"#{anchor}" if anchor else "")
    reference = nodes.reference("", "", internal=True, refuri=uri)
    reference += nodes.strong(text, text) if strong else nodes.Text(text)
    return reference


def _copy(app: Sphinx, fromdocname: str, erratum: dict) -> nodes.admonition:
    """A copy of the erratum whose references resolve from the appendix page, with a link back."""
    copy = erratum["node"].deepcopy()
    copy["ids"], copy["names"] = [], []
    for xref in copy.findall(addnodes.pending_xref):
        xref["refdoc"] = fromdocname
    page = app.builder.get_relative_uri(fromdocname, erratum["docname"])
    for link in copy.findall(nodes.reference):  # a link within the chapter: now to the chapter
        if "refid" in link:
            link["refuri"] = f"{page}#{link['refid']}"
            del link["refid"]
    holder = new_document("")  # references resolve only inside a document (a fresh one: no errata-list in it)
    holder += copy
    app.env.resolve_references(holder, fromdocname, app.builder)
    holder.remove(copy)
    back = nodes.paragraph(classes=["erratum-recorded-in"])
    back += nodes.Text("Recorded in ")
    back += _link(app, fromdocname, erratum["docname"], erratum["id"], f"{erratum['chapter']} › {erratum['section']}")
    back += nodes.Text(".")
    copy += back
    return copy


def fill_errata_lists(app: Sphinx, doctree: nodes.document, fromdocname: str) -> None:
    errata = getattr(app.env, "nnfp_errata", [])
    order = _reading_order(app)
    errata = sorted(errata, key=lambda e: (order.get(e["docname"], len(order)), e["docname"], e["order"]))
    for placeholder in list(doctree.findall(errata_list)):
        content = [nodes.paragraph(text=f"{len(errata)} errata in {len({e['docname'] for e in errata})} chapters.")]
        current = None
        for erratum in errata:
            if erratum["docname"] != current:
                current = erratum["docname"]
                heading = nodes.rubric(classes=["errata-chapter"])
                number = ".".join(map(str, app.env.toc_secnumbers.get(current, {}).get("", ())))
                title = f"{number}. {erratum['chapter']}" if number else erratum["chapter"]
                heading += _link(app, fromdocname, current, "", title, strong=True)
                content.append(heading)
            content.append(_copy(app, fromdocname, erratum))
        placeholder.replace_self(content)
        if any(True for _ in doctree.findall(nodes.math)) or any(True for _ in doctree.findall(nodes.math_block)):
            # the page had no math when it was read: tell the math domain, so that MathJax is loaded
            app.env.get_domain("math").data["has_equations"][fromdocname] = True


def setup(app: Sphinx) -> dict:
    app.add_node(errata_list)
    app.add_directive("errata-list", ErrataListDirective)
    app.connect("doctree-read", collect_errata)
    app.connect("env-purge-doc", purge_errata)
    app.connect("env-merge-info", merge_errata)
    app.connect("env-get-outdated", reread_errata_pages)
    app.connect("doctree-resolved", fill_errata_lists)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
