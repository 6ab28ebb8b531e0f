"""`python -m bench.certificate_batch MODE N OUT_JSON`: in one process on the benchmark's
database, either issue a batch of N completion certificates through the app (MODE "batch":
a closed class of N passed trainees, a template with a background, `batches.run`) or render N
bare reportlab pages with the same background, one line of text and one QR code (MODE
"bare"). Writes the seconds it took and the process's peak resident memory (ru_maxrss): each
mode and size runs in a process of its own, so the peaks are comparable.
"""

import io
import json
import resource
import sys
import time
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from PIL import Image


def background() -> bytes:
    """An A4 landscape background at 150 dpi, as a JPEG (reportlab embeds a JPEG as it is)."""
    image = Image.new("RGB", (1754, 1240), (250, 240, 200))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def bare(count: int) -> float:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    from app.core.documents.qr import qr_png

    width, height = landscape(A4)
    picture = background()
    started = time.perf_counter()
    for n in range(count):
        buffer = io.BytesIO()
        canvas = Canvas(buffer, pagesize=(width, height))
        canvas.drawImage(ImageReader(io.BytesIO(picture)), 0, 0, width, height)
        canvas.drawString(100, 300, f"Certificate {n}")
        canvas.drawImage(ImageReader(io.BytesIO(qr_png(f"https://example.org/verify/{n:022d}"))), 700, 40, 90, 90)
        canvas.showPage()
        canvas.save()
        buffer.getvalue()
    return time.perf_counter() - started


def batch(count: int) -> float:
    from wsgi import app

    from app.accounts.models import Person
    from app.certificates.models import CertificateTemplate, Kind
    from app.certificates.services import batches, templates
    from app.core.transaction import unit_of_work
    from app.extensions import db
    from app.trainings.models import (ClassCategory, ClassState, CompletionRecord, Enrolment, EnrolmentChannel,
                                      EnrolmentStatus, TrainingClass)

    with app.app_context():
        with unit_of_work():
            now = datetime.now(timezone.utc)
            training_class = TrainingClass(
                title="电工技能提升培训班", year=2026, category=ClassCategory.SKILL_UPGRADE, state=ClassState.CLOSED,
                starts_on=date(2026, 6, 1), ends_on=date(2026, 6, 5), capacity=count, opens_at=now - timedelta(days=60),
                closes_at=now - timedelta(days=40), seats_taken=count, waitlist_issued=0, waitlist_left=0,
                has_unit_quotas=False)
            people = [Person(full_name=f"学员{n:05d}") for n in range(count)]
            db.session.add_all([training_class, *people])
            db.session.flush()
            enrolments = [Enrolment(class_id=training_class.id, person_id=p.id, status=EnrolmentStatus.ENROLLED,
                                    channel=EnrolmentChannel.STAFF, holds_seat=True) for p in people]
            db.session.add_all(enrolments)
            db.session.flush()
            db.session.add_all([CompletionRecord(
                class_id=training_class.id, enrolment_id=e.id, person_id=e.person_id, hours_attended=Decimal(32),
                hours_total=Decimal(32), attendance_percent=Decimal(100), result=Decimal("86.5"), passed=True,
                starts_on=date(2026, 6, 1), ends_on=date(2026, 6, 5), completed_on=date(2026, 6, 5))
                for e in enrolments])
            template = templates.create(templates.TemplateFields(
                name="结业证书", kind=Kind.COMPLETION.value, page_size="A4", orientation="landscape", title="结业证书",
                issuer="中国职工技术协会"), actor=None)
            template.background, template.has_background = background(), True
            batch_id = batches.create("trainings", training_class.id, template, actor=None).id
            class_id = training_class.id
        db.session.remove()
        started = time.perf_counter()
        batches.run(batch_id)
        seconds = time.perf_counter() - started
        with unit_of_work():
            done = batches.progress(db.session.get(batches.CertificateBatch, batch_id))
        if done["issued"] != count or done["failed"]:
            raise RuntimeError(f"class {class_id}: {done}")
    return seconds


def main() -> None:
    mode, count, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    seconds = bare(count) if mode == "bare" else batch(count)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with open(out, "w") as target:
        json.dump({"mode": mode, "count": count, "seconds": seconds, "peak_mb": peak_mb}, target)


if __name__ == "__main__":
    main()
