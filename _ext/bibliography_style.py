"""The bibliography's style: author-year labels (as the text cites) and titles with their capitals.

Registers the pybtex formatting style ``nnfp`` (set as ``bibtex_default_style``):
pybtex's ``unsrt`` with three changes.

* Labels are author-year, like the citations in the text: "Rosenblatt, 1958",
  "Minsky & Papert, 1969", "Rumelhart et al., 1986" (a, b, ... when two
  entries would share a label).
* Entries are sorted by author, year and title.
* Titles keep the capitals of references.bib ("ImageNet", "BackProp"); unsrt
  would lower-case every word after the first.
"""

from __future__ import annotations

from collections import Counter

from pybtex.plugin import register_plugin
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.template import field, sentence
from sphinx.application import Sphinx


def _last_names(person) -> str:
    return " ".join(part.render_as("text") for part in person.rich_last_names)


class AuthorYearLabelStyle(BaseLabelStyle):
    """Labels such as "Glorot & Bengio, 2010"."""

    def format_label(self, entry) -> str:
        persons = entry.persons.get("author") or entry.persons.get("editor") or []
        names = [_last_names(p) for p in persons]
        if not names:
            who = entry.fields.get("key", entry.key)
        elif len(names) == 1:
            who = names[0]
        elif len(names) == 2:
            who = f"{names[0]} & {names[1]}"
        else:
            who = f"{names[0]} et al."
        return f"{who}, {entry.fields.get('year', 'n.d.')}"

    def format_labels(self, sorted_entries):
        labels = [self.format_label(entry) for entry in sorted_entries]
        shared, seen = Counter(labels), Counter()
        for label in labels:
            if shared[label] == 1:
                yield label
            else:
                seen[label] += 1
                yield label + "abcdefghijklmnopqrstuvwxyz"[seen[label] - 1]


class BookStyle(UnsrtStyle):
    """unsrt with author-year labels, sorted by author and year, titles as written."""

    default_label_style = "nnfp_author_year"
    default_sorting_style = "author_year_title"

    def format_title(self, e, which_field, as_sentence=True):
        title = field(which_field)  # as written in references.bib: no lower-casing
        return sentence[title] if as_sentence else title


register_plugin("pybtex.style.labels", "nnfp_author_year", AuthorYearLabelStyle)
register_plugin("pybtex.style.formatting", "nnfp", BookStyle)


def setup(app: Sphinx) -> dict:
    return {"parallel_read_safe": True, "parallel_write_safe": True}
