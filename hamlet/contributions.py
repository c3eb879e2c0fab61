"""What an app adds to the rest of Hamlet, declared once on its AppConfig.

An app that adds to shared pages sets ``contribution`` on its AppConfig to the dotted path
of a class; Hamlet makes one instance of it and asks it, in ``INSTALLED_APPS`` order, what
the app adds. The core knows only this base class: later apps subclass the richer contract
of the app they build on (the residents app's contract for anything about a resident), so
the core never imports or names a later app.

    class ThingsConfig(AppConfig):
        name = "things"
        contribution = "things.contribution.ThingsContribution"
        navigation = [Link("Things", "things:index", "things.view_thing")]

``navigation`` (the service navigation's entries) and ``role_permissions`` (see
``hamlet.roles``) sit beside it on the same AppConfig.

The home page is made of :class:`Figure` s. Each app counts its own records for the wings
asked about, one value per wing, so the same figure serves one wing's dashboard and
several wings side by side. A figure's query count must not grow with the number of wings:
count with one grouped query per figure (or per app), never one query per wing.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache

from django.apps import apps
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Link:
    """An entry in the service navigation, shown to users with ``permission`` (None: everyone)."""

    label: str
    url_name: str
    permission: str | None = None


@dataclass(frozen=True)
class Figure:
    """One number on the home page, for each wing asked about."""

    group: str  # the heading it sits under, usually the app's subject: "Residents", "Mentoring"
    label: str  # what is counted, in words: "Residents on the wing"
    values: Mapping[int, int]  # wing id → count; a wing with none may be left out (it reads as 0)
    url: str = ""  # the list behind the figure, for the current wing
    hint: str = ""  # how it is counted, or what to compare it with: "of 39 bedrooms"
    extra: dict = field(default_factory=dict, compare=False)

    def value_for(self, wing_id: int) -> int:
        return self.values.get(wing_id, 0)


class Contribution:
    """The base of every app's contribution. Override what the app adds; the defaults add nothing."""

    def home_figures(self, *, wings: list, user, today) -> list[Figure]:
        """Figures for the home page, counted for each of ``wings`` (already scoped to ``user``)."""
        return []


@cache
def _instances() -> tuple[Contribution, ...]:
    found = []
    for app_config in apps.get_app_configs():
        path = getattr(app_config, "contribution", None)
        if path:
            contribution = import_string(path)()
            if not isinstance(contribution, Contribution):
                raise TypeError(f"{app_config.name}.contribution must be a hamlet.contributions.Contribution")
            found.append(contribution)
    return tuple(found)


def contributions(kind: type[Contribution] = Contribution) -> Iterator[Contribution]:
    """The installed apps' contributions of ``kind``, in ``INSTALLED_APPS`` order."""
    return (contribution for contribution in _instances() if isinstance(contribution, kind))


def navigation_links() -> Iterator[Link]:
    """Every app's navigation entries, in ``INSTALLED_APPS`` order."""
    for app_config in apps.get_app_configs():
        yield from getattr(app_config, "navigation", ())


def home_figures(*, wings: list, user, today) -> list[Figure]:
    return [figure for c in contributions() for figure in c.home_figures(wings=wings, user=user, today=today)]


def shown_count(value: int, *, suppress: bool) -> str:
    """A count as a reader may see it: for pseudonymised and regional views, 1 to 4 is
    "fewer than 5", so that no small group of people can be picked out."""
    if suppress and 0 < value < 5:
        return "fewer than 5"
    return f"{value:,}"
