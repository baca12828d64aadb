"""Security headers applied to every response."""
from urllib.parse import urlsplit

from flask import current_app

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; form-action 'self' https://checkout.stripe.com"
)


def content_security_policy() -> str:
    """The CSP; when the Stripe API is another server (a local stand-in), its checkout pages are a form target too."""
    base = current_app.config.get("STRIPE_API_BASE")
    if not base:
        return CSP
    parts = urlsplit(base)
    return f"{CSP} {parts.scheme}://{parts.netloc}"


def add_security_headers(response):
    """Set CSP and the usual hardening headers."""
    response.headers.setdefault("Content-Security-Policy", content_security_policy())
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    return response
