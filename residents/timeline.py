"""One timeline of everything that happened to a resident.

Each app that records something about a resident adds a source: a function taking
the resident and returning TimelineEvents. The residents app gives arrival, the
engagement stages, pre-engagement support and departure; the programme will add its
phases, so the whole journey reads as one.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from hamlet.models import display_name
from residents.models import Resident


@dataclass(frozen=True)
class TimelineEvent:
    on: date
    title: str
    byline: str = ""
    description: str = ""
    order: int = 0  # breaks ties between events on the same day


TimelineSource = Callable[[Resident], list[TimelineEvent]]
SOURCES: list[TimelineSource] = []


def _name(user) -> str:
    return display_name(user) if user else ""


def residents_events(resident: Resident) -> list[TimelineEvent]:
    events = [TimelineEvent(resident.arrived_on, "Arrived on the wing", order=0)]
    for change in resident.stage_changes.all():
        events.append(
            TimelineEvent(change.changed_on, change.get_stage_display(), _name(change.recorded_by), change.note, 1)
        )
    for contact in resident.support_contacts.all():
        description = contact.notes + (f"\nNext step: {contact.next_step}" if contact.next_step else "")
        events.append(
            TimelineEvent(contact.contact_on, contact.get_contact_type_display(), _name(contact.staff), description, 2)
        )
    if resident.departed_on:
        events.append(
            TimelineEvent(resident.departed_on, f"Left the wing: {resident.get_departure_reason_display()}", order=9)
        )
    return events


SOURCES.append(residents_events)


def timeline(resident: Resident) -> list[TimelineEvent]:
    """Newest first, as the MoJ timeline shows it."""
    events = [event for source in SOURCES for event in source(resident)]
    return sorted(events, key=lambda event: (event.on, event.order), reverse=True)
