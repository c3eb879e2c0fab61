"""The residents app's own part of the resident contract (``residents.contract``): arrival,
the engagement journey, pre-engagement support and departure on the timeline, and the
wing's residents on the home page. Its records' subject access and anonymisation are the
core of ``residents.subject_access`` and ``residents.services.resident_anonymise``."""

from django.db.models import Count, Min, Q, Sum
from django.urls import reverse

from hamlet.contributions import Figure, Span
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
        return home_figures(wings=wings, user=user, span=span)

    def reader_access(self, *, establishments: list[int], user) -> str:
        """The limited-access records there that name ``user``: only they see those residents."""
        named = Resident.permitted_staff.through.objects.filter(
            user=user.pk, resident__establishment__in=establishments, resident__limited_access=True
        )
        return ",".join(map(str, sorted(named.values_list("resident_id", flat=True))))


def home_figures(*, wings: list, user, span: Span) -> list[Figure]:
    """The wing's residents and where they are on the engagement journey now, and the
    pre-engagement support within the span: one grouped query for each."""
    stages = {f"stage_{stage.value}": Count("pk", filter=Q(stage=stage)) for stage in Stage}
    rows = {
        row["wing"]: row
        for row in Resident.objects.current()
        .filter(wing__in=wings)
        .values("wing")
        .annotate(total=Count("pk"), **stages)
        .order_by()
    }
    support = {
        row["resident__wing"]: row
        for row in SupportContact.objects.filter(
            resident__wing__in=wings, contact_on__gte=span.start, contact_on__lte=span.end
        )
        .values("resident__wing")
        .annotate(contacts=Count("pk"), people=Count("resident", distinct=True), minutes=Sum("minutes"))
        .order_by()
    }
    # The lists behind the figures, for those who may open them.
    listed = reverse("residents:list") if user.has_perm("residents.view_resident") else ""
    on_the_wing = "Residents on the wing"
    figures = [
        Figure(
            "Residents",
            on_the_wing,
            {wing: row["total"] for wing, row in rows.items()},
            url=listed,
            of={wing.pk: wing.capacity for wing in wings},
            of_label="bedrooms",
        )
    ]
    for stage in Stage:
        figures.append(
            Figure(
                "Residents",
                stage.label,
                {wing: row[f"stage_{stage.value}"] for wing, row in rows.items()},
                url=f"{listed}?stage={stage.value}" if listed else "",
                part_of=on_the_wing,
            )
        )
    group, within = "Pre-engagement support", span.label.lower()
    # Each resident's support is on their page; the list finds those being supported now.
    supported = f"{listed}?stage={Stage.PRE_ENGAGEMENT.value}" if listed else ""
    figures += [
        Figure(
            group, "Support contacts", {w: row["contacts"] for w, row in support.items()}, url=supported, hint=within
        ),
        Figure(
            group, "Residents supported", {w: row["people"] for w, row in support.items()}, url=supported, hint=within
        ),
        Figure(
            group,
            "Hours of support",
            {wing: round((row["minutes"] or 0) / 60) for wing, row in support.items()},
            url=supported,
            hint=f"{within}, where the time was logged",
        ),
    ]
    return figures
