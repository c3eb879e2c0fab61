"""Who may see what.

There is one site-scoping rule: a user sees the records of the establishments named on
their staff profile, and nothing else. Every query for personal or site data goes
through ``visible_to(user)``; a record outside it is a 404, so its existence never leaks.
What a user may *do* there is a matter of Django permissions, granted through the four
role groups in ``hamlet.roles``.
"""

from django.db import models
from django.http import Http404

from hamlet.pseudonyms import research_id


def visible_establishment_ids(user) -> models.QuerySet:
    """The ids of the establishments ``user`` may see, as a subquery (no query runs here)."""
    from hamlet.models import StaffProfile

    if not (user and user.is_authenticated and user.is_active):
        return StaffProfile.establishments.through.objects.none().values("establishment_id")
    return StaffProfile.establishments.through.objects.filter(staffprofile__user=user).values("establishment_id")


class SiteScopedQuerySet(models.QuerySet):
    """A QuerySet of records that belong to an establishment.

    Subclasses name the path from the record to its establishment.
    """

    establishment_field = "establishment"

    def visible_to(self, user) -> "SiteScopedQuerySet":
        return self.filter(**{f"{self.establishment_field}__in": visible_establishment_ids(user)})


def get_visible_or_404(queryset: SiteScopedQuerySet, user, **lookup):
    """Fetch one record through the user's scope; anything outside it is Not Found."""
    try:
        return queryset.visible_to(user).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None


IDENTITIES = "hamlet.view_identities"


def identity_shown(user, person, field: str = "pseudonym") -> str:
    """How ``person`` is named to ``user``: by ``field`` (their pseudonym, or prison number)
    for those with ``hamlet.view_identities``, and by their research ID for everyone else —
    evaluators work from pseudonymised data and never see names or prison numbers.

    The one rule for naming a person: templates use ``{% person resident %}``
    (``hamlet.templatetags.people``) and tables ``hamlet.tables.PersonColumn``, both of which
    call this.
    """
    if user is not None and user.has_perm(IDENTITIES):
        value = getattr(person, field)
        return "" if value is None else str(value)
    return research_id(person._meta.model_name, person.pk)
