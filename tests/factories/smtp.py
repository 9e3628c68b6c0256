"""A real SMTP server on loopback for mail tests (the `smtp_server` fixture of conftest.py starts one)."""
import email
import socket
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default as default_policy

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    """One message as the server got it: the envelope and the parsed message."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


@dataclass
class SmtpServer:
    """A running aiosmtpd server that keeps what it receives."""

    port: int
    messages: list[Received] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    controller: Controller | None = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        """Refuse the addresses in `refuse` for good (550), accept the others."""
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        """Keep the message and accept it."""
        parsed = email.message_from_bytes(envelope.content, policy=default_policy)
        self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 OK"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        """Accept any login and remember it (the client under test must log in when configured)."""
        self.logins.append((auth_data.login.decode(), auth_data.password.decode()))
        return AuthResult(success=True)

    def stop(self) -> None:
        """Shut the server down; the port is closed afterwards."""
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def start_smtp_server(port: int | None = None) -> SmtpServer:
    """Start a server on 127.0.0.1 (on `port`, or a free one); AUTH is offered without TLS."""
    server = SmtpServer(port=port or free_port())
    server.controller = Controller(
        server, hostname="127.0.0.1", port=server.port,
        authenticator=server.authenticate, auth_require_tls=False,
    )
    server.controller.start()
    return server
