"""Two-factor sign-in with django-otp: a TOTP authenticator app, and ten backup codes.

Administrators, evaluators, anyone who can open the Django admin and the roles named in
HAMLET_2FA_ROLES need a code after their password. Until they give one their session is
"password-only": TwoFactorMiddleware sends it from every page to setting up an app or
entering a code. django-otp records the verified device in the session
(``django_otp.login``); its devices refuse a TOTP code at or before the last one used
(``last_t``), delete a backup code once used, and make each wrong code wait twice as long
as the one before (ThrottlingMixin). Successes and failures go to the security log by
user id only: never a username or a code.
"""

import logging
from base64 import b32encode
from datetime import datetime

import django_otp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.http import urlencode
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from hamlet.models import HashedBackupCodes
from hamlet.sessions import user_sessions_end

logger = logging.getLogger("hamlet.security")

BACKUP_CODE_COUNT = 10
# Backup codes are written down by hand: no 0/o, 1/l/i that could be misread.
BACKUP_CODE_LETTERS = "abcdefghjkmnpqrstuvwxyz23456789"
PENDING_KEY = "hamlet_two_factor_pending_key"

# What a password-only session may still open, besides pages open to anyone (sign-in,
# the health check). Static files never reach Django's views.
OPEN_BEFORE_VERIFYING = {"hamlet:sign_out", "hamlet:two_factor_setup", "hamlet:two_factor_verify"}

WRONG_CODE = "The code is wrong or has already been used. Enter the code your app shows now, or a backup code"
WRONG_SETUP_CODE = "The code is wrong. Enter the 6-digit code your app shows now"


def two_factor_required(user) -> bool:
    if not settings.HAMLET_2FA or not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True  # they can open the Django admin
    if not hasattr(user, "_two_factor_required"):  # asked by the middleware and again by the page
        user._two_factor_required = user.groups.filter(name__in=settings.HAMLET_2FA_ROLES).exists()
    return user._two_factor_required


def needs_verifying(user) -> bool:
    """Signed in with a password only, but must give a code too."""
    return settings.HAMLET_2FA and user.is_authenticated and not user.is_verified() and two_factor_required(user)


def authenticator_for(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def next_step_url(user, next_url: str = "") -> str:
    """Set up an authenticator app if the user has none yet, else enter a code."""
    url = reverse("hamlet:two_factor_verify" if authenticator_for(user) else "hamlet:two_factor_setup")
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


class TwoFactorMiddleware:
    """Nothing but sign-out and the two-factor pages for a password-only session that needs
    a code, the Django admin included. Sits after LoginRequiredMiddleware, which has already
    sent anonymous visitors to sign in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.HAMLET_2FA or not getattr(view_func, "login_required", True):
            return None  # what anyone may open, a password-only session may open too
        if request.resolver_match.view_name in OPEN_BEFORE_VERIFYING or not needs_verifying(request.user):
            return None
        # Back to the page asked for afterwards; a form's POST cannot be replayed, so not then.
        asked_for = request.get_full_path() if request.method in ("GET", "HEAD") else ""
        return redirect(next_step_url(request.user, asked_for))


def _check_allowed(device: Device) -> None:
    """django-otp refuses every code, right or wrong, while a device is throttled: say how long to wait."""
    allowed, details = device.verify_is_allowed()
    if allowed:
        return
    logger.warning("two-factor code refused while throttled user_id=%s", device.user_id)
    locked_until: datetime | None = (details or {}).get("locked_until")
    seconds = max(1, round((locked_until - timezone.now()).total_seconds())) if locked_until else 60
    wait = f"{seconds} second{'s' if seconds != 1 else ''}" if seconds < 120 else f"{round(seconds / 60)} minutes"
    raise ValidationError({"code": f"Too many wrong codes in a row. Wait {wait} before you try again"})


def pending_authenticator(request) -> TOTPDevice:
    """The app being set up: an unsaved device whose secret waits in the session, so reloading
    the page shows the same QR code and nothing is stored until the first code proves it."""
    key = request.session.get(PENDING_KEY)
    if key is None:
        key = request.session[PENDING_KEY] = random_hex(20)
    return TOTPDevice(user=request.user, key=key, name="Authenticator app", confirmed=False)


def qr_code_svg(device: TOTPDevice) -> str:
    """The otpauth address as an inline SVG: no image file, no script, nothing outside the page."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=15)
    svg = image.get_image()
    svg.set("role", "img")
    svg.set("aria-label", "QR code for your authenticator app")
    return image.to_string(encoding="unicode")


def secret_for_typing(device: TOTPDevice) -> str:
    """The secret as authenticator apps ask for it when typed: base32, in groups of four."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def two_factor_set_up(*, request, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the pending app with its first code; replace any earlier devices; make new backup codes.

    The device row exists from the first attempt, so wrong codes are throttled like any other.
    Returns the device and the backup codes, which are shown once and never again.
    """
    user, pending = request.user, pending_authenticator(request)
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, key=pending.key, confirmed=False, defaults={"name": pending.name}
    )
    _check_allowed(device)
    # Checked and confirmed in one transaction, but the refusal is raised only after it
    # commits, so a wrong code's throttling is kept.
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        accepted = device.verify_token(code)
        if accepted:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            codes = _new_backup_codes(user)
    if not accepted:
        logger.warning("two-factor set-up code refused user_id=%s", user.pk)
        raise ValidationError({"code": WRONG_SETUP_CODE})
    del request.session[PENDING_KEY]
    django_otp.login(request, device)
    logger.info("two-factor set up user_id=%s", user.pk)
    return device, codes


def _new_backup_codes(user) -> list[str]:
    """Ten new codes, returned to be shown once; only their keyed digests are kept."""
    StaticDevice.objects.filter(user=user).delete()
    device = HashedBackupCodes.objects.create(user=user, name="Backup codes", confirmed=True)
    codes = [get_random_string(8, BACKUP_CODE_LETTERS) for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=HashedBackupCodes.digest(code)) for code in codes)
    return codes


def two_factor_verify(*, request, code: str) -> Device:
    """Accept a code from the app (6 digits) or a backup code (8 letters and digits) and mark
    the session verified. A backup code is used up; an app code cannot be used again."""
    user = request.user
    if len(code) == 6 and code.isdigit():
        device = authenticator_for(user)
    else:
        device = HashedBackupCodes.objects.filter(user=user, confirmed=True).first()
    if device is None:
        logger.warning("two-factor code refused user_id=%s", user.pk)
        raise ValidationError({"code": WRONG_CODE})
    _check_allowed(device)
    if isinstance(device, HashedBackupCodes):
        # The device row is locked while its codes are checked, so two requests cannot both use one.
        with transaction.atomic():
            device = HashedBackupCodes.objects.select_for_update().get(pk=device.pk)
            accepted = device.verify_token(code)
    else:
        # verify_token locks the device row while it checks, so two requests cannot both use one code.
        accepted = django_otp.verify_token(user, device.persistent_id, code) is not None
    if not accepted:
        logger.warning("two-factor code refused user_id=%s", user.pk)
        raise ValidationError({"code": WRONG_CODE})
    django_otp.login(request, device)
    kind = "backup code" if isinstance(device, StaticDevice) else "app code"
    logger.info("two-factor verified with %s user_id=%s", kind, user.pk)
    return device


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def two_factor_reset(*, users, by) -> int:
    """Delete users' authenticator apps and backup codes, and end their sessions: they set up
    a new app at their next sign-in, after giving their password again. (A session left open
    would let whoever sits at it register their own phone without the password.)"""
    count = 0
    for user in users:
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        user_sessions_end(user=user, reason="two-factor reset", by=by)
        logger.warning("two-factor reset user_id=%s by user_id=%s", user.pk, by.pk)
        count += 1
    return count
