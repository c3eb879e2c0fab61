"""``{% person resident %}``: a resident named as the signed-in user may see them.

``{% person resident %}`` gives the pseudonym, ``{% person resident "prison_number" %}`` the
prison number — each only to users with ``hamlet.view_identities``; everyone else sees the
research ID (``hamlet.access.identity_shown``). Load it with ``{% load people %}``.
"""

from django import template

from hamlet.access import identity_shown

register = template.Library()


@register.simple_tag(takes_context=True)
def person(context, resident, field: str = "pseudonym") -> str:
    request = context.get("request")
    return identity_shown(getattr(request, "user", None), resident, field)
