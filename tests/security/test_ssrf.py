"""Outgoing webhooks cannot be aimed at the platform's own network (SSRF)."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from society_saas.api.webhooks import services as webhooks


@pytest.fixture
def loopback_receiver():
    """A receiver on 127.0.0.1 that counts what reaches it."""
    got = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            got.append(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/hook", got
    server.shutdown()


@pytest.mark.parametrize("url", ["http://127.0.0.1/x", "http://10.0.0.5/x", "http://192.168.1.1/x",
                                 "http://169.254.169.254/latest/meta-data", "http://[::1]/x", "http://localhost/x"])
def test_private_destinations_are_refused(app, url):
    with app.app_context():
        with pytest.raises(ValueError, match="not a public address"):
            webhooks.check_destination(url)


def test_a_loopback_receiver_gets_nothing_unless_allowed(app, loopback_receiver):
    url, got = loopback_receiver
    body = json.dumps({"event": "ping"}).encode()
    with app.app_context():
        with pytest.raises(ValueError):
            webhooks._post(url, body, {"Content-Type": "application/json"})
        assert got == []
        app.config["WEBHOOK_ALLOW_PRIVATE"] = True
        assert webhooks._post(url, body, {"Content-Type": "application/json"}) == 204
        assert got == [body]


def test_redirects_are_not_followed(app):
    """A public receiver answering 307 to an internal address gets a failed attempt, not a second POST."""
    hits = []

    class Redirector(BaseHTTPRequestHandler):
        def do_POST(self):
            hits.append(self.path)
            self.send_response(307)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Redirector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with app.app_context():
            app.config["WEBHOOK_ALLOW_PRIVATE"] = True  # let the first hop reach the local stand-in
            status = webhooks._post(f"http://127.0.0.1:{server.server_port}/hook", b"{}", {})
        assert status == 307 and hits == ["/hook"]
    finally:
        server.shutdown()
