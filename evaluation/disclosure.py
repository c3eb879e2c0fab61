"""Disclosure control for the record-level research extract (issue 10).

A reader could pick people out by what the extract says about them: the six lifers at the
Hamlet, from sentence type, age band and arrival month. So the quasi-identifiers, establishment
(with its wing), sentence type, age band and arrival month, are generalised until every
combination of them is shared by at least ``K`` people in the whole consenting population, all
establishments together, not just the rows one reader sees. The same steps, in this order, are
taken for every row:

1. arrival (and leaving) month → quarter → year;
2. age bands widened to 18 to 24, 25 to 39, 40 or over;
3. sentence types grouped: determinate, indeterminate (life or IPP), remand;
4. age left out; 5. arrival left out; 6. sentence left out;
7. a wing still smaller than ``K`` is left out of the extract altogether.

The first step at which no combination is rarer than ``K`` is used for every row of every
extract, whoever downloads it and whatever the filters, so two extracts can never be lined up
by research ID to undo it. Counts on a row (peer roles, mentor contacts) are shown in bands.
"""

import functools
from collections import Counter
from dataclasses import dataclass
from datetime import date

from residents.models import AgeBand, Resident, SentenceType

K = 5  # no combination of quasi-identifiers describes fewer people than this

WIDE_AGE = {
    AgeBand.UNDER_21: "18 to 24", AgeBand.UNDER_25: "18 to 24", AgeBand.UNDER_30: "25 to 39",
    AgeBand.THIRTIES: "25 to 39", AgeBand.FORTIES: "40 or over", AgeBand.FIFTIES: "40 or over",
    AgeBand.OVER_60: "40 or over",
}  # fmt: skip
SENTENCE_GROUP = {
    SentenceType.SHORT: "Determinate", SentenceType.INTERMEDIATE: "Determinate",
    SentenceType.LONG_DETERMINATE: "Determinate", SentenceType.LIFE: "Indeterminate (life or IPP)",
    SentenceType.IPP: "Indeterminate (life or IPP)", SentenceType.REMAND: "Remand",
}  # fmt: skip
# (time, age, sentence) at each step; the last step leaves only the wing.
STEPS = [
    ("month", "band", "type"),
    ("quarter", "band", "type"),
    ("year", "band", "type"),
    ("year", "wide", "type"),
    ("year", "wide", "group"),
    ("year", "none", "group"),
    ("none", "none", "group"),
    ("none", "none", "none"),
]
COUNT_BANDS = [(0, "0"), (1, "1 to 4"), (5, "5 to 9"), (10, "10 to 19"), (20, "20 or more")]

RULES = (
    f"Disclosure control: every combination of establishment, wing, sentence, age and arrival is shared by at "
    f"least {K} consenting residents across all establishments. Where it would not be, arrival is shown as a "
    "quarter, then a year; age bands are widened (18 to 24, 25 to 39, 40 or over); sentences are grouped "
    "(determinate, indeterminate, remand); then age, arrival and sentence are left out, in that order, and a wing "
    f"with fewer than {K} is left out. The same rule applies to every row of every extract. Counts are shown in "
    "bands (0, 1 to 4, 5 to 9, 10 to 19, 20 or more)."
)


@dataclass(frozen=True)
class Generalisation:
    time: str
    age: str
    sentence: str
    left_out_wings: frozenset[int] = frozenset()

    def when(self, day: date | None) -> str:
        if day is None or self.time == "none":
            return ""
        if self.time == "month":
            return f"{day:%Y-%m}"
        if self.time == "quarter":
            return f"{day.year} Q{(day.month - 1) // 3 + 1}"
        return str(day.year)

    def age_of(self, band: str) -> str:
        if self.age == "none":
            return ""
        return WIDE_AGE[band] if self.age == "wide" else AgeBand(band).label

    def sentence_of(self, sentence_type: str) -> str:
        if self.sentence == "none":
            return ""
        return SENTENCE_GROUP[sentence_type] if self.sentence == "group" else SentenceType(sentence_type).label

    def key(self, wing_id: int, sentence_type: str, age_band: str, arrived_on: date) -> tuple:
        return (wing_id, self.sentence_of(sentence_type), self.age_of(age_band), self.when(arrived_on))

    def combinations(self, wings: list, sentence_types: list, age_bands: list, arrivals: list) -> Counter:
        """How many people share each ``key``, for people given column by column: each
        distinct sentence, age band and arrival day is generalised once, not once a person
        (the whole consenting population, 59,000 people nationally, is counted at each step)."""
        sentences = {value: self.sentence_of(value) for value in set(sentence_types)}
        ages = {value: self.age_of(value) for value in set(age_bands)}
        whens = {value: self.when(value) for value in set(arrivals)}
        return Counter(
            zip(wings, map(sentences.__getitem__, sentence_types), map(ages.__getitem__, age_bands),
                map(whens.__getitem__, arrivals), strict=True)
        )  # fmt: skip


def consenting_population():
    """Everyone who could be in any extract: the whole population the rule counts."""
    # People referred onto a wing who are not on one (yet) are not the wing's: not counted.
    return Resident.objects.not_anonymised().filter(evaluation_consent=True, limited_access=False, wing__isnull=False)


def generalisation() -> Generalisation:
    """The first step at which no combination is rarer than K (one query).

    Each step's combinations are the previous step's merged (a month falls in one quarter, a
    band in one wide band, a type in one group, and what is left out merges everything), so
    once a step has no rare combination neither has any step after it. The first such step
    is found by halving the steps rather than trying each in turn: three counts of the
    population instead of up to eight."""
    people = consenting_population().values_list("wing_id", "sentence_type", "age_band", "arrived_on")
    columns = [list(column) for column in zip(*people, strict=True)] or [[], [], [], []]

    @functools.cache
    def rare_wings(index: int) -> set[int]:
        groups = Generalisation(*STEPS[index]).combinations(*columns)
        return {key[0] for key, size in groups.items() if size < K}

    first, last = 0, len(STEPS) - 1
    while first < last:  # the first step without rare combinations is in first..last, or there is none
        middle = (first + last) // 2
        if rare_wings(middle):
            first = middle + 1
        else:
            last = middle
    rare = rare_wings(first)
    if not rare:
        return Generalisation(*STEPS[first])
    return Generalisation(*STEPS[-1], left_out_wings=frozenset(rare))


def banded(count: int) -> str:
    return next(label for floor, label in reversed(COUNT_BANDS) if count >= floor)
