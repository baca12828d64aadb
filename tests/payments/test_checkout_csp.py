"""The CSP lets the pay form go on to the checkout page of whichever Stripe server is configured, and nowhere else."""


def _form_action(client) -> str:
    csp = client.get("/healthz").headers["Content-Security-Policy"]
    return next(d.strip() for d in csp.split(";") if d.strip().startswith("form-action"))


def test_form_action_is_stripe_checkout_by_default(app, client):
    assert _form_action(client) == "form-action 'self' https://checkout.stripe.com"


def test_form_action_adds_the_configured_stripe_server(app, client):
    app.config["STRIPE_API_BASE"] = "http://127.0.0.1:5999/v1-root/"
    assert _form_action(client) == "form-action 'self' https://checkout.stripe.com http://127.0.0.1:5999"
