"""Read deployment settings from the environment, failing loudly on a bad value.

Every difference between a laptop, CI and production comes through here, so a typo in
an environment variable stops the process at start-up instead of quietly changing
behaviour.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"Set the {name} environment variable.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {value!r}.") from None


def env_list(name: str, default: list[str], choices: list[str] | None = None) -> list[str]:
    """Comma-separated values; with ``choices``, each must be one of them (in any case)."""
    value = os.environ.get(name)
    if value is None:
        return default
    items = [item.strip() for item in value.split(",") if item.strip()]
    if choices is None:
        return items
    known = {choice.lower(): choice for choice in choices}
    unknown = [item for item in items if item.lower() not in known]
    if unknown:
        raise ImproperlyConfigured(f"{name} may list only {', '.join(choices)}; got {', '.join(unknown)}.")
    return [known[item.lower()] for item in items]
