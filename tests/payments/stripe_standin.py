"""A small local server speaking Stripe's wire format for the calls this product makes.

localstripe (PyPI) has no Checkout Sessions, so this stand-in covers exactly what we use:
POST /v1/checkout/sessions, GET /v1/checkout/sessions/<id>, GET /v1/payment_intents/<id>,
GET /v1/charges/<id>, GET /v1/payment_methods/<id> (each honouring `expand`), POST /v1/refunds, plus
GET /pay/<session id>, a checkout page a browser can use, and POST /pay/<session id> which "pays" a
session the way a payer on Stripe's page would (sent from that page, it then goes back to the
session's success_url), and then sends the webhook events Stripe sends, signed exactly as Stripe signs them:
`Stripe-Signature: t=<unix time>,v1=<hex HMAC-SHA256(secret, f"{t}.{payload}")>`.

As on Stripe, `payment_method_types` stays the list of methods the payer was offered; the method actually
used is only on the PaymentIntent's charge (`latest_charge` -> `payment_method_details.type`) and its
PaymentMethod (`payment_method` -> `type`), which event payloads carry as ids, never expanded.
It runs werkzeug in a thread on 127.0.0.1 with a free port; nothing reaches the network.
"""
import hashlib
import hmac
import itertools
import json
import re
import secrets
import threading
import time

from flask import Flask, jsonify, redirect, request
from markupsafe import escape
from werkzeug.serving import make_server


def sign(payload: str, secret: str, timestamp: int | None = None) -> str:
    """The Stripe-Signature header for a payload."""
    t = int(timestamp if timestamp is not None else time.time())
    mac = hmac.new(secret.encode(), f"{t}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


def _nest(form) -> dict:
    """Stripe's form encoding (a[b][0][c]=v) back into nested dicts and lists."""
    root: dict = {}
    for key, value in form.items(multi=True):
        parts = re.findall(r"[^\[\]]+", key)
        node = root
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            if last:
                node[part] = value
            else:
                node = node.setdefault(part, {})
    return _lists(root)


def _expand_paths(args) -> list[str]:
    """The `expand` parameter of a GET, sent as expand[0]=a&expand[1]=b (stripe-python) or expand[]=a."""
    return [v for k, v in args.items(multi=True) if k == "expand" or re.fullmatch(r"expand\[\d*\]", k)]


# Which id fields of each object Stripe can expand, and the stand-in's store of the objects they name.
EXPANDABLE = {"checkout.session": {"payment_intent": "payment_intents"},
              "payment_intent": {"latest_charge": "charges", "payment_method": "payment_methods"},
              "charge": {"payment_intent": "payment_intents"}}


def _lists(node):
    if isinstance(node, dict):
        if node and all(k.isdigit() for k in node):
            return [_lists(node[k]) for k in sorted(node, key=int)]
        return {k: _lists(v) for k, v in node.items()}
    return node


class StripeStandIn:
    """The stand-in server; `deliver(payload, headers)` sends webhook events to the app under test."""

    def __init__(self, webhook_secret: str, deliver=None):
        self.webhook_secret = webhook_secret
        self.deliver = deliver
        self.sessions: dict[str, dict] = {}
        self.refunds: dict[str, dict] = {}
        self.payment_intents: dict[str, dict] = {}
        self.charges: dict[str, dict] = {}
        self.payment_methods: dict[str, dict] = {}
        self.down = False  # True: every API call answers 500, as when Stripe has an outage
        self.idempotent: dict[str, tuple] = {}
        self.requests: list[tuple[str, str, dict]] = []
        self.accounts: list[str | None] = []  # the Stripe-Account header of each create call (connected accounts)
        self.sent_events: list[dict] = []
        self._ids = itertools.count(1)
        self.app = self._make_app()
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self._thread.join(timeout=5)

    def _id(self, prefix: str) -> str:
        return f"{prefix}_test_{next(self._ids):06d}{secrets.token_hex(4)}"

    def _make_app(self) -> Flask:
        app = Flask("stripe_standin")

        def authorised():
            auth = request.headers.get("Authorization", "")
            return auth.startswith("Bearer sk_")

        def error(status, message, type_="invalid_request_error"):
            return jsonify({"error": {"type": type_, "message": message}}), status

        @app.before_request
        def outage():
            if self.down and request.path.startswith("/v1/"):
                return error(500, "An unknown error occurred", "api_error")
            return None

        def idempotent(fn):
            key = request.headers.get("Idempotency-Key")
            if key and key in self.idempotent:
                body, status = self.idempotent[key]
                return jsonify(body), status
            body, status = fn()
            if key:
                self.idempotent[key] = (body, status)
            return jsonify(body), status

        @app.post("/v1/checkout/sessions")
        def create_session():
            if not authorised():
                return error(401, "Invalid API Key provided", "authentication_error")
            params = _nest(request.form)
            self.requests.append(("POST", "/v1/checkout/sessions", params))
            self.accounts.append(request.headers.get("Stripe-Account"))

            def make():
                sid = self._id("cs")
                items = params.get("line_items") or []
                total = sum(int(i["price_data"]["unit_amount"]) * int(i.get("quantity", 1)) for i in items)
                session = {"id": sid, "object": "checkout.session", "mode": params.get("mode"), "status": "open",
                           "payment_status": "unpaid", "amount_total": total,
                           "currency": items[0]["price_data"]["currency"] if items else "cny",
                           "client_reference_id": params.get("client_reference_id"),
                           "metadata": params.get("metadata") or {},
                           "payment_method_types": params.get("payment_method_types") or ["card"],
                           "payment_intent": None, "url": f"{self.base}/pay/{sid}", "livemode": False,
                           "success_url": params.get("success_url"), "cancel_url": params.get("cancel_url"),
                           "_pi_metadata": (params.get("payment_intent_data") or {}).get("metadata") or {}}
                self.sessions[sid] = session
                return self._public(session), 200
            return idempotent(make)

        def retrieve(kind: str, store: dict, oid: str):
            if not authorised():
                return error(401, "Invalid API Key provided", "authentication_error")
            paths = _expand_paths(request.args)
            self.requests.append(("GET", request.path, {"expand": paths}))
            if oid not in store:
                return error(404, f"No such {kind}: '{oid}'")
            try:
                return jsonify(self.expanded(store[oid], paths))
            except KeyError as exc:
                return error(400, f"This property cannot be expanded ({exc.args[0]}).")

        @app.get("/v1/checkout/sessions/<sid>")
        def get_session(sid):
            return retrieve("checkout.session", self.sessions, sid)

        @app.get("/v1/payment_intents/<pid>")
        def get_payment_intent(pid):
            return retrieve("payment_intent", self.payment_intents, pid)

        @app.get("/v1/charges/<cid>")
        def get_charge(cid):
            return retrieve("charge", self.charges, cid)

        @app.get("/v1/payment_methods/<pmid>")
        def get_payment_method(pmid):
            return retrieve("payment_method", self.payment_methods, pmid)

        @app.post("/v1/refunds")
        def create_refund():
            if not authorised():
                return error(401, "Invalid API Key provided", "authentication_error")
            params = _nest(request.form)
            self.requests.append(("POST", "/v1/refunds", params))
            session = next((s for s in self.sessions.values() if s["payment_intent"] == params.get("payment_intent")), None)
            if session is None:
                return error(404, "No such payment_intent")

            def make():
                amount = int(params.get("amount") or session["amount_total"])
                session["_refunded"] = session.get("_refunded", 0) + amount
                refund = {"id": self._id("re"), "object": "refund", "amount": amount, "currency": session["currency"],
                          "payment_intent": session["payment_intent"], "status": "succeeded",
                          "metadata": params.get("metadata") or {}}
                self.refunds[refund["id"]] = refund
                return refund, 200
            return idempotent(make)

        @app.get("/pay/<sid>")
        def checkout_page(sid):
            if sid not in self.sessions:
                return "No such checkout session", 404
            session = self.sessions[sid]
            amount = f"{session['amount_total'] / 100:.2f} {session['currency'].upper()}"
            return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Stripe Checkout (test)</title>'
                    f'<meta name="viewport" content="width=device-width, initial-scale=1"></head><body>'
                    f'<h1>Pay {escape(amount)}</h1><form method="post"><input type="hidden" name="return" value="1">'
                    f'<label>Method <select name="method">'
                    + "".join(f'<option>{escape(m)}</option>' for m in session["payment_method_types"])
                    + '</select></label> <button type="submit">Pay</button></form>'
                    f'<p><a href="{escape(session["cancel_url"] or "")}">Cancel</a></p></body></html>')

        @app.post("/pay/<sid>")
        def pay(sid):
            self.pay(sid, method=request.form.get("method", "card"))
            if request.form.get("return") and self.sessions[sid].get("success_url"):
                return redirect(self.sessions[sid]["success_url"], code=303)
            return "paid"

        return app

    @staticmethod
    def _public(session: dict) -> dict:
        return {k: v for k, v in session.items() if not k.startswith("_")}

    def expanded(self, obj: dict, paths: list[str]) -> dict:
        """A copy of an object as the API returns it, with the `expand` paths (a.b.c) replaced by objects;
        KeyError names a path that cannot be expanded."""
        out = self._public(obj)
        for path in paths:
            node, parts = out, path.split(".")
            for i, part in enumerate(parts):
                store = EXPANDABLE.get(node.get("object"), {}).get(part)
                if store is None:
                    raise KeyError(".".join(parts[:i + 1]))
                if isinstance(node.get(part), str):
                    node[part] = self._public(getattr(self, store)[node[part]])
                if node.get(part) is None:
                    break
                node = node[part]
        return out

    # --- what Stripe does when the payer pays, and the events it sends ---

    def pay(self, sid: str, method: str = "card", send: bool = True) -> list[dict]:
        """The payer pays a session with one of its offered methods: Stripe makes the PaymentMethod, the
        PaymentIntent and its charge; build (and by default send) checkout.session.completed and
        payment_intent.succeeded, whose payloads name the charge and the PaymentMethod by id only."""
        session = self.sessions[sid]
        if method not in session["payment_method_types"]:
            raise ValueError(f"{method} is not offered by {sid}: {session['payment_method_types']}")
        pi_id, charge_id, pm_id = self._id("pi"), self._id("ch"), self._id("pm")
        self.payment_methods[pm_id] = {"id": pm_id, "object": "payment_method", "type": method, method: {},
                                       "created": int(time.time()), "livemode": False, "metadata": {}}
        self.charges[charge_id] = {
            "id": charge_id, "object": "charge", "amount": session["amount_total"],
            "amount_captured": session["amount_total"], "amount_refunded": 0, "captured": True, "paid": True,
            "refunded": False, "status": "succeeded", "currency": session["currency"], "payment_intent": pi_id,
            "payment_method": pm_id, "payment_method_details": {"type": method, method: {}},
            "metadata": {}, "livemode": False}
        self.payment_intents[pi_id] = {
            "id": pi_id, "object": "payment_intent", "amount": session["amount_total"],
            "amount_received": session["amount_total"], "currency": session["currency"], "status": "succeeded",
            "metadata": session["_pi_metadata"], "payment_method_types": list(session["payment_method_types"]),
            "payment_method": pm_id, "latest_charge": charge_id, "livemode": False}
        session.update(status="complete", payment_status="paid", payment_intent=pi_id)
        events = [self.event("checkout.session.completed", self._public(session)),
                  self.event("payment_intent.succeeded", dict(self.payment_intents[pi_id]))]
        if send:
            for e in events:
                self.send(e)
        return events

    def charge_refunded(self, sid: str) -> dict:
        """The charge.refunded event for a session's payment, with the cumulative amount refunded."""
        session = self.sessions[sid]
        charge = self.charges[self.payment_intents[session["payment_intent"]]["latest_charge"]]
        charge.update(amount_refunded=session.get("_refunded", session["amount_total"]))
        charge.update(refunded=charge["amount_refunded"] >= charge["amount"])
        return self.event("charge.refunded", dict(charge))

    def event(self, type_: str, obj: dict) -> dict:
        """A Stripe event envelope."""
        return {"id": self._id("evt"), "object": "event", "api_version": "2024-06-20", "created": int(time.time()),
                "type": type_, "livemode": False, "pending_webhooks": 1, "data": {"object": obj}}

    def send(self, event: dict, secret: str | None = None):
        """Sign and deliver an event as Stripe would; returns the app's response."""
        payload = json.dumps(event)
        header = sign(payload, secret or self.webhook_secret)
        self.sent_events.append(event)
        return self.deliver(payload.encode(), {"Stripe-Signature": header, "Content-Type": "application/json"})
