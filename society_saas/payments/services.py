"""The Stripe adapter: the society's keys, Checkout Sessions, refunds, and webhook events.

Each society uses its own Stripe account: its secret key and webhook signing secret are stored
encrypted (core/crypto.py) and entered by the secretary-general; a connected account id may
be given instead of own keys. `STRIPE_API_BASE` points the SDK at another server (the tests'
local stand-in), so nothing here ever needs the network in tests.
"""
import uuid

import stripe
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from society_saas.core import crypto
from society_saas.core.audit import actor_id
from society_saas.core.errors import ServiceError
from society_saas.dues.models import Invoice, InvoiceState, Payment, PaymentMethod, PaymentState, StripeEvent
from society_saas.dues.services import payments as dues_payments
from society_saas.dues.services.common import reason_required
from society_saas.extensions import db
from society_saas.payments.models import PaymentAccount

# Stripe payment method types we offer, and the method we record for each.
METHOD_TYPES = {"card": PaymentMethod.stripe_card, "alipay": PaymentMethod.alipay, "wechat_pay": PaymentMethod.wechat_pay}
HANDLED = ("checkout.session.completed", "checkout.session.async_payment_succeeded", "payment_intent.succeeded",
           "charge.refunded")
# What a PaymentIntent is retrieved with when an event does not say which method paid it.
USED_METHOD_EXPAND = ["latest_charge", "payment_method"]


class StripeUnavailable(Exception):
    """Stripe could not be asked something an event leaves out; the event is to be delivered again later."""


def account() -> PaymentAccount | None:
    """The society's Stripe account settings, if any."""
    return db.session.scalar(select(PaymentAccount).where(PaymentAccount.provider == "stripe"))


def is_configured() -> bool:
    """True when the society can take online payments."""
    acct = account()
    return bool(acct and acct.webhook_secret_encrypted and (acct.secret_key_encrypted or acct.connected_account_id))


def save_account(society, actor, data: dict) -> PaymentAccount:
    """Store the society's Stripe keys encrypted; an empty field keeps the stored value."""
    acct = account() or PaymentAccount(society_id=society.id, provider="stripe")
    secret = (data.get("secret_key") or "").strip()
    webhook = (data.get("webhook_secret") or "").strip()
    if secret and not secret.startswith(("sk_", "rk_")):
        raise ServiceError(_("A Stripe secret key starts with sk_ or rk_."), field="secret_key")
    if webhook and not webhook.startswith("whsec_"):
        raise ServiceError(_("A webhook signing secret starts with whsec_."), field="webhook_secret")
    if secret:
        acct.secret_key_encrypted = crypto.encrypt(secret)
    if webhook:
        acct.webhook_secret_encrypted = crypto.encrypt(webhook)
    acct.publishable_key = (data.get("publishable_key") or "").strip() or acct.publishable_key
    acct.connected_account_id = (data.get("connected_account_id") or "").strip() or None
    methods = [m for m in (data.get("methods") or ["card"]) if m in METHOD_TYPES]
    acct.methods = methods or ["card"]
    db.session.add(acct)
    db.session.flush()
    return acct


def _client(acct: PaymentAccount) -> stripe.StripeClient:
    key = crypto.decrypt(acct.secret_key_encrypted) or current_app.config.get("STRIPE_PLATFORM_KEY")
    if not key:
        raise ServiceError(_("Online payment is not set up for this society."))
    base = current_app.config.get("STRIPE_API_BASE")
    kwargs = {"base_addresses": {"api": base}} if base else {}
    return stripe.StripeClient(key, max_network_retries=1, **kwargs)


def _options(acct: PaymentAccount, idempotency_key: str) -> dict:
    opts = {"idempotency_key": idempotency_key}
    if acct.connected_account_id:
        opts["stripe_account"] = acct.connected_account_id
    return opts


def start_checkout(society, actor, invoice: Invoice, success_url: str, cancel_url: str) -> str:
    """Create a Checkout Session for what the invoice still owes; return the URL to send the payer to.

    A pending Payment is added first and its id is the idempotency key, so a retried create call
    returns the same session instead of a second one.
    """
    acct = account()
    if acct is None or not is_configured():
        raise ServiceError(_("Online payment is not set up for this society."))
    if invoice.state not in (InvoiceState.open, InvoiceState.partly_paid):
        raise ServiceError(_("This invoice has nothing left to pay."))
    owed = invoice.amount_fen - invoice.paid_fen
    reused = _open_session_url(acct, invoice, owed)
    if reused:
        return reused
    payment = Payment(society_id=society.id, invoice_id=invoice.id, member_id=invoice.member_id,
                      method=PaymentMethod.stripe_card, amount_fen=owed, currency=invoice.currency,
                      recorded_by=actor_id(actor))
    db.session.add(payment)
    db.session.flush()
    meta = {"society_id": str(society.id), "invoice_id": str(invoice.id), "payment_id": str(payment.id)}
    params = {
        "mode": "payment",
        "payment_method_types": list(acct.methods or ["card"]),
        "line_items": [{"quantity": 1, "price_data": {
            "currency": invoice.currency.lower(), "unit_amount": owed,
            "product_data": {"name": f"{society.name} {invoice.dues_year} 会费"}}}],
        "client_reference_id": str(invoice.id),
        "metadata": meta,
        "payment_intent_data": {"metadata": meta},
        "success_url": success_url,
        "cancel_url": cancel_url,
    }
    if "wechat_pay" in params["payment_method_types"]:
        params["payment_method_options"] = {"wechat_pay": {"client": "web"}}
    try:
        session = _client(acct).v1.checkout.sessions.create(params, options=_options(acct, f"checkout-{payment.id}"))
    except stripe.StripeError as exc:
        current_app.logger.warning("stripe checkout create failed: %s", exc)
        raise ServiceError(_("The payment service did not answer; try again later.")) from exc
    payment.provider_ref = session.id
    db.session.flush()
    return session.url


def _open_session_url(acct: PaymentAccount, invoice: Invoice, owed: int) -> str | None:
    """The URL of a checkout already started for this invoice and amount and still open on Stripe, so that
    paying twice (back button, a second tab) leads to the same session instead of a second charge; a
    session Stripe has expired leaves its payment cancelled."""
    pending = db.session.scalar(select(Payment).where(
        Payment.invoice_id == invoice.id, Payment.state == PaymentState.pending, Payment.provider_ref.is_not(None),
        Payment.method.in_(tuple(METHOD_TYPES.values())), Payment.amount_fen == owed).order_by(Payment.id.desc()))
    if pending is None:
        return None
    try:
        session = _client(acct).v1.checkout.sessions.retrieve(pending.provider_ref, options=_retrieve_options(acct))
    except stripe.StripeError as exc:
        current_app.logger.warning("stripe checkout retrieve failed: %s", exc)
        if exc.http_status == 404:
            # Stripe knows no such session under the society's keys now (they were changed): nobody can pay it
            # from here, so it no longer counts as a checkout under way; if it is paid after all, the webhook
            # still records the payment (a cancelled payment is received like a pending one)
            pending.state = PaymentState.cancelled
            db.session.flush()
        return None
    if session.status == "open":
        return session.url
    if session.status == "expired":
        pending.state = PaymentState.cancelled
        db.session.flush()
    return None


def _retrieve_options(acct: PaymentAccount) -> dict:
    return {"stripe_account": acct.connected_account_id} if acct.connected_account_id else {}


def refund_online(society, actor, payment: Payment, data: dict) -> Payment:
    """Ask Stripe to refund all or part of a card/Alipay/WeChat payment (an overpayment's excess, say); the
    webhook's charge.refunded records it too."""
    reason = reason_required(data)
    if payment.state not in (PaymentState.confirmed, PaymentState.duplicate) or not payment.provider_payment_ref:
        raise ServiceError(_("Only a received online payment can be refunded online."), field="reason")
    amount = dues_payments.refund_amount(payment, data)
    acct = account()
    try:
        refund = _client(acct).v1.refunds.create(
            {"payment_intent": payment.provider_payment_ref, "amount": amount, "metadata": {"payment_id": str(payment.id)}},
            options=_options(acct, f"refund-{payment.id}-{payment.refunded_fen}"))
    except stripe.StripeError as exc:
        current_app.logger.warning("stripe refund failed: %s", exc)
        raise ServiceError(_("The payment service did not answer; try again later.")) from exc
    return dues_payments.apply_refund(payment, payment.refunded_fen + int(refund.amount), reason)


def verify_event(payload: bytes, signature: str | None) -> stripe.Event:
    """Check Stripe's signature with the society's signing secret; raise ValueError or SignatureVerificationError."""
    acct = account()
    secret = crypto.decrypt(acct.webhook_secret_encrypted) if acct else None
    if not secret:
        raise ValueError("no webhook secret")
    return stripe.Webhook.construct_event(payload, signature or "", secret)


def _object_ref(event_type: str, obj: dict) -> str | None:
    if event_type.startswith("checkout.session"):
        return obj.get("id")
    if event_type.startswith("payment_intent"):
        return obj.get("id")
    if event_type.startswith("charge"):
        return obj.get("payment_intent")
    return None


def record_event(society, event: dict) -> str:
    """Record a verified event once and apply it, in the caller's transaction. Returns what happened.

    A repeat (same event id) changes nothing. Effects are facts, not transitions (a payment is
    received; the refunded total is at least N), so events in any order end in the same state; an
    event about a payment not known yet is parked (applied = false) and applied when it is linked.
    Raises StripeUnavailable when a payment's method has to be asked of Stripe and Stripe does not answer.
    """
    obj = event["data"]["object"]
    row = StripeEvent(society_id=society.id, event_id=event["id"], type=event["type"],
                      stripe_created=int(event.get("created") or 0), object_ref=_object_ref(event["type"], obj),
                      payload=event if isinstance(event, dict) else event.to_dict())
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        return "duplicate"
    if event["type"] not in HANDLED:
        row.applied = True
        return "ignored"
    row.applied = _apply(society, event["type"], obj)
    if row.applied:
        _apply_parked(society)
    db.session.flush()
    return "applied" if row.applied else "parked"


def _payment_for(event_type: str, obj: dict) -> Payment | None:
    meta = obj.get("metadata") or {}
    try:
        payment_id = uuid.UUID(str(meta.get("payment_id")))
    except ValueError:
        payment_id = None
    if payment_id is not None:
        payment = db.session.scalar(select(Payment).where(Payment.id == payment_id))
        if payment is not None:
            return payment
    if event_type.startswith("checkout.session"):
        return db.session.scalar(select(Payment).where(Payment.provider_ref == obj.get("id")))
    pi = obj.get("id") if event_type.startswith("payment_intent") else obj.get("payment_intent")
    if pi:
        return db.session.scalar(select(Payment).where(Payment.provider_payment_ref == pi))
    return None


def _apply(society, event_type: str, obj: dict) -> bool:
    payment = _payment_for(event_type, obj)
    if payment is None:
        return False
    if event_type.startswith("checkout.session"):
        if obj.get("payment_intent") and not payment.provider_payment_ref:
            payment.provider_payment_ref = obj["payment_intent"]
        if obj.get("payment_status") == "paid":
            _received(society, payment, obj.get("amount_total"), obj)
    elif event_type == "payment_intent.succeeded":
        if not payment.provider_payment_ref:
            payment.provider_payment_ref = obj.get("id")
        _received(society, payment, obj.get("amount_received") or obj.get("amount"), obj)
    elif event_type == "charge.refunded":
        if payment.state == PaymentState.pending:
            return False  # the payment's own success is still to come: keep this for later
        dues_payments.apply_refund(payment, int(obj.get("amount_refunded") or 0),
                                   payment.refund_reason or "Stripe")
    db.session.flush()
    return True


def _received(society, payment: Payment, amount, obj: dict) -> None:
    if payment.state in (PaymentState.pending, PaymentState.cancelled):
        method = _method_used(obj, payment.provider_payment_ref)  # before any change: it may have to ask Stripe
        if amount is not None and int(amount) != payment.amount_fen:
            payment.amount_fen = int(amount)
        payment.method = method
        dues_payments.receive(society, None, payment)  # paid already (another tab, cash): a duplicate to refund


def _method_used(obj: dict, intent_id: str | None) -> PaymentMethod:
    """The method the payer actually paid with, from the event when it says, else from its PaymentIntent."""
    used = _used_type(obj)
    if used is None and intent_id:
        used = _used_type(_retrieve_intent(intent_id))
    if used in METHOD_TYPES:
        return METHOD_TYPES[used]
    current_app.logger.warning("stripe payment method type %r has no method of its own: recorded as other", used)
    return PaymentMethod.other


def _used_type(obj) -> str | None:
    """The Stripe payment method type an object shows was used, or None when it does not carry it.

    `payment_method_types` lists what the payer was offered, so it only answers when it offers one type.
    The type used is on the charge (`payment_method_details.type`) and the PaymentMethod (`type`), which a
    PaymentIntent links as `latest_charge` and `payment_method` and a Checkout Session as `payment_intent`:
    ids in webhook payloads, objects only where a retrieve expanded them.
    """
    if not isinstance(obj, dict):
        return None  # an id, not expanded
    if obj.get("object") == "payment_method":
        return obj.get("type")
    details = obj.get("payment_method_details")
    if isinstance(details, dict) and details.get("type"):
        return details["type"]
    # API versions before 2022-11-15 embed the PaymentIntent's charges instead of `latest_charge`.
    charges = obj.get("charges")
    legacy = (charges.get("data") or []) if isinstance(charges, dict) else []
    succeeded = [c for c in legacy if isinstance(c, dict) and c.get("status") == "succeeded"]
    for linked in (obj.get("latest_charge"), obj.get("payment_method"), obj.get("payment_intent"), *succeeded):
        found = _used_type(linked)
        if found:
            return found
    offered = set(obj.get("payment_method_types") or ())
    return offered.pop() if len(offered) == 1 else None


def _retrieve_intent(intent_id: str) -> dict:
    """The PaymentIntent with its charge and PaymentMethod expanded; StripeUnavailable when Stripe cannot say."""
    acct = account()
    if acct is None:
        raise StripeUnavailable("no Stripe account")
    try:
        return _client(acct).v1.payment_intents.retrieve(intent_id, {"expand": USED_METHOD_EXPAND},
                                                         options=_retrieve_options(acct))
    except (stripe.StripeError, ServiceError) as exc:
        current_app.logger.warning("stripe payment intent retrieve failed: %s", exc)
        raise StripeUnavailable(str(exc)) from exc


def _apply_parked(society) -> None:
    """Apply events that waited for a payment that is now known, oldest first."""
    for row in db.session.scalars(select(StripeEvent).where(StripeEvent.applied.is_(False))
                                  .order_by(StripeEvent.stripe_created, StripeEvent.id)).all():
        obj = row.payload["data"]["object"]
        try:
            with db.session.begin_nested():
                if row.type in HANDLED and _apply(society, row.type, obj):
                    row.applied = True
        except StripeUnavailable:
            continue  # stays parked for the next event, which must not fail for it (Stripe would resend that one)
