"""SMTP URLs and delivery to a real server on the loopback."""

from __future__ import annotations

from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from alert_fixtures import MailHandler, free_port

from search.alerts.smtp import DeliveryFailed, SmtpServer, deliver, parse_smtp_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://mail.example.org", SmtpServer("mail.example.org", 25)),
        ("smtp://127.0.0.1:2525", SmtpServer("127.0.0.1", 2525)),
        (
            "smtps://u:p%40ss@mail.example.org",
            SmtpServer("mail.example.org", 465, True, False, "u", "p@ss"),
        ),
        (
            "smtp://u%40x:pw@mail.example.org:587?starttls=1",
            SmtpServer("mail.example.org", 587, False, True, "u@x", "pw"),
        ),
        ("SMTP://localhost:1025", SmtpServer("localhost", 1025)),
        ("smtp://u:pw@localhost:1025", SmtpServer("localhost", 1025, user="u", password="pw")),
    ],
)
def test_urls(url: str, expected: SmtpServer):
    assert parse_smtp_url(url) == expected


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("http://mail.example.org", "smtp:// or smtps://"),
        ("mail.example.org:25", "smtp:// or smtps://"),
        ("smtp://", "no host"),
        ("smtp://mail.example.org:port", "invalid SMTP URL"),
        ("smtps://mail.example.org?starttls=1", "TLS already"),
        ("smtp://u:pw@mail.example.org:25", "clear text"),
    ],
)
def test_bad_urls(url: str, error: str):
    with pytest.raises(ValueError, match=error):
        parse_smtp_url(url)


def test_the_password_never_shows():
    server = parse_smtp_url("smtps://user:secret@mail.example.org")
    assert "secret" not in repr(server) and "secret" not in server.describe()
    assert server.describe() == "smtps://user@mail.example.org:465"


def message(to: str = "a@example.org, b@example.org") -> EmailMessage:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = "alerts@example.org", to, "hello"
    mail.set_content("body text")
    return mail


def test_delivers_to_every_recipient(smtp):
    assert deliver(parse_smtp_url(smtp.url), message()) == []
    [got] = smtp.received
    assert got.sender == "alerts@example.org"
    assert got.recipients == ["a@example.org", "b@example.org"]
    assert got.message["Subject"] == "hello" and got.message.get_content().strip() == "body text"


def test_a_temporary_refusal_is_a_failed_delivery(smtp):
    smtp.handler.fail_with = "451 4.3.0 try again later"
    with pytest.raises(DeliveryFailed, match=r"451 4\.3\.0 try again later"):
        deliver(parse_smtp_url(smtp.url), message())
    assert smtp.received == []


def test_a_server_that_is_down_is_a_failed_delivery():
    with pytest.raises(DeliveryFailed, match=r"cannot reach the server \(Connection refused\)"):
        deliver(parse_smtp_url(f"smtp://127.0.0.1:{free_port()}"), message(), timeout=5)


def test_refused_recipients_are_returned_the_others_get_it(smtp):
    smtp.handler.refuse = {"b@example.org"}
    assert deliver(parse_smtp_url(smtp.url), message()) == ["b@example.org"]
    assert smtp.received[0].recipients == ["a@example.org"]
    smtp.handler.refuse = {"a@example.org", "b@example.org"}
    with pytest.raises(DeliveryFailed, match="every recipient was refused"):
        deliver(parse_smtp_url(smtp.url), message())


def test_logs_in_with_the_url_credentials():
    logins: list[tuple[bytes, bytes]] = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"p@ss")

    handler, port = MailHandler(), free_port()
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=port,
        authenticator=authenticator,
        auth_require_tls=False,  # the loopback only: our client refuses this anywhere else
    )
    controller.start()
    try:
        deliver(parse_smtp_url(f"smtp://desk:p%40ss@127.0.0.1:{port}"), message())
        with pytest.raises(DeliveryFailed):  # 535 to PLAIN; aiosmtpd then stalls on LOGIN
            deliver(parse_smtp_url(f"smtp://desk:wrong@127.0.0.1:{port}"), message(), timeout=2)
    finally:
        controller.stop()
    assert logins[:2] == [(b"desk", b"p@ss"), (b"desk", b"wrong")]
    assert len(handler.received) == 1
