"""Signing in with a username and password, telling a switched-off account apart.

Django's ModelBackend treats a switched-off account like a wrong password, so staff whose
account was switched off retype their password and ask a colleague what they did wrong.
This backend lets the sign-in form see the account once the password is right, so the form
can say "This account has been switched off" (``SignInForm.error_messages["inactive"]``),
and never signs it in. A session of a switched-off user opens nothing: ``get_user`` still
refuses it, even where the sessions were not ended when the account was switched off.
"""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q


class SwitchedOffAwareBackend(ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        return True  # the sign-in form refuses switched-off accounts itself, by name

    def get_user(self, user_id):
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        """Django's, in one query rather than two (the user's own, then their groups'): every
        page asks, through its permission check and the navigation."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            permissions = Permission.objects.order_by()
            if not user_obj.is_superuser:
                own = Permission.user_set.through.objects.filter(user=user_obj).values("permission")
                groups = Permission.group_set.through.objects.filter(group__user=user_obj).values("permission")
                permissions = permissions.filter(Q(pk__in=own) | Q(pk__in=groups))
            names = permissions.values_list("content_type__app_label", "codename")
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in names}
        return user_obj._perm_cache
