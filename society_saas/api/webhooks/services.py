"""Webhook verbs: subscribe, unsubscribe, list; events become deliveries in the same transaction
(an outbox), and `deliver_due` sends them, HMAC-signed, retrying with backoff."""
import hashlib
import hmac
import ipaddress
import json
import secrets
import socket
import time
import urllib.error
import urllib.request
from datetime import timedelta
from urllib.parse import urlparse

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import event, select
from sqlalchemy.orm import Session, attributes

from society_saas.api.webhooks.models import EVENTS, DeliveryState, WebhookDelivery, WebhookSubscription
from society_saas.core import crypto
from society_saas.core.db import utcnow
from society_saas.core.errors import NotFoundError, ServiceError
from society_saas.extensions import db
from society_saas.tenancy.context import cross_society, society_context

# seconds to wait after the n-th failed attempt; after the last the delivery is given up
BACKOFF = (60, 300, 1800, 7200, 43200)
MAX_ATTEMPTS = len(BACKOFF) + 1
TIMEOUT = 10


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>." + body>."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def subscribe(society, actor, data: dict) -> tuple[WebhookSubscription, str]:
    """Add an endpoint for some events; return it and its signing secret (shown once)."""
    url = (data.get("url") or "").strip()
    parsed = urlparse(url)
    if parsed.scheme not in ("https", "http") or not parsed.netloc or len(url) > 500:
        raise ServiceError(_("Give an http(s) address."), field="url")
    events = list(dict.fromkeys(data.get("events") or []))
    if not events or any(e not in EVENTS for e in events):
        raise ServiceError(_("Choose at least one known event."), field="events")
    secret = "whsec_" + secrets.token_urlsafe(32)
    row = WebhookSubscription(society_id=society.id, url=url, events=events, secret_encrypted=crypto.encrypt(secret),
                              created_by=getattr(actor, "id", None))
    db.session.add(row)
    db.session.flush()
    return row, secret


def list_subscriptions(society) -> list[WebhookSubscription]:
    """The society's subscriptions, oldest first."""
    return list(db.session.scalars(select(WebhookSubscription).order_by(WebhookSubscription.created_at,
                                                                        WebhookSubscription.id)))


def get_subscription(society, subscription_id) -> WebhookSubscription:
    """One subscription of the society, or NotFoundError."""
    row = db.session.scalar(select(WebhookSubscription).where(WebhookSubscription.id == subscription_id))
    if row is None:
        raise NotFoundError(_("No such webhook."))
    return row


def unsubscribe(society, actor, row: WebhookSubscription) -> WebhookSubscription:
    """Stop sending to an endpoint (the delivery log is kept)."""
    row.active = False
    db.session.flush()
    return row


def deliveries_query(society, row: WebhookSubscription):
    """A subscription's delivery log, newest first."""
    return (select(WebhookDelivery).where(WebhookDelivery.subscription_id == row.id)
            .order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc()))


def redeliver(society, actor, delivery_id) -> WebhookDelivery:
    """Queue a delivery of this society again, now (a failed one gets a fresh set of attempts)."""
    row = db.session.scalar(select(WebhookDelivery).where(WebhookDelivery.id == delivery_id))
    if row is None:
        raise NotFoundError(_("No such delivery."))
    if row.state == DeliveryState.failed:
        row.attempts = 0
    row.state, row.next_attempt_at = DeliveryState.pending, utcnow()
    db.session.flush()
    return row


# --- events: watched on the session, turned into deliveries before commit -------------------

def _watch(session, _flush_context):
    from society_saas.decisions.models import DecisionEntry
    from society_saas.dues.models import Invoice, InvoiceState
    from society_saas.members.models import ApplicationStatus, MemberApplication

    found = session.info.setdefault("webhook_events", [])
    for obj in session.new:
        if isinstance(obj, DecisionEntry) and obj.entry_type == "record":
            found.append(("decision.recorded", obj))
    for obj in session.dirty:
        if isinstance(obj, MemberApplication) and obj.status == ApplicationStatus.approved \
                and attributes.get_history(obj, "status").has_changes():
            found.append(("member.approved", obj))
        elif isinstance(obj, Invoice) and obj.state == InvoiceState.paid \
                and attributes.get_history(obj, "state").has_changes():
            found.append(("dues.paid", obj))
    if not found:
        session.info.pop("webhook_events", None)


def _payload(kind: str, obj) -> dict:
    if kind == "decision.recorded":
        return {"decision_id": str(obj.decision_id), "seq": obj.seq, "kind": obj.kind, "title": obj.title,
                "body": obj.body, "result": obj.result, "hash": obj.hash}
    if kind == "member.approved":
        return {"application_id": str(obj.id), "kind": getattr(obj.kind, "value", obj.kind),
                "member_id": str(obj.member_id) if obj.member_id else None, "name": obj.applicant_name}
    return {"invoice_id": str(obj.id), "member_id": str(obj.member_id), "dues_year": obj.dues_year,
            "amount_fen": obj.amount_fen, "paid_fen": obj.paid_fen, "overpaid_fen": obj.overpaid_fen,
            "currency": obj.currency}


def _enqueue(session):
    found = session.info.pop("webhook_events", None)
    if not found:
        return
    from society_saas.tenancy.models import Society

    seen = set()
    for kind, obj in found:
        key = (kind, obj.society_id, obj.id)
        if key in seen:
            continue
        seen.add(key)
        with society_context(obj.society_id):
            subs = [s for s in session.scalars(select(WebhookSubscription).where(WebhookSubscription.active.is_(True)))
                    if kind in (s.events or [])]
            if not subs:
                continue
            society = session.get(Society, obj.society_id)
            payload = {"event": kind, "society": society.slug, "occurred_at": utcnow().isoformat(),
                       "data": _payload(kind, obj)}
            session.add_all(WebhookDelivery(society_id=obj.society_id, subscription_id=sub.id, event=kind,
                                            payload=payload) for sub in subs)
            session.flush()


def _forget(session, *_args):
    session.info.pop("webhook_events", None)


event.listen(Session, "after_flush", _watch)
event.listen(Session, "before_commit", _enqueue)
event.listen(Session, "after_rollback", _forget)


# --- delivery -------------------------------------------------------------------------------

class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # a redirect could lead the POST to an internal address after the check below
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def check_destination(url: str) -> None:
    """Refuse a delivery to a loopback, private, link-local or otherwise non-public address (SSRF),
    unless WEBHOOK_ALLOW_PRIVATE is set (development and tests)."""
    if current_app.config.get("WEBHOOK_ALLOW_PRIVATE"):
        return
    parsed = urlparse(url)
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    for *_rest, sockaddr in socket.getaddrinfo(parsed.hostname, port, proto=socket.IPPROTO_TCP):
        address = ipaddress.ip_address(sockaddr[0].split("%")[0])
        if not address.is_global:
            raise ValueError(f"destination {address} is not a public address")


def _post(url: str, body: bytes, headers: dict) -> int:
    check_destination(url)
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _opener.open(request, timeout=TIMEOUT) as response:  # noqa: S310 (http(s) checked at subscribe)
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def attempt(delivery: WebhookDelivery, send=_post) -> WebhookDelivery:
    """Send one delivery now; on failure schedule the next attempt (or give up after the last)."""
    sub = db.session.scalar(select(WebhookSubscription).where(WebhookSubscription.id == delivery.subscription_id))
    payload = {"id": str(delivery.id), **delivery.payload}
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    timestamp = int(time.time())
    headers = {"Content-Type": "application/json", "User-Agent": "society-saas-webhooks/1",
               "X-Society-Event": delivery.event, "X-Society-Delivery": str(delivery.id),
               "X-Society-Signature": sign(crypto.decrypt(sub.secret_encrypted), timestamp, body)}
    delivery.attempts += 1
    try:
        status, error = send(sub.url, body, headers), None
    except Exception as exc:  # network trouble of any kind is a failed attempt, never a crash
        status, error = None, f"{type(exc).__name__}: {exc}"[:500]
    delivery.last_status, delivery.last_error = status, error
    now = utcnow()
    if status is not None and 200 <= status < 300:
        delivery.state, delivery.delivered_at = DeliveryState.delivered, now
    elif delivery.attempts >= MAX_ATTEMPTS or not sub.active:
        delivery.state = DeliveryState.failed
    else:
        delivery.next_attempt_at = now + timedelta(seconds=BACKOFF[delivery.attempts - 1])
    db.session.flush()
    return delivery


def deliver_due(now=None, send=_post, limit: int = 100) -> int:
    """Send every due delivery of every society (claimed with SKIP LOCKED on PostgreSQL); commits per delivery."""
    from society_saas.core.db import utcnow as _now

    now = now or _now()
    due = (WebhookDelivery.state == DeliveryState.pending, WebhookDelivery.next_attempt_at <= now)
    with cross_society():
        society_ids = list(db.session.scalars(select(WebhookDelivery.society_id).where(*due).distinct()))
    db.session.commit()
    sent = 0
    for society_id in society_ids:
        with society_context(society_id):
            ids = list(db.session.scalars(select(WebhookDelivery.id).where(*due)
                                          .order_by(WebhookDelivery.next_attempt_at).limit(limit)))
            db.session.commit()
            for delivery_id in ids:
                row = db.session.scalar(select(WebhookDelivery).where(WebhookDelivery.id == delivery_id, *due)
                                        .with_for_update(skip_locked=True))
                if row is not None:
                    attempt(row, send)
                    sent += 1
                db.session.commit()
    return sent
