"""The regional dashboard: every app's figures for each wing a user sees, side by side, as
published (``hamlet.disclosure``), on the page and in its downloads alike."""

from dataclasses import dataclass
from datetime import date
from itertools import groupby

import tablib

from hamlet import disclosure
from hamlet.contributions import Span, home_figures
from hamlet.models import Wing

TOTAL_HEADING = "All wings"


@dataclass
class EstablishmentColumns:
    name: str
    wings: list[Wing]


@dataclass
class FigureGroup:
    title: str
    rows: list[disclosure.Row]

    @property
    def adds_up(self) -> bool:
        return any(row.total is not None for row in self.rows)

    @property
    def parts_of(self) -> list[str]:
        """The figures in other groups that this group's parts add up to."""
        own = {row.figure.label for row in self.rows}
        return sorted({row.figure.part_of for row in self.rows if row.figure.part_of and row.figure.part_of not in own})


@dataclass
class RegionalTables:
    span: Span
    wings: list[Wing]  # in the order of the columns: by establishment, then wing
    groups: list[FigureGroup]

    @property
    def establishments(self) -> list[EstablishmentColumns]:
        return [
            EstablishmentColumns(name, list(wings))
            for name, wings in groupby(self.wings, key=lambda wing: wing.establishment.name)
        ]


def regional_tables(*, wings: list[Wing], user, today: date, span: Span) -> RegionalTables:
    """The figures for ``wings`` (already scoped to ``user``), with disclosure control. The
    whole table is protected at once, every group together, as a part may be of a figure
    in another group."""
    wings = sorted(wings, key=lambda wing: (wing.establishment.name, wing.name, wing.pk))
    figures = home_figures(wings=wings, user=user, today=today, span=span)
    rows = disclosure.protected_rows(figures, [wing.pk for wing in wings])
    groups: dict[str, list[disclosure.Row]] = {}
    for row in rows:
        groups.setdefault(row.figure.group, []).append(row)
    return RegionalTables(span, wings, [FigureGroup(title, group_rows) for title, group_rows in groups.items()])


def regional_dataset(tables: RegionalTables) -> tablib.Dataset:
    """The published table for download: the same cells as the page, with the rules after it."""
    headings = [f"{wing.name}, {wing.establishment.name}" for wing in tables.wings]
    dataset = tablib.Dataset(headers=["Group", "Figure", *headings, TOTAL_HEADING])
    blank = [""] * len(tables.wings)
    for group in tables.groups:
        for row in group.rows:
            total = row.total.export if row.total is not None else ""
            dataset.append([group.title, row.figure.label, *(cell.export for cell in row.counts), total])
            if row.rates is not None:
                rate_total = row.rate_total.text if row.rate_total is not None else ""
                dataset.append([group.title, row.rate_label, *(cell.text for cell in row.rates), rate_total])
    # A CSV file has no place for notes but its rows: after a blank one, what the figures are.
    notes = [
        f"Counted within: {tables.span.label.lower()}, {tables.span.dates}.",
        "Disclosure control:",
        *disclosure.RULES,
    ]
    dataset.append(["", "", *blank, ""])
    for note in notes:
        dataset.append(["Notes", note, *blank, ""])
    return dataset
