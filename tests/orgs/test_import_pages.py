"""The Excel pages for member units, through the test client: upload, preview, confirm, export."""
from __future__ import annotations

import io
import re
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.core.uploads import KeptUpload
from app.orgs.models import Organisation
from tests.factories import OrganisationFactory, admin, liaison, staff
from tests.orgs.test_excel_io import unit_file, unit_row
from tests.support import sign_in

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _english(client):
    """Pages are asserted in English, whatever the zh_CN catalogue says by then."""
    client.set_cookie("lang", "en")


@pytest.fixture
def staff_client(client):
    sign_in(client, staff())
    return client


def upload(client, data: bytes, filename: str = "units.xlsx"):
    return client.post("/orgs/import", data={"file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def token_of(response) -> str:
    return re.search(r'name="token" value="([^"]+)"', response.get_data(as_text=True)).group(1)


def org_count(db) -> int:
    return db.session.scalar(select(func.count(Organisation.id)))


def test_the_upload_page_links_the_template(staff_client):
    page = staff_client.get("/orgs/import")
    assert page.status_code == 200
    assert 'href="/orgs/import/template"' in page.get_data(as_text=True)


def test_a_file_with_bad_rows_lists_every_error_and_imports_nothing(staff_client, db):
    data = unit_file(unit_row(1), unit_row(2, name=None), unit_row(3, code=9.11e17), unit_row(4, type="工厂"))
    page = upload(staff_client, data)
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    for row, column in [(3, "单位名称"), (4, "统一社会信用代码"), (5, "单位类型")]:
        assert re.search(rf'<tr data-row="{row}"><td[^>]*>{row}</td>\s*<td[^>]*>{column}</td><td[^>]*>[^<]+</td></tr>', html)
    assert "Please enter the unit&#39;s name." in html
    assert "format the column as text" in html
    assert "3 rows have problems, so nothing was imported." in html
    assert 'name="token"' not in html
    assert org_count(db) == 0
    assert db.session.scalar(select(func.count()).select_from(KeptUpload)) == 0  # nothing kept for a file that cannot be imported


def test_a_good_file_is_previewed_then_imported_on_confirmation(staff_client, db):
    preview = upload(staff_client, unit_file(unit_row(1), unit_row(2)))
    assert preview.status_code == 200
    assert "导入单位2有限公司" in preview.get_data(as_text=True)
    assert org_count(db) == 0  # a preview changes nothing
    done = staff_client.post("/orgs/import/confirm", data={"token": token_of(preview)})
    assert done.status_code == 302 and done.headers["Location"].endswith("/orgs")
    assert org_count(db) == 2
    assert "2 units were imported." in staff_client.get("/orgs").get_data(as_text=True)


def test_confirming_twice_imports_once_and_says_why(staff_client, db):
    token = token_of(upload(staff_client, unit_file(unit_row(1))))
    assert staff_client.post("/orgs/import/confirm", data={"token": token}).status_code == 302
    again = staff_client.post("/orgs/import/confirm", data={"token": token})
    assert again.status_code == 422
    assert "no longer available" in again.get_data(as_text=True)
    assert org_count(db) == 1


@pytest.mark.parametrize("token", ["", "../../../etc/passwd", "x" * 43])
def test_confirming_an_unknown_upload_is_refused(staff_client, db, token):
    response = staff_client.post("/orgs/import/confirm", data={"token": token})
    assert response.status_code == 422
    assert "upload the file again" in response.get_data(as_text=True)


def test_confirmation_checks_the_file_again(staff_client, db):
    token = token_of(upload(staff_client, unit_file(unit_row(1), unit_row(2))))
    OrganisationFactory(name="导入单位1有限公司")
    page = staff_client.post("/orgs/import/confirm", data={"token": token})
    assert page.status_code == 422
    assert re.search(r'<tr data-row="2"><td[^>]*>2</td>\s*<td[^>]*>单位名称</td>', page.get_data(as_text=True))
    assert org_count(db) == 1


@pytest.mark.parametrize("data, message", [
    (b"", "empty"),
    (b"name,code\nA,B\n", "not an Excel workbook"),
    (unit_file(headers=["名称", "代码"]), "missing: 单位名称"),
    (unit_file(), "no rows to import"),
], ids=["empty", "csv", "wrong-headers", "headers-only"])
def test_an_unusable_file_gets_a_clear_message_and_changes_nothing(staff_client, db, data, message):
    page = upload(staff_client, data)
    assert page.status_code == 422
    assert message in page.get_data(as_text=True)
    assert org_count(db) == 0


def test_a_file_that_is_not_named_xlsx_is_refused_by_the_form(staff_client):
    page = upload(staff_client, unit_file(unit_row(1)), filename="units.xls")
    assert page.status_code == 422
    assert "Please upload an .xlsx file." in page.get_data(as_text=True)


def test_posting_without_a_file_is_refused(staff_client):
    assert staff_client.post("/orgs/import", data={}).status_code == 422


def test_a_file_over_the_size_limit_is_refused(staff_client, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024)
    page = upload(staff_client, unit_file(*[unit_row(n) for n in range(200)]))
    assert page.status_code == 413


def test_the_template_downloads_as_xlsx_with_its_chinese_name(staff_client):
    response = staff_client.get("/orgs/import/template")
    assert response.status_code == 200
    assert response.mimetype == XLSX
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert "会员单位导入模板.xlsx" in unquote(disposition.split("filename*=UTF-8''")[1])
    assert load_workbook(io.BytesIO(response.data)).active["A1"].value == "单位名称"


def test_the_export_neutralises_formula_cells(client, db):
    OrganisationFactory(name="=1+2", contact_name="@cmd")
    sign_in(client, admin())
    response = client.get("/orgs/export")
    assert response.status_code == 200 and response.mimetype == XLSX
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert (sheet["A2"].value, sheet["F2"].value) == ("'=1+2", "'@cmd")
    assert sheet["A2"].data_type != "f"


def test_a_liaison_exports_only_their_own_unit(client, db):
    own = OrganisationFactory()
    OrganisationFactory()
    sign_in(client, liaison(own))
    sheet = load_workbook(io.BytesIO(client.get("/orgs/export").data)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [own.name]


@pytest.mark.parametrize("method, url", [
    ("get", "/orgs/import"), ("post", "/orgs/import"), ("get", "/orgs/import/template"),
    ("post", "/orgs/import/confirm"),
])
def test_a_liaison_cannot_import(client, db, method, url):
    sign_in(client, liaison(OrganisationFactory()))
    response = getattr(client, method)(url, data={"file": (io.BytesIO(unit_file(unit_row(1))), "u.xlsx")}
                                       if method == "post" else None)
    assert response.status_code == 403
    assert org_count(db) == 1


def test_a_visitor_who_is_not_signed_in_is_sent_to_the_login_page(client):
    for url in ["/orgs/import", "/orgs/import/template", "/orgs/export"]:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_unit_list_offers_import_to_staff_and_only_export_to_a_liaison(client, db):
    own = OrganisationFactory()
    sign_in(client, staff())
    html = client.get("/orgs").get_data(as_text=True)
    assert all(href in html for href in ['href="/orgs/import"', 'href="/orgs/import/template"', 'href="/orgs/export"'])
    client.post("/logout")
    sign_in(client, liaison(own))
    html = client.get("/orgs").get_data(as_text=True)
    assert 'href="/orgs/export"' in html and 'href="/orgs/import"' not in html
