from __future__ import annotations

from django import forms


class CheckUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload the report",
        help_text="A Word document (DOCX), PDF, web page (HTML) or plain text file, up to 20 MB.",
        error_messages={"required": "Choose the report file to check", "empty": "The file is empty"},
    )


class OverrideForm(forms.Form):
    hit = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(
        label="Why this can be published as it is",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        error_messages={"required": "Say why this can be published as it is"},
    )
