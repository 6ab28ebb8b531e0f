"""Importing member units from Excel through the real pages, in headless Chromium."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.orgs.models import Organisation
from tests import factories
from tests.browser.support import login_via_page, prefer_language
from tests.orgs.test_excel_io import unit_file, unit_row

pytestmark = pytest.mark.browser

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _org_count(db) -> int:
    db.session.remove()  # read what the server thread committed, not a cached answer
    return db.session.scalar(select(func.count(Organisation.id)))


def _upload(page, base_url: str, data: bytes) -> None:
    page.goto(f"{base_url}/orgs")
    with page.expect_navigation():
        page.get_by_test_id("import-units").click()
    page.locator('input[name="file"]').set_input_files(
        {"name": "会员单位.xlsx", "mimeType": XLSX, "buffer": data})
    with page.expect_navigation():
        page.locator('main form button[type="submit"]').click()


def test_staff_uploads_a_file_with_bad_rows_and_sees_every_error_and_nothing_imported(
        browser_page, live_server, db):
    page = browser_page
    code = factories.credit_code(1)
    wrong_check = code[:-1] + ("1" if code[-1] != "1" else "2")
    duplicate = factories.credit_code(2)
    data = unit_file(
        unit_row(1),                                # row 2: good
        unit_row(2, code=wrong_check),              # row 3: check character wrong
        unit_row(3, code=9.11000012345678e17),      # row 4: Excel turned the code into a number
        unit_row(4, name=None),                     # row 5: no name
        unit_row(5, code=duplicate),                # row 6 and row 7: one code twice
        unit_row(6, code=duplicate),
    )
    login_via_page(page, live_server, factories.staff().login_name)
    prefer_language(page, live_server, "en")

    _upload(page, live_server, data)

    expect(page.get_by_test_id("import-refused")).to_contain_text("5 rows have problems, so nothing was imported.")
    errors = page.get_by_test_id("import-errors")
    expected = {
        3: ("统一社会信用代码", "The credit code's check character is wrong"),
        4: ("统一社会信用代码", "Excel stored this cell as a number and digits may be lost; format the column as text"),
        5: ("单位名称", "Please enter the unit's name."),
        6: ("统一社会信用代码", "The same credit code is also in row 7."),
        7: ("统一社会信用代码", "The same credit code is also in row 6."),
    }
    for row, (column, reason) in expected.items():
        line = errors.locator(f'tbody tr[data-row="{row}"]')
        expect(line).to_have_count(1)
        expect(line.locator("td").nth(0)).to_have_text(str(row))
        expect(line.locator("td").nth(1)).to_have_text(column)
        expect(line.locator("td").nth(2)).to_contain_text(reason)
    expect(errors.locator("tbody tr")).to_have_count(len(expected))
    expect(page.get_by_test_id("confirm-import")).to_have_count(0)
    assert _org_count(db) == 0


def test_staff_previews_a_good_file_and_confirms_it_with_the_form_token(
        browser_page, live_server, db):
    page = browser_page
    login_via_page(page, live_server, factories.staff().login_name)
    prefer_language(page, live_server, "en")

    _upload(page, live_server, unit_file(unit_row(1), unit_row(2)))

    expect(page.get_by_test_id("import-ready")).to_contain_text("2 units will be added")
    expect(page.get_by_test_id("import-rows")).to_contain_text("导入单位2有限公司")
    assert _org_count(db) == 0
    with page.expect_navigation():
        page.get_by_test_id("confirm-import").click()
    expect(page.locator(".alert-success")).to_contain_text("2 units were imported.")
    expect(page.locator("main table")).to_contain_text("导入单位1有限公司")
    assert _org_count(db) == 2
