"""Bank holidays in England and Wales, from the data bundled with govuk-bank-holidays (never
fetched at run time: prisons run closed networks), and the dates of a weekly plan."""

from datetime import date, timedelta
from functools import cache

from govuk_bank_holidays.bank_holidays import BankHolidays


@cache
def _holidays() -> frozenset[date]:
    bank_holidays = BankHolidays(use_cached_holidays=True)
    return frozenset(item["date"] for item in bank_holidays.get_holidays(division=BankHolidays.ENGLAND_AND_WALES))


def is_bank_holiday(day: date) -> bool:
    return day in _holidays()


def known_until() -> date:
    """The last day the bundled data knows about: later bank holidays are not yet published."""
    return date(max(_holidays()).year, 12, 31)


def weekly_dates(start: date, *, weekdays: list[int], weeks: int) -> list[tuple[date, date | None]]:
    """The dates of a weekly plan (``weekdays``: 0 for Monday … 6 for Sunday) over ``weeks``
    weeks from ``start``, each with the bank holiday it was moved from, if it was.

    A date on a bank holiday moves to the end of the sequence, to the plan's next free day,
    so that the course keeps its full number of sessions (as the HMPPS programme group
    service does)."""
    days = sorted(set(weekdays))
    slots = [start + timedelta(days=offset) for offset in range(weeks * 7) if (start.weekday() + offset) % 7 in days]
    dates: list[tuple[date, date | None]] = [(day, None) for day in slots if not is_bank_holiday(day)]
    moved = [day for day in slots if is_bank_holiday(day)]
    following = start + timedelta(weeks=weeks)
    while moved:
        if following.weekday() in days and not is_bank_holiday(following):
            dates.append((following, moved.pop(0)))
        following += timedelta(days=1)
    return dates
