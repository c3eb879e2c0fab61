"""A reader who tries to work out every hidden cell of a published regional table.

It knows only what the page shows: each cell's text, the wings adding up to "All wings",
and each figure's parts adding up to it (``part_of``), in every column including "All
wings". A cell reading "fewer than 5" is a whole number from 0 to 4, one reading "5 or
more" a whole number of at least 5. For each hidden cell it asks an integer program
(``scipy.optimize.milp``) for the smallest and the largest value the cell can take given
all that; where the two meet, the cell has been worked out.

It is written apart from ``hamlet.disclosure`` and shares none of its code, so that a mistake
in how the dashboard models the reader is not repeated here.
"""

from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

FEWER = "fewer than 5"
MORE = "5 or more"
CEILING = 10**6  # no count on a dashboard comes near this


@dataclass(frozen=True)
class Published:
    """One published row: its figure's label, group and ``part_of``, and the cells' texts."""

    group: str
    label: str
    part_of: str
    wings: list[str]
    total: str | None  # None: no regional total for this row


def _number(text: str) -> int | None:
    text = text.replace(",", "")
    return int(text) if text.isdigit() else None


def solve(rows: list[Published], *, parts_cover: dict[str, bool] | None = None) -> dict[tuple[int, int], tuple]:
    """Every hidden cell's (smallest, largest) value, keyed by (row, column); column ``-1`` is
    "All wings". ``parts_cover``: for a parent label, False where its parts are known only to
    be no more than it (a partial breakdown); by default they add up exactly."""
    parts_cover = parts_cover or {}
    cells: dict[tuple[int, int], int] = {}  # (row, column) → variable index
    lower, upper = [], []

    def variable(key, text):
        cells[key] = len(lower)
        value = _number(text)
        if value is not None:
            lower.append(value)
            upper.append(value)
        elif text == FEWER:
            lower.append(0)
            upper.append(4)
        elif text == MORE:
            lower.append(5)
            upper.append(CEILING)
        else:
            raise AssertionError(f"a count cell reads {text!r}")

    for r, row in enumerate(rows):
        for c, text in enumerate(row.wings):
            variable((r, c), text)
        if row.total is not None:
            variable((r, -1), row.total)
    equations = []  # (coefficients by variable, is an equation rather than "at most")
    for r, row in enumerate(rows):
        if row.total is not None:
            equations.append(({cells[(r, -1)]: -1, **{cells[(r, c)]: 1 for c in range(len(row.wings))}}, True))
    for p, parent in enumerate(rows):
        children = [
            r
            for r, row in enumerate(rows)
            if row.part_of == parent.label and (row.group == parent.group or _unique(rows, parent.label))
        ]
        if not children:
            continue
        columns = list(range(len(parent.wings)))
        if parent.total is not None and all(rows[r].total is not None for r in children):
            columns.append(-1)
        for c in columns:
            coefficients = {cells[(p, c)]: -1}
            for r in children:
                coefficients[cells[(r, c)]] = coefficients.get(cells[(r, c)], 0) + 1
            equations.append((coefficients, parts_cover.get(parent.label, True)))
    n = len(lower)
    matrix = np.zeros((max(len(equations), 1), n))
    low_side = np.zeros(max(len(equations), 1))
    for i, (coefficients, exact) in enumerate(equations):
        for j, a in coefficients.items():
            matrix[i, j] = a
        low_side[i] = 0 if exact else -np.inf
    constraints = LinearConstraint(matrix, low_side, np.zeros(max(len(equations), 1)))
    bounds_low, bounds_high = np.array(lower, float), np.array(upper, float)
    found = {}
    for key, j in cells.items():
        if lower[j] == upper[j]:
            continue
        ends = []
        for sign in (1, -1):
            objective = np.zeros(n)
            objective[j] = sign
            result = milp(
                objective,
                constraints=constraints,
                integrality=np.ones(n),
                bounds=Bounds(bounds_low, bounds_high),
            )
            assert result.status == 0, f"the published table has no solution: {result.message}"
            ends.append(round(result.x[j]))
        found[key] = (ends[0], ends[1])
    return found


def _unique(rows: list[Published], label: str) -> bool:
    return sum(1 for row in rows if row.label == label) == 1


def worked_out(rows: list[Published], **kwargs) -> dict[tuple[int, int], int]:
    """The hidden cells the reader can pin down, with their values."""
    return {key: low for key, (low, high) in solve(rows, **kwargs).items() if low == high}


def published(protected_rows) -> list[Published]:
    """The page's rows (``hamlet.disclosure.Row``) as a reader reads them: texts only."""
    return [
        Published(
            row.figure.group,
            row.figure.label,
            row.figure.part_of,
            [cell.text for cell in row.counts],
            row.total.text if row.total is not None else None,
        )
        for row in protected_rows
    ]
