"""The contributory factor framework: installed after migrating, versioned, [V] items verified and [R] items
not, and extended by a partnership for its own reviews only."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from caseview.analysis import framework, selectors, services
from caseview.analysis.models import ContributoryFactorType, Effect, FactorFramework, FactorGroup, Significance
from caseview.analysis.tests.helpers import episode
from caseview.core.audit import Event
from caseview.core.models import AuditEvent
from caseview.reviews import services as review_services
from conftest import TEST_ORIGIN, Personas, verified_client


def test_it_is_installed_by_migrating(db: None) -> None:
    (installed,) = FactorFramework.objects.all()
    assert installed.version == framework.STANDARD.version
    assert installed.current
    levels = [level.label for level in selectors.framework_levels(partnership=None)]
    assert levels == ["Frontline", "Local strategic", "National and government"]
    counts = {group.key: group.items.count() for group in installed.groups.all()}
    assert counts["family_aspects"] == 17
    assert counts["personal_staff"] == 9
    assert counts["conditions_of_work"] == 7


def test_the_methods_verified_items_are_verified_and_recalled_ones_are_not(db: None) -> None:
    def verified(key: str) -> bool:
        return ContributoryFactorType.objects.get(key=key).verified

    assert verified("work_workload") and verified("family_availability") and verified("team_help_advice_supervision")
    assert not verified("team_culture"), "own team: only the first item is stated in the source"
    assert not verified("interagency_communication")
    assert not verified("org_policies") and not verified("national_climate")
    assert not FactorGroup.objects.get(key="inter_agency_team").verified
    assert FactorGroup.objects.get(key="inter_agency_team").note.startswith("Inferred from the headings")


def test_installing_again_changes_nothing_and_a_new_version_becomes_current(db: None) -> None:
    assert services.framework_install() is False
    assert FactorFramework.objects.count() == 1
    newer = framework.FrameworkData(
        version="checked-2027",
        title="Checked against Appendix 5",
        source="",
        groups=(
            framework.GroupData(framework.FRONTLINE, "g", "A group", True, "", (framework.ItemData("k", "An item"),)),
        ),
    )
    assert services.framework_install(data=newer) is True
    assert list(FactorFramework.objects.filter(current=True).values_list("version", flat=True)) == ["checked-2027"]
    assert ContributoryFactorType.objects.filter(key="work_workload").exists(), "older versions stay for old codes"


def test_a_partnership_adds_its_own_item_which_only_its_reviews_see(personas: Personas) -> None:
    group = FactorGroup.objects.get(key="conditions_of_work")
    added = services.framework_item_add(
        partnership=personas.partnership,
        group=group,
        label="Hot-desking",
        detail="No fixed desk, so case papers travel",
        by=personas.admin,
        origin=TEST_ORIGIN,
    )
    assert (added.partnership, added.verified, added.key) == (personas.partnership, False, "")
    assert added in selectors.factor_types_for(review=personas.review)
    other = review_services.partnership_create(name="Elsewhere", by=None, origin=TEST_ORIGIN)
    elsewhere = review_services.review_create(
        partnership=other, reference="EL2020", title="Child L", by=None, origin=TEST_ORIGIN
    )
    assert added not in selectors.factor_types_for(review=elsewhere)
    (event,) = AuditEvent.objects.filter(event=Event.FRAMEWORK_ITEM_ADDED)
    assert event.partnership == personas.partnership


def test_a_partnership_item_must_be_new_to_its_group(personas: Personas) -> None:
    group = FactorGroup.objects.get(key="conditions_of_work")
    with pytest.raises(ValidationError, match="already has a factor called workload"):
        services.framework_item_add(
            partnership=personas.partnership, group=group, label="workload", by=personas.admin, origin=TEST_ORIGIN
        )
    with pytest.raises(ValidationError):
        services.framework_item_add(
            partnership=personas.partnership, group=group, label="  ", by=personas.admin, origin=TEST_ORIGIN
        )


def test_a_partnership_item_in_use_stays_and_an_unused_one_can_go(personas: Personas) -> None:
    group = FactorGroup.objects.get(key="conditions_of_work")
    used = services.framework_item_add(
        partnership=personas.partnership, group=group, label="Hot-desking", by=personas.admin, origin=TEST_ORIGIN
    )
    services.factor_add(
        episode=episode(personas),
        factor_type=used,
        effect=Effect.HINDERED,
        significance=Significance.LOW,
        description="Papers were at another office",
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    with pytest.raises(ValidationError, match="is the code of 1 contributory factor"):
        services.framework_item_remove(item=used, by=personas.admin, origin=TEST_ORIGIN)
    unused = services.framework_item_add(
        partnership=personas.partnership, group=group, label="Lone working", by=personas.admin, origin=TEST_ORIGIN
    )
    services.framework_item_remove(item=unused, by=personas.admin, origin=TEST_ORIGIN)
    with pytest.raises(ValidationError, match="framework's own items"):
        services.framework_item_remove(
            item=ContributoryFactorType.objects.get(key="work_it"), by=personas.admin, origin=TEST_ORIGIN
        )
    assert list(ContributoryFactorType.objects.filter(partnership=personas.partnership)) == [used]


def test_the_partnership_page_adds_an_item_and_the_review_page_shows_it(personas: Personas) -> None:
    admin = verified_client(personas.admin)
    url = f"/partnerships/{personas.partnership.pk}/factors/"
    page = admin.get(url).content.decode()
    assert "Frontline factors" in page and "Unverified group" in page
    group = FactorGroup.objects.get(key="conditions_of_work")
    response = admin.post(url, {"group": group.pk, "label": "Hot-desking", "detail": ""})
    assert response.status_code == 302
    refused = admin.post(url, {"group": group.pk, "label": ""})
    assert "Enter the factor" in refused.content.decode()
    review_page = verified_client(personas.lead).get("/reviews/CK2019/analysis/framework/").content.decode()
    assert "Hot-desking" in review_page
    assert "Testshire Safeguarding Partnership's own" in review_page
    assert "Workload" in review_page and "Verified" in review_page
