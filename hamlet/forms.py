from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

from hamlet import sign_in_limit
from hamlet.fields import GovukDateField
from hamlet.models import Wing
from hamlet.versions import VersionedModelForm


def govuk_helper(*fields, submit: str, **button) -> FormHelper:
    """The layout every Hamlet form uses: small GOV.UK labels and legends, one submit button."""
    helper = FormHelper()
    helper.label_size = Size.SMALL
    helper.legend_size = Size.SMALL
    helper.layout = Layout(*fields, Submit("submit", submit, **button))
    return helper


def attach_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: by field where it names one, else at the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


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
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("username", field_width=20),
            Field.text("password", field_width=20),
            Submit("submit", "Sign in"),
        )
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the page's own <form> carries the token

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
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("old_password", field_width=20),
            Field.text("new_password1", field_width=20),
            Field.text("new_password2", field_width=20),
            Submit("submit", "Change password"),
        )
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the page's own <form> carries the token


class WingChoiceForm(forms.Form):
    """The wing switcher. Its choices are the wings the user may see, already fetched."""

    wing = forms.TypedChoiceField(coerce=int, label="Wing")

    def __init__(self, *args, wings: list[Wing], current: Wing | None = None, **kwargs):
        super().__init__(*args, initial={"wing": current.pk if current else None}, **kwargs)
        self.fields["wing"].choices = [(wing.pk, f"{wing.name}, {wing.establishment.name}") for wing in wings]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the page's own <form> carries the token
        self.helper.layout = Layout(Field.select("wing"))


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
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        self.helper.layout = Layout(
            Field.textarea("resident_profile", rows=2),
            Field.text("capacity", field_width=4),
            Field("pilot_start"),
            Field("funded_until"),
            Field.textarea("aims", rows=8),
            "version",
            Submit("submit", "Save changes"),
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
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the page's own <form> carries the token
        if heading:
            code = Field.text("code", label_size=Size.LARGE, label_tag="h1", field_width=10)
        else:
            code = Field.text("code", label_size=Size.SMALL, field_width=10)
        self.helper.layout = Layout(code, Submit("submit", "Continue"))

    def clean_code(self) -> str:
        # People copy codes with spaces ("123 456") or as printed; compare them bare.
        return "".join(self.cleaned_data["code"].split()).replace("-", "").lower()
