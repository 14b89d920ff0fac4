"""The webhook and email notifiers against real local servers on 127.0.0.1."""

import asyncio
import email
import hashlib
import hmac
import json
from datetime import timedelta
from email import policy

import httpx
import pytest

from adapters.notifiers.email import SmtpEmailNotifier
from adapters.notifiers.webhook import NO_ADDRESS, WebhookNotifier
from application.shared.errors import UpstreamFailed
from domain.calendar.reminder import Channel, ReminderStatus
from domain.calendar.webhook import CalendarWebhook
from tests.factories import account
from tests.fakes import PUBLIC_ADDRESS, FakeResolver

SECRET = "whsec_local-test-secret"


class WebhookReceiver:
    """A tiny HTTP server that checks X-Atrium-Signature against its own HMAC of the body."""

    def __init__(self, status: int = 200, stall: bool = False) -> None:
        self.status, self.stall, self.received = status, stall, []

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode()
        fields = (line.split(": ", 1) for line in head.split("\r\n")[1:] if line)
        headers = {name.lower(): value for name, value in fields}
        body = await reader.readexactly(int(headers["content-length"]))
        expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        valid = hmac.compare_digest(headers.get("x-atrium-signature", ""), expected)
        self.received.append((headers, json.loads(body), valid))
        if self.stall:
            await asyncio.sleep(30)
        status = self.status if valid else 401
        writer.write(f"HTTP/1.1 {status} Whatever\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".encode())
        await writer.drain()
        writer.close()


@pytest.fixture
async def receiver():
    receiver = WebhookReceiver()
    server = await asyncio.start_server(receiver.handle, "127.0.0.1", 0)
    receiver.url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/hooks/atrium"
    async with server:
        yield receiver
    server.close()


async def use_webhook(cal, owner, url: str, *, timeout: float = 5.0, allow_private: bool = True,
                      resolver: FakeResolver | None = None, transport=None) -> WebhookNotifier:
    async with cal.uow() as uow:
        await uow.calendar_webhooks.save(CalendarWebhook(owner, url, SECRET, cal.clock.now()))
        await uow.commit()
    notifier = WebhookNotifier(cal.uow, resolver or FakeResolver(), timeout=timeout,
                               allow_private_networks=allow_private, transport=transport)
    cal.dispatch_reminders.notifiers[Channel.WEBHOOK] = notifier
    return notifier


async def due_webhook_reminder(cal, owner):
    start = cal.clock.now() + timedelta(minutes=30)
    event = await cal.create_event(owner, title="Review", start_time=start, end_time=start + timedelta(hours=1),
                                   location="Room 4")
    reminder = await cal.create_reminder(owner, event.id, minutes_before=30, channel="webhook")
    return event, reminder


async def test_the_webhook_gets_the_reminder_as_signed_json(cal, owner, receiver):
    await use_webhook(cal, owner, receiver.url)
    event, reminder = await due_webhook_reminder(cal, owner)
    assert (await cal.dispatch_reminders()).delivered == 1
    [(headers, body, valid)] = receiver.received
    assert valid and headers["content-type"] == "application/json"
    assert headers["x-atrium-delivery"] == body["delivery_id"] == f"{reminder.id}:{reminder.due_at.isoformat()}"
    assert (body["type"], body["event_id"], body["title"], body["location"]) == (
        "reminder.due", str(event.id), "Review", "Room 4")
    assert body["occurrence_start"] == event.start_time.isoformat()
    assert body["summary"] == "Review, 2026-03-02 08:30 (UTC) at Room 4"


async def test_a_failing_webhook_is_retried_and_succeeds_later_without_a_second_delivery(cal, owner, receiver):
    await use_webhook(cal, owner, receiver.url)
    _, reminder = await due_webhook_reminder(cal, owner)
    receiver.status = 503
    report = await cal.dispatch_reminders()
    [stored] = await cal.list_event_reminders(owner, reminder.event_id)
    assert (report.retrying, stored.last_error) == (1, "the webhook answered 503")
    receiver.status = 200
    cal.clock.advance(minutes=1)
    assert (await cal.dispatch_reminders()).delivered == 1
    assert (await cal.dispatch_reminders()).delivered == 0
    assert [valid for *_, valid in receiver.received] == [True, True]  # the failed try and the good one
    assert (await cal.list_event_reminders(owner, reminder.event_id))[0].status is ReminderStatus.SENT


async def test_a_webhook_that_does_not_answer_in_time_fails_the_attempt(cal, owner):
    stalled = WebhookReceiver(stall=True)
    server = await asyncio.start_server(stalled.handle, "127.0.0.1", 0)
    async with server:
        port = server.sockets[0].getsockname()[1]
        await use_webhook(cal, owner, f"http://127.0.0.1:{port}/slow", timeout=0.2)
        _, reminder = await due_webhook_reminder(cal, owner)
        assert (await cal.dispatch_reminders()).retrying == 1
    [stored] = await cal.list_event_reminders(owner, reminder.event_id)
    assert stored.last_error == "the webhook did not answer within 0.2 s"


async def test_private_destinations_are_refused_unless_allowed(cal, owner, receiver):
    await use_webhook(cal, owner, receiver.url, allow_private=False)
    _, reminder = await due_webhook_reminder(cal, owner)
    assert (await cal.dispatch_reminders()).retrying == 1
    assert receiver.received == []
    [stored] = await cal.list_event_reminders(owner, reminder.event_id)
    assert stored.last_error == NO_ADDRESS


async def test_the_delivery_connects_to_the_address_it_checked_with_the_name_as_host(cal, owner, receiver):
    """A name resolved once, by the checking resolver: the connection goes to that address (.invalid names
    never resolve in real DNS), with the URL's host and port in the Host header."""
    port = receiver.url.split(":")[2].split("/")[0]
    resolver = FakeResolver({"hooks.atrium.invalid": ["127.0.0.1"]})
    await use_webhook(cal, owner, f"http://hooks.atrium.invalid:{port}/hooks/atrium", resolver=resolver)
    await due_webhook_reminder(cal, owner)
    assert (await cal.dispatch_reminders()).delivered == 1
    [(headers, _, valid)] = receiver.received
    assert valid and headers["host"] == f"hooks.atrium.invalid:{port}"
    assert resolver.asked == ["hooks.atrium.invalid"]


async def test_a_public_name_is_reached_at_its_checked_address_with_tls_naming_the_host(cal, owner):
    """DNS rebinding: nothing resolves the name again after the check; TLS verifies the certificate for the name."""
    sent = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(204)

    resolver = FakeResolver({"hooks.example.com": ["10.0.0.7", PUBLIC_ADDRESS]})
    await use_webhook(cal, owner, "https://hooks.example.com/atrium?x=1", allow_private=False, resolver=resolver,
                      transport=httpx.MockTransport(answer))
    await due_webhook_reminder(cal, owner)
    assert (await cal.dispatch_reminders()).delivered == 1
    [request] = sent
    assert (str(request.url), request.headers["host"], request.extensions["sni_hostname"]) == (
        f"https://{PUBLIC_ADDRESS}/atrium?x=1", "hooks.example.com", "hooks.example.com")
    assert resolver.asked == ["hooks.example.com"]


@pytest.mark.parametrize("table", [{"hooks.example.com": ["10.0.0.7", "fe80::1"]}, {"hooks.example.com": []}])
async def test_a_name_without_a_public_address_and_one_that_does_not_resolve_fail_alike(cal, owner, table):
    await use_webhook(cal, owner, "https://hooks.example.com/atrium", allow_private=False,
                      resolver=FakeResolver(table), transport=httpx.MockTransport(lambda request: httpx.Response(204)))
    _, reminder = await due_webhook_reminder(cal, owner)
    assert (await cal.dispatch_reminders()).retrying == 1
    [stored] = await cal.list_event_reminders(owner, reminder.event_id)
    assert stored.last_error == NO_ADDRESS


class SmtpSink:
    """Just enough SMTP to accept messages: EHLO, MAIL, RCPT, DATA, QUIT."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        def say(line: str) -> None:
            writer.write(line.encode() + b"\r\n")

        say("220 sink ready")
        sender, recipients = "", []
        while line := (await reader.readline()).decode().strip():
            verb = line.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                say("250 sink")
            elif verb == "MAIL":
                sender, recipients = line.split(":", 1)[1].strip(" <>"), []
                say("250 ok")
            elif verb == "RCPT":
                recipients.append(line.split(":", 1)[1].strip(" <>"))
                say("250 ok")
            elif verb == "DATA":
                say("354 go on")
                data = await reader.readuntil(b"\r\n.\r\n")
                self.messages.append((sender, recipients, data[:-5]))
                say("250 queued")
            elif verb == "QUIT":
                say("221 bye")
                break
            else:
                say("250 ok")
            await writer.drain()
        await writer.drain()
        writer.close()


async def test_email_reminders_go_to_the_accounts_address_over_smtp(cal, owner):
    sink = SmtpSink()
    server = await asyncio.start_server(sink.handle, "127.0.0.1", 0)
    async with cal.uow() as uow:
        await uow.accounts.add(account(id=owner, email="ada@example.com"))
        await uow.commit()
    async with server:
        notifier = SmtpEmailNotifier(cal.uow, host="127.0.0.1", port=server.sockets[0].getsockname()[1],
                                     sender="Atrium <reminders@atrium.test>", security="none", timeout=5)
        cal.dispatch_reminders.notifiers[Channel.EMAIL] = notifier
        start = cal.clock.now() + timedelta(minutes=10)
        event = await cal.create_event(owner, title="Dentist", start_time=start, end_time=start + timedelta(hours=1))
        reminder = await cal.create_reminder(owner, event.id, minutes_before=10, channel="email")
        assert (await cal.dispatch_reminders()).delivered == 1
    [(sender, recipients, data)] = sink.messages
    assert (sender, recipients) == ("reminders@atrium.test", ["ada@example.com"])
    message = email.message_from_bytes(data, policy=policy.default)
    assert message["Subject"] == "Reminder: Dentist"
    assert message["Message-ID"] == f"<{reminder.id}.{int(reminder.due_at.timestamp())}@atrium>"
    assert "Dentist, 2026-03-02 08:10 (UTC)" in message.get_content()


async def test_an_unreachable_smtp_server_fails_the_attempt(cal, owner):
    async with cal.uow() as uow:
        await uow.accounts.add(account(id=owner))
        await uow.commit()
    server = await asyncio.start_server(lambda r, w: w.close(), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    server.close()
    await server.wait_closed()
    cal.dispatch_reminders.notifiers[Channel.EMAIL] = SmtpEmailNotifier(cal.uow, host="127.0.0.1", port=port,
                                                               sender="a@b.c", security="none", timeout=2)
    start = cal.clock.now() + timedelta(minutes=10)
    event = await cal.create_event(owner, title="Dentist", start_time=start, end_time=start + timedelta(hours=1))
    await cal.create_reminder(owner, event.id, minutes_before=10, channel="email")
    assert (await cal.dispatch_reminders()).retrying == 1
    [stored] = await cal.list_event_reminders(owner, event.id)
    assert stored.last_error.startswith("the SMTP server refused or failed")
