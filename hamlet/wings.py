"""Which wing a signed-in user is looking at.

Staff with more than one establishment switch between wings; the choice lives in the
session and is always re-checked against the site-scoping rule.
"""

from django.http import Http404, HttpRequest

from hamlet.models import Wing

SESSION_KEY = "hamlet_wing_id"


def visible_wings(request: HttpRequest) -> list[Wing]:
    if not hasattr(request, "_hamlet_visible_wings"):
        request._hamlet_visible_wings = list(Wing.objects.visible_to(request.user).select_related("establishment"))
    return request._hamlet_visible_wings


def current_wing(request: HttpRequest) -> Wing | None:
    wings = visible_wings(request)
    chosen = request.session.get(SESSION_KEY)
    for wing in wings:
        if wing.pk == chosen:
            return wing
    return wings[0] if wings else None


def current_wing_or_404(request: HttpRequest) -> Wing:
    """For pages about the current wing: a user with no wing has nothing to see there."""
    wing = current_wing(request)
    if wing is None:
        raise Http404
    return wing


def choose_wing(request: HttpRequest, wing: Wing) -> None:
    request.session[SESSION_KEY] = wing.pk
