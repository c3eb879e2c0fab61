"""The residents app's own part of the resident contract (``residents.contract``): arrival,
the engagement journey, pre-engagement support and departure on the timeline, and the
wing's residents on the home page. Its records' subject access and anonymisation are the
core of ``residents.subject_access`` and ``residents.services.resident_anonymise``."""

from django.db.models import Count, Min, Q
from django.urls import reverse

from hamlet.contributions import Figure
from hamlet.models import display_name
from residents.contract import ResidentContribution, TimelineEvent
from residents.models import Resident, Stage, SupportContact


def _name(user) -> str:
    return display_name(user) if user else ""


class ResidentsContribution(ResidentContribution):
    def first_recorded(self, resident: Resident):
        # The first stage change is the one made at admission, which moves with the arrival.
        admission = resident.stage_changes.order_by("pk").values("pk")[:1]
        later_stage = resident.stage_changes.exclude(pk__in=admission).aggregate(day=Min("changed_on"))["day"]
        support = resident.support_contacts.aggregate(day=Min("contact_on"))["day"]
        return min((day for day in (later_stage, support) if day), default=None)

    def timeline(self, resident: Resident) -> list[TimelineEvent]:
        # Someone referred onto the wing has not arrived (yet): their referral is the programme's.
        events = [TimelineEvent(resident.arrived_on, "Arrived on the wing", order=0)] if resident.arrived_on else []
        for change in resident.stage_changes.all():
            events.append(
                TimelineEvent(change.changed_on, change.get_stage_display(), _name(change.recorded_by), change.note, 1)
            )
        for contact in resident.support_contacts.all():
            description = contact.notes + (f"\nNext step: {contact.next_step}" if contact.next_step else "")
            events.append(
                TimelineEvent(
                    contact.contact_on, contact.get_contact_type_display(), _name(contact.staff), description, 2
                )
            )
        if resident.departed_on:
            events.append(
                TimelineEvent(
                    resident.departed_on,
                    f"Left the wing: {resident.get_departure_reason_display()}"
                    if resident.on_a_wing
                    else resident.get_departure_reason_display(),
                    order=9,
                )
            )
        return events

    def home_figures(self, *, wings: list, user, today, span) -> list[Figure]:
        # One grouped query for the residents and their stages, one for this month's support.
        stages = {f"stage_{stage.value}": Count("pk", filter=Q(stage=stage)) for stage in Stage}
        rows = {
            row["wing"]: row
            for row in Resident.objects.current()
            .filter(wing__in=wings)
            .values("wing")
            .annotate(total=Count("pk"), **stages)
            .order_by()
        }
        month_start = today.replace(day=1)
        support = {
            row["resident__wing"]: row
            for row in SupportContact.objects.filter(
                resident__wing__in=wings, contact_on__gte=month_start, contact_on__lte=today
            )
            .values("resident__wing")
            .annotate(contacts=Count("pk"), people=Count("resident", distinct=True))
            .order_by()
        }
        # The lists behind the figures, for those who may open them.
        listed = reverse("residents:list") if user.has_perm("residents.view_resident") else ""
        figures = [
            Figure(
                "Residents",
                "Residents on the wing",
                {wing: row["total"] for wing, row in rows.items()},
                url=listed,
                of={wing.pk: wing.capacity for wing in wings},
                of_label="bedrooms",
            )
        ]
        for stage in Stage:
            figures.append(
                Figure(
                    "Engagement journey",
                    stage.label,
                    {wing: row[f"stage_{stage.value}"] for wing, row in rows.items()},
                    url=f"{listed}?stage={stage.value}" if listed else "",
                )
            )
        figures += [
            Figure(
                "Pre-engagement support this month",
                "Support contacts",
                {wing: row["contacts"] for wing, row in support.items()},
                hint=f"since {month_start:%-d %B}",
            ),
            Figure(
                "Pre-engagement support this month",
                "Residents supported",
                {wing: row["people"] for wing, row in support.items()},
            ),
        ]
        return figures
