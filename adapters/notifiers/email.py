"""The email notifier: one message per reminder to the account's address over SMTP (stdlib smtplib in a thread)."""

import asyncio
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Literal, final

from application.calendar.ports import CalendarUnitOfWork, Notifier, ReminderMessage
from application.shared.unit_of_work import UowFactory
from application.shared.errors import UpstreamFailed

Security = Literal["starttls", "tls", "none"]


def email_for(message: ReminderMessage, *, sender: str, to: str) -> EmailMessage:
    """The email of one delivery; its Message-ID is the same on every retry, so mail clients can drop repeats."""
    email = EmailMessage()
    email["From"], email["To"] = sender, to
    email["Subject"] = f"Reminder: {message.title}"
    email["Date"] = format_datetime(message.due_at)
    email["Message-ID"] = f"<{message.reminder_id}.{int(message.due_at.timestamp())}@atrium>"
    email.set_content(f"{message.summary()}\n\nYou set this reminder in Atrium.\n")
    return email


@final
class SmtpEmailNotifier(Notifier):
    """Delivered means the SMTP server accepted the message."""

    def __init__(self, uow: UowFactory[CalendarUnitOfWork], *, host: str, port: int, sender: str,
                 security: Security = "starttls", username: str | None = None, password: str | None = None,
                 timeout: float = 10.0) -> None:
        self._uow = uow
        self._host, self._port, self._sender, self._security = host, port, sender, security
        self._username, self._password, self._timeout = username, password, timeout

    async def deliver(self, message: ReminderMessage) -> None:
        async with self._uow(account=message.owner_id) as uow:
            account = await uow.accounts.get(message.owner_id)
        if account is None:
            raise UpstreamFailed("the account is gone")
        await asyncio.to_thread(self._send, email_for(message, sender=self._sender, to=account.email))

    def _send(self, email: EmailMessage) -> None:
        try:
            if self._security == "tls":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(self._host, self._port, timeout=self._timeout,
                                        context=ssl.create_default_context())
            else:
                smtp = smtplib.SMTP(self._host, self._port, timeout=self._timeout)
            with smtp:
                if self._security == "starttls":
                    smtp.starttls(context=ssl.create_default_context())
                if self._username:
                    smtp.login(self._username, self._password or "")
                smtp.send_message(email)
        except (smtplib.SMTPException, OSError) as error:
            raise UpstreamFailed(f"the SMTP server refused or failed: {error}") from None
