"""Figures about each row of a list, counted in the database without multiplying.

Annotating one queryset with Count over two or more reverse relations joins them all
before counting, so a mentor with 500 contacts, 3 courses and 2 roles is 3,000 joined
rows. A correlated subquery per figure counts each table on its own, through its index.
"""

from django.db.models import Aggregate, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce


def per_row(queryset: QuerySet, outer: str, aggregate: Aggregate, default=None):
    """``aggregate`` over the rows of ``queryset`` whose ``outer`` field points at the row
    being annotated; ``default`` where there are none (None leaves it null, as Max does)."""
    inner = queryset.filter(**{outer: OuterRef("pk")}).order_by().values(outer).annotate(figure=aggregate)
    figure = Subquery(inner.values("figure"))
    return figure if default is None else Coalesce(figure, Value(default))
