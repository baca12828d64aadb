"""A real SMTP server (aiosmtpd) on loopback for mail tests: the `smtp` fixture and `settle`."""
import socket
import time

import pytest
from aiosmtpd.controller import Controller


class Inbox:
    """What the server received: (sorted recipients, message text) per mail."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((sorted(envelope.rcpt_tos), envelope.content.decode("utf-8", "replace")))
        return "250 OK"


@pytest.fixture
def smtp(app):
    """Start an SMTP server on a free port and point the app's mail at it; yields (port, inbox)."""
    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    yield port, inbox
    controller.stop()


def settle(inbox, n: int) -> int:
    """Wait (up to 5 s) until n mails arrived, then a moment more for any extra one; return the count."""
    deadline = time.monotonic() + 5
    while len(inbox.messages) < n and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.1)
    return len(inbox.messages)
