"""/api/v1 for certificates: verification without a token (by code, by serial and name), the
caller's own certificates, and staff revoking one and issuing from the judge pool."""
from __future__ import annotations

from app.accounts.services.tokens import create_token
from app.certificates.models import Kind
from tests import factories as f
from tests.certificates.support import issue_by_hand, make_template
from tests.judges.factories import QualificationFactory


def _bearer(db, user) -> dict:
    _, text = create_token(user, "test")
    db.session.commit()
    return {"Authorization": f"Bearer {text}"}


def test_verification_needs_no_token_and_tells_the_state_and_the_facts(client, db):
    holder = f.UserFactory(person__full_name="陈大文")
    certificate = issue_by_hand(holder.person)
    found = client.get(f"/api/v1/verify/{certificate.code}").get_json()
    assert found["state"] == "valid" and found["holder"] == "陈*文" and found["serial"] == certificate.serial
    assert {"label": "奖项 / Award", "value": "一等奖 / First prize"} in found["facts"]
    assert client.get(f"/api/v1/verify/{certificate.code}x").status_code == 404
    lookup = client.post("/api/v1/verify/lookup", json={"serial": certificate.serial, "holder_name": "陈大文"})
    assert lookup.get_json()["serial"] == certificate.serial
    assert client.post("/api/v1/verify/lookup", json={"serial": certificate.serial,
                                                       "holder_name": "陈大"}).status_code == 404

    mine = client.get("/api/v1/me/certificates", headers=_bearer(db, holder)).get_json()
    assert [c["serial"] for c in mine["items"]] == [certificate.serial] and mine["total"] == 1
    staff = _bearer(db, f.staff())
    assert client.post(f"/api/v1/certificates/{certificate.id}/revoke", json={"reason": ""},
                       headers=staff).status_code == 422
    revoked = client.post(f"/api/v1/certificates/{certificate.id}/revoke", json={"reason": "弄虚作假"}, headers=staff)
    assert revoked.status_code == 200 and revoked.get_json()["state"] == "revoked"
    assert client.post(f"/api/v1/certificates/{certificate.id}/revoke", json={"reason": "again"},
                       headers=staff).status_code == 409
    after = client.get(f"/api/v1/verify/{certificate.code}").get_json()
    assert after["state"] == "revoked" and after["revoked_reason"] == "弄虚作假"


def test_staff_issue_a_judge_certificate_once_through_the_api(client, db):
    qualification = QualificationFactory()
    template = make_template(Kind.JUDGE, title="裁判员证书")
    staff = _bearer(db, f.staff())
    url = f"/api/v1/certificates/judges/{qualification.id}"
    issued = client.post(url, json={"template_id": template.id}, headers=staff)
    assert issued.status_code == 201 and issued.get_json()["kind"] == "judge"
    assert client.post(url, json={"template_id": template.id}, headers=staff).status_code == 409
    assert client.post(url, json={"template_id": make_template().id}, headers=staff).status_code == 422
