"""Hamlet's one settings file. Every deployment difference is read from the environment
through hamlet.env, which refuses bad values; nothing exists only in production."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from hamlet.env import env_bool, env_int, env_list, env_str
from hamlet.roles import Role

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)

# A development key is only acceptable when DEBUG is on; production must set its own.
SECRET_KEY = env_str("SECRET_KEY", default="django-insecure-hamlet-development-only" if DEBUG else None)

# The key for evaluators' research IDs (hamlet.pseudonyms). It lives only in the environment,
# never in the database, and must differ from SECRET_KEY (a system check says so).
HAMLET_PSEUDONYM_KEY = env_str(
    "HAMLET_PSEUDONYM_KEY", default="hamlet-development-pseudonym-key-not-for-real-data" if DEBUG else None
)

# The key under which backup codes are kept, as HMAC-SHA256 digests (hamlet.two_factor): someone
# who reads the database or a backup cannot use them. Environment only, like the pseudonym key.
HAMLET_BACKUP_CODE_KEY = env_str(
    "HAMLET_BACKUP_CODE_KEY", default="hamlet-development-backup-code-key-not-for-real-use" if DEBUG else None
)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_forms_gds",
    "django_tables2",
    "django_filters",
    "auditlog",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Hamlet's own apps (HAMLET_APPS, below), in the one direction their dependencies may point.
    "hamlet",
    "residents",
    "mentoring",
    "programme",
    "evaluation",
]
HAMLET_APPS = INSTALLED_APPS[INSTALLED_APPS.index("hamlet") :]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # A password-only session of someone who needs two-factor sign-in reaches no page but
    # setting it up or entering a code (hamlet.two_factor).
    "hamlet.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After authentication and messages: ends a session 10 hours after sign-in, and says why.
    "hamlet.middleware.SessionLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "hamlet.middleware.AuditAddressMiddleware",
    "hamlet.middleware.NoStoreMiddleware",
    # Axes last, as its documentation asks, so it sees the outcome of every sign-in.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hamlet.urls"
WSGI_APPLICATION = "hamlet.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hamlet.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", default=60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Passwords: Argon2 first; existing hashes of other kinds are upgraded at next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "hamlet.backends.SwitchedOffAwareBackend",
]
LOGIN_URL = "hamlet:sign_in"
LOGIN_REDIRECT_URL = "hamlet:home"
LOGOUT_REDIRECT_URL = "hamlet:sign_in"

# Two-factor sign-in (TOTP, with backup codes) for administrators, evaluators, anyone who can
# open the Django admin, and the roles HAMLET_2FA_ROLES adds. Only demo installs switch it off.
HAMLET_2FA = env_bool("HAMLET_2FA", default=True)
HAMLET_2FA_ROLES = [
    Role.ADMINISTRATOR.value,
    Role.EVALUATOR.value,
    *env_list("HAMLET_2FA_ROLES", default=[], choices=[role.value for role in Role]),
]
OTP_TOTP_ISSUER = "Hamlet"
# Administrators never see anyone's secret key or backup codes in the admin.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Lock a username at one address for 15 minutes after 5 failed sign-ins.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind proxies the lock-out uses the address the outermost trusted proxy saw
# (hamlet.network.client_ip). Axes's own AXES_IPWARE_* settings need django-ipware, which
# Hamlet does not install, so they would be silently ignored.
HAMLET_PROXY_COUNT = env_int("AXES_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "hamlet.network.client_ip"
AXES_USERNAME_CALLABLE = "hamlet.network.client_username"
AXES_VERBOSE = False
# Beside axes: after this many wrong passwords for one username from any addresses, each further
# try waits twice as long as the last, up to 15 minutes (hamlet.sign_in_limit).
HAMLET_SIGN_IN_SLOW_AFTER = env_int("HAMLET_SIGN_IN_SLOW_AFTER", default=10)

# Figures worked out from many records (hamlet.computed) are held in one Redis that every node
# shares, named by REDIS_URL, and dropped when a record behind them changes. Without REDIS_URL
# nothing is held and every page counts afresh: a cache in each process would let one gunicorn
# worker show figures that another had dropped.
REDIS_URL = env_str("REDIS_URL", default="")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", default="hamlet"),
            "TIMEOUT": env_int("HAMLET_COMPUTED_MINUTES", default=60) * 60,
            # A Redis that does not answer within half a second is treated as down: the page counts.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    )
}

# Sessions end after 30 idle minutes (the expiry moves on with every request) and, however
# busy, 10 hours after signing in (hamlet.middleware.SessionLimitMiddleware).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", default=30) * 60
HAMLET_SESSION_ABSOLUTE_LIMIT = timedelta(hours=env_int("SESSION_ABSOLUTE_HOURS", default=10))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "hamlet.views.csrf_failure"

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if env_bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "j F Y, H:i"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage" if DEBUG else "hamlet.storage.StaticStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

# How many years after leaving a resident's record is listed for anonymisation.
HAMLET_RETENTION_YEARS = env_int("HAMLET_RETENTION_YEARS", default=6)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{asctime} {levelname} {name} {message}", "style": "{"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
DJANGO_TABLES2_TEMPLATE = "django_tables2/govuk.html"
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
