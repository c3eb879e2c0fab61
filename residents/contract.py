"""How an app adds to a resident: the one contract.

An app that records something about residents declares, once, a subclass of
:class:`ResidentContribution` on its AppConfig::

    class MentoringConfig(AppConfig):
        contribution = "mentoring.contribution.MentoringContribution"

and overrides what applies. The residents app discovers every contribution in
``INSTALLED_APPS`` order (its own first, then mentoring, programme, evaluation) and asks it:

``on_departure(resident=, departed_on=, reason=, by=)``
    Inside the departure's transaction: end what the resident held on the wing (roles,
    enrolments). Raise ``ValidationError`` to refuse the departure; nothing is then saved.
``anonymise(resident) -> Anonymisation``
    The app's records about the person, in two kinds (see :class:`Anonymisation`).
``subject_access(resident) -> SubjectAccess``
    What the app holds about the person, in words, and which records' audit trail is theirs.
``timeline(resident) -> list[TimelineEvent]``
    Events for the one timeline on the resident's page.
``panel(resident, user) -> Panel | None``
    A section of the resident's page, or None to leave it out (e.g. the user lacks the permission).
``first_recorded(resident) -> date | None``
    The earliest date of the app's records about the resident (a role that began), so an
    edited arrival cannot be moved after it.
``home_figures(wings=, user=, today=)``
    From ``hamlet.contributions.Contribution``: figures for the home page.

Records that belong to one person and records that several people share
--------------------------------------------------------------------------
A role holding, a training record or a contact logged by a mentor belongs to one person:
anonymising them blanks every free-text field of it and redacts its audit trail. A meeting,
a session or a project belongs to many residents: only the person's *own row* in it (their
attendance, their attendee row) is theirs, and goes under ``own``; the shared record goes
under ``shared``, where only mentions of the person's pseudonym and prison number are
scrubbed from its text (the minutes are not wiped for everyone else). Likewise subject
access gives the person their own rows in full, and of a shared record only what is not
about anyone else: name other residents as "another resident" (``scrub``), and leave
shared records out of ``SubjectAccess.records`` so that their audit trail (which holds
other people's changes) is not handed over.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet

from hamlet.contributions import Contribution, contributions
from residents.models import Resident


@dataclass(frozen=True)
class TimelineEvent:
    on: date
    title: str
    byline: str = ""
    description: str = ""
    order: int = 0  # breaks ties between events on the same day


@dataclass(frozen=True)
class Panel:
    """A section of the resident's page: ``template`` is included with the resident and, as ``data``, ``context``."""

    title: str
    template: str
    context: dict


@dataclass
class Anonymisation:
    own: dict[type, QuerySet] = field(default_factory=dict)  # one person's records: free text blanked
    shared: dict[type, QuerySet] = field(default_factory=dict)  # many people's: mentions of the person scrubbed


@dataclass
class SubjectAccess:
    sections: dict[str, list[dict]] = field(default_factory=dict)  # heading → records in words
    records: dict[type, list] = field(default_factory=dict)  # the person's own records, for their audit trail


class ResidentContribution(Contribution):
    """What an app adds to a resident. Override what applies; the defaults add nothing."""

    def on_departure(self, *, resident: Resident, departed_on: date, reason: str, by) -> None:
        pass

    def anonymise(self, resident: Resident) -> Anonymisation:
        return Anonymisation()

    def subject_access(self, resident: Resident) -> SubjectAccess:
        return SubjectAccess()

    def timeline(self, resident: Resident) -> list[TimelineEvent]:
        return []

    def panel(self, resident: Resident, user) -> Panel | None:
        return None

    def first_recorded(self, resident: Resident) -> date | None:
        return None


def resident_contributions() -> Iterator[ResidentContribution]:
    return contributions(ResidentContribution)


def timeline(resident: Resident) -> list[TimelineEvent]:
    """Every app's events about the resident, newest first, as the MoJ timeline shows them."""
    events = [event for c in resident_contributions() for event in c.timeline(resident)]
    return sorted(events, key=lambda event: (event.on, event.order), reverse=True)


def panels_for(resident: Resident, user) -> list[Panel]:
    return [panel for c in resident_contributions() if (panel := c.panel(resident, user)) is not None]


def first_recorded(resident: Resident) -> date | None:
    """The earliest date any app records about the resident after their admission."""
    dates = [day for c in resident_contributions() if (day := c.first_recorded(resident)) is not None]
    return min(dates, default=None)


def scrub(text: str, names: Iterable[str], replacement: str = "another resident") -> str:
    """``text`` with every one of ``names`` (pseudonyms, prison numbers) replaced, whole words, any case."""
    names = sorted({name for name in names if name}, key=len, reverse=True)
    if not text or not names:
        return text
    pattern = re.compile(r"\b(" + "|".join(re.escape(name) for name in names) + r")\b", re.IGNORECASE)
    return pattern.sub(replacement, text)
