"""Configuration classes. Everything secret or deployment-specific comes from the environment."""
import os
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
WEAK_SECRETS = {"", "dev", "change-me", "changeme", "secret", "development-only-not-secret"}


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    SERVICE_NAME = "HLM facilitator training"
    SECRET_KEY = os.environ.get("SECRET_KEY", "development-only-not-secret")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")  # None: SQLite in instance/
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    CONTENT_DIR = os.environ.get("LMS_CONTENT_DIR", str(PROJECT_ROOT / "content"))
    NHSUK_FRONTEND_DIR = os.environ.get(
        "NHSUK_FRONTEND_DIR", str(PROJECT_ROOT / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk")
    )
    MAX_CONTENT_LENGTH = 1024 * 1024  # 1 MiB: forms only, no uploads
    MAX_FORM_MEMORY_SIZE = 512 * 1024
    MAX_FORM_PARTS = 200

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
    SESSION_COOKIE_NAME = "lms_session"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
    SESSION_ABSOLUTE_LIFETIME = timedelta(hours=12)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session, which is capped above
    WTF_CSRF_SSL_STRICT = True

    # OWASP Password Storage Cheat Sheet: scrypt N=2^17, r=8, p=1.
    PASSWORD_HASH_METHOD = "scrypt:131072:8:1"
    PASSWORD_MIN_LENGTH = 10
    PASSWORD_RESET_MAX_AGE = 3600
    INVITATION_MAX_AGE = 14 * 24 * 3600

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = False
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "lms")
    LOGIN_LIMIT_PER_IP = "30 per 15 minutes"
    LOGIN_LIMIT_PER_ACCOUNT = "5 per 15 minutes"
    RESET_LIMIT_PER_IP = "10 per hour"
    INTEREST_LIMIT_PER_IP = os.environ.get("INTEREST_LIMIT_PER_IP", "10 per hour")

    # Interest form: a submission sooner than this after the form was issued is treated as a bot
    # (shown the normal confirmation, nothing stored). The form itself stays valid for 12 hours.
    INTEREST_MIN_FILL_SECONDS = float(os.environ.get("INTEREST_MIN_FILL_SECONDS", "3"))
    INTEREST_FORM_MAX_AGE = 12 * 3600
    INTEREST_DIGEST_MIN_INTERVAL = 3600  # seconds between coordinator digests, at least
    INTEREST_EXPORT_BATCH = 1000  # rows fetched per round trip while streaming a CSV export

    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "file")  # file | console | smtp
    MAIL_OUTBOX_DIR = os.environ.get("MAIL_OUTBOX_DIR")  # default: instance/outbox
    MAIL_FROM = os.environ.get("MAIL_FROM", "HLM facilitator training <no-reply@hlm-lms.invalid>")
    SMTP_HOST = os.environ.get("SMTP_HOST", "")
    SMTP_PORT = int(os.environ.get("SMTP_PORT", "587"))
    SMTP_USERNAME = os.environ.get("SMTP_USERNAME", "")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD", "")
    SMTP_STARTTLS = _env_bool("SMTP_STARTTLS", True)
    PREFERRED_URL_SCHEME = "http"
    SERVER_BASE_URL = os.environ.get("SERVER_BASE_URL", "")  # used in emails sent from the CLI

    HSTS = False
    TESTING = False
    DEBUG = False


class DevelopmentConfig(Config):
    DEBUG = False  # the debugger is never on: `make run` is also how people demo the service


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production-0123456789"
    # Cheap hashes keep the suite fast; one test checks the production method.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    MAIL_BACKEND = "file"
    INTEREST_MIN_FILL_SECONDS = float(os.environ.get("INTEREST_MIN_FILL_SECONDS", "0"))


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    HSTS = True

    @classmethod
    def validate(cls) -> None:
        secret = os.environ.get("SECRET_KEY", "")
        if secret in WEAK_SECRETS or len(secret) < 32:
            raise RuntimeError(
                "SECRET_KEY must be set to a random value of at least 32 characters in production "
                "(for example: python -c 'import secrets; print(secrets.token_urlsafe(48))')"
            )
        if not os.environ.get("DATABASE_URL"):
            raise RuntimeError("DATABASE_URL must be set in production")
        if not os.environ.get("SERVER_BASE_URL", "").startswith("https://"):
            raise RuntimeError(
                "SERVER_BASE_URL must be set to the service's public https:// address in production "
                "(links in emails are built from it, never from the request's Host header)"
            )


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestConfig,
    "production": ProductionConfig,
}


def config_from_environment():
    name = os.environ.get("LMS_ENV", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(f"LMS_ENV must be one of {', '.join(CONFIGS)}") from None
