"""The pool's Excel pages through the test client: template, upload, preview, confirm, export."""
from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.core.uploads import KeptUpload
from app.judges.models import JudgeProfile
from tests.accounts.sessions import enter_as, fresh_request_globals  # noqa: F401  (a fixture)
from tests.factories import CommitteeFactory, PersonFactory, resident_id, staff
from tests.judges.factories import JudgeFactory, SpecialityFactory, level
from tests.judges.test_excel_io import judge_file, judge_row


@pytest.fixture(autouse=True)
def _english(client, db):
    client.set_cookie("lang", "en")
    level("national")
    SpecialityFactory(code="electrician"), SpecialityFactory(code="welder")


@pytest.fixture
def staff_client(client):
    enter_as(client, staff())
    return client


def upload(client, data: bytes, filename: str = "judges.xlsx"):
    return client.post("/judges/import", data={"file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def judges(db) -> int:
    return db.session.scalar(select(func.count(JudgeProfile.id)))


def kept_uploads(db) -> int:
    return db.session.scalar(select(func.count()).select_from(KeptUpload))


def test_a_good_file_is_previewed_then_imported_on_confirmation(staff_client, db):
    preview = upload(staff_client, judge_file(judge_row(1), judge_row(2)))
    assert preview.status_code == 200, preview.get_data(as_text=True)[:2000]
    html = preview.get_data(as_text=True)
    assert "导入裁判2" in html and resident_id(101) not in html and judges(db) == 0
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    done = staff_client.post("/judges/import/confirm", data={"token": token})
    assert done.status_code == 302 and judges(db) == 2
    assert "2 judges were added to the pool." in staff_client.get("/judges").get_data(as_text=True)
    again = staff_client.post("/judges/import/confirm", data={"token": token})
    assert again.status_code == 422 and "no longer available" in again.get_data(as_text=True)


def test_a_file_with_bad_rows_lists_them_and_keeps_nothing(staff_client, db):
    response = upload(staff_client, judge_file(judge_row(1), judge_row(2, id="1.10105E+17")))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(r'<tr data-row="3"><td[^>]*>3</td>\s*<td[^>]*>身份证号码</td><td[^>]*>[^<]*format the column as text',
                     html)
    assert 'name="token"' not in html and kept_uploads(db) == 0 and judges(db) == 0


def test_a_file_that_is_not_a_workbook_is_refused_on_the_form(staff_client):
    response = upload(staff_client, b"name,id\n", "judges.xlsx")
    assert response.status_code == 422 and "not an Excel workbook" in response.get_data(as_text=True)


def test_committee_staff_download_the_template_and_export_but_do_not_import(client, db):
    enter_as(client, staff(CommitteeFactory()))
    assert client.get("/judges/import/template").status_code == 200
    assert client.get("/judges/export").status_code == 200
    assert client.post("/judges/import", data={}).status_code == 302
    assert judges(db) == 0


def test_the_export_is_a_masked_formula_safe_workbook_of_the_filtered_list(staff_client, db):
    JudgeFactory(person=PersonFactory(full_name="=1+1", number=resident_id(130)))
    response = staff_client.get("/judges/export?q=%3D1")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == ["'=1+1"] and rows[0][1] != resident_id(130)
