"""A real SMTP server on 127.0.0.1 for the tests, whose answers a test can script."""

from __future__ import annotations

import asyncio
import contextlib
import email
import email.policy
import socket
import threading

from aiosmtpd.controller import Controller


class Mailbox:
    """Keeps every message it accepts; `data_replies` answers the next DATA commands
    (e.g. "451 4.3.0 try again later"), `rcpt_replies` refuses given addresses."""

    def __init__(self, delay: float = 0.0):
        self.received: list[tuple[str, tuple[str, ...], bytes]] = []
        self.data_replies: list[str] = []
        self.rcpt_replies: dict[str, str] = {}
        self.delay = delay
        self.lock = threading.Lock()
        #: keep the next N messages, then hang up instead of answering (the client cannot know)
        self.hang_up_after_data = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.rcpt_replies:
            return self.rcpt_replies[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            if self.data_replies:
                reply = self.data_replies.pop(0)
                if not reply.startswith("250"):
                    return reply
            self.received.append((envelope.mail_from, tuple(envelope.rcpt_tos), envelope.original_content))
            if self.hang_up_after_data:
                self.hang_up_after_data -= 1
                server.transport.abort()
        return "250 2.0.0 OK: queued"

    def messages(self) -> list[email.message.EmailMessage]:
        with self.lock:
            return [email.message_from_bytes(data, policy=email.policy.default) for _, _, data in self.received]

    def message_ids(self) -> list[str]:
        return [str(m["Message-ID"]).strip() for m in self.messages()]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def smtp_server(mailbox: Mailbox, smtputf8: bool = False):
    """Serve `mailbox` on 127.0.0.1 for the `with` block; yields the port. `smtputf8`: offer SMTPUTF8."""
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port,
                            **({"enable_SMTPUTF8": True} if smtputf8 else {}))
    controller.start()
    mailbox.stop = controller.stop
    try:
        yield port
    finally:
        if controller._thread is not None:  # a test may have stopped it already
            controller.stop()
