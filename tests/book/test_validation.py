"""The one set of argument checks of nnlib.book."""

import pytest

from nnlib.book.validation import check_names, check_option, check_positive_int


def test_check_option_matches_type_and_lists_options_in_order():
    assert check_option(None, "regularization", (None, "l1")) is None
    assert check_option("l1", "regularization", (None, "l1")) == "l1"
    with pytest.raises(ValueError, match=r"^regularization: expected one of None, 'l1', got 'l3'$"):
        check_option("l3", "regularization", (None, "l1"))
    with pytest.raises(ValueError):
        check_option(True, "n", (1, 2))


def test_check_positive_int():
    assert check_positive_int(3, "n") == 3
    for bad, error in ((0, ValueError), (-1, ValueError), (2.5, TypeError), (True, TypeError), ("3", TypeError)):
        with pytest.raises(error, match="^n: expected"):
            check_positive_int(bad, "n")


def test_check_names_keeps_the_canonical_order():
    assert check_names(["b", "a"], "features", ("a", "b", "c")) == ("a", "b")
    for bad in ("a", [], ["d"], [1]):
        with pytest.raises(ValueError, match="^features: expected a non-empty sequence"):
            check_names(bad, "features", ("a", "b"))
