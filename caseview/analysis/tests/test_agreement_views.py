"""The agreement pages: a reviewer's blind appraisal shows the episode's facts and none of anyone else's
judgements, is locked once submitted, the comparison opens only after one's own is submitted, an agreed code
becomes an episode factor, and the statistics page shows kappa with what it rests on."""

from __future__ import annotations

from caseview.analysis import services
from caseview.analysis.models import Effect, IndependentAppraisal, KeyPracticeEpisode, Significance, Valence
from caseview.analysis.tests.agreement_helpers import HINDERED, SUPPORTED, appraise_independently
from caseview.analysis.tests.helpers import appraise, episode, item, turning_point
from caseview.core.audit import Event
from caseview.core.models import AuditEvent
from conftest import TEST_ORIGIN, Personas, verified_client

BASE = "/reviews/CK2019/analysis"
PAGE = f"{BASE}/episodes/1/independent/"
COMPARE = f"{PAGE}compare/"


def judged_episode(personas: Personas) -> KeyPracticeEpisode:
    """Episode 1, with the team's appraisal and a factor that the blind page must not show."""
    made = episode(personas, description="The partner was present at every contact.")
    appraise(made, personas, practice_compared="TEAM-APPRAISAL: the enquiry was deferred.")
    services.factor_add(
        episode=made,
        factor_type=item("family_availability"),
        effect=Effect.HINDERED,
        significance=Significance.HIGH,
        description="TEAM-FACTOR: the partner came to every contact.",
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    return made


def test_the_analysis_leads_to_the_agreement_pages(personas: Personas) -> None:
    judged_episode(personas)
    client = verified_client(personas.reviewer)
    assert f'href="{BASE}/agreement/"' in client.get(f"{BASE}/").content.decode()
    overview = client.get(f"{BASE}/agreement/").content.decode()
    assert "1. The new-birth visit" in overview and "Not started" in overview
    assert f'href="{PAGE}"' in overview
    assert "Problematic" not in overview, "the team's valence is not shown"


def test_the_blind_page_shows_the_facts_and_hides_every_judgement(personas: Personas) -> None:
    made = judged_episode(personas)
    appraise_independently(
        made, personas.lead, Valence.MIXED, [("org_policies", HINDERED)], note="LEAD-NOTE: the form led it."
    )
    client = verified_client(personas.reviewer)
    page = client.get(PAGE).content.decode()
    assert "Your independent appraisal of episode 1" in page
    assert "The partner was present at every contact." in page
    assert "1 other reviewer has submitted an independent appraisal of this episode." in page
    for hidden in ("LEAD-NOTE", "TEAM-APPRAISAL", "TEAM-FACTOR", "govuk-tag--orange"):
        assert hidden not in page, hidden
    compare = client.get(COMPARE).content.decode()
    assert "Submit your own independent appraisal of episode 1 before you compare" in compare
    assert "LEAD-NOTE" not in compare and "Local policies, procedures" not in compare
    assert not AuditEvent.objects.filter(event=Event.INDEPENDENT_APPRAISALS_COMPARED).exists()


def test_the_blind_page_shows_what_people_knew_then_and_keeps_the_outcome_hidden(personas: Personas) -> None:
    perspective = turning_point(personas, known_at_the_time="The May referral", learned_later="The rib fractures")
    episode(personas, perspectives=[perspective])
    services.outcome_save(
        review=personas.review, text="A skull fracture", expected_version=None, by=personas.lead, origin=TEST_ORIGIN
    )
    client = verified_client(personas.lead)
    page = client.get(PAGE).content.decode()
    assert "The May referral" in page and "The rib fractures" not in page
    assert "skull fracture" not in page and "?outcome=show" in page
    assert AuditEvent.objects.filter(event=Event.TURNING_POINTS_READ).count() == 1


def test_a_reviewer_appraises_blind_submits_and_compares(personas: Personas) -> None:
    made = judged_episode(personas)
    appraise_independently(made, personas.lead, Valence.MIXED, [("org_policies", HINDERED)], note="LEAD-NOTE")
    client = verified_client(personas.reviewer)

    saved = client.post(PAGE, {"valence": "problematic", "note": "The health visitor failed to ask.", "version": ""})
    assert saved.status_code == 302 and saved["Location"] == f"{PAGE}#codes"
    page = client.get(PAGE).content.decode()
    assert "Your draft is saved. Only you can see it. The language check found 1 phrase" in page
    assert 'id="id_valence_1" name="valence" type="radio" value="problematic" checked' in page
    refused = client.post(f"{PAGE}codes/", {"factor_type": "", "effect": ""})
    assert refused.status_code == 400
    assert "Choose the factor from the framework" in refused.content.decode()
    added = client.post(f"{PAGE}codes/", {"factor_type": str(item("org_policies").pk), "effect": HINDERED})
    assert added.status_code == 302
    page = client.get(PAGE).content.decode()
    assert (
        "1 factor code" in page and "Local strategic › Organisational culture and management › Local policies" in page
    )
    assert f'value="{item("org_policies").pk}"' not in page, "a coded item is not offered again"

    submitted = client.post(f"{PAGE}submit/")
    assert submitted["Location"] == COMPARE
    compare = client.get(COMPARE).content.decode()
    assert "LEAD-NOTE" in compare and "The health visitor failed to ask." in compare
    assert "The reviewers differ on how practice was" in compare
    assert "Lead Testperson" in compare and "Reviewer Testperson (you)" in compare
    assert "1 factor coded by any reviewer, 1 agreed" in compare
    [read] = AuditEvent.objects.filter(event=Event.INDEPENDENT_APPRAISALS_COMPARED)
    assert read.actor == personas.reviewer


def test_submitting_without_a_valence_says_what_is_missing(personas: Personas) -> None:
    episode(personas)
    response = verified_client(personas.lead).post(f"{PAGE}submit/")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Your independent appraisal cannot be submitted yet" in page
    assert 'href="#valence"' in page
    assert not IndependentAppraisal.objects.filter(submitted_at__isnull=False).exists()


def test_a_submitted_appraisal_cannot_be_changed_from_the_page(personas: Personas) -> None:
    made = episode(personas)
    mine = appraise_independently(made, personas.lead, Valence.GOOD, [("personal_knowledge", SUPPORTED)])
    client = verified_client(personas.lead)
    page = client.get(PAGE).content.decode()
    assert "You submitted this appraisal on" in page
    assert "Save your draft" not in page and "Add the code" not in page and "Submit and lock" not in page
    assert "You can compare once another reviewer submits theirs." in page
    changed = client.post(PAGE, {"valence": "mixed", "note": "", "version": str(mine.version)}, follow=True)
    assert "was submitted, so it cannot be changed" in changed.content.decode()
    coded = client.post(f"{PAGE}codes/", {"factor_type": str(item("org_policies").pk), "effect": HINDERED})
    assert coded.status_code == 400
    code = mine.codes.get()
    client.post(f"{PAGE}codes/{code.pk}/remove/")
    mine.refresh_from_db()
    assert (mine.valence, mine.codes.count()) == ("good", 1)


def test_a_reviewer_cannot_remove_someone_elses_code(personas: Personas) -> None:
    made = episode(personas)
    theirs = appraise_independently(
        made, personas.lead, Valence.GOOD, [("personal_knowledge", SUPPORTED)], submit=False
    )
    response = verified_client(personas.reviewer).post(f"{PAGE}codes/{theirs.codes.get().pk}/remove/")
    assert response.status_code == 404
    assert theirs.codes.count() == 1


def test_practitioners_cannot_appraise_or_compare(personas: Personas) -> None:
    made = episode(personas)
    services.episode_share(episode=made, shared=True, by=personas.lead, origin=TEST_ORIGIN)
    client = verified_client(personas.practitioner)
    for url in (PAGE, COMPARE, f"{BASE}/agreement/", f"{BASE}/agreement/statistics/"):
        assert client.get(url).status_code == 403, url
    assert client.post(PAGE, {"valence": "good"}).status_code == 403
    assert (
        client.post(f"{PAGE}codes/", {"factor_type": str(item("org_policies").pk), "effect": HINDERED}).status_code
        == 403
    )
    assert client.post(f"{PAGE}submit/").status_code == 403
    assert not IndependentAppraisal.objects.exists()


def test_an_agreed_code_is_carried_into_the_episode_from_the_comparison(personas: Personas) -> None:
    made = episode(personas)
    appraise_independently(made, personas.lead, Valence.MIXED, [("work_workload", HINDERED)])
    appraise_independently(made, personas.reviewer, Valence.MIXED, [("work_workload", HINDERED)])
    client = verified_client(personas.lead)
    compare = client.get(COMPARE).content.decode()
    assert "The reviewers agree on how practice was" in compare
    assert "Add “Workload” (made problems more likely) to the episode's factors" in compare
    workload = item("work_workload").pk
    prefix = str(workload)
    refused = client.post(f"{COMPARE}{workload}/", {f"{prefix}-significance": "high", f"{prefix}-description": ""})
    assert refused.status_code == 400
    assert "Describe how the factor shaped practice in this episode" in refused.content.decode()
    carried = client.post(
        f"{COMPARE}{workload}/", {f"{prefix}-significance": "high", f"{prefix}-description": "Eleven visits that day"}
    )
    assert carried["Location"] == f"{COMPARE}#carry"
    factor = made.factors.get()
    assert (factor.factor_type.key, factor.effect, factor.description) == (
        "work_workload",
        HINDERED,
        "Eleven visits that day",
    )
    again = client.get(COMPARE).content.decode()
    assert "“Workload” is among the episode's contributory factors already" in again
    assert "Add “Workload”" not in again


def test_the_statistics_page_shows_kappa_and_what_it_rests_on(personas: Personas) -> None:
    first, second = episode(personas), episode(personas, title="The strategy meeting")
    appraise_independently(first, personas.lead, Valence.GOOD, [("personal_knowledge", SUPPORTED)])
    appraise_independently(first, personas.reviewer, Valence.GOOD, [("personal_knowledge", SUPPORTED)])
    appraise_independently(second, personas.lead, Valence.MIXED, [("work_workload", HINDERED)])
    appraise_independently(second, personas.reviewer, Valence.MIXED, [("work_workload", HINDERED)])
    client = verified_client(personas.lead)
    page = client.get(f"{BASE}/agreement/statistics/").content.decode()
    assert "Lead Testperson and Reviewer Testperson" in page
    assert "Based on 2 episodes both appraised independently: 1 and 2." in page
    assert "2 (100%)" in page
    assert "1.00" in page and "Almost perfect" in page
    assert "Landis and Koch" in page
    assert "Practice: Lead Testperson's valence (rows)" in page
    assert AuditEvent.objects.filter(event=Event.AGREEMENT_STATISTICS_VIEWED).count() == 1


def test_the_statistics_page_says_when_kappa_is_not_defined(personas: Personas) -> None:
    made = episode(personas)
    appraise_independently(made, personas.lead, Valence.GOOD)
    appraise_independently(made, personas.reviewer, Valence.GOOD)
    page = verified_client(personas.reviewer).get(f"{BASE}/agreement/statistics/").content.decode()
    assert "Not defined. Kappa needs at least two decisions by both raters." in page
    assert "Of the factor codes either of them used, there were none." in page


def test_the_statistics_page_says_when_there_is_nothing_to_compare_yet(personas: Personas) -> None:
    made = episode(personas)
    appraise_independently(made, personas.lead, Valence.GOOD)
    appraise_independently(made, personas.reviewer, Valence.GOOD, submit=False)
    page = verified_client(personas.lead).get(f"{BASE}/agreement/statistics/").content.decode()
    assert "No episode has independent appraisals from two reviewers yet" in page
