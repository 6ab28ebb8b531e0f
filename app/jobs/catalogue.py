"""Every timed job: its fixed id, its name for people, what it does, when it runs.

A job is a function of the moment it runs at, returning a `Report` (what it did, and a
problem it found, if any); it changes nothing it has changed before (its effects are keyed),
so a rerun, a retry or a second process does nothing twice. The runner
(app.jobs.services.runs) runs it in one unit of work and records the run.

When a job runs is a setting (app/config.py): a number of seconds (every so often) or
"HH:MM" (every day at that time, in JIYI_TIMEZONE). `schedule_of` reads it (pure).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.core.time import association_zone


@dataclass(frozen=True)
class Report:
    summary: str                   # what the run did, in words
    problem: str | None = None     # what it found wrong and reported (the run is then "flagged")


@dataclass(frozen=True)
class Job:
    id: str                        # fixed: the job store's key, the runs' job_id
    label: Any                     # lazy_gettext
    description: Any               # lazy_gettext
    setting: str                   # the config key of its schedule
    run: Callable[[datetime], Report]


@dataclass(frozen=True)
class Schedule:
    every_seconds: int | None = None    # an interval, or
    daily_at: tuple[int, int] | None = None   # (hour, minute) in the association's time zone


_DAILY = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def schedule_of(value: str) -> Schedule:
    """"90" → every 90 seconds; "02:30" → daily at 02:30. Raises ValueError for anything else."""
    value = str(value).strip()
    if value.isdigit() and int(value) > 0:
        return Schedule(every_seconds=int(value))
    match = _DAILY.match(value)
    if match:
        return Schedule(daily_at=(int(match[1]), int(match[2])))
    raise ValueError(f"a job schedule is a number of seconds or HH:MM, not {value!r}")


# --- the jobs -------------------------------------------------------------------------------

def _deliver_outbox(now: datetime) -> Report:
    from app.notifications.services import deliver_pending

    sent, failed = deliver_pending(current_app.config["JOBS_OUTBOX_BATCH"])
    return Report(_("Sent %(sent)d messages, %(failed)d failed.", sent=sent, failed=failed))


def _window_notices(now: datetime) -> Report:
    from app.jobs.services import windows

    return Report(_("%(count)d notices enqueued.", count=windows.send_due(now)))


def _session_reminders(now: datetime) -> Report:
    from app.jobs.services import reminders

    return Report(_("%(count)d reminders enqueued.", count=reminders.send_due(now)))


def _expiring_qualifications(now: datetime) -> Report:
    from app.jobs.services import qualifications

    today = now.astimezone(association_zone()).date()
    return Report(_("%(count)d notices enqueued.", count=qualifications.send_due(today)))


def _integrity_check(now: datetime) -> Report:
    from app.jobs.services import integrity

    mismatches = integrity.find_mismatches()
    if not mismatches:
        return Report(_("Every counter agrees with its entries."))
    alerts = integrity.alert(mismatches, now.astimezone(association_zone()).date())
    problem = "\n".join(_("%(event)s: %(counter)s is %(stored)d, the entries say %(counted)d", event=m.event,
                          counter=m.label, stored=m.stored, counted=m.counted) for m in mismatches)
    return Report(_("%(count)d counters disagree; %(alerts)d alerts enqueued.", count=len(mismatches),
                    alerts=alerts), problem)


def _publications(now: datetime) -> Report:
    from app.scoring.services import scheduled

    published, failed = scheduled.run_due(now)
    summary = _("%(published)d results published, %(failed)d could not be.", published=published, failed=failed)
    return Report(summary, summary if failed else None)


def _certificate_batches(now: datetime) -> Report:
    from app.certificates.services import batches

    today = now.astimezone(association_zone()).date()
    finished, issued = batches.run_pending(today)
    return Report(_("%(batches)d certificate batches run, %(issued)d certificates issued.", batches=finished,
                    issued=issued))


JOBS: dict[str, Job] = {job.id: job for job in (
    Job("outbox.deliver", _l("Outbox delivery"), _l("Sends the e-mails waiting in the outbox."),
        "JOBS_OUTBOX_EVERY", _deliver_outbox),
    Job("registration.windows", _l("Registration opening and closing notices"),
        _l("Tells the competition's staff when an event's registration opens and when it closes."),
        "JOBS_WINDOWS_EVERY", _window_notices),
    Job("sessions.reminders", _l("Session reminders"),
        _l("Reminds contestants and judges 24 hours and 1 hour before their session."),
        "JOBS_REMINDERS_EVERY", _session_reminders),
    Job("judges.expiring_qualifications", _l("Expiring judge certificates"),
        _l("Tells judges and staff when a judge certificate expires in 90 days, then in 30."),
        "JOBS_QUALIFICATIONS_AT", _expiring_qualifications),
    Job("registration.integrity", _l("Registration counters check"),
        _l("Recounts seats, waiting lists and unit quotas from the entries; a difference is reported to staff, "
           "never corrected."),
        "JOBS_INTEGRITY_AT", _integrity_check),
    Job("scoring.publications", _l("Scheduled publication of results"),
        _l("Publishes the results staff scheduled, once each, at the time they set."),
        "JOBS_PUBLICATIONS_EVERY", _publications),
    Job("certificates.batches", _l("Certificate batches"),
        _l("Issues the certificate batches staff asked for, a chunk at a time; an interrupted batch resumes where "
           "it stopped, and nobody gets a certificate twice."),
        "JOBS_CERTIFICATE_BATCHES_EVERY", _certificate_batches),
)}


def job(job_id: str) -> Job | None:
    return JOBS.get(job_id)
