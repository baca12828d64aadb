"""Online payment: the society's Stripe account, Checkout Sessions and the webhook."""
