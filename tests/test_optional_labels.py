"""Issue 11: a field that may be left empty says "(optional)" in its label, on every form of
the residents, mentoring and programme apps (GOV.UK: mark the optional questions, not the required ones).

Not marked, as GOV.UK does not mark them: a single checkbox (ticked or not is the answer),
hidden fields, and the residents list's search box. A field needed only with another answer
(a consent date once consent is ticked) is not optional either: its hint says when it is needed.
"""

import inspect

import pytest
from django import forms
from django.contrib.auth import get_user_model

from mentoring import forms as mentoring_forms
from programme import forms as programme_forms
from programme.models import Cohort, WaitingListEntry
from residents import forms as residents_forms
from residents.models import Resident

# Fields needed only with another answer, and the words of their hint that say so.
NEEDED_WITH = {
    ("ResidentForm", "consent_date"): "Needed if they consent",
    ("ResidentForm", "consent_witnessed_by"): "Needed if they consent",
    ("ResidentForm", "permitted_staff"): "Needed if the record is limited",
    ("TrainingForm", "completed_on"): "Needed once it is achieved",
    ("DecisionForm", "reason"): "Needed for reserve and not now",
    ("WaitingMoveForm", "why"): "Needed to decline, remove, withdraw or reinstate",
    ("ReferralMoveForm", "reason"): "Needed to decline",
    ("EnrolmentEndForm", "reason"): "Needed if they left",
    ("EnrolmentEndForm", "justification"): "Needed if they left",
    ("ActionReviewForm", "done_on"): "Needed once it is done",
    ("SuggestionAnswerForm", "we_did"): "Needed if it was adopted or adapted",
    ("SuggestionAnswerForm", "reason"): "Needed if it was declined",
}
# A search box is not a question; a register's rows may stay "Not recorded" for now, as on paper.
NOT_DATA_ENTRY = {"ResidentSearchForm", "RegisterForm"}


def _form_classes():
    for module in (residents_forms, mentoring_forms, programme_forms):
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                yield pytest.param(cls, id=name)


@pytest.fixture
def arguments(
    hamlet_wing, staff, mentor, recruitment_round, cohort, meeting, project, suggestion, waiting_entry, referral
):
    """What each form is made with, as its view makes it."""
    referral.status = "accepted"  # so the move onto the wing, with its houseblock and room, is offered
    return {
        "ResidentForm": {"wing": hamlet_wing, "user": staff},
        "ContactForm": {"mentor": mentor, "user": staff},
        "SupervisionForm": {"mentor": mentor},
        "HoldingStartForm": {"resident": mentor},
        "NextStepForm": {"resident": mentor},
        "RoundForm": {"wing": hamlet_wing},
        "CandidateForm": {"round": recruitment_round, "user": staff},
        "NominationForm": {"round": recruitment_round, "user": staff},
        "InterviewForm": {"staff": get_user_model().objects.all()},
        "WaitingAddForm": {"wing": hamlet_wing, "user": staff},
        "WaitingMoveForm": {"instance": waiting_entry},
        "ReferralForm": {"wing": hamlet_wing, "user": staff},
        "ReferralMoveForm": {"instance": referral},
        "CohortForm": {"wing": hamlet_wing, "user": staff},
        "EnrolForm": {"cohort": cohort, "entries": WaitingListEntry.objects.all()},
        "EnrolmentMoveForm": {"cohorts": Cohort.objects.all()},
        "SessionForm": {"cohort": cohort, "user": staff},
        "RegisterForm": {"residents": [], "marks": {}, "mentors": Resident.objects.none()},
        "MeetingForm": {"wing": hamlet_wing, "user": staff},
        "ActionForm": {"meeting": meeting, "user": staff},
        "SuggestionForm": {"wing": hamlet_wing, "user": staff},
        "SuggestionAnswerForm": {"instance": suggestion},
        "ProjectForm": {"wing": hamlet_wing},
        "HoursForm": {"project": project, "user": staff},
    }


def _is_single_checkbox(field: forms.Field) -> bool:
    return isinstance(field.widget, forms.CheckboxInput)


@pytest.mark.parametrize("form_class", list(_form_classes()))
def test_every_optional_field_says_optional(form_class, arguments):
    form = form_class(**arguments.get(form_class.__name__, {}))
    if form_class.__name__ in NOT_DATA_ENTRY:
        return
    for name, field in form.fields.items():
        label = str(form[name].label)
        if field.widget.is_hidden or _is_single_checkbox(field):
            continue
        if (form_class.__name__, name) in NEEDED_WITH:
            assert not label.endswith("(optional)"), f"{form_class.__name__}.{name} is needed with another answer"
            assert NEEDED_WITH[form_class.__name__, name] in str(field.help_text), f"{form_class.__name__}.{name}"
        elif field.required:
            assert "(optional)" not in label, f"{form_class.__name__}.{name} is required but says optional"
        else:
            assert label.endswith("(optional)"), f"{form_class.__name__}.{name}: ‘{label}’"
