"""How far two reviewers agree: percent agreement and Cohen's kappa, with nothing but the ratings to go on.

Pure functions, no Django: the pages and the tests give them pairs of ratings, one pair per item rated (an
episode's valence; an episode and a framework item, coded or not). Arithmetic is exact (fractions), so "chance
agreement is complete" is a test of equality, not of a float that happens to be close to one.

Cohen's kappa is (observed - expected) / (1 - expected), where expected is the agreement two raters would
reach by chance with the same marginal totals (Cohen 1960). It is undefined when expected agreement is 1
(both raters put every item in one and the same category), and it says little with fewer than two items;
both are reported as "not defined", with the reason, never as a number.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

MIN_ITEMS = 2


@dataclass(frozen=True)
class Agreement:
    """Agreement between two raters over `items` items. None means not defined, and `reason` says why."""

    items: int
    agreed: int
    observed: Fraction | None
    expected: Fraction | None
    kappa: Fraction | None
    reason: str = ""

    @property
    def percent(self) -> float | None:
        return None if self.observed is None else float(self.observed * 100)

    @property
    def kappa_value(self) -> float | None:
        return None if self.kappa is None else float(self.kappa)

    @property
    def interpretation(self) -> str:
        return landis_koch(self.kappa)


def cohen_kappa(pairs: Iterable[tuple[Hashable, Hashable]]) -> Agreement:
    """Percent agreement and Cohen's kappa over (rater A's category, rater B's category) pairs."""
    ratings = list(pairs)
    n = len(ratings)
    if n == 0:
        return Agreement(0, 0, None, None, None, "There is nothing both raters decided.")
    agreed = sum(1 for a, b in ratings if a == b)
    observed = Fraction(agreed, n)
    first = Counter(a for a, _ in ratings)
    second = Counter(b for _, b in ratings)
    expected = sum((Fraction(first[c] * second[c], n * n) for c in first.keys() & second.keys()), Fraction(0))
    if n < MIN_ITEMS:
        return Agreement(n, agreed, observed, expected, None, "Kappa needs at least two decisions by both raters.")
    if expected == 1:
        return Agreement(
            n,
            agreed,
            observed,
            expected,
            None,
            "Both reviewers put every item in the same single category, so agreement by chance is complete and "
            "kappa cannot be worked out (it would divide by zero).",
        )
    return Agreement(n, agreed, observed, expected, (observed - expected) / (1 - expected))


@dataclass(frozen=True)
class PositiveAgreement:
    """Of the codes either rater used, how many both used: 2a / (2a + b + c), ignoring items neither used."""

    both: int
    only_first: int
    only_second: int

    @property
    def proportion(self) -> Fraction | None:
        used = 2 * self.both + self.only_first + self.only_second
        return None if used == 0 else Fraction(2 * self.both, used)

    @property
    def percent(self) -> float | None:
        proportion = self.proportion
        return None if proportion is None else float(proportion * 100)


def positive_agreement(pairs: Iterable[tuple[bool, bool]]) -> PositiveAgreement:
    """Specific agreement on presence over (coded by A, coded by B) pairs."""
    counts = Counter((bool(a), bool(b)) for a, b in pairs)
    return PositiveAgreement(counts[True, True], counts[True, False], counts[False, True])


def contingency(pairs: Iterable[tuple[Hashable, Hashable]], categories: Sequence[Hashable]) -> list[list[int]]:
    """The counts as a table: rows are rater A's categories, columns rater B's, both in `categories` order."""
    counts = Counter(pairs)
    return [[counts[row, column] for column in categories] for row in categories]


# Landis and Koch (1977), "The measurement of observer agreement for categorical data": a rule of thumb. Each
# band runs up to and including its upper bound; below 0 is poor, above 0.80 almost perfect.
BANDS = (
    (Fraction(1, 5), "Slight"),
    (Fraction(2, 5), "Fair"),
    (Fraction(3, 5), "Moderate"),
    (Fraction(4, 5), "Substantial"),
)


def landis_koch(kappa: Fraction | None) -> str:
    """The Landis and Koch band a kappa falls in, or "Not defined"."""
    if kappa is None:
        return "Not defined"
    if kappa < 0:
        return "Poor: less than chance"
    for upper, label in BANDS:
        if kappa <= upper:
            return label
    return "Almost perfect"
