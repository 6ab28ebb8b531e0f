"""Entering a unit's people from Excel: template, checking every row, all-or-nothing
registration, the error report, and the upload → preview → confirm pages."""
from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from urllib.parse import unquote

import pytest
from flask_babel import force_locale
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from sqlalchemy import func, select

from app.accounts.models import Person
from app.competitions.models import Channel, Registration, RegistrationStatus as Status
from app.competitions.services import bulk, bulk_sheet, events, registration
from app.core import audit, ids
from app.core.errors import Full
from app.core.transaction import unit_of_work
from app.extensions import db
from tests import factories as f
from tests.support import sign_in

HEADERS = ["姓名", "证件类型", "证件号码", "手机号"]
NAME, ID_NUMBER = "姓名", "证件号码"
DIGITS_LOST = "format the column as text"


@pytest.fixture(autouse=True)
def _english(app):
    with force_locale("en"):
        yield


def rid(n: int, born: date = date(1991, 2, 3)) -> str:
    """A resident ID no factory-made person holds (they are all born on 1990-01-01)."""
    return f.resident_id(n, born=born)


class Digits(int):
    """A whole number the file stores as plain digits, as WPS or a script writes one
    (openpyxl, like Excel, writes more than 15 digits in scientific notation)."""


def people_file(*rows, headers=HEADERS, title="报名名单") -> bytes:
    """An xlsx as a person's Excel would save it: cells keep the Python types given."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    digits = {f"{get_column_letter(column)}{line}": str(int(value))
              for line, row in enumerate(rows, start=2) for column, value in enumerate(row, start=1)
              if isinstance(value, Digits)}
    return _rewrite_cells(buffer.getvalue(), digits) if digits else buffer.getvalue()


def _rewrite_cells(data: bytes, values: dict[str, str]) -> bytes:
    """`data` with the numeric cells named in `values` (by reference, e.g. C4) set to those digits."""
    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                for ref, digits in values.items():
                    text = re.sub(rf'(<c r="{ref}"[^>]*><v>)[^<]*(</v>)', rf"\g<1>{digits}\g<2>", text)
                content = text.encode()
            out.writestr(item, content)
    return target.getvalue()


def row(n: int, *, name: str | None = None, id_number=None, id_type="居民身份证", phone="13800138000", extra=()):
    """A good row for a new person numbered `n`, with the given cells replaced."""
    return [name or f"新人{n}", id_type, id_number if id_number is not None else rid(n), phone, *extra]


def entries(event=None) -> list[Registration]:
    query = select(Registration).order_by(Registration.id)
    if event is not None:
        query = query.where(Registration.event_id == event.id)
    return list(db.session.scalars(query))


def person_count() -> int:
    return db.session.scalar(select(func.count(Person.id)))


def errors_of(check) -> set[tuple[int, str]]:
    return {(error.row, error.column) for error in check.errors}


def reason(check, row_number: int, column: str) -> str:
    return " | ".join(e.message for e in check.errors if (e.row, e.column) == (row_number, column))


@pytest.fixture
def unit():
    return f.OrganisationFactory(name="华北电力")


@pytest.fixture
def liaison(unit):
    return f.liaison(unit)


def check(data, event, unit, actor, channel=Channel.LIAISON):
    return bulk.check_file(data, event, unit, actor=actor, channel=channel)


# --- the template -----------------------------------------------------------------------------

def test_the_template_has_the_columns_the_events_questions_and_a_sheet_of_instructions():
    event = f.EventFactory(required_fields=["工作年限"])
    workbook = load_workbook(io.BytesIO(bulk_sheet.template_workbook(event)))
    data, notes = workbook.worksheets
    assert [cell.value for cell in data[1]] == HEADERS + ["工作年限"]
    assert data.max_row == 1
    assert data.column_dimensions["C"].number_format == "@"  # ID numbers typed later stay text
    assert notes.title == "填写说明"
    text = " ".join(str(cell.value) for line in notes.iter_rows() for cell in line if cell.value)
    assert "科学计数法" in text and "工作年限" in text and "护照" in text


def test_the_template_itself_registers_nobody(unit, liaison):
    event = f.EventFactory()
    with pytest.raises(Exception, match="no rows"):
        check(bulk_sheet.template_workbook(event), event, unit, liaison)


# --- a good file --------------------------------------------------------------------------------

def test_a_good_file_registers_everyone_in_one_go_creating_unknown_people_in_the_unit(unit, liaison):
    event = f.EventFactory(required_fields=["工作年限"])
    known = f.PersonFactory(organisation_id=unit.id, full_name="王五", number=rid(300))
    data = people_file(row(1, extra=["5"]), ["王五", None, rid(300), None, "12"],
                       row(2, id_type=None, phone=None, extra=[8]), headers=HEADERS + ["工作年限"])
    made = bulk.register_file(data, event, unit, actor=liaison, channel=Channel.LIAISON)
    assert [entry.status for entry in made] == [Status.ENDORSED] * 3
    assert {entry.channel for entry in made} == {Channel.LIAISON}
    assert [entry.answers for entry in made] == [{"工作年限": "5"}, {"工作年限": "12"}, {"工作年限": "8"}]
    assert made[1].person_id == known.id
    new = db.session.get(Person, made[0].person_id)
    assert (new.full_name, new.organisation_id, new.phone, new.birth_date) == ("新人1", unit.id, "13800138000",
                                                                               date(1991, 2, 3))
    assert person_count() == 4  # the liaison, 王五 and two new people
    [batch] = db.session.scalars(audit.entries(action="registration.bulk_registered"))
    assert batch.actor_id == liaison.id and batch.after["count"] == 3 and batch.after["people_created"] == 2


def test_id_numbers_typed_with_full_width_characters_and_spaces_are_normalised(unit, liaison):
    number = rid(7, born=date(1985, 3, 4))
    full_width = " ".join(number[i:i + 6] for i in range(0, 18, 6)).translate(
        {ord(c): ord(c) + 0xFEE0 for c in "0123456789X"})
    result = check(people_file(row(1, id_number=full_width)), f.EventFactory(), unit, liaison)
    assert result.is_clean
    assert result.rows[0].id_number == number
    assert result.rows[0].id_masked == number[:3] + "*" * 11 + number[-4:]


def test_the_preview_says_who_gets_a_seat_and_the_confirmation_queues_the_rest_in_file_order(unit, liaison):
    event = f.EventFactory(capacity=2)
    data = people_file(row(1), row(2), row(3), row(4))
    preview = check(data, event, unit, liaison)
    assert [r.gets_seat for r in preview.rows] == [True, True, False, False]
    assert (preview.seats, preview.waiting) == (2, 2)
    made = bulk.register_file(data, event, unit, actor=liaison, channel=Channel.LIAISON)
    assert [(e.status, e.waitlist_position) for e in made] == [
        (Status.ENDORSED, None), (Status.ENDORSED, None), (Status.WAITLISTED, 1), (Status.WAITLISTED, 2)]


# --- bad files ----------------------------------------------------------------------------------

def test_a_file_with_one_bad_row_registers_nobody_and_creates_nobody(unit, liaison):
    event = f.EventFactory()
    before = person_count()
    data = people_file(row(1), row(2, id_number="110105199001011230"), row(3))  # wrong check digit
    with pytest.raises(bulk.FileRefused) as refused:
        bulk.register_file(data, event, unit, actor=liaison, channel=Channel.LIAISON)
    assert [(e.row, e.column) for e in refused.value.errors] == [(3, ID_NUMBER)]
    assert "check digit" in refused.value.errors[0].message
    assert entries() == [] and person_count() == before


def test_every_problem_of_every_row_is_listed_with_row_column_and_reason(unit, liaison):
    other_unit = f.OrganisationFactory()
    event = f.EventFactory(max_age=50, age_reference_date=date(2026, 6, 1), capacity=20)
    entered = f.PersonFactory(organisation_id=unit.id, full_name="已报", number=rid(400))
    registration.register(event, entered, actor=liaison, channel=Channel.LIAISON)
    outsider = f.PersonFactory(organisation_id=other_unit.id, full_name="外人", number=rid(401))
    events.set_quota(event, unit, 6, actor=f.staff())  # 1 used: 5 left for the file
    lost_x = next(rid(n) for n in range(9, 400) if rid(n).endswith("X"))
    data = people_file(
        row(1),                                                   # 2: good
        row(2, id_number=1.10105199001011e17),                    # 3: Excel made the ID a fraction
        row(3, id_number=Digits(lost_x[:17])),                    # 4: an ID stored as a number, its X lost
        row(4),                                                   # 5: the same person …
        row(4),                                                   # 6: … twice
        ["已报", None, rid(400), None],                 # 7: already registered
        row(5, id_number=rid(5, born=date(1960, 5, 5))),  # 8: too old
        ["外人", None, outsider_id := rid(401), None],  # 9: a person of another unit
        row(6),                                                   # 10: over the quota
    )
    result = check(data, event, unit, liaison)
    assert errors_of(result) == {(3, ID_NUMBER), (4, ID_NUMBER), (5, ID_NUMBER), (6, ID_NUMBER), (7, ID_NUMBER),
                                 (8, ID_NUMBER), (9, ID_NUMBER), (10, NAME)}
    assert DIGITS_LOST in reason(result, 3, ID_NUMBER)
    assert "18 characters" in reason(result, 4, ID_NUMBER) and "stored this cell as a number" in reason(result, 4, ID_NUMBER)
    assert "row 6" in reason(result, 5, ID_NUMBER) and "row 5" in reason(result, 6, ID_NUMBER)
    assert "Already registered" in reason(result, 7, ID_NUMBER)
    assert "at most 50 years old" in reason(result, 8, ID_NUMBER)
    assert "another unit" in reason(result, 9, ID_NUMBER) and "外人" not in reason(result, 9, ID_NUMBER)
    assert "quota" in reason(result, 10, NAME) and "5 places are left" in reason(result, 10, NAME)
    assert [r.number for r in result.rows] == [2]
    assert outsider_id and outsider.organisation_id == other_unit.id
    with pytest.raises(bulk.FileRefused):
        bulk.register_file(data, event, unit, actor=liaison, channel=Channel.LIAISON)
    assert [e.person_id for e in entries()] == [entered.id]


def test_rows_past_what_is_left_of_the_quota_are_refused_in_file_order(unit, liaison):
    event = f.EventFactory()
    events.set_quota(event, unit, 2, actor=f.staff())
    result = check(people_file(row(1), row(2), row(3), row(4)), event, unit, liaison)
    assert errors_of(result) == {(4, NAME), (5, NAME)}
    assert "this is entry 3 of the file" in reason(result, 4, NAME)


def test_an_unanswered_question_is_refused_under_its_own_column(unit, liaison):
    event = f.EventFactory(required_fields=["工作年限"])
    result = check(people_file(row(1, extra=[None]), headers=HEADERS + ["工作年限"]), event, unit, liaison)
    assert errors_of(result) == {(2, "工作年限")}


def test_a_formula_in_a_cell_is_refused_as_a_formula_not_as_an_empty_cell(unit, liaison):
    event = f.EventFactory()
    result = check(people_file(row(1, name='=CONCAT("张", "三")')), event, unit, liaison)
    assert errors_of(result) == {(2, "姓名")}
    assert "formula" in reason(result, 2, "姓名") and "enter the name" not in reason(result, 2, "姓名")


def test_a_known_id_number_with_another_name_is_refused_naming_the_stored_one(unit, liaison):
    f.PersonFactory(organisation_id=unit.id, full_name="赵六", number=rid(500))
    result = check(people_file(["赵七", None, rid(500), None]), f.EventFactory(), unit, liaison)
    assert "赵六" in reason(result, 2, NAME)


def test_a_closed_event_refuses_a_liaisons_file_but_staff_may_still_enter_one(unit, liaison):
    from datetime import datetime, timedelta, timezone
    event = f.EventFactory(closes_at=datetime.now(timezone.utc) - timedelta(hours=1))
    with pytest.raises(registration.Closed):
        check(people_file(row(1)), event, unit, liaison)
    made = bulk.register_file(people_file(row(1)), event, unit, actor=f.staff(), channel=Channel.STAFF)
    assert [e.channel for e in made] == [Channel.STAFF]


# --- the confirmation checks again -------------------------------------------------------------

def test_the_confirmation_checks_again_and_refuses_someone_registered_since_the_preview(unit, liaison):
    event = f.EventFactory()
    person = f.PersonFactory(organisation_id=unit.id, full_name="钱八", number=rid(600))
    data = people_file(row(1), ["钱八", None, rid(600), None])
    assert check(data, event, unit, liaison).is_clean
    registration.register(event, person, actor=liaison, channel=Channel.LIAISON)  # meanwhile, in another tab
    with pytest.raises(bulk.FileRefused) as refused:
        bulk.register_file(data, event, unit, actor=liaison, channel=Channel.LIAISON)
    assert [(e.row, e.column) for e in refused.value.errors] == [(3, ID_NUMBER)]
    assert len(entries()) == 1


def test_a_refusal_while_registering_rolls_back_every_row_and_names_the_row(unit, liaison, monkeypatch):
    event = f.EventFactory()
    staff = f.staff()
    events.set_quota(event, unit, 3, actor=staff)
    before = person_count()
    real_check = bulk.check_file

    def check_then_lose_the_quota(*args, **kwargs):
        result = real_check(*args, **kwargs)
        events.set_quota(event, unit, 1, actor=staff)  # another writer shrinks it after the check
        return result

    monkeypatch.setattr(bulk, "check_file", check_then_lose_the_quota)
    with pytest.raises(Full, match="Row 3"):
        bulk.register_file(people_file(row(1), row(2)), event, unit, actor=liaison, channel=Channel.LIAISON)
    assert entries() == []
    assert person_count() == before  # the person of row 2 was rolled back with the rest
    assert list(db.session.scalars(audit.entries(action="registration.bulk_registered"))) == []


# --- the error report ---------------------------------------------------------------------------

def test_the_error_report_is_the_files_rows_with_an_error_column_and_masked_id_numbers(unit, liaison):
    event = f.EventFactory()
    result = check(people_file(row(1), row(2, phone="12345"), row(3, name="@SUM(1)")), event, unit, liaison)
    report = bulk_sheet.error_report(result)
    sheet = load_workbook(io.BytesIO(report)).active
    lines = [[cell.value for cell in line] for line in sheet.iter_rows()]
    assert lines[0] == ["原行号", *HEADERS, "错误"]
    assert [line[0] for line in lines[1:]] == [2, 3, 4]
    assert lines[1][-1] in (None, "") and "手机号" in lines[2][-1]
    assert lines[3][1] == "'@SUM(1)"  # neutralised, as every written cell
    id_column = 1 + HEADERS.index("证件号码")
    assert [line[id_column] for line in lines[1:]] == [ids.mask_id_number(rid(n)) for n in (1, 2, 3)]
    unpacked = zipfile.ZipFile(io.BytesIO(report))
    assert not any(rid(n).encode() in unpacked.read(name) for n in (1, 2, 3) for name in unpacked.namelist())


# --- the pages ----------------------------------------------------------------------------------

def upload(client, url: str, data: bytes, **fields):
    return client.post(url, data={"file": (io.BytesIO(data), "people.xlsx"), **fields},
                       content_type="multipart/form-data")


def _token(response) -> str:
    html = response.get_data(as_text=True)
    match = re.search(r'id="token" name="token" type="hidden" value="([^"]+)"', html)
    return match.group(1)


def _report_token(response) -> str:
    return re.search(r'name="token" value="([^"]+)"', response.get_data(as_text=True)).group(1)


@pytest.fixture
def page_client(client):
    client.set_cookie("lang", "en")
    return client


def test_a_liaison_uploads_previews_and_confirms_a_file(page_client, unit, liaison):
    event = f.EventFactory(capacity=1)
    sign_in(page_client, liaison)
    url = f"/unit/{unit.id}/events/{event.id}/import"
    assert page_client.get(url).status_code == 200
    preview = upload(page_client, url, people_file(row(1), row(2)))
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "新人2" in html
    assert "1 get a seat and 1 go on the waiting list" in html
    assert rid(1) not in html  # only masked
    assert entries() == []  # a preview changes nothing
    done = page_client.post(f"{url}/confirm", data={"token": _token(preview)})
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/unit/{unit.id}")
    assert [e.status for e in entries()] == [Status.ENDORSED, Status.WAITLISTED]
    again = page_client.post(f"{url}/confirm", data={"token": _token(preview)})
    assert again.status_code == 422 and len(entries()) == 2  # a token is used once


def test_a_bad_file_lists_every_error_and_offers_the_error_report(page_client, unit, liaison):
    event = f.EventFactory()
    sign_in(page_client, liaison)
    url = f"/unit/{unit.id}/events/{event.id}/import"
    page = upload(page_client, url, people_file(row(1), row(2, id_number=1.10105199001011e17), row(1)))
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    for number in (2, 3, 4):
        assert f'<tr data-row="{number}">' in html
    assert DIGITS_LOST in html and "nobody was registered" in html
    report = page_client.post(f"{url}/report", data={"token": _report_token(page)})
    assert report.status_code == 200 and report.mimetype.endswith("spreadsheetml.sheet")
    assert "filename*=UTF-8''" in report.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(report.data)).active
    assert sheet.cell(1, 6).value == "错误" and "row 4" in sheet.cell(2, 6).value
    assert entries() == []


def test_the_confirmation_page_reports_a_row_registered_since_the_preview(page_client, unit, liaison):
    event = f.EventFactory()
    person = f.PersonFactory(organisation_id=unit.id, full_name="孙九", number=rid(700))
    sign_in(page_client, liaison)
    url = f"/unit/{unit.id}/events/{event.id}/import"
    preview = upload(page_client, url, people_file(row(1), ["孙九", None, rid(700), None]))
    with unit_of_work():
        registration.register(event, person, actor=f.staff(), channel=Channel.STAFF)
    refused = page_client.post(f"{url}/confirm", data={"token": _token(preview)})
    assert refused.status_code == 422
    assert '<tr data-row="3">' in refused.get_data(as_text=True)
    assert len(entries()) == 1


def test_the_template_download_names_the_event_in_a_utf8_filename(page_client, unit, liaison):
    event = f.EventFactory(code="WA")
    sign_in(page_client, liaison)
    response = page_client.get(f"/unit/events/{event.id}/template.xlsx")
    assert response.status_code == 200
    assert "报名模板-WA.xlsx" in unquote(response.headers["Content-Disposition"])


def test_a_liaison_cannot_upload_for_another_unit(page_client, unit, liaison):
    other = f.OrganisationFactory()
    event = f.EventFactory()
    sign_in(page_client, liaison)
    assert upload(page_client, f"/unit/{other.id}/events/{event.id}/import", people_file(row(1))).status_code == 403
    assert entries() == []


def test_staff_enter_any_units_people_from_a_file(page_client, unit):
    event = f.EventFactory()
    sign_in(page_client, f.staff())
    url = f"/manage/events/{event.id}/import"
    assert "data-unit-picker" in page_client.get(url).get_data(as_text=True)
    preview = upload(page_client, url, people_file(row(1)), organisation_id=unit.name)
    assert preview.status_code == 200
    done = page_client.post(f"{url}/confirm", data={"token": _token(preview), "organisation_id": str(unit.id)})
    assert done.status_code == 302
    [entry] = entries()
    assert (entry.channel, entry.organisation_id, entry.status) == (Channel.STAFF, unit.id, Status.ENDORSED)
    listed = page_client.get(done.headers["Location"])  # the entries of that unit: org_id=<id> in the link
    assert f'value="{unit.name}"' in listed.get_data(as_text=True) and f'data-entry="{entry.id}"' in listed.get_data(
        as_text=True)


def test_the_staff_import_names_the_unit_or_says_why_it_cannot(page_client, unit):
    event = f.EventFactory()
    sign_in(page_client, f.staff())
    url = f"/manage/events/{event.id}/import"
    for typed, message in (("", "Please enter the unit&#39;s name or credit code."),
                           ("没有这个单位", "No member unit has this name or credit code.")):
        response = upload(page_client, url, people_file(row(1)), organisation_id=typed)
        assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert entries() == []


def test_a_liaison_cannot_use_the_staff_import(page_client, unit, liaison):
    sign_in(page_client, liaison)
    assert page_client.get(f"/manage/events/{f.EventFactory().id}/import").status_code == 403


def test_only_the_units_liaison_or_staff_may_check_a_file_for_the_unit(unit):
    from app.core.errors import PermissionDenied
    event = f.EventFactory()
    with pytest.raises(PermissionDenied):
        check(people_file(row(1)), event, unit, f.liaison(f.OrganisationFactory()))
    with pytest.raises(PermissionDenied):
        check(people_file(row(1)), event, unit, f.liaison(unit), channel=Channel.STAFF)
