"""Real servers on loopback for mail tests: aiosmtpd (the `smtp_server` fixture of conftest.py starts one)
and a black hole that accepts connections and never answers; `wait_for_mail` is the tests' sync point."""
import email
import socket
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default as default_policy

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from portal.core.mail import SENDER


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
        """Refuse the addresses in `refuse` for good (550, naming the address as Postfix does), accept the others."""
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected: mailbox unavailable"
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


class BlackHoleServer:
    """A loopback TCP server that accepts connections and never answers, or sends only `greeting` (then
    reads nothing and answers no command): the SMTP server that stalled every request in the audit."""

    def __init__(self, greeting: bytes | None = None):
        """Listen on a free port and accept in a thread."""
        self.greeting = greeting
        self.connections: list[socket.socket] = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.1)
        self.port = self.listener.getsockname()[1]
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._accept, name="black-hole-smtp", daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        """Take every connection and keep it open, silent."""
        while not self.stopping.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections.append(conn)
            if self.greeting:
                conn.sendall(self.greeting)

    def stop(self) -> None:
        """Close the port and every connection (a client waiting on it sees the connection end)."""
        self.stopping.set()
        self.thread.join(5)
        self.listener.close()
        for conn in self.connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            conn.close()


def wait_for_mail(app, timeout: float = 10) -> None:
    """Wait until the app's background mail sender has handled every wake so far (the tests' sync point)."""
    with app.app_context():
        assert SENDER.wait_idle(timeout), "后台邮件发送未在限定时间内完成"
