"""Mail backends: `console` prints (development), `smtp` sends, `memory` keeps (tests)."""
from __future__ import annotations

import smtplib
import sys
from email.message import EmailMessage

from flask import current_app

# The memory backend's inbox; tests read it.
sent_messages: list[EmailMessage] = []


def _build(recipient: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = recipient
    message["Subject"] = subject
    message.set_content(body)
    return message


def send(recipient: str, subject: str, body: str) -> None:
    """Send one e-mail with the configured backend; raises on failure."""
    backend = current_app.config["MAIL_BACKEND"]
    message = _build(recipient, subject, body)
    if backend == "console":
        sys.stdout.write(f"--- mail to {recipient} ---\n{message}\n")
        sys.stdout.flush()
    elif backend == "memory":
        sent_messages.append(message)
    elif backend == "smtp":
        config = current_app.config
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
    else:
        raise ValueError(f"unknown MAIL_BACKEND {backend!r}")
