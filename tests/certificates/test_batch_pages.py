"""Award certificates from a published result, walked as staff: the batch form (every problem
at once), the scheduler's job issuing it, the progress answer the bar polls, the batch's
page, and the zip of its PDFs. Awards are read from the snapshot's stored outputs."""
from __future__ import annotations

import copy
import io
import zipfile

from sqlalchemy import select

from app.certificates.models import BatchState, Certificate, CertificateBatch, Kind
from app.core.transaction import unit_of_work
from app.extensions import db
from app.jobs.models import Outcome, Trigger
from app.jobs.services import runs
from app.scoring.result_models import ResultSnapshot
from app.scoring.services import publication
from tests import factories as f
from tests.accounts.sessions import enter_as, field_errors
from tests.accounts.sessions import fresh_request_globals  # noqa: F401  (autouse: a fresh g per request)
from tests.certificates.support import make_template
from tests.scoring.results_support import marked_world


def _published_with_awards() -> ResultSnapshot:
    """The world's result, published, then a second version whose stored outputs give the
    first two places an award (as a scheme with award levels would)."""
    world = marked_world()
    with unit_of_work():
        first, _ = publication.publish(world.scheme, actor=world.chief)
    outputs = copy.deepcopy(first.outputs)
    for contestant in outputs["contestants"]:
        contestant["award"] = {1: "一等奖", 2: "二等奖"}.get(contestant.get("place"))
    with unit_of_work():
        second = ResultSnapshot(scheme_id=first.scheme_id, event_id=first.event_id, stage_id=first.stage_id,
                                number=2, version_id=first.version_id, inputs_hash=first.inputs_hash,
                                inputs=first.inputs, outputs=outputs, labels=first.labels, reason="奖项")
        db.session.add(second)
    return second


def test_staff_issue_award_certificates_from_a_published_result_and_download_them_as_a_zip(client, db):
    snapshot = _published_with_awards()
    award = make_template(Kind.AWARD)
    completion = make_template(Kind.COMPLETION, title="结业证书")
    enter_as(client, f.staff())
    page = client.get("/certificates/batches").get_data(as_text=True)
    assert f'value="results:{snapshot.id}"' in page and f'value="participation:{snapshot.id}"' in page

    bad = client.post("/certificates/batches", data={"origin": "results:999999", "template_id": ""})
    assert bad.status_code == 422 and set(field_errors(bad)) == {"origin", "template_id"}
    wrong_kind = client.post("/certificates/batches", data={"origin": f"results:{snapshot.id}",
                                                            "template_id": str(completion.id)})
    assert wrong_kind.status_code == 422 and set(field_errors(wrong_kind)) == {"template_id"}
    made = client.post("/certificates/batches", data={"origin": f"results:{snapshot.id}",
                                                      "template_id": str(award.id)})
    assert made.status_code == 302
    batch = db.session.scalars(select(CertificateBatch)).one()
    assert client.get(f"/certificates/batches/{batch.id}/progress").get_json()["state"] == "pending"

    ran = runs.run("certificates.batches", Trigger.SCHEDULED)
    assert ran.outcome is Outcome.OK, ran.error
    progress = client.get(f"/certificates/batches/{batch.id}/progress").get_json()
    assert progress == {"id": batch.id, "state": "done", "total": 2, "done": 2, "issued": 2, "failed": 0,
                        "percent": 100}
    page = client.get(f"/certificates/batches/{batch.id}").get_data(as_text=True)
    assert 'data-testid="progress-bar"' in page and "100%" in page
    certificates = db.session.scalars(select(Certificate).order_by(Certificate.serial)).all()
    assert [dict(c.facts)["奖项 / Award"] for c in certificates] == ["一等奖", "二等奖"]
    assert [dict(c.facts)["名次 / Rank"] for c in certificates] == ["1", "2"]
    assert all(c.kind is Kind.AWARD and c.source == "results" for c in certificates)

    download = client.get(f"/certificates/batches/{batch.id}/certificates.zip")
    assert download.status_code == 200 and download.mimetype == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(download.data)).namelist()
    assert sorted(names) == sorted(f"{c.serial}-{c.holder_name}.pdf" for c in certificates)

    again = client.post("/certificates/batches", data={"origin": f"results:{snapshot.id}",
                                                       "template_id": str(award.id)})
    assert again.status_code == 302
    runs.run("certificates.batches", Trigger.SCHEDULED)
    assert db.session.query(Certificate).count() == 2
    assert {b.state for b in db.session.scalars(select(CertificateBatch))} == {BatchState.DONE}
    assert client.get("/certificates/batches/999/progress").status_code == 404
