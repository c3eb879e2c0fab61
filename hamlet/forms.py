"""Forms, and the one way a page with a form works.

Every form view in every app goes the same way, through ``form_page``::

    @record_refusals
    @permission_required("things.add_note", raise_exception=True)
    def note_add(request, pk):
        person = get_visible_or_404(Resident.objects, request.user, pk=pk)    # fetch through the scope
        form = NoteForm(request.POST or None, resident=person)                # bind

        def act():                                                            # call one service
            services.note_add(note=form.save(commit=False), resident=person, by=request.user)
            return f"Note recorded for {person}.", person                     # message, where to

        return form_page(request, form, act=act, template="things/note_form.html",
                         context={"person": person}, shown=shown_about(request, person))

``act`` runs only for a valid POST. It calls the service (writes live in ``services.py``, never
in the view: ``form.save(commit=False)`` only builds the record) and returns the success
message and where to go next, as ``redirect`` takes it. A ``ValidationError`` the service
raises is shown on the form, field by field where it names a field (``attach_errors``);
``StaleEdit`` (``hamlet.versions``) becomes the form's refusal. Otherwise the page is
rendered with ``form`` and ``context`` (a function, if it costs queries a successful POST
need not make). ``shown`` runs just before: a page about a resident records that it was
shown (the residents app's ``shown_about``). A GET never writes (``tests/test_get_never_writes.py``).
An app whose forms all hang off one record (the residents app's ``_resident_action``, the
mentoring app's ``_mentor_form``) wraps the fetch and back link once and passes on.

Every form's crispy helper comes from ``govuk_helper``: small GOV.UK labels and legends and
one submit button, or no submit and no ``<form>`` tag (``inner=True``) for a form that sits
inside a page's own ``<form>``. Form pages extend ``templates/_form_page.html``.
"""

from collections.abc import Callable
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.contrib import messages
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from hamlet import sign_in_limit
from hamlet.fields import GovukDateField
from hamlet.models import Wing
from hamlet.versions import StaleEdit, VersionedModelForm

# What ``act`` returns: the success message (None for none) and where to go, as ``redirect``
# takes it, or a response of its own (a page shown once, like new backup codes).
Done = tuple[str | None, Any]


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    act: Callable[[], Done],
    template: str,
    context: dict[str, Any] | Callable[[], dict[str, Any]] | None = None,
    shown: Callable[[], None] | None = None,
) -> HttpResponse:
    """A valid POST calls ``act`` and redirects where it says; anything else, or a service's
    refusal, renders ``template`` with the form (its errors on it) and ``context``, which may
    be a function so that a successful POST does not read what it will not show."""
    if request.method == "POST" and form.is_valid():
        try:
            message, target = act()
        except ValidationError as error:
            attach_errors(form, error)
        except StaleEdit:
            form.refuse_stale_edit()
        else:
            if message:
                messages.success(request, message)
            return target if isinstance(target, HttpResponse) else redirect(target)
    if form.is_bound:
        in_form_order(form)
    if shown:
        shown()
    extra = context() if callable(context) else context
    return render(request, template, {"form": form, **(extra or {})})


def in_form_order(form: forms.BaseForm) -> None:
    """Put the form's errors in the order of its fields, the form's own first, so the error
    summary lists them as the page asks: a model's checks (run after every field's) would
    otherwise put theirs last."""
    order = {name: index for index, name in enumerate([forms.forms.NON_FIELD_ERRORS, *form.fields])}
    if form._errors:
        form._errors = type(form._errors)(sorted(form._errors.items(), key=lambda item: order.get(item[0], len(order))))


def limits_named(field: forms.Field) -> None:
    """Say which field is out of range, in its own words: "Days between supervision sessions
    must be 1 or more", not Django's "Ensure this value is greater than or equal to 1". The
    messages go by the validators' codes, so the model's own range checks use them too."""
    field.error_messages.update(
        {
            "min_value": f"{field.label} must be %(limit_value)s or more",
            "max_value": f"{field.label} must be %(limit_value)s or less",
        }
    )


def govuk_helper(
    *fields, submit: str | None = None, inner: bool = False, label_size: str | None = Size.SMALL, **button
) -> FormHelper:
    """The layout every Hamlet form uses: small GOV.UK labels and legends, one submit button.

    ``inner``: the form sits inside the page's own ``<form>``, which carries the CSRF token.
    """
    helper = FormHelper()
    if label_size:
        helper.label_size = label_size
        helper.legend_size = label_size
    helper.layout = Layout(*fields, *([Submit("submit", submit, **button)] if submit else []))
    if inner:
        helper.form_tag = False
        helper.disable_csrf = True
    return helper


def attach_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: by field where it names one, else at the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _account_helper(*names: str, submit: str) -> FormHelper:
    """Signing in and changing a password: text boxes in the page's own <form>, which carries the token."""
    return govuk_helper(
        *(Field.text(name, field_width=20) for name in names), submit=submit, inner=True, label_size=None
    )


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account has been switched off. Ask your administrator.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.widget.attrs.update({"autocomplete": "username", "spellcheck": "false"})
        # Django sets max_length here after the field is made, so its check must be added too.
        username.validators.append(MaxLengthValidator(username.max_length))
        self.helper = _account_helper("username", "password", submit="Sign in")

    def clean(self):
        # Whatever the username (an account or not), so the refusal says nothing about accounts.
        username = self.cleaned_data.get("username")
        if username and (wait := sign_in_limit.wait_before_next_try(username)):
            raise ValidationError(
                f"There have been too many wrong passwords for this username. Wait {sign_in_limit.in_words(wait)} "
                "before you try again, or ask your administrator to let you sign in now.",
                code="slowed",
            )
        return super().clean()


class HamletPasswordChangeForm(PasswordChangeForm):
    error_messages = {
        "password_incorrect": "Your current password is wrong. Enter it again.",
        "password_mismatch": "The two new passwords are different. Enter the same one twice.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].help_text = ""
        self.fields["new_password2"].label = "New password again"
        self.fields["new_password2"].help_text = ""
        self.helper = _account_helper("old_password", "new_password1", "new_password2", submit="Change password")


class WingChoiceForm(forms.Form):
    """The wing switcher. Its choices are the wings the user may see, already fetched."""

    wing = forms.TypedChoiceField(coerce=int, label="Wing")

    def __init__(self, *args, wings: list[Wing], current: Wing | None = None, **kwargs):
        super().__init__(*args, initial={"wing": current.pk if current else None}, **kwargs)
        self.fields["wing"].choices = [(wing.pk, f"{wing.name}, {wing.establishment.name}") for wing in wings]
        # The page's own <form> carries the token and the button.
        self.helper = govuk_helper(Field.select("wing"), inner=True, label_size=None)


class SpanForm(forms.Form):
    """Which stretch of time a dashboard's figures count within: this week, this month, or
    a span an app offers (the assessment period)."""

    show = forms.ChoiceField(
        label="Count within",
        required=False,
        error_messages={"invalid_choice": "Choose this week, this month or another span in the list"},
    )

    def __init__(self, *args, spans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["show"].choices = [(span.key, f"{span.label} ({span.dates})") for span in spans]
        self.helper = govuk_helper(Field.select("show"), submit="Show", classes="govuk-button--secondary")
        self.helper.form_method = "get"


class WingForm(VersionedModelForm):
    stale_noun = "this wing"

    pilot_start = GovukDateField(label="Pilot started", help_text="For example, 1 9 2025", required=False)
    funded_until = GovukDateField(label="Funded until", help_text="For example, 28 2 2027", required=False)

    class Meta:
        model = Wing
        fields = ["resident_profile", "capacity", "pilot_start", "funded_until", "aims"]
        # GOV.UK asks for text inputs with a numeric keyboard rather than number inputs.
        widgets = {"capacity": forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"})}
        error_messages = {
            "capacity": {
                "required": "Enter the number of bedrooms on the wing",
                "invalid": "Enter the number of bedrooms as a whole number, like 39",
                "min_value": "The wing needs at least one bedroom",
                "max_value": "A wing has at most 2,000 bedrooms",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(
            Field.textarea("resident_profile", rows=2),
            Field.text("capacity", field_width=4),
            Field("pilot_start"),
            Field("funded_until"),
            Field.textarea("aims", rows=8),
            "version",
            submit="Save changes",
        )

    def has_changed(self) -> bool:
        # Compare cleaned values, so line endings and spacing alone are not a change.
        return any(self.cleaned_data.get(name) != self.initial.get(name) for name in self.changed_data)

    def clean_aims(self):
        # Browsers send line breaks as CR LF; store LF so an unchanged form changes nothing.
        return self.cleaned_data["aims"].replace("\r\n", "\n").strip()

    def clean_resident_profile(self):
        return self.cleaned_data["resident_profile"].replace("\r\n", "\n").strip()

    def clean(self):
        cleaned = super().clean()
        start, until = cleaned.get("pilot_start"), cleaned.get("funded_until")
        if start and until and until < start:
            self.add_error("funded_until", "The funded-until date must be on or after the pilot start")
        return cleaned


class TwoFactorCodeForm(forms.Form):
    """One code: from the authenticator app, or (where ``backup`` is allowed) a backup code."""

    code = forms.CharField(
        max_length=20,
        error_messages={
            "required": "Enter the code from your authenticator app",
            "max_length": "The code is too long: enter the 6 digits your app shows",
        },
    )

    def __init__(self, *args, label: str, hint: str = "", heading: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        field.label, field.help_text = label, hint
        # Codes are not words: no spelling help, no capitals; phones offer the code they received.
        field.widget.attrs.update({"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "none"})
        if heading:
            code = Field.text("code", label_size=Size.LARGE, label_tag="h1", field_width=10)
        else:
            code = Field.text("code", label_size=Size.SMALL, field_width=10)
        # The page's own <form> carries the token.
        self.helper = govuk_helper(code, submit="Continue", inner=True, label_size=None)

    def clean_code(self) -> str:
        # People copy codes with spaces ("123 456") or as printed; compare them bare.
        return "".join(self.cleaned_data["code"].split()).replace("-", "").lower()
