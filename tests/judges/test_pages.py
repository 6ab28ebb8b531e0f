"""The pool's staff pages through the test client: the list and its filters, a judge's page,
adding and changing judges and their records, the levels and trades, and who may do what."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.accounts.models import Person
from app.core.time import local_today
from app.judges.models import (Availability, DeclaredConflict, JudgeKind, JudgeLevel, JudgeProfile, Qualification,
                               Speciality)
from app.judges.services import pool
from tests.accounts.sessions import enter_as, fresh_request_globals  # noqa: F401  (a fixture)
from tests.factories import (CommitteeFactory, OrganisationFactory, PersonFactory, UserFactory, liaison, resident_id,
                             staff)
from tests.judges.factories import JudgeFactory, QualificationFactory, SpecialityFactory, level


@pytest.fixture(autouse=True)
def _english(client):
    client.set_cookie("lang", "en")


@pytest.fixture
def staff_client(client):
    enter_as(client, staff())
    return client


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def today() -> date:
    return local_today()


# --- the list ------------------------------------------------------------------------------------

def test_the_list_shows_judges_with_their_standing_and_filters_them(staff_client):
    welding = SpecialityFactory(name="焊工")
    expiring = QualificationFactory(expires_on=today() + timedelta(days=10),
                                    profile=JudgeFactory(person=PersonFactory(full_name="钱焊"), specialities=[welding]))
    JudgeFactory(person=PersonFactory(full_name="孙电"))
    page = staff_client.get("/judges").get_data(as_text=True)
    assert "钱焊" in page and "孙电" in page and "Expiring within 90 days" in page and "No certificate" in page
    filtered = staff_client.get(f"/judges?speciality_id={welding.id}").get_data(as_text=True)
    assert "钱焊" in filtered and "孙电" not in filtered
    by_state = staff_client.get("/judges?state=expiring").get_data(as_text=True)
    assert f'data-judge="{expiring.profile_id}"' in by_state and "孙电" not in by_state
    assert "孙电" in staff_client.get("/judges?q=孙").get_data(as_text=True)


def test_the_list_filters_by_a_unit_typed_by_name_or_code_or_linked_by_id(staff_client):
    north = OrganisationFactory(name="北方电力")
    inside = JudgeFactory(person=PersonFactory(full_name="钱北", organisation_id=north.id))
    outside = JudgeFactory(person=PersonFactory(full_name="孙南", organisation_id=OrganisationFactory().id))
    for query in ({"unit": "北方电力"}, {"unit": north.credit_code.lower()}, {"org_id": str(north.id)}):
        page = staff_client.get("/judges", query_string=query).get_data(as_text=True)
        assert f'data-judge="{inside.id}"' in page and f'data-judge="{outside.id}"' not in page, query
        assert 'value="北方电力"' in page and f"org_id={north.id}" in page  # the box, and the export link
    unknown = staff_client.get("/judges", query_string={"unit": "没有这个单位"})
    assert unknown.status_code == 200 and "data-judge=" not in unknown.get_data(as_text=True)
    assert 'data-field="unit">No member unit has this name or credit code.' in unknown.get_data(as_text=True)


@pytest.mark.parametrize("query", ["kind=nonsense", "level_id=abc", "level_id=99999999999999", "state=%20x",
                                   "page=-1", "active=maybe", "q=" + "x" * 500, "org_id=1e9"])
def test_junk_filters_are_ignored_not_errors(staff_client, query):
    assert staff_client.get(f"/judges?{query}").status_code == 200


def test_the_dashboard_lists_expiring_and_expired_certificates(staff_client):
    soon = QualificationFactory(expires_on=today() + timedelta(days=30), number="SOON-1")
    gone = QualificationFactory(expires_on=today() - timedelta(days=3), number="GONE-1")
    renewed = JudgeFactory()
    QualificationFactory(profile=renewed, expires_on=today() - timedelta(days=3), number="OLD-1")
    QualificationFactory(profile=renewed, expires_on=today() + timedelta(days=900), number="NEW-1")
    page = staff_client.get("/judges/dashboard").get_data(as_text=True)
    expiring_part, expired_part = page.split('data-testid="expiring"')[1].split('data-testid="expired"')
    assert "SOON-1" in expiring_part and "GONE-1" in expired_part.split("</section>")[0]
    assert "OLD-1" not in page  # renewed: nothing to do
    assert soon.profile_id != gone.profile_id


# --- who may do what -----------------------------------------------------------------------------

def test_committee_staff_see_the_pool_but_are_sent_back_from_changing_it(client, db):
    judge = JudgeFactory()
    enter_as(client, staff(CommitteeFactory()))
    assert client.get("/judges").status_code == 200
    assert client.get(f"/judges/{judge.id}").status_code == 200
    for url in ("/judges/new", f"/judges/{judge.id}/edit", f"/judges/{judge.id}/qualifications/new",
                "/judges/import"):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].endswith("/judges"), url
    for url in ("/judges/levels", "/judges/specialities"):  # viewing the list is fine; adding to it is not
        response = client.post(url, data={"code": "x", "name": "x", "rank": "1"})
        assert response.status_code == 302 and response.headers["Location"].endswith("/judges"), url
    response = client.post(f"/judges/{judge.id}/deactivate", data={}, follow_redirects=True)
    assert "Only the association&#39;s staff change the judge pool" in response.get_data(as_text=True)
    assert db.session.get(JudgeProfile, judge.id).is_active


@pytest.mark.parametrize("url", ["/judges", "/judges/dashboard", "/judges/levels", "/judges/new", "/judges/export"])
def test_liaisons_and_people_without_a_role_are_refused(client, url):
    for user in (liaison(OrganisationFactory()), UserFactory()):
        enter_as(client, user)
        assert client.get(url).status_code == 403, url


def test_strangers_are_sent_to_sign_in(client):
    response = client.get("/judges")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


# --- adding and changing a judge -----------------------------------------------------------------

def new_judge_form(**changes) -> dict:
    form = {"full_name": "周新", "id_type": "resident_id", "id_number": resident_id(21), "phone": "13812345678",
            "kind": "judge", "level_id": str(level().id), "speciality_ids": [str(SpecialityFactory().id)],
            "region": "浙江省"}
    return form | changes


def test_staff_add_a_judge_and_land_on_their_page(staff_client, db):
    response = staff_client.post("/judges/new", data=new_judge_form())
    assert response.status_code == 302
    profile = db.session.scalars(select(JudgeProfile)).one()
    assert response.headers["Location"].endswith(f"/judges/{profile.id}")
    page = staff_client.get(f"/judges/{profile.id}").get_data(as_text=True)
    assert "周新" in page and resident_id(21) not in page and "110***" in page


def test_a_new_judges_unit_is_typed_by_its_credit_code(staff_client, db):
    unit = OrganisationFactory()
    assert 'name="organisation_id"' in staff_client.get("/judges/new").get_data(as_text=True)
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in unit.credit_code.lower())
    assert staff_client.post("/judges/new", data=new_judge_form(organisation_id=full_width)).status_code == 302
    assert db.session.scalars(select(JudgeProfile)).one().person.organisation_id == unit.id
    unknown = staff_client.post("/judges/new",
                                data=new_judge_form(id_number=resident_id(22), organisation_id="无此单位"))
    assert unknown.status_code == 422
    assert "No member unit has this name or credit code." in unknown.get_data(as_text=True)


def test_a_bad_id_number_re_renders_the_form_with_the_reason(staff_client, db):
    response = staff_client.post("/judges/new", data=new_judge_form(id_number="110105199001011234"))
    assert response.status_code == 422
    assert 'data-field="id_number"' in response.get_data(as_text=True)
    assert count(db, JudgeProfile) == 0 and count(db, Person) == 1  # the staff member only


def test_a_judge_without_a_trade_is_refused(staff_client, db):
    response = staff_client.post("/judges/new", data=new_judge_form(speciality_ids=[]))
    assert response.status_code == 422 and "Please choose at least one trade." in response.get_data(as_text=True)


def test_editing_changes_level_and_trades(staff_client, db):
    judge = JudgeFactory()
    wiring = SpecialityFactory()
    response = staff_client.post(f"/judges/{judge.id}/edit", data={
        "kind": "both", "level_id": str(level("provincial").id), "speciality_ids": [str(wiring.id)], "region": "湖北省"})
    assert response.status_code == 302
    db.session.expire_all()
    judge = db.session.get(JudgeProfile, judge.id)
    assert (judge.kind, judge.level.code, judge.specialities, judge.region) == (
        JudgeKind.BOTH, "provincial", [wiring], "湖北省")


def test_deactivating_and_reactivating(staff_client, db):
    judge = JudgeFactory()
    staff_client.post(f"/judges/{judge.id}/deactivate", data={"reason": "退休"})
    db.session.expire_all()
    assert not db.session.get(JudgeProfile, judge.id).is_active
    assert 'data-testid="inactive"' in staff_client.get(f"/judges/{judge.id}").get_data(as_text=True)
    staff_client.post(f"/judges/{judge.id}/reactivate", data={})
    db.session.expire_all()
    assert db.session.get(JudgeProfile, judge.id).is_active


# --- records -------------------------------------------------------------------------------------

def test_certificates_are_added_edited_and_deleted(staff_client, db):
    judge = JudgeFactory()
    response = staff_client.post(f"/judges/{judge.id}/qualifications/new", data={
        "number": "CJ-9", "issuer": "协会", "issued_on": "2024-01-01", "expires_on": "2027-12-31"})
    assert response.status_code == 302
    qualification = db.session.scalars(select(Qualification)).one()
    bad = staff_client.post(f"/judges/qualifications/{qualification.id}/edit", data={
        "number": "CJ-9", "issuer": "协会", "issued_on": "2024-01-01", "expires_on": "2023-01-01"})
    assert bad.status_code == 422 and "cannot expire before it was issued" in bad.get_data(as_text=True)
    staff_client.post(f"/judges/qualifications/{qualification.id}/delete", data={})
    assert count(db, Qualification) == 0


def test_staff_record_dates_and_conflicts_for_a_judge(staff_client, db):
    judge = JudgeFactory()
    unit = OrganisationFactory()
    start = today() + timedelta(days=10)
    assert staff_client.post(f"/judges/{judge.id}/availability/new", data={
        "starts_on": start.isoformat(), "ends_on": (start + timedelta(days=3)).isoformat()}).status_code == 302
    assert staff_client.post(f"/judges/{judge.id}/conflicts/new", data={
        "party": "unit", "organisation_id": unit.name, "reason": "曾任职"}).status_code == 302
    missing = staff_client.post(f"/judges/{judge.id}/conflicts/new", data={"party": "unit", "reason": "x"})
    assert missing.status_code == 422 and "Please choose a unit or name a person." in missing.get_data(as_text=True)
    page = staff_client.get(f"/judges/{judge.id}").get_data(as_text=True)
    assert unit.name in page and "曾任职" in page
    conflict = db.session.scalars(select(DeclaredConflict)).one()
    availability = db.session.scalars(select(Availability)).one()
    staff_client.post(f"/judges/conflicts/{conflict.id}/delete", data={})
    staff_client.post(f"/judges/availability/{availability.id}/delete", data={})
    assert count(db, DeclaredConflict) == 0 and count(db, Availability) == 0


# --- levels and trades ---------------------------------------------------------------------------

def test_staff_add_and_rename_levels_and_trades(staff_client, db):
    level()
    assert staff_client.post("/judges/levels", data={"code": "Industry", "name": "行业级", "name_en": "Industry",
                                                     "rank": "25"}).status_code == 302
    added = db.session.scalars(select(JudgeLevel).where(JudgeLevel.code == "industry")).one()
    taken = staff_client.post("/judges/levels", data={"code": "industry", "name": "x", "rank": "1"})
    assert taken.status_code == 409 and "already exists" in taken.get_data(as_text=True)
    assert staff_client.post(f"/judges/levels/{added.id}/edit", data={"name": "行业", "name_en": "Trade body",
                                                                       "rank": "35"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(JudgeLevel, added.id).rank == 35
    assert staff_client.post("/judges/specialities", data={"code": "welder", "name": "焊工"}).status_code == 302
    trade = db.session.scalars(select(Speciality)).one()
    assert staff_client.post("/judges/specialities", data={"code": "焊 工", "name": "焊工"}).status_code == 422
    staff_client.post(f"/judges/specialities/{trade.id}/edit", data={"name": "电焊工"})
    db.session.expire_all()
    assert db.session.get(Speciality, trade.id).name == "电焊工"


def test_a_judges_page_lists_the_panels_they_sat_on(staff_client, db):
    from app.judges.models import MemberSource, MemberStatus, Panel, PanelMember, PanelRole
    from tests.factories import EventFactory

    judge = JudgeFactory()
    event = EventFactory(name="网络安全管理员决赛")
    panel = Panel(event_id=event.id, name="决赛裁判组", starts_on=date(2026, 9, 1), ends_on=date(2026, 9, 3),
                  speciality=judge.specialities[0], chiefs=1, judges=2, reserves=1)
    db.session.add(PanelMember(panel=panel, profile=judge, role=PanelRole.CHIEF, status=MemberStatus.ACCEPTED,
                               source=MemberSource.DRAW))
    db.session.commit()
    history = staff_client.get(f"/judges/{judge.id}").get_data(as_text=True).split('data-testid="history"')[1]
    assert "网络安全管理员决赛" in history and "决赛裁判组" in history and "Chief judge" in history
    assert "Accepted" in history and "2026-09-01" in history


def test_a_judges_page_for_no_judge_is_404(staff_client):
    assert staff_client.get("/judges/424242").status_code == 404
