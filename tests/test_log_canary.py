"""The log canary (tests/log_canary.py) finds exactly what one pattern of every name finds."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.log_canary import PRISON_NUMBER, leaks

# Letters and the other characters a pseudonym may hold, and some that fold case beyond ASCII:
# the Kelvin sign matches k, and the long s matches s, when case is ignored.
ALPHABET = "abkKsSTtzZ019 '-_.é\u212a\u017f"


def _one_pattern(records: list[str], canaries: set[str]) -> list[str]:
    """The canary's rule as first written: every name in one pattern, tried on every record."""
    alternatives = (rf"(?<!\w){re.escape(name)}(?!\w)" for name in sorted(canaries, key=len, reverse=True))
    names = re.compile("|".join(alternatives), re.IGNORECASE) if canaries else None
    return [text for text in records if PRISON_NUMBER.search(text) or (names and names.search(text))]


def _respelt(draw, name: str) -> str:
    """The name as a log might carry it: in other cases, between other characters."""
    spelt = "".join(draw(st.sampled_from([char, char.upper(), char.lower()])) for char in name)
    return draw(st.text(ALPHABET, max_size=3)) + spelt + draw(st.text(ALPHABET, max_size=3))


@st.composite
def logs(draw):
    canaries = draw(st.sets(st.text(ALPHABET, min_size=1, max_size=8), max_size=6))
    records = draw(st.lists(st.text(ALPHABET, max_size=20), max_size=6))
    for name in canaries:
        if draw(st.booleans()):
            records.append(_respelt(draw, name))
    return records, canaries


@settings(max_examples=500, deadline=None)
@given(logs())
def test_the_canary_finds_exactly_the_records_one_pattern_of_every_name_finds(log):
    records, canaries = log
    assert leaks(records, canaries) == _one_pattern(records, canaries)


def test_a_name_is_found_in_any_case_as_a_whole_word_only():
    canaries = {"Tamsin Oak", "Resident 12", "Sam Ash"}
    records = ["shown TAMSIN OAK's page", "tamsin oaks", "resident 12", "Resident 123", "\u017fam ash", "nothing"]
    assert leaks(records, canaries) == ["shown TAMSIN OAK's page", "resident 12", "\u017fam ash"]
