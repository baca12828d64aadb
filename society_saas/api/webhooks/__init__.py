"""Outgoing webhooks: subscriptions per society, an outbox of deliveries, HMAC-signed, retried with backoff."""
