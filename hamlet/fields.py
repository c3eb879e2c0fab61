from datetime import date

from crispy_forms_gds.fields import DateInputField
from django import forms
from django.core.exceptions import ValidationError


class GovukDateField(DateInputField):
    """The GOV.UK date input (day, month, year), with messages a person can act on.

    crispy-forms-gds passes Python's own errors through ("day is out of range for
    month") and lets a huge number crash the page; this says what to type instead.
    """

    def __init__(
        self,
        *,
        label: str,
        required: bool = True,
        help_text: str = "For example, 27 3 2026",
        required_message: str = "",
        **kwargs,
    ):
        super().__init__(label=label, required=required, help_text=help_text, require_all_fields=False, **kwargs)
        self.error_messages["required"] = required_message or f"Enter the {label[0].lower()}{label[1:]}"
        for part, field in zip(("day", "month", "year"), self.fields, strict=True):
            field.max_length = 4
            field.widget.attrs.update({"inputmode": "numeric", "maxlength": "4"})
            field.error_messages["incomplete"] = f"{label} must include a {part}"

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            return None
        if len(str(year)) != 4:
            raise ValidationError("Enter the year as 4 numbers, like 2026")
        if not 1900 <= int(year) <= 2100:
            raise ValidationError(f"{self.label} must be a real date")
        try:
            return date(day=int(day), month=int(month), year=int(year))
        except (ValueError, OverflowError):
            raise ValidationError(f"{self.label} must be a real date") from None


class KeysChoiceField(forms.ModelMultipleChoiceField):
    """Checkboxes of records. A number too big to be any record's key is an unknown choice:
    Django passes it to the database as it is, and SQLite cannot compare it (a crash). An
    empty value is no choice at all, as a browser sends nothing for a box left unticked."""

    def clean(self, value):
        # A lone box sent empty is no choice, as when a browser leaves it unticked.
        return super().clean([key for key in value or [] if key != ""])

    def _check_values(self, value):
        for key in value or []:
            try:
                # isdigit() is true of "²" and other digits int() does not read: try it instead.
                too_big = int(str(key).strip()) > 2**63 - 1
            except ValueError:
                too_big = False  # not a number at all: Django refuses it as an unknown choice
            if too_big:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": key}
                )
        return super()._check_values(value)


class Select(forms.Select):
    """Django's select, each option written in the select's own loop: Django's includes a
    template for every option (and another for its attributes), which for a picker of a
    wing's residents, 130 of them at a busy prison, was most of a page's time. The same HTML.
    (In the hamlet app's templates, where the form renderer looks, not the project's.)"""

    template_name = "hamlet/widgets/select.html"
