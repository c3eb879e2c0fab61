from django.urls import NoReverseMatch, reverse

from hamlet import two_factor, wings
from hamlet.forms import WingChoiceForm

# The service navigation: label, URL name, and the permission that page needs. An entry
# appears once its app has a page and the user may open it, so the menu never leads to
# an empty screen or a refusal.
NAVIGATION = [
    ("Dashboard", "hamlet:home", None),
    ("Residents", "residents:list", "residents.view_resident"),
    ("Mentoring", "mentoring:index", "mentoring.view_peerrole"),
    ("Programme", "programme:index", "programme.view_cohort"),
    ("Evaluation", "evaluation:index", "residents.research_extract_resident"),
]


def _navigation_links(user) -> list[tuple[str, str]]:
    links = []
    for label, name, permission in NAVIGATION:
        if permission and not user.has_perm(permission):
            continue
        try:
            links.append((label, reverse(name)))
        except NoReverseMatch:
            continue
    return links


def navigation(request) -> dict:
    # Before the two-factor code, no menu and no wing names: those are for after it.
    if not request.user.is_authenticated or two_factor.needs_verifying(request.user):
        return {}
    path = request.path
    links = [
        {"label": label, "url": url, "active": path == url if url == "/" else path.startswith(url)}
        for label, url in _navigation_links(request.user)
    ]
    visible, current = wings.visible_wings(request), wings.current_wing(request)
    context = {"navigation": links, "visible_wings": visible, "current_wing": current}
    if len(visible) > 1:
        # The choices are the wings already fetched, so the switcher costs no query.
        context["wing_choice_form"] = WingChoiceForm(wings=visible, current=current)
    return context
