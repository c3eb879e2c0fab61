from django.db.models import Count

from hamlet.contributions import Figure
from residents.contract import Anonymisation, Panel, ResidentContribution, SubjectAccess, TimelineEvent, scrub
from residents.subject_access import readable
from tests.contract_app.models import Attendee, Gathering, Keepsake


class KeepsakesContribution(ResidentContribution):
    def on_departure(self, *, resident, departed_on, reason, by) -> None:
        Keepsake.objects.filter(resident=resident, returned_on=None).update(returned_on=departed_on)

    def panel(self, resident, user) -> Panel | None:
        return Panel("Keepsakes", "contract_app/_panel.html", {"keepsakes": list(resident.keepsakes.all())})

    def timeline(self, resident) -> list[TimelineEvent]:
        return [TimelineEvent(k.kept_on, "Kept a keepsake", description=k.note) for k in resident.keepsakes.all()]

    def home_figures(self, *, wings, user, today, span) -> list[Figure]:
        counts = (
            Keepsake.objects.filter(resident__wing__in=wings, returned_on=None)
            .values("resident__wing")
            .annotate(n=Count("pk"))
            .order_by()
        )
        return [Figure("Keepsakes", "Keepsakes kept", {row["resident__wing"]: row["n"] for row in counts})]

    def subject_access(self, resident) -> SubjectAccess:
        keepsakes = list(resident.keepsakes.all())
        attended = list(Attendee.objects.filter(resident=resident).select_related("gathering"))
        others = {
            name
            for row in Attendee.objects.filter(gathering__in=[a.gathering for a in attended]).exclude(resident=resident)
            for name in (row.resident.pseudonym, row.resident.prison_number)
        }
        return SubjectAccess(
            sections={
                "keepsakes": [readable(k, exclude={"resident"}) for k in keepsakes],
                "gatherings": [
                    {
                        "held on": a.gathering.held_on,
                        "minutes": scrub(a.gathering.minutes, others),
                        "their comment": a.comment,
                    }
                    for a in attended
                ],
            },
            records={Keepsake: keepsakes, Attendee: attended},
        )

    def anonymise(self, resident) -> Anonymisation:
        return Anonymisation(
            own={
                Keepsake: Keepsake.objects.filter(resident=resident),
                Attendee: Attendee.objects.filter(resident=resident),
            },
            shared={Gathering: Gathering.objects.filter(attendees__resident=resident)},
        )
