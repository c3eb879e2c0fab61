from django.urls import reverse

from hamlet import two_factor, wings
from hamlet.contributions import navigation_links
from hamlet.forms import WingChoiceForm
from hamlet.models import Establishment


def _navigation_links(user) -> list[tuple[str, str]]:
    """The service navigation: each app's entries (``navigation`` on its AppConfig) that the
    user may open, so the menu never leads to a refusal."""
    return [
        (link.label, reverse(link.url_name))
        for link in navigation_links()
        if link.permission is None or user.has_perm(link.permission)
    ]


def navigation(request) -> dict:
    # A request refused before the authentication middleware ran (an unknown Host is a 400)
    # has no user: it gets the page without a menu.
    user = getattr(request, "user", None)
    # Before the two-factor code, no menu and no wing names: those are for after it.
    if user is None or not user.is_authenticated or two_factor.needs_verifying(user):
        return {}
    path = request.path
    links = [
        {"label": label, "url": url, "active": path == url if url == "/" else path.startswith(url)}
        for label, url in _navigation_links(user)
    ]
    visible, current = wings.visible_wings(request), wings.current_wing(request)
    context = {"navigation": links, "visible_wings": visible, "current_wing": current}
    if not visible:
        # Seeing nothing because no establishment is on the account, not because the wing is empty.
        context["no_establishment"] = not Establishment.objects.visible_to(user).exists()
    if len(visible) > 1:
        # The choices are the wings already fetched, so the switcher costs no query.
        context["wing_choice_form"] = WingChoiceForm(wings=visible, current=current)
    return context
