"""The analysis pages: episodes made from chosen entries or a turning point, the appraisal with the outcome
kept off it, factors with evidence, the language check beside the text, the completion rule shown, the case
group's view, and the table's exports."""

from __future__ import annotations

import io

import docx
import openpyxl

from caseview.analysis import services
from caseview.analysis.models import Effect, KeyPracticeEpisode, Significance, Valence
from caseview.analysis.tests.helpers import appraise, episode, item, released, turning_point
from caseview.core.audit import Event
from caseview.core.models import AuditEvent
from conftest import TEST_ORIGIN, Personas, verified_client

BASE = "/reviews/CK2019/analysis"


def date_parts(prefix: str, day: int, month: int, year: int) -> dict[str, str]:
    return {f"{prefix}_day": str(day), f"{prefix}_month": str(month), f"{prefix}_year": str(year)}


def test_the_review_nav_leads_to_the_analysis(personas: Personas) -> None:
    page = verified_client(personas.lead).get("/reviews/CK2019/").content.decode()
    assert f'href="{BASE}/"' in page
    assert "Key practice episodes are the moments" in verified_client(personas.lead).get(f"{BASE}/").content.decode()


def test_the_selection_page_lists_and_filters_the_released_entries(personas: Personas) -> None:
    entries = released(personas)
    client = verified_client(personas.lead)
    page = client.get(f"{BASE}/episodes/new/").content.decode()
    assert "4 entries, in date order" in page
    assert f'value="{entries["Health"].pk}"' in page
    police_only = client.get(f"{BASE}/episodes/new/", {"agency": str(personas.police.pk)}).content.decode()
    assert "2 entries" in police_only and "New-birth visit" not in police_only
    words = client.get(f"{BASE}/episodes/new/", {"q": "new-birth"}).content.decode()
    assert "1 entry" in words
    from_march = client.get(f"{BASE}/episodes/new/", date_parts("start", 1, 3, 2019)).content.decode()
    assert "2 entries" in from_march and "Neighbour reports" not in from_march


def test_chosen_entries_become_an_episode_whose_period_starts_as_their_span(personas: Personas) -> None:
    entries = released(personas)
    client = verified_client(personas.lead)
    chosen = [str(entries["New-birth"].pk), str(entries["Health"].pk)]
    page = client.get(f"{BASE}/episodes/new/details/", {"entries": chosen}).content.decode()
    assert 'name="period_start_day" type="text" inputmode="numeric" value="14"' in page
    assert 'name="period_end_day" type="text" inputmode="numeric" value="30"' in page, "June 2019 runs to the 30th"
    assert "New-birth visit: partner present" in page
    response = client.post(
        f"{BASE}/episodes/new/details/",
        {
            "entries": chosen,
            "title": "The new-birth visit",
            **date_parts("period_start", 14, 1, 2019),
            **date_parts("period_end", 30, 6, 2019),
            "description": "Partner present",
            "valence": Valence.PROBLEMATIC,
            "identified_by": "reviewers",
            "agencies": [personas.health.pk],
        },
    )
    made = KeyPracticeEpisode.objects.get()
    assert response["Location"] == f"{BASE}/episodes/1/"
    assert {str(pk) for pk in made.entries.values_list("pk", flat=True)} == set(chosen)
    refused = client.post(f"{BASE}/episodes/new/details/", {"title": "", **date_parts("period_start", 31, 2, 2019)})
    assert "Enter a title for the episode" in refused.content.decode()
    assert "Date must be a real date" in refused.content.decode()


def test_a_turning_point_becomes_an_episode_from_its_page(personas: Personas) -> None:
    perspective = turning_point(personas)
    client = verified_client(personas.lead)
    page = client.get(f"{BASE}/turning-points/").content.decode()
    assert "The new-birth visit, when I could not ask about domestic abuse" in page
    assert AuditEvent.objects.filter(event=Event.TURNING_POINTS_READ).count() == 1
    response = client.post(f"{BASE}/turning-points/{perspective.pk}/episode/")
    assert response["Location"] == f"{BASE}/episodes/1/"
    assert list(KeyPracticeEpisode.objects.get().perspectives.all()) == [perspective]
    second = turning_point(personas, label="Mother", kind="family", number=1, moment="Nobody asked me alone")
    client.post(f"{BASE}/turning-points/{second.pk}/link/", {"episode": "1"})
    assert KeyPracticeEpisode.objects.get().perspectives.count() == 2


def test_the_appraisal_page_keeps_the_outcome_hidden_until_asked(personas: Personas) -> None:
    services.outcome_save(
        review=personas.review,
        text="Baby J's skull fracture",
        expected_version=None,
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    episode(personas)
    client = verified_client(personas.lead)
    hidden = client.get(f"{BASE}/episodes/1/appraisal/").content.decode()
    assert "skull fracture" not in hidden
    assert "The outcome that led to the review is hidden on this page" in hidden
    assert "?outcome=show" in hidden
    assert "skull fracture" not in client.get(f"{BASE}/episodes/1/factors/new/").content.decode()
    shown = client.get(f"{BASE}/episodes/1/appraisal/", {"outcome": "show"}).content.decode()
    assert "Baby J&#x27;s skull fracture" in shown and "Hide the outcome" in shown
    (event,) = AuditEvent.objects.filter(event=Event.OUTCOME_SHOWN)
    assert event.summary == "Showed the outcome on the appraisal of episode 1"


def test_the_appraisal_shows_what_people_knew_then_and_not_what_they_learned_later(personas: Personas) -> None:
    perspective = turning_point(personas, known_at_the_time="The May referral", learned_later="The rib fractures")
    episode(personas, perspectives=[perspective])
    page = verified_client(personas.lead).get(f"{BASE}/episodes/1/appraisal/").content.decode()
    assert "The May referral" in page
    assert "The rib fractures" not in page


def test_a_blaming_phrase_is_saved_but_flagged_with_a_suggestion(personas: Personas) -> None:
    episode(personas)
    client = verified_client(personas.lead)
    response = client.post(
        f"{BASE}/episodes/1/appraisal/",
        {
            "expected_practice": "A referral to the safeguarding lead.",
            "practice_compared": "The health visitor failed to refer the bruise.",
            "certainty": "confident",
            "certainty_reason": "",
            "version": "1",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Appraisal saved. The language check found 1 phrase to look at again" in page
    assert '<mark class="cv-flagged">failed to refer</mark>' in page
    assert "did not refer" in page and "what made it harder to refer at the time" in page
    assert KeyPracticeEpisode.objects.get().practice_compared == "The health visitor failed to refer the bruise."


def test_a_factor_is_added_with_its_evidence_from_the_page(personas: Personas) -> None:
    entries = released(personas)
    perspective = turning_point(personas)
    episode(personas, entries=[entries["New-birth"]], perspectives=[perspective])
    client = verified_client(personas.lead)
    form = client.get(f"{BASE}/episodes/1/factors/new/").content.decode()
    assert '<optgroup label="Frontline › Conditions of work">' in form
    assert "Workload</option>" in form and "Team culture (unverified)</option>" in form
    response = client.post(
        f"{BASE}/episodes/1/factors/new/",
        {
            "factor_type": item("family_availability").pk,
            "effect": Effect.HINDERED,
            "significance": Significance.HIGH,
            "description": "The partner was always there; it was obvious she could not speak.",
            "entries": [entries["New-birth"].pk],
            "perspectives": [perspective.pk],
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Frontline › Aspects of the family › Availability for meetings" in page
    assert '<mark class="cv-flagged">it was obvious</mark>' in page
    assert "Health visitor 1, turning point 1" in page
    factor = KeyPracticeEpisode.objects.get().factors.get()
    assert list(factor.entries.all()) == [entries["New-birth"]]
    missing = client.post(f"{BASE}/episodes/1/factors/new/", {"description": ""}).content.decode()
    assert "Choose the factor from the framework" in missing
    assert "Describe how the factor shaped practice in this episode" in missing


def test_the_page_says_why_a_problematic_episode_cannot_be_completed(personas: Personas) -> None:
    appraise(episode(personas), personas)
    response = verified_client(personas.lead).post(f"{BASE}/episodes/1/complete/", {"action": "complete"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Episode 1 cannot be marked complete yet" in page
    assert 'href="#factors">Episode 1 is problematic: add at least one contributory factor' in page
    assert not KeyPracticeEpisode.objects.get().complete


def test_good_practice_is_explained_with_the_same_care(personas: Personas) -> None:
    episode(personas, valence=Valence.GOOD)
    page = verified_client(personas.lead).get(f"{BASE}/episodes/1/").content.decode()
    assert "What made this good practice possible?" in page
    assert "Add a contributory factor" in page


def test_the_case_group_sees_shared_episodes_with_turning_points_named_not_quoted(personas: Personas) -> None:
    perspective = turning_point(personas, moment="I had eleven visits that day")
    kept = episode(personas, title="Kept back")
    shared = episode(personas, title="Shared", perspectives=[perspective])
    services.episode_share(episode=shared, shared=True, by=personas.lead, origin=TEST_ORIGIN)
    client = verified_client(personas.practitioner)
    home = client.get(f"{BASE}/").content.decode()
    assert "Shared" in home and "Kept back" not in home
    assert client.get(f"{BASE}/episodes/{kept.number}/").status_code == 404
    page = client.get(f"{BASE}/episodes/{shared.number}/").content.decode()
    assert "Health visitor 1" in page and "eleven visits" not in page
    assert "Change the episode" not in page and "Mark as complete" not in page
    table = client.get(f"{BASE}/table/").content.decode()
    assert "Shared" in table and "Kept back" not in table and "eleven visits" not in table
    assert client.get(f"{BASE}/episodes/{shared.number}/appraisal/").status_code == 403
    assert client.get(f"{BASE}/table.docx").status_code == 403


def test_the_table_page_and_its_exports(personas: Personas) -> None:
    entries = released(personas)
    made = appraise(episode(personas, entries=[entries["New-birth"]]), personas)
    services.factor_add(
        episode=made,
        factor_type=item("work_workload"),
        effect=Effect.HINDERED,
        significance=Significance.HIGH,
        description="=1+1 visits",
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    services.question_add(episode=made, text="Is this usual?", by=personas.lead, origin=TEST_ORIGIN)
    client = verified_client(personas.reviewer)
    page = client.get(f"{BASE}/table/").content.decode()
    assert "1. The new-birth visit" in page and "Is this usual?" in page
    assert "14 January 2019, Health visiting: Case record" in page
    word = client.get(f"{BASE}/table.docx")
    assert word["Content-Disposition"] == 'attachment; filename="CK2019-key-practice-episodes.docx"'
    assert "Is this usual?" in docx.Document(io.BytesIO(word.content)).tables[0].rows[1].cells[7].text
    sheet = client.get(f"{BASE}/table.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(sheet.content))
    factors = [cell.value for cell in book.active[2]][12]
    assert "=1+1 visits" in factors and not factors.startswith("=")
    assert [e.summary for e in AuditEvent.objects.filter(event=Event.KPE_TABLE_EXPORTED).order_by("id")] == [
        "Exported the key practice episode table (1 episodes) as DOCX",
        "Exported the key practice episode table (1 episodes) as XLSX",
    ]


def test_the_outcome_page_records_it(personas: Personas) -> None:
    client = verified_client(personas.lead)
    assert "Describe the outcome" in client.post(f"{BASE}/outcome/", {"text": " "}).content.decode()
    client.post(f"{BASE}/outcome/", {"text": "Skull fracture", "version": ""})
    assert "The outcome is recorded" in client.get(f"{BASE}/").content.decode()
    assert verified_client(personas.practitioner).get(f"{BASE}/outcome/").status_code == 403
