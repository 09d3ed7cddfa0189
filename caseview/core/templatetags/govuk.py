"""GOV.UK Design System markup for Django form fields, so every form reads and behaves the same way."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

register = template.Library()


def _kind(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.MultiWidget):  # caseview.core.forms.DateInput: day, month and year boxes
        return "date"
    return "input"


@register.simple_tag
def govuk_field(field: forms.BoundField, **options: Any) -> SafeString:
    """Render one bound field as a GOV.UK form group: label, hint, error message, control."""
    widget = field.field.widget
    kind = _kind(widget)
    input_type = getattr(widget, "input_type", "text")
    context = {
        "field": field,
        "kind": kind,
        "input_type": input_type,
        "label_size": options.get("label_size", ""),
        "width": options.get("width", ""),
        "autocomplete": options.get("autocomplete", widget.attrs.get("autocomplete", "")),
        "inputmode": options.get("inputmode", widget.attrs.get("inputmode", "")),
        "spellcheck": options.get("spellcheck", ""),
        "rows": widget.attrs.get("rows", 5),
        "is_page_heading": options.get("heading", False),
        # What someone else saved meanwhile, where it differs from what this person typed (core.forms).
        "theirs": getattr(field.form, "theirs", {}).get(field.name),
    }
    return render_to_string("includes/field.html", context)


@register.inclusion_tag("includes/error_summary.html")
def govuk_error_summary(*forms_: forms.Form) -> dict[str, Any]:
    """The error summary at the top of a page, linking each problem to its field."""
    errors: list[tuple[str, str]] = []
    for form in forms_:
        if form is None or not form.is_bound:
            continue
        for message in form.non_field_errors():
            errors.append(("", str(message)))
        for name, field_errors in form.errors.items():
            if name == "__all__":
                continue
            bound = form[name]
            anchor = bound.id_for_label or bound.auto_id
            if _kind(bound.field.widget) in {"radios", "checkboxes", "date"}:
                anchor = f"{bound.auto_id}_0"  # the first option, or the day box
            for message in field_errors:
                errors.append((anchor, str(message)))
    return {"errors": errors}
