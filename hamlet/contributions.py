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

The dashboards are made of :class:`Figure` s. Each app counts its own records for the wings
asked about, one value per wing, so the same figure serves one wing's dashboard and
several wings side by side (the regional dashboard). A figure's query count must not grow
with the number of wings: count with one grouped query per figure (or per app), never one
query per wing. Figures about a stretch of time count within the :class:`Span` chosen on
the dashboard (this week, this month, or a span an app offers, such as the evaluation's
assessment period); figures about now (residents on the wing) ignore it.

What the regional dashboard's disclosure control needs to know of a figure is declared on
it: ``of`` makes it a rate (shown as a percentage, hidden where its base is under 10),
``part_of`` says which figure its group's parts add up to (so a hidden part cannot be
worked out from the total and the other parts), and ``adds_up`` whether wings' values add
up to a regional total.

A wing's dashboard may also show :class:`HomePanel` s: things that are not counts (the
grid's ratings, the latest "You said, we did", succession for each role), for the current
wing only.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
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
class Span:
    """The stretch of time a dashboard's figures count within, first and last day included."""

    key: str  # what the dashboard's "show" choice sends: "week", "month", "period"
    label: str  # in words: "This week"
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def dates(self) -> str:
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"


def this_week(today: date) -> Span:
    return Span("week", "This week", today - timedelta(days=today.weekday()), today)


def this_month(today: date) -> Span:
    return Span("month", "This month", today.replace(day=1), today)


@dataclass(frozen=True)
class Figure:
    """One number on the dashboards, for each wing asked about."""

    group: str  # the heading it sits under, usually the app's subject: "Residents", "Mentoring"
    label: str  # what is counted, in words: "Residents on the wing"; unique within its group
    values: Mapping[int, int]  # wing id → count; a wing with none may be left out (it reads as 0)
    url: str = ""  # the list behind the figure, for the current wing
    hint: str = ""  # how it is counted: "since Monday 16 November"
    of: Mapping[int, int] | None = None  # wing id → what the value is out of (a rate's base, a capacity)
    of_label: str = ""  # what ``of`` counts, in words: "bedrooms", "places marked"
    part_of: str = ""  # the label of the figure in the same group that this one's parts add up to
    adds_up: bool = True  # whether the wings' values add up to a meaningful regional total

    def value_for(self, wing_id: int) -> int:
        return self.values.get(wing_id, 0)

    def of_for(self, wing_id: int) -> int | None:
        return None if self.of is None else self.of.get(wing_id, 0)

    @property
    def is_rate(self) -> bool:
        return self.of is not None


@dataclass(frozen=True)
class HomePanel:
    """A section of a wing's dashboard: ``template`` is included with ``context`` as ``data``."""

    title: str
    template: str
    context: dict
    url: str = ""  # the page it summarises


class Contribution:
    """The base of every app's contribution. Override what the app adds; the defaults add nothing."""

    def home_figures(self, *, wings: list, user, today: date, span: Span) -> list[Figure]:
        """Figures for the dashboards, counted for each of ``wings`` (already scoped to ``user``)."""
        return []

    def home_panels(self, *, wing, user, today: date, span: Span) -> list[HomePanel]:
        """Sections of one wing's dashboard that are not counts."""
        return []

    def spans(self, *, wing, today: date) -> list[Span]:
        """Stretches of time, beside this week and this month, the dashboard may count within."""
        return []

    def reader_access(self, *, establishments: list[int], user) -> str:
        """What ``user`` may see at ``establishments`` beyond their permissions and the site
        rule (records that name them), as a short string: figures held for one reader are
        served to another only if theirs is the same (``hamlet.computed``)."""
        return ""


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


def home_figures(*, wings: list, user, today: date, span: Span | None = None) -> list[Figure]:
    span = span or this_week(today)
    asked = {"wings": wings, "user": user, "today": today, "span": span}
    return [figure for c in contributions() for figure in c.home_figures(**asked)]


def home_panels(*, wing, user, today: date, span: Span) -> list[HomePanel]:
    return [panel for c in contributions() for panel in c.home_panels(wing=wing, user=user, today=today, span=span)]


def reader_access(*, establishments: list[int], user) -> str:
    return "|".join(c.reader_access(establishments=establishments, user=user) for c in contributions())


def spans(*, wing, today: date) -> list[Span]:
    """This week, this month, and what the apps offer for ``wing`` (None: across wings)."""
    return [this_week(today), this_month(today), *(s for c in contributions() for s in c.spans(wing=wing, today=today))]


def chosen_span(key: str | None, *, wing, today: date, offered: list[Span] | None = None) -> Span:
    """The span named ``key`` (from the dashboard's "show" choice) among those ``offered``
    (``spans()`` if not given), or this week."""
    offered = offered or spans(wing=wing, today=today)
    return next((span for span in offered if span.key == key), offered[0])
