"""Relational mapping (the study's section 1.5.4.1): a cohort names the people and groups that
matter to how the wing works — its relational elements — and scores each on five constructs.
Within each construct the elements are ranked by score, highest first, so two mappings can be
compared element by element: the same wing before and after, or a Phase 1 cohort against a
Phase 2 cohort in one period (the study's central finding)."""

from dataclasses import dataclass

from django.db import models

SCORES = range(0, 11)  # 0 (not at all) to 10 (entirely)


class Construct(models.TextChoices):
    KNOWLEDGEABLE = "knowledgeable", "Knowledgeable"
    TRUSTED = "trusted", "Trusted"
    SUPPORTIVE = "supportive", "Supportive"
    HONEST = "honest", "Honest"
    POWER = "power", "Power to change"


class Element(models.TextChoices):
    """The elements the study's cohorts named; a cohort may add its own (``OTHER_ROWS``)."""

    CUSTODY_MANAGER = "custody_manager", "CFO custody manager"
    CFO_OFFICERS = "cfo_officers", "CFO dedicated officers"
    WING_OFFICERS = "wing_officers", "Generic wing officers"
    CASE_MANAGERS = "case_managers", "Case managers"
    WING_COMMUNITY = "wing_community", "Wing community"
    PEER_MENTORS = "peer_mentors", "Peer mentors"


OTHER_ROWS = 3  # elements a cohort may name for itself, on one form


@dataclass(frozen=True)
class Cell:
    score: int | None
    rank: int | None

    @property
    def shade(self) -> str:
        """One of a fixed set of CSS classes, by score band: the number is always shown too."""
        return "" if self.score is None else f"hamlet-heat-{self.score // 2}"


def ranks(scores: dict[str, int]) -> dict[str, int]:
    """Each element's rank within one construct, 1 the highest score; ties share a rank."""
    ordered = sorted(set(scores.values()), reverse=True)
    higher = {score: sum(1 for other in scores.values() if other > score) for score in ordered}
    return {element: higher[score] + 1 for element, score in scores.items()}


def movement(before: Cell | None, after: Cell | None) -> str:
    """A change in words, from ``before`` to ``after``."""
    if before is None or before.score is None:
        return "" if after is None or after.score is None else "new"
    if after is None or after.score is None:
        return "not scored"
    change = after.score - before.score
    return f"up {change}" if change > 0 else f"down {-change}" if change < 0 else "same"
