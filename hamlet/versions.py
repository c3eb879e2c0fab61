"""No lost update: an edit is saved only if no one else saved the record since it was opened.

A record that two people may edit at once has a ``version`` number. Its edit form
(``VersionedModelForm``) carries, signed, the version it was opened at and the values it
showed. The service saves through ``save_if_unchanged``, whose
``UPDATE ... SET version = version + 1 WHERE pk = … AND version = n`` is one statement: the
database, not Python, decides which of two saves made at the same moment wins. The other
raises ``StaleEdit``, and ``VersionedModelForm.refuse_stale_edit`` (called by
``hamlet.forms.form_page``) puts the refusal on the form, field by field ("Room was changed
from 12 to 14 …"), with what the user typed left in place and nothing saved. The refusal
stands until they open the record again, so the other person's change can only be
overwritten by someone who has seen it.

Every other save of such a record moves its version on too (``VersionedModel``): the
Django admin, a service that changes one field, the shell. Otherwise an edit page opened
before an administrator's change would still be "at the latest version" and undo it.
"""

from datetime import date, time
from typing import Any

from crispy_forms_gds.layout import Submit
from django import forms
from django.core import signing
from django.db import models, transaction
from django.db.models import F
from django.utils.formats import date_format
from django.utils.text import Truncator, capfirst

SALT = "hamlet.versions"


class StaleEdit(Exception):
    """Someone else saved the record after this copy was opened."""


class VersionedModel(models.Model):
    """A record with a ``version`` (declared by the model itself): every save of an existing row
    moves it on by one in the database (``version = version + 1``), whoever saves it and however.

    This lives in ``save()`` rather than in each caller because the promise is about every path,
    including the Django admin, whose saves Hamlet's services never see. ``QuerySet.update()``
    bypasses it, as it bypasses ``save()``.
    """

    class Meta:
        abstract = True

    def save(self, *args, update_fields=None, **kwargs):
        if self._state.adding or getattr(self, "_version_moved", False):
            return super().save(*args, update_fields=update_fields, **kwargs)
        # Moved on by an UPDATE first, as save_if_unchanged does, so the row is locked until the
        # save commits and the audit trail sees no change of version (only of what was edited).
        with transaction.atomic(using=kwargs.get("using")):
            rows = type(self)._base_manager.filter(pk=self.pk)
            rows.update(version=F("version") + 1)
            self.version = rows.values_list("version", flat=True).get()
            if update_fields is not None:
                update_fields = {*update_fields, "version"}
            return super().save(*args, update_fields=update_fields, **kwargs)


@transaction.atomic
def save_if_unchanged(instance: models.Model, *, version: int, **save_kwargs: Any) -> None:
    """Save ``instance`` if its row is still at ``version``, moving the version on by one;
    otherwise raise ``StaleEdit`` and save nothing."""
    rows = type(instance)._base_manager.filter(pk=instance.pk, version=version)
    # The UPDATE locks the row: a second save waits here, then finds the version moved on.
    if not rows.update(version=F("version") + 1):
        raise StaleEdit
    instance.version = version + 1
    instance._version_moved = True  # by the UPDATE above: VersionedModel.save must not move it again
    try:
        instance.save(**save_kwargs)
    finally:
        instance._version_moved = False


class VersionField(forms.CharField):
    """The signed version and shown values. Never a change in itself."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def has_changed(self, initial, data) -> bool:
        return False


class VersionedModelForm(forms.ModelForm):
    """An edit form that knows which version of the record it showed, and what it showed.

    Put ``"version"`` in the form's layout so the hidden field is sent back.
    """

    version = VersionField()
    stale_noun = "this record"  # how the refusal names the record

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stale = False

    def get_initial_for_field(self, field, field_name):
        # Worked out when the form is shown, after the subclass has set its fields' labels.
        if field_name == "version" and self.instance.pk and not self.is_bound:
            opened = {"version": self.instance.version, "shown": self._shown(self.instance)}
            return signing.dumps(opened, salt=SALT, compress=True)
        return super().get_initial_for_field(field, field_name)

    def clean_version(self) -> dict | None:
        token = self.cleaned_data.get("version")
        if not self.instance.pk:
            return None
        try:
            return signing.loads(token or "", salt=SALT)
        except signing.BadSignature:
            self.add_error(None, "This form is out of date. Open the page again and make your changes.")
            return None

    @property
    def opened_version(self) -> int | None:
        """The version the form was opened at; None if the record was not saved yet then."""
        opened = self.cleaned_data["version"]
        return opened["version"] if opened else None

    def refuse_stale_edit(self) -> None:
        """Say on the form what someone else changed since it was opened; nothing is saved.
        (``hamlet.forms.form_page`` calls this when the service raises ``StaleEdit``.)"""
        self.stale = True
        current = type(self.instance)._base_manager.get(pk=self.instance.pk)
        opened = self.cleaned_data["version"]
        # A record first saved by someone else while this form was open showed its defaults.
        before = opened["shown"] if opened else self._shown(type(self.instance)())
        now = self._shown(current)
        changed = [name for name in now if before.get(name) != now[name]]
        self.add_error(
            None,
            f"Someone else saved {self.stale_noun} while you were editing, so your changes have not been saved. "
            + ("What they changed is shown below." if changed else "They changed details that are not on this form."),
        )
        for name in changed:
            # "Room was changed", not "Room (optional) was changed".
            label = capfirst(self.fields[name].label or name).removesuffix(" (optional)")
            self.add_error(
                name, f"{label} was changed from {_quoted(before[name])} to {_quoted(now[name])} by someone else"
            )
        # Saving again would only be refused again: the way on is "Open the latest version".
        if helper := getattr(self, "helper", None):
            helper.layout.fields = [field for field in helper.layout.fields if not isinstance(field, Submit)]

    def _shown(self, obj: models.Model) -> dict[str, str]:
        """Each model field on the form as a person reads it."""
        on_model = {field.name for field in obj._meta.get_fields()} - {"version"}
        return {name: self._show(obj, name) for name in self.fields if name in on_model}

    def _show(self, obj: models.Model, name: str) -> str:
        model_field = obj._meta.get_field(name)
        label_of = getattr(self.fields[name], "label_from_instance", str)
        if model_field.many_to_many:
            return ", ".join(sorted(label_of(item) for item in getattr(obj, name).all()))
        if model_field.choices:
            return str(getattr(obj, f"get_{name}_display")())
        value = getattr(obj, name)
        if value is None or value == "":
            return ""
        if model_field.is_relation:
            return str(label_of(value))
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, date):
            return date_format(value, "j F Y")
        if isinstance(value, time):
            return f"{value:%H:%M}"
        return Truncator(str(value)).chars(80)


def _quoted(shown: str) -> str:
    return f"‘{shown}’" if shown else "blank"
