"""Staff pages of marking schemes: build one from the national preset, aspect by aspect;
every problem shown at once; rehearse with pasted marks and see every figure; another
committee's staff are kept out."""
from __future__ import annotations

from sqlalchemy import select

from app.scoring.models import MarkingScheme, SchemeAspect
from app.scoring.services import schemes
from tests.factories import CommitteeFactory, CompetitionFactory, EventFactory, staff
from tests.scoring.support import DATA, diving_definition
from tests.support import sign_in

ASPECT = {"component": "practical", "criterion": "装配", "key": "A1", "name": "尺寸精度", "kind": "judgement",
          "maximum": "10", "scale_min": "0", "scale_max": "10", "scale_step": "0.5", "allowed_spread": "2",
          "judges": "3", "aggregation": "mean", "drop_high": "0", "drop_low": "0", "attempts_rule": "sum",
          "attempts_count": "1", "best_k": "1", "rounding": "half_up", "places": "2"}


def theory(key="T1"):
    return ASPECT | {"component": "theory", "criterion": "理论", "key": key, "name": "笔试", "kind": "measurement",
                     "maximum": "100", "scale_max": "100", "scale_step": "", "allowed_spread": "", "judges": "1"}


def test_staff_build_a_national_scheme_and_rehearse_it(client, db):
    event = EventFactory()
    sign_in(client, staff())
    client.get("/language/en")
    added = client.post(f"/scoring/events/{event.id}/schemes", data={"name": "决赛评分", "stage_id": "",
                                                                     "start": "national"})
    scheme = db.session.scalar(select(MarkingScheme))
    assert added.status_code == 302 and [c.key for c in scheme.current.components] == ["theory", "practical"]
    first = client.post(f"/scoring/schemes/{scheme.id}/aspect", data=ASPECT)
    assert first.status_code == 302, [l for l in first.get_data(as_text=True).splitlines() if "feedback" in l or "alert" in l]
    assert client.post(f"/scoring/schemes/{scheme.id}/aspect", data=theory()).status_code == 302
    settings = client.post(f"/scoring/schemes/{scheme.id}/settings", data={
        "name": "决赛评分", "total_rounding": "half_up", "total_places": "2",
        "tie_breaks": "extra:time lower\ncomponent:practical higher", "award_method": "rank",
        "award_levels": "一等奖 1\n二等奖 2", "award_rounding": "half_up", "standardisation": "none",
        "standard_rounding": "half_up", "standard_places": "2"})
    assert settings.status_code == 302
    page = client.get(f"/scoring/schemes/{scheme.id}").get_data(as_text=True)
    assert "尺寸精度" in page and "unready" not in page and "figure time (lower first)" in page
    marks = ("contestant,aspect,attempt,factor,J1,J2,J3\n"
             "王力,A1,,,8,9,10\n王力,T1,,,80\n王力,extra:time,50\n"
             "李娜,A1,,,9,9,9\n李娜,T1,,,80\n李娜,extra:time,40\n"
             "张伟,A1,,,9.5,9,6\n张伟,T1,,,70\n张伟,extra:time,30\n")
    shown = client.post(f"/scoring/schemes/{scheme.id}/rehearsal", data={"marks": marks})
    text = shown.get_data(as_text=True)
    assert shown.status_code == 200
    # theory 80 → 80 × 30 % = 24; practical 9 of 10 → 90 × 70 % = 63; total 87 (the national rule's example)
    assert "87.00" in text and "李娜" in text and "一等奖" in text
    ranking = text[text.index('data-testid="ranking"'):]
    assert ranking.index("李娜") < ranking.index("王力")   # equal totals: the shorter time first
    assert "judges too far apart on A1" in text         # 张伟: 9.5 and 6 are 3.5 apart, more than 2
    assert "figure time" in ranking and "the total" in ranking   # what set each place apart


def test_the_aspect_form_reports_every_problem_at_once(client, db):
    event = EventFactory()
    scheme = schemes.create_scheme(event, "初赛", schemes.national_preset(), draft=True)
    db.session.commit()
    sign_in(client, staff())
    client.get("/language/en")
    bad = ASPECT | {"key": "A 1", "maximum": "abc", "scale_min": "10", "scale_max": "5", "drop_high": "2", "drop_low": "1",
                    "aggregation": "trimmed_mean", "judges": "3", "allowed_spread": "-1"}
    answer = client.post(f"/scoring/schemes/{scheme.id}/aspect", data=bad)
    text = answer.get_data(as_text=True)
    assert answer.status_code == 422
    for field in ("key", "maximum", "scale_max", "aggregation"):
        assert f'data-field="{field}"' in text, field
    assert db.session.scalar(select(SchemeAspect)) is None


def test_pasted_marks_with_problems_are_all_named(client, db):
    scheme = schemes.create_scheme(EventFactory(), "跳水", diving_definition())
    db.session.commit()
    sign_in(client, staff())
    client.get("/language/en")
    answer = client.post(f"/scoring/schemes/{scheme.id}/rehearsal", data={
        "marks": "A,dives,1,2.0,7,7,7,7,7,7,11\nB,dive,1,2.0,7,7,7,7,7,7,7\nC,dives,x,2.0,7"})
    text = answer.get_data(as_text=True)
    assert answer.status_code == 422 and "Line 3" in text


def test_an_excel_upload_rehearses_like_a_paste(client, db):
    from io import BytesIO

    from app.core.excel import write_workbook

    scheme = schemes.create_scheme(EventFactory(), "跳水", diving_definition())
    db.session.commit()
    rows = [["DIXON Matthew", "dives", "1", "2.6", "7.5", "8.0", "7.5", "7.5", "8.0", "7.5", "7.5"]]
    data = write_workbook(["contestant", "aspect", "attempt", "factor"] + [f"J{n}" for n in range(1, 8)], rows, "marks")
    sign_in(client, staff())
    answer = client.post(f"/scoring/schemes/{scheme.id}/rehearsal", content_type="multipart/form-data",
                         data={"marks": "", "file": (BytesIO(data), "marks.xlsx")})
    assert answer.status_code == 200 and "58.50" in answer.get_data(as_text=True)
    assert DATA.is_dir()


def test_staff_of_another_committee_are_kept_out(client, db):
    event = EventFactory(competition=CompetitionFactory(committee=CommitteeFactory()))
    scheme = schemes.create_scheme(event, "初赛", schemes.national_preset(), draft=True)
    db.session.commit()
    sign_in(client, staff(CommitteeFactory()))
    assert client.get(f"/scoring/schemes/{scheme.id}").status_code == 403
    assert client.get(f"/scoring/events/{event.id}/schemes").status_code == 403


def test_every_page_reads_in_chinese(client, db):
    event = EventFactory()
    scheme = schemes.create_scheme(event, "跳水", diving_definition() | {"award": {
        "method": "share", "levels": [{"name": "一等奖", "limit": __import__("decimal").Decimal(10)}],
        "rounding": "floor"}})
    db.session.commit()
    sign_in(client, staff())
    client.get("/language/zh_CN")
    for url in ("/scoring/events", f"/scoring/events/{event.id}/schemes", f"/scoring/schemes/{scheme.id}",
                f"/scoring/schemes/{scheme.id}/settings", f"/scoring/schemes/{scheme.id}/component",
                f"/scoring/schemes/{scheme.id}/aspect?key=dives", f"/scoring/schemes/{scheme.id}/rehearsal"):
        page = client.get(url)
        assert page.status_code == 200, url
    shown = client.post(f"/scoring/schemes/{scheme.id}/rehearsal",
                        data={"marks": "王力,dives,1,2.0,7,7,7,7,7,7,7\n李娜,dives,1,2.0,6,6,6,6,6,6,6"})
    text = shown.get_data(as_text=True)
    assert shown.status_code == 200 and "排名" in text and "42.00" in text and "一等奖" in text


def test_a_frozen_scheme_changes_as_the_next_version_on_its_pages(client, db):
    scheme = schemes.create_scheme(EventFactory(), "跳水", diving_definition())
    schemes.freeze(scheme.current)   # as the first mark will
    db.session.commit()
    sign_in(client, staff())
    client.get("/language/en")
    changed = client.post(f"/scoring/schemes/{scheme.id}/component", data={
        "original_key": "diving", "key": "diving", "name": "跳水决赛", "rounding": "half_up", "places": "2"})
    assert changed.status_code == 302
    db.session.expire_all()
    found = db.session.get(MarkingScheme, scheme.id)
    assert [v.number for v in found.versions] == [1, 2] and found.versions[0].components[0].name == "跳水"
    assert found.current.components[0].name == "跳水决赛" and not found.current.is_frozen
    page = client.get(f"/scoring/schemes/{scheme.id}").get_data(as_text=True)
    assert 'data-testid="versions"' in page and "Version 2" in page
