"""Percent agreement and Cohen's kappa, against examples worked by hand, and the cases where kappa is undefined."""

from __future__ import annotations

import subprocess
import sys
from fractions import Fraction

import pytest

from caseview.analysis.agreement_stats import cohen_kappa, contingency, landis_koch, positive_agreement


def ratings(*groups: tuple[str, str, int]) -> list[tuple[str, str]]:
    """(rater A's category, rater B's category, how many items) as one pair per item."""
    return [(a, b) for a, b, count in groups for _ in range(count)]


def test_the_textbook_example_of_fifty_items_gives_kappa_0_4() -> None:
    # Both say yes to 20, both no to 15; A yes and B no 5, A no and B yes 10. Observed 35/50 = 0.7; A says yes
    # to half, B to 30/50, so chance agreement is 0.5 x 0.6 + 0.5 x 0.4 = 0.5, and kappa (0.7 - 0.5) / 0.5.
    result = cohen_kappa(ratings(("yes", "yes", 20), ("yes", "no", 5), ("no", "yes", 10), ("no", "no", 15)))
    assert (result.items, result.agreed) == (50, 35)
    assert result.observed == Fraction(7, 10)
    assert result.expected == Fraction(1, 2)
    assert result.kappa == Fraction(2, 5)
    assert result.percent == 70.0
    assert result.interpretation == "Fair"


def test_the_same_percent_agreement_can_mean_a_different_kappa() -> None:
    # 60 of 100 agreed in both; chance is 0.6 x 0.7 + 0.4 x 0.3 = 0.54 here, so kappa is 0.06 / 0.46 = 3/23.
    result = cohen_kappa(ratings(("yes", "yes", 45), ("yes", "no", 15), ("no", "yes", 25), ("no", "no", 15)))
    assert result.observed == Fraction(3, 5)
    assert result.expected == Fraction(27, 50)
    assert result.kappa == Fraction(3, 23)
    assert result.interpretation == "Slight"


def test_it_counts_four_valences_and_categories_only_one_reviewer_used() -> None:
    # A: good 6, problematic 3, mixed 1; B: good 4, problematic 2, mixed 4. Nobody used "uncertain".
    # Chance: (6x4 + 3x2 + 1x4) / 100 = 0.34; observed 0.7; kappa 0.36 / 0.66 = 6/11.
    pairs = ratings(
        ("good", "good", 4),
        ("problematic", "problematic", 2),
        ("mixed", "mixed", 1),
        ("good", "mixed", 2),
        ("problematic", "mixed", 1),
    )
    result = cohen_kappa(pairs)
    assert result.expected == Fraction(17, 50)
    assert result.kappa == Fraction(6, 11)
    assert result.kappa_value == pytest.approx(0.5454545)
    assert result.interpretation == "Moderate"
    table = contingency(pairs, ["good", "problematic", "mixed", "uncertain"])
    assert table == [[4, 0, 2, 0], [0, 2, 1, 0], [0, 0, 1, 0], [0, 0, 0, 0]]


def test_perfect_agreement_over_two_categories_is_kappa_1() -> None:
    result = cohen_kappa(ratings(("good", "good", 3), ("mixed", "mixed", 2)))
    assert result.kappa == 1
    assert result.percent == 100.0
    assert result.interpretation == "Almost perfect"


def test_complete_disagreement_is_below_chance() -> None:
    result = cohen_kappa([("good", "mixed"), ("mixed", "good")])
    assert result.observed == 0
    assert result.kappa == -1
    assert result.interpretation == "Poor: less than chance"


def test_it_does_not_divide_by_zero_when_everything_is_in_one_category() -> None:
    result = cohen_kappa(ratings(("good", "good", 5)))
    assert result.percent == 100.0, "they agreed on every item"
    assert result.expected == 1
    assert result.kappa is None
    assert result.kappa_value is None
    assert "same single category" in result.reason
    assert result.interpretation == "Not defined"


def test_two_reviewers_who_each_used_one_different_category_get_kappa_0() -> None:
    result = cohen_kappa(ratings(("good", "mixed", 4)))
    assert (result.expected, result.kappa) == (0, 0)


def test_kappa_needs_at_least_two_items() -> None:
    one = cohen_kappa([("good", "mixed")])
    assert one.items == 1 and one.observed == 0
    assert one.kappa is None and "at least two" in one.reason
    none = cohen_kappa([])
    assert none.items == 0
    assert none.observed is None and none.percent is None and none.kappa is None
    assert none.reason


@pytest.mark.parametrize(
    ("kappa", "band"),
    [
        (Fraction(-1, 100), "Poor: less than chance"),
        (Fraction(0), "Slight"),
        (Fraction(1, 5), "Slight"),
        (Fraction(21, 100), "Fair"),
        (Fraction(2, 5), "Fair"),
        (Fraction(41, 100), "Moderate"),
        (Fraction(3, 5), "Moderate"),
        (Fraction(4, 5), "Substantial"),
        (Fraction(81, 100), "Almost perfect"),
        (Fraction(1), "Almost perfect"),
        (None, "Not defined"),
    ],
)
def test_landis_and_koch_bands_include_their_upper_bound(kappa: Fraction | None, band: str) -> None:
    assert landis_koch(kappa) == band


def test_positive_agreement_leaves_out_what_neither_coded() -> None:
    pairs = [(True, True)] * 2 + [(True, False), (False, True)] + [(False, False)] * 100
    result = positive_agreement(pairs)
    assert (result.both, result.only_first, result.only_second) == (2, 1, 1)
    assert result.proportion == Fraction(2, 3)
    assert positive_agreement([(False, False)] * 3).percent is None


def test_the_arithmetic_needs_no_django() -> None:
    code = (
        "import sys, caseview.analysis.agreement_stats; "
        "sys.exit(any(name.split('.')[0] == 'django' for name in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
