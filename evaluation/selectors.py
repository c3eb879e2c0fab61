"""What evaluators may see of residents: no identities, no free text, coarse dates.

The research extract lists the residents who consented to the evaluation, leaving out
anonymised and limited-access records, through the same site rule as every other page. Each
row carries a keyed research ID (``hamlet.pseudonyms``) instead of the prison number or
the on-screen pseudonym, and months instead of exact dates.
"""

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from evaluation.disclosure import Generalisation, consenting_population
from mentoring.models import MentorContact, RoleHolding
from residents.models import Resident


def _count(model, field: str) -> Coalesce:
    counted = (
        model.objects.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def research_extract(user, generalisation: Generalisation) -> QuerySet[Resident]:
    """The rows one reader may see; a wing too small to hide anyone in is left out
    (``evaluation.disclosure``)."""
    return (
        consenting_population()
        .visible_to(user)
        .exclude(wing__in=generalisation.left_out_wings)
        .select_related("establishment", "wing")
        .annotate(roles_held=_count(RoleHolding, "resident"), contacts_logged=_count(MentorContact, "mentor"))
        .order_by("establishment__name", "wing__name", "arrived_on", "pk")
    )
