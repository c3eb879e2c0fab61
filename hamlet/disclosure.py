"""Disclosure control for figures published across wings (the regional dashboard and its exports).

The table has a row for each figure and a column for each wing, and a regional total
("All wings") for the figures that add up. What a reader knows of it:

- every cell shown as a number, exactly;
- that the wings in a row add up to the row's regional total;
- that a figure's parts (``Figure.part_of``) add up to it, in each wing's column (where the
  parts leave some out, that they are no more than it: an unseen remainder stands for the rest);
- that a cell shown as "fewer than 5" is a whole number from 0 to 4, and one shown as
  "5 or more" a whole number of at least 5.

The rules, applied in this order until nothing changes:

1. **Primary suppression.** A count from 1 to 4 is shown as "fewer than 5".
2. **Complementary suppression.** A hidden cell must not be worked out from what the reader
   knows. For each hidden cell we look for a second table that the reader cannot tell from
   the true one — the same shown cells, the same equations, each hidden cell within what its
   label says — in which that cell has another value (a "witness"). Where there is none, we
   look for one that needs a shown cell or two hidden as well (up to four), trying the
   cheapest first, and hide those: a count from 0 to 4 before any other, because hidden it
   reads "fewer than 5" (0 is fewer than 5, truthfully), so the reader cannot tell it from a
   small count; a count of 5 or more only when nothing smaller will do, and then a
   regional total before a wing's own count, shown as "5 or more". (Were a hidden 0 labelled
   differently from a hidden 1 to 4, a reader would know it was 0.) A cell once witnessed
   stays so as more cells are hidden — its second table is still one the reader cannot rule
   out — so every hidden cell ends with a witness, and none can be worked out.
3. **Rates.** A percentage is shown only where its count is shown, its base is at least 10,
   and its base, where the base is itself a count in the table, is shown too.

Zeros are shown as they are, except where one is chosen as a complementary cell.

This module knows no app: it takes :class:`hamlet.contributions.Figure` s.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hamlet.contributions import Figure

SMALLEST_SHOWN = 5  # counts from 1 to SMALLEST_SHOWN - 1 are never shown
SMALLEST_BASE = 10  # no percentage on a base under this
FEWER_THAN_5 = "fewer than 5"
FIVE_OR_MORE = "5 or more"
NOT_SHOWN = "not shown"
TOTAL = None  # the column key of the regional total ("All wings")


def shown_count(value: int, *, suppress: bool) -> str:
    """One count as a reader may see it: for pseudonymised readers, 1 to 4 is "fewer than 5",
    so that no small group of people can be picked out. Tables with totals need more than this
    (``protected_rows``)."""
    if suppress and 0 < value < SMALLEST_SHOWN:
        return FEWER_THAN_5
    return f"{value:,}"


RULES = [
    "Counts from 1 to 4 are shown as “fewer than 5”, so that no small group of people can be picked out.",
    "Where a hidden count could be worked out from a total and the counts beside it, more counts are hidden too: "
    "a hidden count from 0 to 4 also reads “fewer than 5”, and a hidden count of 5 or more reads “5 or more”.",
    "Every other count is shown as it is.",
    "A percentage is not shown where what it is out of is under 10, or where its count is hidden.",
    "“All wings” adds up the wings in the table; it is left blank for figures that do not add up across wings.",
]

Cell = tuple[int, Hashable]  # (row, column): a figure's index and a wing id, or TOTAL


@dataclass(frozen=True)
class Equation:
    """``total`` is the sum of ``parts``."""

    total: Cell
    parts: tuple[Cell, ...]

    def members(self) -> Iterable[tuple[Cell, int]]:
        """Each cell with its sign: the parts minus the total is 0."""
        yield self.total, -1
        for part in self.parts:
            yield part, 1


@dataclass(frozen=True)
class Shown:
    """A cell as a reader sees it: ``value`` is the number where it is shown, else ``text``."""

    text: str
    value: int | None = None
    hidden: bool = False

    @property
    def export(self) -> int | str:
        return self.value if self.value is not None else self.text


@dataclass
class Row:
    figure: Figure
    counts: list[Shown]  # one a wing, in the order asked for
    total: Shown | None  # the regional total, if the figure adds up
    rates: list[Shown] | None = None  # percentages, for a figure that is a rate
    rate_total: Shown | None = None
    depth: int = 0  # 1 for a part of another figure

    @property
    def rate_label(self) -> str:
        return f"{self.figure.label}: percentage of {self.figure.of_label or 'its base'}"


@dataclass
class Suppression:
    """What the reader knows, and which cells are hidden."""

    values: dict[Cell, int]
    equations: list[Equation]
    hidden: set[Cell] = field(default_factory=set)
    # Cells no reader sees at all (what a partial breakdown leaves out): always unknown, at least 0.
    unseen: set[Cell] = field(default_factory=set)

    def bounds(self, cell: Cell) -> tuple[int, int | None]:
        """The values a reader allows a cell: exactly its value if shown, else what its label says."""
        value = self.values[cell]
        if cell in self.unseen:
            return 0, None
        if cell not in self.hidden:
            return value, value
        return (0, SMALLEST_SHOWN - 1) if value < SMALLEST_SHOWN else (SMALLEST_SHOWN, None)


# How long the search for a cell's witness may go on: beyond it the cell counts as exposed and
# more are hidden, which can only make the next search easier.
WITNESS_DEPTH = 14
WITNESS_STEPS = 5_000
# At most how many shown cells one exposed cell's witness may hide.
MOST_NEWLY_HIDDEN = 4


@dataclass
class Witness:
    changes: dict[Cell, int]  # how far each cell moves in the second table
    newly_hidden: set[Cell]  # shown cells the second table needs hidden


def witness(problem: Suppression, cell: Cell, equations_of: dict, allowance: int = 0) -> Witness | None:
    """A second table the reader cannot tell from the true one, in which ``cell`` differs: a
    change to hidden cells that keeps every equation, and every cell within what its label
    says. With an ``allowance``, up to that many shown cells may be hidden to make one; the
    cheapest are tried first. None if none is found."""
    changes: dict[Cell, int] = defaultdict(int)
    imbalance: dict[int, int] = defaultdict(int)
    newly: list[Cell] = []
    steps = 0

    def bounds(target: Cell) -> tuple[int, int | None] | None:
        if target in problem.hidden or target in problem.unseen:
            return problem.bounds(target)
        if target in newly or len(newly) < allowance:
            return (0, SMALLEST_SHOWN - 1) if problem.values[target] < SMALLEST_SHOWN else (SMALLEST_SHOWN, None)
        return None

    def movable(target: Cell, step: int) -> bool:
        if target == cell and changes[target] + step == 0:
            return False  # undoing the change the witness is for
        allowed = bounds(target)
        if allowed is None:
            return False
        low, high = allowed
        value = problem.values[target] + changes[target] + step
        return value >= low and (high is None or value <= high)

    def move(target: Cell, step: int) -> None:
        if target not in problem.hidden and target not in problem.unseen and not changes[target]:
            newly.append(target)
        changes[target] += step
        if not changes[target] and newly and newly[-1] == target:
            newly.pop()
        for index, sign in equations_of[target]:
            imbalance[index] += sign * step

    def candidates(index: int) -> list[tuple[Cell, int]]:
        off = imbalance[index]
        found = []
        for member, sign in problem.equations[index].members():
            step = -off * sign
            if movable(member, step):
                # Cells already hidden first; then the cheapest to hide. Among equals, a cell
                # that also settles another open equation, which closes the loop.
                settles = sum(
                    1 for other, s in equations_of[member] if other != index and imbalance[other] * s * step < 0
                )
                shown = member not in problem.hidden and member not in problem.unseen and member not in newly
                found.append(((shown, _cost(problem, member) if shown else (), -settles), member, step))
        return [(member, step) for _, member, step in sorted(found, key=lambda c: c[0])]

    tried: set[frozenset] = set()

    def search(depth: int) -> bool:
        nonlocal steps
        open_equations = [index for index, off in imbalance.items() if off]
        if not open_equations:
            return True
        state = frozenset((key, change) for key, change in changes.items() if change)
        if depth == 0 or steps > WITNESS_STEPS or state in tried:
            return False
        tried.add(state)
        # The open equation with fewest ways to settle it: none, and this branch is dead.
        options = min((candidates(index) for index in open_equations), key=len)
        for member, step in options:
            steps += 1
            move(member, step)
            if search(depth - 1):
                return True
            move(member, -step)
        return False

    found = []
    for step in (1, -1):
        if movable(cell, step):
            move(cell, step)
            if search(WITNESS_DEPTH):
                found.append(Witness({key: change for key, change in changes.items() if change}, set(newly)))
            changes.clear(), imbalance.clear(), newly.clear(), tried.clear()
    # Up or down, whichever hides the least.
    return min(found, key=lambda w: sorted((_cost(problem, c) for c in w.newly_hidden), reverse=True), default=None)


def _cost(problem: Suppression, cell: Cell) -> tuple:
    """Which cell to hide next: the smallest count; of counts of 5 or more, a total first."""
    value = problem.values[cell]
    large = value >= SMALLEST_SHOWN
    return (large, large and cell[1] is not TOTAL, value, str(cell))


def suppress(problem: Suppression) -> Suppression:
    """Hide every count from 1 to 4, then more cells until every hidden one has a witness."""
    equations_of: dict[Cell, list[tuple[int, int]]] = defaultdict(list)
    for index, equation in enumerate(problem.equations):
        for member, sign in equation.members():
            equations_of[member].append((index, sign))
    problem.hidden |= {cell for cell, value in problem.values.items() if 0 < value < SMALLEST_SHOWN}
    problem.hidden -= problem.unseen
    witnessed: set[Cell] = set()
    while True:
        exposed = next((cell for cell in sorted(problem.hidden - witnessed, key=str)), None)
        if exposed is None:
            return problem
        for allowance in range(MOST_NEWLY_HIDDEN + 1):
            found = witness(problem, exposed, equations_of, allowance)
            if found is not None:
                # Hidden now, the cells it moved keep it a table the reader cannot rule out.
                problem.hidden |= found.newly_hidden
                witnessed |= set(found.changes)
                break
        else:
            if not _hide_another(problem, exposed, equations_of):
                return problem  # nothing left to hide: cannot happen while a hidden cell has an equation


def _hide_another(problem: Suppression, exposed: Cell, equations_of: dict) -> bool:
    """Hide the cheapest shown cell of an equation in which the exposed cell is the only hidden
    one (each such equation gives it away); failing that, of any equation it is in; failing
    that, of an equation of a hidden cell linked to it."""

    def shown_members(index: int) -> set[Cell]:
        members = {member for member, _ in problem.equations[index].members()}
        return {member for member in members if member not in problem.hidden and member not in problem.unseen}

    def hide_cheapest(candidates: set[Cell]) -> bool:
        if candidates:
            problem.hidden.add(min(candidates, key=lambda cell: _cost(problem, cell)))
        return bool(candidates)

    own = [index for index, _ in equations_of[exposed]]
    alone = [
        index for index in own if len({m for m, _ in problem.equations[index].members()} - shown_members(index)) == 1
    ]
    if hide_cheapest({member for index in alone for member in shown_members(index)}):
        return True
    reached, queue, seen_equations = {exposed}, [exposed], set()
    while queue:
        indexes = {index for cell in queue for index, _ in equations_of[cell]}
        seen_equations |= indexes
        if hide_cheapest({member for index in indexes for member in shown_members(index)}):
            return True
        queue = [
            member
            for index in seen_equations
            for member, _ in problem.equations[index].members()
            if member not in reached
        ]
        reached |= set(queue)
    return False


def _parent_index(figures: list[Figure], child: Figure) -> int | None:
    """The figure ``child`` is a part of: in its own group, or else the one figure so labelled."""
    same_group = [i for i, f in enumerate(figures) if f.group == child.group and f.label == child.part_of]
    anywhere = [i for i, f in enumerate(figures) if f.label == child.part_of]
    found = same_group or (anywhere if len(anywhere) == 1 else [])
    return found[0] if found else None


def problem_for(figures: list[Figure], wing_ids: list[int]) -> Suppression:
    """The table of ``figures`` over ``wing_ids`` as a reader knows it: its cells and equations."""
    values: dict[Cell, int] = {}
    equations: list[Equation] = []
    unseen: set[Cell] = set()
    for row, figure in enumerate(figures):
        for wing in wing_ids:
            values[(row, wing)] = figure.value_for(wing)
        if figure.adds_up:
            values[(row, TOTAL)] = sum(figure.value_for(wing) for wing in wing_ids)
            equations.append(Equation((row, TOTAL), tuple((row, wing) for wing in wing_ids)))
    children: dict[int, list[int]] = defaultdict(list)
    for row, figure in enumerate(figures):
        if figure.part_of:
            parent = _parent_index(figures, figure)
            if parent is not None and parent != row:
                children[parent].append(row)
    for parent, rows in children.items():
        # The parts cover the whole only if they add up to it in every wing; where they do not,
        # a reader still knows they are no more than it: an unseen remainder stands for the rest.
        covered = all(sum(values[(r, w)] for r in rows) == values[(parent, w)] for w in wing_ids)
        for wing in wing_ids:
            parts = tuple((r, wing) for r in rows)
            if not covered:
                remainder = (("remainder", parent), wing)
                values[remainder] = max(values[(parent, wing)] - sum(values[p] for p in parts), 0)
                unseen.add(remainder)
                parts += (remainder,)
            equations.append(Equation((parent, wing), parts))
        # The regional total's parts follow from the rows and the wings' parts: not a new equation.
    return Suppression(values, equations, unseen=unseen)


def _shown(problem: Suppression, cell: Cell) -> Shown:
    value = problem.values[cell]
    if cell not in problem.hidden:
        return Shown(f"{value:,}", value)
    return Shown(FEWER_THAN_5 if value < SMALLEST_SHOWN else FIVE_OR_MORE, hidden=True)


def _percentage(count: Shown, base: int, base_hidden: bool) -> Shown:
    if count.hidden or base < SMALLEST_BASE or base_hidden:
        return Shown(NOT_SHOWN, hidden=True)
    return Shown(f"{round(100 * count.value / base)}%")


def _base_rows(figures: list[Figure], figure: Figure, wing_ids: list[int]) -> list[int]:
    """Rows whose counts are a rate's base in every wing: a percentage of a hidden one would
    give the hidden count away."""
    return [
        row
        for row, other in enumerate(figures)
        if other is not figure and all(other.value_for(w) == figure.of_for(w) for w in wing_ids)
    ]


def protected_rows(figures: list[Figure], wing_ids: list[int]) -> list[Row]:
    """Each figure's cells as published across ``wing_ids``, with disclosure control."""
    problem = suppress(problem_for(figures, wing_ids))
    rows = []
    for index, figure in enumerate(figures):
        counts = [_shown(problem, (index, wing)) for wing in wing_ids]
        total = _shown(problem, (index, TOTAL)) if figure.adds_up else None
        row = Row(figure, counts, total, depth=1 if figure.part_of else 0)
        if figure.is_rate:
            bases = _base_rows(figures, figure, wing_ids)
            row.rates = [
                _percentage(count, figure.of_for(wing), any((b, wing) in problem.hidden for b in bases))
                for count, wing in zip(counts, wing_ids, strict=True)
            ]
            if total is not None:
                base_total = sum(figure.of_for(wing) for wing in wing_ids)
                base_hidden = any((b, TOTAL) in problem.hidden for b in bases)
                row.rate_total = _percentage(total, base_total, base_hidden)
        rows.append(row)
    return rows
