"""Independent appraisals for the agreement tests, in review CK2019 (conftest), through the services."""

from __future__ import annotations

from collections.abc import Sequence

from caseview.accounts.models import User
from caseview.analysis import agreement
from caseview.analysis.models import Effect, IndependentAppraisal, KeyPracticeEpisode
from caseview.analysis.tests.helpers import item
from conftest import TEST_ORIGIN

SUPPORTED = Effect.SUPPORTED.value
HINDERED = Effect.HINDERED.value


def appraise_independently(
    episode: KeyPracticeEpisode,
    reviewer: User,
    valence: str,
    codes: Sequence[tuple[str, str]] = (),
    *,
    note: str = "",
    submit: bool = True,
) -> IndependentAppraisal:
    """The reviewer's own appraisal: a valence, codes as (framework item key, effect), submitted or a draft."""
    appraisal = agreement.appraisal_save(
        episode=episode, valence=valence, note=note, expected_version=None, by=reviewer, origin=TEST_ORIGIN
    )
    for key, effect in codes:
        agreement.code_add(episode=episode, factor_type=item(key), effect=effect, by=reviewer, origin=TEST_ORIGIN)
    if submit:
        appraisal = agreement.appraisal_submit(episode=episode, by=reviewer, origin=TEST_ORIGIN)
    return appraisal
