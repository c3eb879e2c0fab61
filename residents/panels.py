"""Sections that later apps add to a resident's page: roles, training, cohorts,
attendance, supervision. An app registers a Panel in its AppConfig.ready, so the page
grows without this app importing the apps that build on it."""

from collections.abc import Callable
from dataclasses import dataclass

from residents.models import Resident


@dataclass(frozen=True)
class Panel:
    title: str
    template: str
    # The template gets the resident and, as `data`, what this returns for them (None leaves it out).
    context: Callable[[Resident, object], dict | None]


PANELS: list[Panel] = []


def panels_for(resident: Resident, user) -> list[tuple[Panel, dict]]:
    shown = []
    for panel in PANELS:
        context = panel.context(resident, user)
        if context is not None:
            shown.append((panel, context))
    return shown
