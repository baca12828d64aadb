"""Settings read from the environment when the app is built; no logic beyond defaults."""
import os
from pathlib import Path


def load() -> dict:
    """Every setting, read from the environment now (so tests and commands can change it)."""
    instance_dir = Path(os.environ.get("SOCIETY_SAAS_INSTANCE", Path.cwd() / "instance"))
    secure = os.environ.get("SESSION_COOKIE_SECURE", "0") == "1"
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY", "dev-only-change-me"),
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{instance_dir / 'society_saas.db'}"),
        "DATABASE_OWNER_URL": os.environ.get("DATABASE_OWNER_URL") or None,
        "INSTANCE_DIR": str(instance_dir),
        # Fernet key for personal data at rest; derived from SECRET_KEY when unset (dev only).
        "DATA_KEY": os.environ.get("DATA_KEY"),
        # HMAC key that signs the decision log's checkpoints; derived from SECRET_KEY when unset.
        "DECISION_SIGNING_KEY": os.environ.get("DECISION_SIGNING_KEY"),

        "BABEL_DEFAULT_LOCALE": "zh_CN",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Shanghai",
        "LANGUAGES": ("zh_CN", "en"),

        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", 20 * 1024 * 1024)),

        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute"),
        "LOGIN_LOCKOUT_THRESHOLD": int(os.environ.get("LOGIN_LOCKOUT_THRESHOLD", 8)),
        "LOGIN_LOCKOUT_MINUTES": int(os.environ.get("LOGIN_LOCKOUT_MINUTES", 15)),

        # "console" prints mail (the demo); "smtp" sends it.
        "MAIL_BACKEND": os.environ.get("MAIL_BACKEND", "console"),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "127.0.0.1"),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", 25)),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD"),
        "MAIL_USE_TLS": os.environ.get("MAIL_USE_TLS", "0") == "1",
        "MAIL_SENDER": os.environ.get("MAIL_SENDER", "noreply@society-saas.local"),
        "PASSWORD_RESET_MAX_AGE": 3600,

        # Stripe: another API address (a local stand-in in tests); societies' own keys live in the database.
        "STRIPE_API_BASE": os.environ.get("STRIPE_API_BASE") or None,
        # Run a page's job at once in the request (the embedded default); "0" leaves it to `society-saas worker`.
        "JOBS_RUN_INLINE": os.environ.get("JOBS_RUN_INLINE", "1") == "1",
        # processes that lay out a certificate print job's batches; unset: one per core
        "CERTIFICATE_PROCESSES": int(os.environ.get("CERTIFICATE_PROCESSES") or 0) or None,
        # seconds after which a running job claimed on another machine is taken for dead and queued again
        "JOBS_STALE_AFTER": int(os.environ.get("JOBS_STALE_AFTER", 3600)),
        # days a job's file (a print run's PDF) is kept after the job finished
        "JOBS_OUTPUT_DAYS": int(os.environ.get("JOBS_OUTPUT_DAYS", 30)),

        # logs: JSON lines on stderr ("text" for a terminal), the level, one access line per request
        "LOG_FORMAT": os.environ.get("LOG_FORMAT", "json"),
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO"),
        "ACCESS_LOG": os.environ.get("ACCESS_LOG", "1") == "1",
        # /metrics answers these addresses (comma-separated IPs or networks) or the bearer METRICS_TOKEN
        "METRICS_ALLOWED_IPS": os.environ.get("METRICS_ALLOWED_IPS", "127.0.0.1,::1"),
        "METRICS_TOKEN": os.environ.get("METRICS_TOKEN") or None,

        "TRUSTED_HOSTS": [h for h in os.environ.get("TRUSTED_HOSTS", "").split(",") if h] or None,
        # Outgoing webhooks to loopback/private addresses are refused unless this is "1" (development, tests).
        "WEBHOOK_ALLOW_PRIVATE": os.environ.get("WEBHOOK_ALLOW_PRIVATE", "0") == "1",
    }
