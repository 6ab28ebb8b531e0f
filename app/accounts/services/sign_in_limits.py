"""Failed sign-ins per account: after a few, a growing wait, and a mail to the owner.

The per-IP limit on the login page does not stop an attacker with many addresses (60
failures from 30 addresses used to get through). So each account counts its own failures
(`users.failed_sign_ins`, raised by one conditional UPDATE, so workers racing count every
failure). The first FREE_FAILURES cost nothing; each one after that makes the account wait
2, 4, 8 … seconds before the next attempt is even checked, capped at MAX_WAIT. During the
wait every attempt is refused unchecked, the right password too, with 429 and Retry-After.

Why a wait and not a lock: an attacker who knows someone's login can keep failing, but
can never shut them out for longer than MAX_WAIT after their last try, and the owner, who
is mailed once when the waits begin, can always reset the password by e-mail, which (like
any right password after a wait) clears the count.
"""
from __future__ import annotations

import logging
import math
from datetime import timedelta

from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy import update

from app.accounts.models import User
from app.core.errors import DomainError
from app.core.time import utcnow
from app.extensions import db
from app.notifications import enqueue

log = logging.getLogger(__name__)

FREE_FAILURES = 5
MAX_WAIT = timedelta(minutes=15)


class MustWait(DomainError):
    """Too many failed sign-ins: `retry_after` seconds until the account takes another attempt."""

    code, status = "too_many_attempts", 429

    def __init__(self, retry_after: int):
        super().__init__(_("Too many failed sign-ins for this account. Please try again in %(n)d seconds, "
                           "or reset your password.", n=retry_after))
        self.retry_after = retry_after


def wait_after(failures: int) -> timedelta:
    """How long an account waits after its `failures`-th failure in a row: nothing for the
    first FREE_FAILURES, then doubling from 2 seconds, never more than MAX_WAIT."""
    if failures <= FREE_FAILURES:
        return timedelta(0)
    exponent = min(failures - FREE_FAILURES, 20)  # 2**20 s is far past the cap already
    return min(timedelta(seconds=2 ** exponent), MAX_WAIT)


def check_not_waiting(user: User) -> None:
    """Raises MustWait while `user` is waiting after failed sign-ins."""
    until = user.sign_in_wait_until
    now = utcnow()
    if until is not None and until > now:
        raise MustWait(max(1, math.ceil((until - now).total_seconds())))


def record_failure(user: User) -> None:
    """Count a failed sign-in of `user`, start the wait it earns, and mail the owner when the
    waits begin. Writes to the session; the caller commits."""
    failures = db.session.execute(
        update(User).where(User.id == user.id).values(failed_sign_ins=User.failed_sign_ins + 1)
        .returning(User.failed_sign_ins).execution_options(synchronize_session=False)).scalar_one()
    wait = wait_after(failures)
    if not wait:
        return
    db.session.execute(update(User).where(User.id == user.id).values(sign_in_wait_until=utcnow() + wait)
                       .execution_options(synchronize_session=False))
    log.info("user %s: %d failed sign-ins in a row, waits %s", user.id, failures, wait)
    if failures == FREE_FAILURES + 1:
        _tell_owner(user, failures)


def forget_failures(user: User) -> None:
    """Clear `user`'s failed sign-ins (after the right password, or a password reset)."""
    if user.failed_sign_ins or user.sign_in_wait_until is not None:
        user.failed_sign_ins = 0
        user.sign_in_wait_until = None


def _tell_owner(user: User, failures: int) -> None:
    address = user.email or user.person.email
    if not address:
        return
    body = render_template("accounts/mail/sign_in_failures.txt", user=user, failures=failures,
                           minutes=int(MAX_WAIT.total_seconds()) // 60,
                           url=f"{current_app.config['BASE_URL']}/password/forgot")  # never the Host header
    enqueue(address, _("Jiyi: failed sign-ins to your account"), body)
