from __future__ import annotations

from django import forms

from caseview.reviews.models import Sector


class AgencyForm(forms.Form):
    name = forms.CharField(label="Agency name", max_length=200, error_messages={"required": "Enter the agency's name"})
    sector = forms.ChoiceField(label="Sector", choices=Sector.choices, initial=Sector.OTHER)
    is_safeguarding_partner = forms.BooleanField(
        label="A statutory safeguarding partner",
        required=False,
        help_text="The local authority, the police or the integrated care board",
    )


class UsernameForm(forms.Form):
    username = forms.CharField(
        label="Username",
        max_length=150,
        help_text="The person must already have an account",
        error_messages={"required": "Enter a username"},
    )


class AccountForm(forms.Form):
    username = forms.CharField(
        label="Username",
        max_length=150,
        help_text="What they will sign in with, for example jo.whitfield",
        error_messages={"required": "Enter a username"},
    )
    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        required=False,
        help_text="Shown only to people allowed to see identities; reports use positions",
    )
    email = forms.EmailField(
        label="Email address",
        required=False,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )
