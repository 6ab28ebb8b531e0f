"""Staff pages for entries: the filtered list, bulk approve and reject, counts, the export."""
from __future__ import annotations

import io
import re
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.competitions.models import Channel, Registration, RegistrationStatus as Status
from app.competitions.services import registration
from app.extensions import db
from app.core.transaction import unit_of_work
from tests import factories as f
from tests.support import sign_in


@pytest.fixture(autouse=True)
def _english(client):
    client.set_cookie("lang", "en")


@pytest.fixture
def staff(client):
    user = f.staff()
    sign_in(client, user)
    return user


def enter(event, org=None, *, name=None, channel=Channel.STAFF, **person):
    """An entry made by staff (endorsed), or by the person themself when channel is SELF."""
    person = f.PersonFactory(organisation_id=org.id if org else None, **({"full_name": name} if name else {}), **person)
    if channel == Channel.SELF:
        user = f.UserFactory(person=person)
        with unit_of_work():
            return registration.register(event, person, actor=user, channel=Channel.SELF)
    with unit_of_work():
        return registration.register(event, person, actor=f.staff(), channel=channel)


def listed(response) -> list[int]:
    """The ids of the entries a list page shows, in order."""
    return [int(n) for n in re.findall(r'<tr data-entry="(\d+)">', response.get_data(as_text=True))]


def fresh(entry) -> Registration:
    return db.session.scalar(select(Registration).where(Registration.id == entry.id)
                             .execution_options(populate_existing=True))


# --- the list -----------------------------------------------------------------------------------

def test_staff_filter_entries_by_event_unit_and_state(client, staff):
    north, south = f.OrganisationFactory(), f.OrganisationFactory()
    welding, turning = f.EventFactory(), f.EventFactory()
    a = enter(welding, north)
    b = enter(welding, south)
    c = enter(turning, north)
    d = enter(welding, north, channel=Channel.SELF)  # submitted: waits for the unit
    assert sorted(listed(client.get("/manage/entries"))) == sorted([a.id, b.id, c.id, d.id])
    assert listed(client.get(f"/manage/entries?event_id={welding.id}&org_id={north.id}")) == [d.id, a.id]
    assert listed(client.get(f"/manage/entries?event_id={welding.id}&org_id={north.id}&status=submitted")) == [d.id]
    assert listed(client.get(f"/manage/entries?competition_id={turning.competition_id}")) == [c.id]


def test_staff_filter_entries_by_a_units_name_or_credit_code(client, staff):
    north, south = f.OrganisationFactory(name="北方电力"), f.OrganisationFactory()
    event = f.EventFactory()
    a, b = enter(event, north), enter(event, south)
    by_name = client.get("/manage/entries", query_string={"unit": " 北方电力 "})
    assert listed(by_name) == [a.id]
    assert listed(client.get("/manage/entries", query_string={"unit": south.credit_code.lower()})) == [b.id]
    html = by_name.get_data(as_text=True)
    assert 'name="unit"' in html and 'value="北方电力"' in html
    assert f"org_id={north.id}" in html  # the export link keeps the filter, by id
    old_link = client.get(f"/manage/entries?org_id={north.id}").get_data(as_text=True)
    assert 'value="北方电力"' in old_link  # a link with org_id shows the unit's name in the box


def test_a_unit_filter_naming_no_unit_says_so_and_lists_nothing(client, staff):
    enter(f.EventFactory(), f.OrganisationFactory())
    response = client.get("/manage/entries", query_string={"unit": "没有这个单位"})
    assert response.status_code == 200 and listed(response) == []
    html = response.get_data(as_text=True)
    assert 'data-field="unit">No member unit has this name or credit code.' in html
    assert "unit=%E6%B2%A1" in html  # the export link keeps the (empty) filter


def test_staff_search_entries_by_name_and_exact_exam_number(client, staff):
    event = f.EventFactory(code="WA")
    li = enter(event, name="李雷")
    han = registration.approve(enter(event, name="韩梅"), actor=staff)
    assert listed(client.get("/manage/entries?q=李")) == [li.id]
    assert listed(client.get(f"/manage/entries?q={han.exam_number}")) == [han.id]


def test_junk_filters_are_ignored_rather_than_failing(client, staff):
    entry = enter(f.EventFactory())
    response = client.get("/manage/entries?event_id=abc&org_id=99999999999999999999&status=nope&page=x")
    assert response.status_code == 200 and listed(response) == [entry.id]


def test_the_list_shows_masked_ids_state_waiting_place_and_channel(client, staff):
    event = f.EventFactory(capacity=1)
    enter(event)
    waiting = enter(event, name="候补甲")
    html = client.get("/manage/entries").get_data(as_text=True)
    row = html.split(f'<tr data-entry="{waiting.id}">', 1)[1].split("</tr>", 1)[0]
    assert waiting.person.id_masked in row and "on the waiting list" in row and "\"Waiting place\">1</td>" in row
    assert "by staff" in row
    assert not re.search(r"\d{17}[\dX]", html)  # no whole ID number anywhere on the page


def test_committee_staff_see_only_their_committees_entries(client):
    committee = f.CommitteeFactory()
    ours = enter(f.EventFactory(competition=f.CompetitionFactory(committee_id=committee.id)))
    enter(f.EventFactory())
    sign_in(client, f.staff(committee))
    assert listed(client.get("/manage/entries")) == [ours.id]


def test_a_liaison_cannot_open_the_staff_list(client):
    sign_in(client, f.liaison(f.OrganisationFactory()))
    assert client.get("/manage/entries").status_code == 403


# --- bulk decisions --------------------------------------------------------------------------------

def test_bulk_approve_gives_exam_numbers_and_reports_failures_without_blocking_others(client, staff):
    event = f.EventFactory(code="WA")
    first = enter(event)
    unendorsed = enter(event, f.OrganisationFactory(), name="未确认", channel=Channel.SELF)
    last = enter(event)
    response = client.post("/manage/entries/decide", data={
        "registration_ids": [str(first.id), str(unendorsed.id), str(last.id), "987654"], "approve": "1"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "2 entries were approved." in html
    failures = html.split('data-testid="failures"', 1)[1]
    assert "未确认" in failures and "that change is not possible now" in failures and "No such entry" in failures
    assert [fresh(first).exam_number, fresh(last).exam_number] == ["2026WA0001", "2026WA0002"]
    assert (fresh(unendorsed).status, fresh(unendorsed).exam_number) == (Status.SUBMITTED, None)


def test_bulk_reject_needs_a_reason_and_changes_nothing_without_one(client, staff):
    event = f.EventFactory()
    a, b = enter(event), enter(event)
    refused = client.post("/manage/entries/decide", data={"registration_ids": [str(a.id), str(b.id)],
                                                          "reject": "1", "reason": "  "})
    assert refused.status_code == 422
    assert 'data-field="reason"' in refused.get_data(as_text=True)
    assert {fresh(a).status, fresh(b).status} == {Status.ENDORSED}
    done = client.post("/manage/entries/decide", data={"registration_ids": [str(a.id), str(b.id)],
                                                       "reject": "1", "reason": "材料不全"})
    assert done.status_code == 200 and "2 entries were rejected." in done.get_data(as_text=True)
    assert {(fresh(e).status, fresh(e).reject_reason) for e in (a, b)} == {(Status.REJECTED, "材料不全")}


def test_a_decision_without_a_ticked_entry_is_refused(client, staff):
    assert client.post("/manage/entries/decide", data={"approve": "1"}).status_code == 422
    assert client.post("/manage/entries/decide", data={"registration_ids": ["x"], "approve": "1"}).status_code == 422


def test_another_committees_entry_is_not_found_and_nobody_is_named(client):
    committee = f.CommitteeFactory()
    theirs = enter(f.EventFactory(name="另一委员会的赛项"), name="别人家的选手")
    sign_in(client, f.staff(committee))
    response = client.post("/manage/entries/decide", data={"registration_ids": [str(theirs.id)], "approve": "1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 404 and "别人家的选手" not in html and "另一委员会的赛项" not in html
    assert fresh(theirs).status == Status.ENDORSED


# --- counts -------------------------------------------------------------------------------------

def test_counts_by_unit_and_event_have_a_column_per_state(client, staff):
    competition = f.CompetitionFactory()
    welding, turning = f.EventFactory(competition=competition, code="WA"), f.EventFactory(competition=competition,
                                                                                          code="TU")
    north = f.OrganisationFactory(name="北方单位")
    enter(welding, north), enter(welding, north), enter(turning, north)
    enter(welding, north, channel=Channel.SELF)
    registration.approve(enter(welding), actor=staff)
    enter(f.EventFactory(), north)  # another competition: not counted
    html = client.get(f"/manage/competitions/{competition.id}/counts").get_data(as_text=True)

    def cell(unit: str, event: str, state: str) -> str:
        row = html.split(f'<tr data-unit="{unit}" data-event="{event}">', 1)[1].split("</tr>", 1)[0]
        return re.search(rf'data-state="{state}">(\d+)<', row).group(1)

    assert (cell("北方单位", "WA", "endorsed"), cell("北方单位", "WA", "submitted"), cell("北方单位", "WA", "total")) \
        == ("2", "1", "3")
    assert cell("北方单位", "TU", "endorsed") == "1"
    assert (cell("", "WA", "approved"), cell("", "WA", "total")) == ("1", "1")  # an entrant of no unit


def test_counts_of_another_committees_competition_are_refused(client):
    competition = f.CompetitionFactory(committee_id=f.CommitteeFactory().id)
    sign_in(client, f.staff(f.CommitteeFactory()))
    assert client.get(f"/manage/competitions/{competition.id}/counts").status_code == 403


# --- export -------------------------------------------------------------------------------------

def test_the_export_neutralises_cells_masks_ids_and_names_the_file_in_utf8(client, staff):
    unit = f.OrganisationFactory(name="=HYPERLINK(\"http://evil\")")
    event = f.EventFactory(name="+焊工")
    entry = enter(event, unit, name="@张三")
    enter(f.EventFactory())  # filtered out
    response = client.get(f"/manage/entries.xlsx?event_id={event.id}")
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert "filename*=UTF-8''" in disposition and "报名名单-" in unquote(disposition)
    rows = [[cell.value for cell in line] for line in load_workbook(io.BytesIO(response.data)).active.iter_rows()]
    assert rows[0][:6] == ["姓名", "证件号码", "单位", "竞赛", "赛项", "状态"]
    [line] = rows[1:]
    assert line[0] == "'@张三" and line[2] == "'=HYPERLINK(\"http://evil\")" and line[4] == "'+焊工"
    assert line[1] == entry.person.id_masked and "*" in line[1]
    assert line[5] == "待审核" and line[8] == "协会录入"
