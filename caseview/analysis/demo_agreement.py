"""The demo's independent appraisals: the lead reviewer and the review-team member each appraised six of the
seven episodes on their own (shared/demo/scenario.md), through the same services as the pages.

They mostly agree. On episode 3 (the school's response to Child E's words) the lead judged practice mixed and
the designated nurse good; and their factor codes differ here and there, so kappa has something to measure.
Episode 7 is left for whoever tries the demo to appraise. Everything here is invented.
"""

from __future__ import annotations

from dataclasses import dataclass

from caseview.accounts.models import User
from caseview.analysis import agreement
from caseview.analysis.models import (
    ContributoryFactorType,
    Effect,
    IndependentAppraisal,
    KeyPracticeEpisode,
    Valence,
)
from caseview.core.audit import Origin
from caseview.reviews.models import Review

S = Effect.SUPPORTED.value
H = Effect.HINDERED.value


@dataclass(frozen=True)
class Appraisal:
    valence: str
    codes: tuple[tuple[str, str], ...]  # (framework item key, effect)
    note: str = ""


# episode number -> (the lead's appraisal, the review-team member's)
APPRAISALS: dict[int, tuple[Appraisal, Appraisal]] = {
    1: (
        Appraisal(
            Valence.PROBLEMATIC,
            (("family_availability", H), ("org_policies", H), ("work_workload", H)),
            "Each deferral was reasonable on its own; nothing carried the question forward.",
        ),
        Appraisal(
            Valence.PROBLEMATIC,
            (("family_availability", H), ("org_policies", H), ("interagency_communication", H)),
            "The open question did not travel from midwifery to health visiting.",
        ),
    ),
    2: (
        Appraisal(Valence.PROBLEMATIC, (("org_policies", H), ("interagency_communication", H))),
        Appraisal(
            Valence.PROBLEMATIC,
            (("org_policies", H), ("interagency_communication", H), ("work_workload", H)),
            "The screening form asks about the incident, not the household.",
        ),
    ),
    3: (
        Appraisal(
            Valence.MIXED,
            (("personal_knowledge", S), ("family_relationship", S), ("interagency_roles_thresholds", H)),
            "A careful record and an open conversation; the decision to monitor was taken without advice.",
        ),
        Appraisal(
            Valence.GOOD,
            (("personal_knowledge", S), ("family_relationship", S)),
            "On what the school knew in June, monitoring was a reasonable decision, and the record made the "
            "October referral possible.",
        ),
    ),
    4: (
        Appraisal(Valence.PROBLEMATIC, (("org_policies", H), ("family_engagement", H))),
        Appraisal(Valence.PROBLEMATIC, (("org_policies", H), ("family_engagement", H))),
    ),
    5: (
        Appraisal(
            Valence.PROBLEMATIC,
            (("work_workload", H), ("org_policies", H), ("interagency_sharing_tools", H), ("personal_mindset", H)),
        ),
        Appraisal(Valence.PROBLEMATIC, (("work_workload", H), ("org_policies", H), ("interagency_sharing_tools", H))),
    ),
    6: (
        Appraisal(
            Valence.GOOD,
            (("family_relationship", S), ("personal_knowledge", S), ("interagency_sharing_tools", H)),
            "Strong direct work with Child E.",
        ),
        Appraisal(
            Valence.GOOD,
            (
                ("family_relationship", S),
                ("personal_knowledge", S),
                ("interagency_sharing_tools", H),
                ("work_staffing", H),
            ),
        ),
    ),
}


def load_agreement_demo(*, review: Review, lead: User, origin: Origin) -> dict[str, int]:
    """Submit the lead's and the `reviewer` account's independent appraisals of episodes 1 to 6. Does nothing if
    the review has independent appraisals already."""
    existing = IndependentAppraisal.objects.filter(episode__review=review)
    if existing.exists():
        return {"independent_appraisals": existing.count()}
    reviewer = User.objects.get(username="reviewer")
    items = {item.key: item for item in ContributoryFactorType.objects.filter(group__framework__current=True)}
    episodes = {episode.number: episode for episode in KeyPracticeEpisode.objects.filter(review=review)}
    for number, pair in APPRAISALS.items():
        episode = episodes[number]
        for user, spec in zip((lead, reviewer), pair, strict=True):
            agreement.appraisal_save(
                episode=episode, valence=spec.valence, note=spec.note, expected_version=None, by=user, origin=origin
            )
            for key, effect in spec.codes:
                agreement.code_add(episode=episode, factor_type=items[key], effect=effect, by=user, origin=origin)
            agreement.appraisal_submit(episode=episode, by=user, origin=origin)
    return {"independent_appraisals": 2 * len(APPRAISALS)}
