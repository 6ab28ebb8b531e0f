"""The certificate pages, walked as staff and as a holder: a template (page, fields, the
preview, a background checked and confirmed), issuing by hand (every problem at once) and
from the judge pool, revoking (asks first), and a holder's own certificates and downloads."""
from __future__ import annotations

import io

from PIL import Image

from app.certificates.models import Certificate, CertificateDocument, CertificateTemplate, Kind, State
from app.core import crypto
from tests import factories as f
from tests.accounts.sessions import enter_as, field_errors
from tests.accounts.sessions import fresh_request_globals  # noqa: F401  (autouse: a fresh g per request)
from tests.certificates.support import issue_by_hand, make_template
from tests.judges.factories import QualificationFactory
from tests.support import need_tools
from tests.test_confirmations_and_wording import asking_forms

TEMPLATE = {"name": "大赛获奖证书", "kind": "award", "page_size": "A4", "orientation": "landscape",
            "title": "获奖证书", "issuer": "中国职工技术协会"}


def _png(width=297, height=210) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (250, 240, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_staff_make_a_template_move_its_fields_preview_it_and_give_it_a_background(client, db):
    enter_as(client, f.staff())
    created = client.post("/certificates/templates/new", data=TEMPLATE)
    assert created.status_code == 302
    template = db.session.query(CertificateTemplate).one()
    url = f"/certificates/templates/{template.id}"
    page = client.get(url).get_data(as_text=True)
    assert 'name="qr_size"' in page and 'name="holder_name_font"' in page
    form = {name: value for name, value in TEMPLATE.items()}
    for placement in template.fields:
        key = placement["key"]
        form.update({f"{key}_shown": "y", f"{key}_x_mm": placement["x_mm"], f"{key}_y_mm": placement["y_mm"],
                     f"{key}_size": placement["size"], f"{key}_font": "hei", f"{key}_align": placement["align"]})
    bad = client.post(url, data={**form, "name": "", "qr_size": "5", "holder_name_x_mm": "999",
                                 "title_font": "comic-sans"})
    assert bad.status_code == 422
    assert set(field_errors(bad)) == {"name", "qr_size", "holder_name_x_mm", "title_font"}
    assert client.post(url, data={**form, "holder_name_size": "40", "serial_shown": ""}).status_code == 302
    db.session.refresh(template)
    by_key = {p["key"]: p for p in template.fields}
    assert by_key["holder_name"]["size"] == 40 and by_key["serial"]["shown"] is False

    preview = client.get(f"{url}/preview.pdf")
    assert preview.status_code == 200 and preview.data.startswith(b"%PDF")
    need_tools("pdftoppm")
    assert client.get(f"{url}/preview.png").data.startswith(b"\x89PNG")

    not_an_image = client.post(f"{url}/background", data={"file": (io.BytesIO(b"hello"), "bg.png")})
    assert not_an_image.status_code == 422 and "file" in field_errors(not_an_image)
    checked = client.post(f"{url}/background", data={"file": (io.BytesIO(_png()), "bg.png")})
    assert checked.status_code == 200 and 'data-testid="background-checked"' in checked.get_data(as_text=True)
    token = checked.get_data(as_text=True).split('name="token" type="hidden" value="')[1].split('"')[0]
    assert client.post(f"{url}/background/confirm", data={"token": token}).status_code == 302
    db.session.refresh(template)
    assert template.has_background and template.background == _png()
    assert client.get(f"{url}/preview.pdf").status_code == 200
    assert asking_forms(client.get(url).get_data(as_text=True)) == [f"{url}/background/remove"]


def test_staff_issue_by_hand_hearing_every_problem_then_revoke_after_being_asked(client, db):
    holder = f.PersonFactory(full_name="赵六")
    award = make_template()
    staff = f.staff()
    enter_as(client, staff)
    judge_template = make_template(Kind.JUDGE)
    bad = client.post("/certificates/new", data={"holder_name": "赵六", "holder_id_number": "11010119900101000",
                                                 "kind": "award", "template_id": str(judge_template.id),
                                                 "subject": "", "facts": "没有冒号的一行"})
    assert bad.status_code == 422
    assert set(field_errors(bad)) == {"holder_id_number", "template_id", "subject", "facts"}
    good = client.post("/certificates/new", data={
        "holder_name": "赵六", "holder_id_number": crypto.decrypt(holder.id_number_encrypted), "kind": "award",
        "template_id": str(award.id), "subject": "2026年全国职工职业技能大赛", "facts": "奖项：一等奖\n赛项: 电工"})
    assert good.status_code == 302
    certificate = db.session.query(Certificate).one()
    assert certificate.facts == [["奖项", "一等奖"], ["赛项", "电工"]] and certificate.holder_id == holder.id
    page_url = f"/certificates/{certificate.id}"
    assert asking_forms(client.get(page_url).get_data(as_text=True)) == [f"{page_url}/revoke"]
    assert client.post(f"{page_url}/revoke", data={"reason": ""}).status_code == 422
    assert client.post(f"{page_url}/revoke", data={"reason": "重复发放"}).status_code == 302
    db.session.refresh(certificate)
    assert certificate.state == State.REVOKED
    assert "重复发放" in client.get(page_url).get_data(as_text=True)


def test_staff_issue_a_judge_qualification_certificate_from_the_pool(client, db):
    qualification = QualificationFactory()
    template = make_template(Kind.JUDGE, title="裁判员证书")
    enter_as(client, f.staff())
    assert qualification.number in client.get("/certificates/judges").get_data(as_text=True)
    issued = client.post(f"/certificates/judges/{qualification.id}/issue", data={"template_id": str(template.id)})
    assert issued.status_code == 302
    certificate = db.session.query(Certificate).one()
    assert certificate.kind == Kind.JUDGE and certificate.holder_id == qualification.profile.person_id
    assert certificate.serial in client.get("/certificates/judges").get_data(as_text=True)


def test_holders_list_and_download_their_own_certificates_and_nobody_else_s(client, db):
    holder = f.UserFactory()
    certificate = issue_by_hand(holder.person)
    enter_as(client, holder)
    page = client.get("/me/certificates").get_data(as_text=True)
    assert certificate.serial in page and f"/certificates/{certificate.id}/certificate.pdf" in page
    download = client.get(f"/certificates/{certificate.id}/certificate.pdf")
    assert download.status_code == 200
    assert download.data == db.session.get(CertificateDocument, certificate.id).pdf
    enter_as(client, f.UserFactory())
    assert client.get(f"/certificates/{certificate.id}/certificate.pdf").status_code == 404
    assert certificate.serial not in client.get("/me/certificates").get_data(as_text=True)
