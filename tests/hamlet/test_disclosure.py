"""Disclosure control on the regional dashboard (issue 15): no count from 1 to 4 is published,
and no hidden cell can be worked out from the rest of the table — checked by a reader who
solves each published table with an integer program (``tests.hamlet.attacker``)."""

import os
import random

import pytest

from hamlet import disclosure
from hamlet.contributions import Figure
from hamlet.disclosure import FEWER_THAN_5, FIVE_OR_MORE, NOT_SHOWN, protected_rows
from tests.hamlet.attacker import published, solve, worked_out

WINGS = [11, 12, 13]


def _row(label, values, group="Residents", **fields):
    return Figure(group, label, dict(zip(WINGS, values, strict=False)), **fields)


def _texts(rows):
    return [([cell.text for cell in row.counts], row.total.text if row.total else None) for row in rows]


def assert_protected(figures, wings=WINGS, **kwargs):
    """No count from 1 to 4 shown, and nothing hidden that the reader can work out."""
    rows = protected_rows(figures, wings)
    for row in rows:
        for cell in [*row.counts, *([row.total] if row.total else [])]:
            assert cell.hidden or not 1 <= cell.value <= 4, f"{row.figure.label} shows {cell.text}"
            assert cell.hidden or cell.text == f"{cell.value:,}"
    exposed = worked_out(published(rows), **kwargs)
    assert exposed == {}, f"worked out {exposed} from {_texts(rows)}"
    return rows


def test_a_count_from_1_to_4_reads_fewer_than_5_and_five_or_more_is_shown_as_it_is():
    rows = protected_rows([_row("Residents on the wing", [0, 4, 5], adds_up=False)], WINGS)
    assert [cell.text for cell in rows[0].counts] == ["0", FEWER_THAN_5, "5"]
    assert rows[0].total is None


def test_a_lone_small_count_in_a_row_hides_a_second_cell_the_smallest_first():
    rows = assert_protected([_row("Residents supported", [3, 0, 20])])
    # The 0 beside it is hidden too, and reads "fewer than 5" like the 3: the total of 23 leaves 3 to share.
    assert _texts(rows) == [([FEWER_THAN_5, FEWER_THAN_5, "20"], "23")]


def test_with_nothing_smaller_to_hide_the_regional_total_goes_before_a_wings_own_count():
    rows = assert_protected([_row("Sessions held", [5, 2, 9])])
    assert _texts(rows) == [(["5", FEWER_THAN_5, "9"], FIVE_OR_MORE)]


def test_two_small_counts_whose_total_pins_them_both_are_not_left_alone():
    # 4 + 4 = 8 of the 28: two cells of at most 4 that make 8 are both 4.
    rows = assert_protected([_row("Waiting for a phase", [4, 4, 20])])
    assert sum(cell.hidden for cell in rows[0].counts) + rows[0].total.hidden >= 3


def test_a_part_with_a_small_count_is_not_given_away_by_its_whole_and_the_other_parts():
    figures = [
        _row("Residents on the wing", [38, 20, 30]),
        _row("Not engaged", [3, 15, 10], part_of="Residents on the wing"),
        _row("Ready for the course", [9, 0, 10], part_of="Residents on the wing"),
        _row("Phase 1", [26, 5, 10], part_of="Residents on the wing"),
    ]
    assert_protected(figures)


def test_a_part_may_belong_to_a_figure_in_another_group():
    figures = [
        _row("Residents on the wing", [38, 20, 30]),
        _row("Not engaged", [3, 15, 10], group="Engagement journey", part_of="Residents on the wing"),
        _row("Engaged", [35, 5, 20], group="Engagement journey", part_of="Residents on the wing"),
    ]
    assert_protected(figures)


def test_parts_that_do_not_cover_their_whole_are_no_more_than_it():
    figures = [
        _row("Mentor contacts", [60, 7, 12]),
        _row("Out of hours", [13, 2, 0], part_of="Mentor contacts"),
    ]
    assert_protected(figures, parts_cover={"Mentor contacts": False})


def test_a_percentage_needs_a_base_of_10_and_a_shown_count():
    figure = Figure(
        "Residents", "Residents on the wing", {11: 38, 12: 3, 13: 0}, of={11: 39, 12: 60, 13: 8}, of_label="bedrooms"
    )
    rows = protected_rows([figure], WINGS)
    assert [cell.text for cell in rows[0].rates] == ["97%", NOT_SHOWN, NOT_SHOWN]
    assert rows[0].rate_total.text == "38%"  # 41 of 107


def test_a_percentage_of_a_hidden_count_is_not_shown():
    figures = [
        _row("Residents on the wing", [38, 3, 20]),
        _row("Attended", [30, 3, 12], of={11: 38, 12: 3, 13: 20}, of_label="residents", adds_up=False),
    ]
    rows = protected_rows(figures, WINGS)
    assert rows[1].rates[1].text == NOT_SHOWN
    # Its base, 3 residents, is hidden: a percentage on the 3 attended would give it away.
    assert rows[0].counts[1].hidden


def test_nothing_hidden_where_there_is_nothing_small():
    rows = protected_rows([_row("Residents on the wing", [0, 0, 0]), _row("Phase 1", [5, 6, 7])], WINGS)
    assert not any(cell.hidden for row in rows for cell in [*row.counts, row.total])


def _random_table(rng: random.Random):
    """A table as the apps might give it: wholes with parts, rows that add up or not, and
    counts gathered near the small end, where disclosure control has work to do."""
    wings = list(range(1, rng.randint(1, 6) + 1))

    def count():
        return rng.choice([0, 0, 1, 2, 3, 4, 4, 5, 6, 8, 12, rng.randint(0, 60)])

    figures = []
    for g in range(rng.randint(1, 3)):
        group = f"Group {g}"
        for w in range(rng.randint(0, 2)):
            parts = [[count() for _ in wings] for _ in range(rng.randint(1, 4))]
            whole = f"Whole {g}.{w}"
            wholes = [sum(column) for column in zip(*parts, strict=True)]
            figures.append(Figure(group, whole, dict(zip(wings, wholes, strict=True))))
            for i, values in enumerate(parts):
                figures.append(Figure(group, f"Part {g}.{w}.{i}", dict(zip(wings, values, strict=True)), part_of=whole))
        for s in range(rng.randint(0, 2)):
            figures.append(Figure(group, f"Single {g}.{s}", {w: count() for w in wings}, adds_up=rng.random() > 0.2))
    return figures, wings


NASTY = {
    "a single small cell in a row": [[Figure("G", "A", {1: 1, 2: 30, 3: 12})]],
    "two 4s in a row": [[Figure("G", "A", {1: 4, 2: 4, 3: 12})]],
    "two 4s alone": [[Figure("G", "A", {1: 4, 2: 4})]],
    "a 1 and a 0 alone": [[Figure("G", "A", {1: 1, 2: 0})]],
    "all zero but one": [[Figure("G", "A", {1: 0, 2: 0, 3: 2})]],
    "all-zero rows": [[Figure("G", "A", {1: 0, 2: 0}), Figure("G", "B", {1: 0, 2: 3})]],
    "one wing": [
        [Figure("G", "W", {1: 7}), Figure("G", "P", {1: 3}, part_of="W"), Figure("G", "Q", {1: 4}, part_of="W")]
    ],
    "a partition with one small part": [
        [
            Figure("G", "W", {1: 20, 2: 30}),
            Figure("G", "P", {1: 2, 2: 10}, part_of="W"),
            Figure("G", "Q", {1: 18, 2: 20}, part_of="W"),
        ]
    ],
    "a rectangle of small cells": [
        [
            Figure("G", "W", {1: 8, 2: 8, 3: 20}),
            Figure("G", "P", {1: 4, 2: 4, 3: 10}, part_of="W"),
            Figure("G", "Q", {1: 4, 2: 4, 3: 10}, part_of="W"),
        ]
    ],
    "small cells across rows and parts": [
        [
            Figure("G", "W", {1: 9, 2: 6, 3: 5}),
            Figure("G", "P", {1: 1, 2: 2, 3: 0}, part_of="W"),
            Figure("G", "Q", {1: 4, 2: 0, 3: 1}, part_of="W"),
            Figure("G", "R", {1: 4, 2: 4, 3: 4}, part_of="W"),
        ]
    ],
    "wholes of parts in two levels": [
        [
            Figure("G", "W", {1: 12, 2: 25}),
            Figure("G", "P", {1: 7, 2: 20}, part_of="W"),
            Figure("G", "Q", {1: 5, 2: 5}, part_of="W"),
            Figure("G", "P1", {1: 3, 2: 10}, part_of="P"),
            Figure("G", "P2", {1: 4, 2: 10}, part_of="P"),
        ]
    ],
}


@pytest.mark.parametrize("name", list(NASTY))
def test_the_reader_cannot_work_out_a_hidden_cell_of_a_nasty_table(name):
    (figures,) = NASTY[name]
    wings = sorted({wing for figure in figures for wing in figure.values})
    assert_protected(figures, wings)


# Each table costs two integer programs a hidden cell; HAMLET_RANDOM_TABLES=2000 tries more.
RANDOM_TABLES = int(os.environ.get("HAMLET_RANDOM_TABLES", "200"))


def test_the_reader_cannot_work_out_a_hidden_cell_of_any_of_hundreds_of_random_tables():
    rng = random.Random(15)  # noqa: S311  (repeatable tables, not a secret)
    tried = hidden = 0
    for _ in range(RANDOM_TABLES):
        figures, wings = _random_table(rng)
        rows = assert_protected(figures, wings)
        tried += 1
        hidden += sum(cell.hidden for row in rows for cell in row.counts)
    assert tried == RANDOM_TABLES
    assert hidden > RANDOM_TABLES  # the tables gave disclosure control work to do


def test_the_reader_does_work_out_cells_hidden_by_primary_suppression_alone(monkeypatch):
    """The attacker is not toothless: without complementary suppression it finds the small counts."""
    monkeypatch.setattr(disclosure, "MOST_NEWLY_HIDDEN", 0)
    monkeypatch.setattr(disclosure, "_hide_another", lambda *args: False)
    rows = protected_rows([_row("Residents supported", [3, 0, 20])], WINGS)
    assert worked_out(published(rows)) == {(0, 0): 3}
    rng = random.Random(15)  # noqa: S311  (repeatable tables, not a secret)
    caught = 0
    for _ in range(50):
        figures, wings = _random_table(rng)
        caught += bool(worked_out(published(protected_rows(figures, wings))))
    assert caught > 10


def test_the_reader_knows_what_fewer_than_5_and_5_or_more_mean():
    from tests.hamlet.attacker import Published

    ranges = solve([Published("G", "A", "", [FEWER_THAN_5, FIVE_OR_MORE, "20"], "30")])
    assert ranges == {(0, 0): (0, 4), (0, 1): (6, 10)}


@pytest.mark.parametrize(
    ("count", "pseudonymised", "identified"),
    [(0, "0", "0"), (1, FEWER_THAN_5, "1"), (4, FEWER_THAN_5, "4"), (5, "5", "5"), (1234, "1,234", "1,234")],
)
def test_one_count_is_shown_by_the_one_rule_at_its_edges(count, pseudonymised, identified):
    """The rule every page uses for a single count (the dashboards, the evaluation's figures,
    the site report): 1 to 4 hidden for pseudonymised readers, 5 and over and 0 shown."""
    from evaluation.instruments import shown_figure

    assert disclosure.shown_count(count, suppress=True) == pseudonymised
    assert disclosure.shown_count(count, suppress=False) == identified
    assert shown_figure(count, suppress=True) == pseudonymised
