"""A partnership's own administration: agencies, the lead reviewers it commissions, and its people's accounts."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from caseview.accounts import services as accounts
from caseview.core.audit import Origin
from caseview.core.views import AuthenticatedRequest
from caseview.reviews import selectors, services
from caseview.reviews.access import partnership_admin_view, partnership_view
from caseview.reviews.models import Partnership
from caseview.reviews.partnership_forms import AccountForm, AgencyForm, UsernameForm
from caseview.reviews.views import apply_errors


def _context(partnership: Partnership, title: str, **extra: object) -> dict[str, object]:
    return {"partnership": partnership, "page_title": title, "heading": title, "nav_section": "partnerships", **extra}


@partnership_view("partnerships.administer")
def partnership_list(request: AuthenticatedRequest) -> HttpResponse:
    partnerships = selectors.partnerships_administered_by(user=request.user)
    return render(
        request,
        "partnerships/list.html",
        {"partnerships": partnerships, "page_title": "Partnerships", "nav_section": "partnerships"},
    )


@partnership_admin_view
def partnership_detail(request: AuthenticatedRequest, partnership: Partnership) -> HttpResponse:
    context = _context(
        partnership,
        partnership.name,
        agencies=selectors.agencies_for(partnership=partnership),
        lead_reviewers=partnership.lead_reviewers.order_by("username"),
        administrators=partnership.administrators.order_by("username"),
        people=selectors.partnership_people(partnership=partnership),
        reviews=partnership.reviews.order_by("reference"),
    )
    return render(request, "partnerships/detail.html", context)


@partnership_admin_view
@require_http_methods(["GET", "POST"])
def agency_add(request: AuthenticatedRequest, partnership: Partnership) -> HttpResponse:
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agency = services.agency_add(
                partnership=partnership, by=request.user, origin=Origin.from_request(request), **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"{agency.name} added")
            return redirect("partnerships:detail", partnership.pk)
    return render(request, "partnerships/form.html", _context(partnership, "Add an agency", form=form))


@partnership_admin_view
@require_http_methods(["GET", "POST"])
def lead_reviewer_add(request: AuthenticatedRequest, partnership: Partnership) -> HttpResponse:
    form = UsernameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = selectors.users_by_username(username=form.cleaned_data["username"])
        if user is None:
            form.add_error("username", f"There is no account with the username {form.cleaned_data['username']}")
        else:
            services.partnership_lead_reviewer_add(
                partnership=partnership, user=user, by=request.user, origin=Origin.from_request(request)
            )
            messages.success(request, f"{user.username} can now start reviews for {partnership.name} and lead them")
            return redirect("partnerships:detail", partnership.pk)
    context = _context(
        partnership,
        "Commission a lead reviewer",
        form=form,
        intro="A commissioned lead reviewer can start a review for this partnership and leads it.",
    )
    return render(request, "partnerships/form.html", context)


@partnership_admin_view
@require_http_methods(["GET", "POST"])
def account_add(request: AuthenticatedRequest, partnership: Partnership) -> HttpResponse:
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = accounts.user_create(
                by=request.user,
                origin=Origin.from_request(request),
                password=None,
                partnership=partnership,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _show_setup_link(request, partnership, user.pk, created=True)
    context = _context(
        partnership,
        "Create an account",
        form=form,
        intro="You will get a link for the person to choose their own password. Then give them a role in a review.",
    )
    return render(request, "partnerships/form.html", context)


def _show_setup_link(
    request: AuthenticatedRequest, partnership: Partnership, user_id: int, *, created: bool
) -> HttpResponse:
    person = selectors.partnership_person(partnership=partnership, user_id=user_id)
    uidb64, token = accounts.password_setup_token(user=person)
    link = request.build_absolute_uri(reverse("accounts:set-password", args=[uidb64, token]))
    context = _context(partnership, f"Account for {person.username}", person=person, link=link, created=created)
    return render(request, "partnerships/setup_link.html", context)


@partnership_admin_view
def person_detail(request: AuthenticatedRequest, partnership: Partnership, user_id: int) -> HttpResponse:
    person = selectors.partnership_person(partnership=partnership, user_id=user_id)
    context = _context(
        partnership,
        person.username,
        person=person,
        memberships=person.memberships.filter(review__partnership=partnership).select_related("review"),
        has_totp=accounts.has_confirmed_totp(person),
    )
    return render(request, "partnerships/person.html", context)


@partnership_admin_view
@require_POST
def person_setup_link(request: AuthenticatedRequest, partnership: Partnership, user_id: int) -> HttpResponse:
    return _show_setup_link(request, partnership, user_id, created=False)


@partnership_admin_view
@require_POST
def person_reset_second_factor(request: AuthenticatedRequest, partnership: Partnership, user_id: int) -> HttpResponse:
    person = selectors.partnership_person(partnership=partnership, user_id=user_id)
    accounts.second_factor_reset(
        user=person, by=request.user, origin=Origin.from_request(request), partnership=partnership
    )
    messages.success(request, f"{person.username} will set up a new authenticator app when they next sign in")
    return redirect("partnerships:person", partnership.pk, person.pk)
