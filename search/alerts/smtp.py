"""Delivery through an SMTP server named by a URL (``MANCHETTE_SMTP_URL``): the only I/O here.

- ``smtp://host[:25]``: plain SMTP (a local relay);
- ``smtp://user:pass@host:587?starttls=1``: STARTTLS before logging in;
- ``smtps://user:pass@host[:465]``: TLS from the first byte.

User and password are percent-decoded (``%40`` for ``@``). Certificates are checked against
the system's CAs. A login is only sent over TLS, unless the host is the loopback.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

DEFAULT_PORTS = {"smtp": 25, "smtps": 465}
TIMEOUT = 30.0
LOOPBACK = ("127.0.0.1", "::1", "localhost")


class DeliveryFailed(Exception):
    """The server did not accept the message (nothing was delivered): retry later."""


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    tls: bool = False  # smtps: TLS from the start
    starttls: bool = False
    user: str | None = None
    password: str | None = field(default=None, repr=False)

    def describe(self) -> str:
        """The server without its password, for messages."""
        scheme = "smtps" if self.tls else "smtp"
        user = f"{self.user}@" if self.user else ""
        suffix = "?starttls=1" if self.starttls else ""
        return f"{scheme}://{user}{self.host}:{self.port}{suffix}"


def parse_smtp_url(url: str) -> SmtpServer:
    """The server a ``MANCHETTE_SMTP_URL`` names; a malformed one raises ValueError."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"invalid SMTP URL: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise ValueError("the SMTP URL must start with smtp:// or smtps://")
    if not parts.hostname:
        raise ValueError("the SMTP URL names no host")
    options = parse_qs(parts.query)
    starttls = options.get("starttls", ["0"])[-1].lower() in ("1", "true", "yes")
    if starttls and scheme == "smtps":
        raise ValueError("starttls=1 is for smtp:// (smtps:// is TLS already)")
    password = unquote(parts.password) if parts.password is not None else None
    if password and not (scheme == "smtps" or starttls or parts.hostname in LOOPBACK):
        raise ValueError("refusing to send a password in clear text: use smtps:// or ?starttls=1")
    return SmtpServer(
        host=parts.hostname,
        port=port or DEFAULT_PORTS[scheme],
        tls=scheme == "smtps",
        starttls=starttls,
        user=unquote(parts.username) if parts.username else None,
        password=password,
    )


def _connect(server: SmtpServer, timeout: float) -> smtplib.SMTP:
    if server.tls:
        context = ssl.create_default_context()
        return smtplib.SMTP_SSL(server.host, server.port, timeout=timeout, context=context)
    client = smtplib.SMTP(server.host, server.port, timeout=timeout)
    if server.starttls:
        client.starttls(context=ssl.create_default_context())
    return client


def deliver(server: SmtpServer, message: EmailMessage, timeout: float = TIMEOUT) -> list[str]:
    """Hand ``message`` to the server; return the recipients it refused (the others got it).

    Raises DeliveryFailed when nothing was accepted: the server is down, refused the login,
    the sender, every recipient or the data (a 4xx or 5xx answer).
    """
    try:
        with _connect(server, timeout) as client:
            if server.user:
                client.login(server.user, server.password or "")
            refused = client.send_message(message)
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryFailed(f"{server.describe()}: {_reason(exc)}") from exc
    return sorted(refused)


def _reason(exc: Exception) -> str:
    """What went wrong, in words a newsroom can act on (no exception class names)."""
    if isinstance(exc, smtplib.SMTPResponseException):
        error = exc.smtp_error or b""
        text = error.decode("utf-8", "replace") if isinstance(error, bytes) else error
        return f"the server answered {exc.smtp_code} {text}".strip()
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "every recipient was refused"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return f"the server closed the connection ({exc})"
    if isinstance(exc, TimeoutError):
        return "the server did not answer in time"
    if isinstance(exc, ssl.SSLError):
        return f"TLS failed ({exc.reason or exc})"
    if isinstance(exc, OSError):
        return f"cannot reach the server ({exc.strerror or exc})"
    return str(exc)
