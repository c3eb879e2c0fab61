from django.urls import NoReverseMatch, reverse

from hamlet import wings
from hamlet.forms import WingChoiceForm

# The service navigation. An app's entry appears once the app has a page to go to, so
# the menu never leads to an empty screen.
NAVIGATION = [
    ("Dashboard", "hamlet:home"),
    ("Residents", "residents:list"),
    ("Mentoring", "mentoring:index"),
    ("Programme", "programme:index"),
    ("Evaluation", "evaluation:index"),
]


def _navigation_links() -> list[tuple[str, str]]:
    links = []
    for label, name in NAVIGATION:
        try:
            links.append((label, reverse(name)))
        except NoReverseMatch:
            continue
    return links


def navigation(request) -> dict:
    if not request.user.is_authenticated:
        return {}
    path = request.path
    links = [
        {"label": label, "url": url, "active": path == url if url == "/" else path.startswith(url)}
        for label, url in _navigation_links()
    ]
    visible, current = wings.visible_wings(request), wings.current_wing(request)
    context = {"navigation": links, "visible_wings": visible, "current_wing": current}
    if len(visible) > 1:
        # The choices are the wings already fetched, so the switcher costs no query.
        context["wing_choice_form"] = WingChoiceForm(wings=visible, current=current)
    return context
