"""Signing in with a username and password, telling a switched-off account apart.

Django's ModelBackend treats a switched-off account like a wrong password, so staff whose
account was switched off retype their password and ask a colleague what they did wrong.
This backend lets the sign-in form see the account once the password is right, so the form
can say "This account has been switched off" (``SignInForm.error_messages["inactive"]``),
and never signs it in. A session of a switched-off user opens nothing: ``get_user`` still
refuses it, even where the sessions were not ended when the account was switched off.
"""

from django.contrib.auth.backends import ModelBackend


class SwitchedOffAwareBackend(ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        return True  # the sign-in form refuses switched-off accounts itself, by name

    def get_user(self, user_id):
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None
