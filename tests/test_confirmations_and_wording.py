"""Irreversible or hurtful one-tap actions ask first (one mechanism: data-confirm on the form,
static/js/confirm.js); the words people read are the words of the screen, in their language."""
from __future__ import annotations

import re

from app.accounts.services import tokens
from app.competitions.models import Channel, EventQuota
from app.competitions.services import registration
from app.judges.models import MemberStatus
from app.judges.services import draws
from tests import factories as f
from tests.accounts.sessions import enter_as
from tests.accounts.sessions import fresh_request_globals  # noqa: F401  (autouse: a fresh g per request)
from tests.judges.factories import SpecialityFactory
from tests.judges.panel_support import by_profile, event_with_contestants, judge, make_panel


def asking_forms(html: str) -> list[str]:
    """The action of every form that asks before it submits."""
    return re.findall(r'<form method="post" action="([^"]*)"[^>]*data-confirm="[^"]+"', html) + \
        ["(this page)" for _ in re.findall(r'<form method="post" class="d-inline" data-confirm="[^"]+"', html)]


def test_revoking_a_token_and_a_role_and_removing_a_quota_ask_first(client, db):
    admin = f.admin()
    token, _secret = tokens.create_token(admin, "报表脚本")
    enter_as(client, admin)
    tokens_page = client.get("/account/tokens").get_data(as_text=True)
    assert f"/account/tokens/{token.id}/revoke" in " ".join(asking_forms(tokens_page))
    html = client.get(f"/admin/users/{admin.id}").get_data(as_text=True)
    assert any("/revoke" in action for action in asking_forms(html))
    event = f.EventFactory()
    db.session.add(EventQuota(event_id=event.id, organisation_id=f.OrganisationFactory().id, quota=3))
    db.session.commit()
    assert asking_forms(client.get(f"/manage/events/{event.id}/quotas").get_data(as_text=True)) == ["(this page)"]


def test_a_judge_giving_up_an_accepted_seat_is_asked_first_and_a_declined_one_stays_listed(client, db):
    trade = SpecialityFactory()
    mine = judge(trade, with_login=True)
    panel = make_panel(event_with_contestants(), trade, chiefs=1, judges=0, reserves=0)
    draws.run_draw(panel, draws.DrawRequest(), actor=f.staff())
    member = by_profile(panel)[mine.id]
    enter_as(client, mine.person.user)
    client.post(f"/judges/me/assignments/{member.id}/accept")
    page = client.get("/judges/me/assignments").get_data(as_text=True)
    assert f"/judges/me/assignments/{member.id}/decline" in " ".join(asking_forms(page))
    client.post(f"/judges/me/assignments/{member.id}/decline", data={"reason": "家中有事"})
    assert by_profile(panel)[mine.id].status == MemberStatus.DECLINED
    assert f'data-assignment="{member.id}" data-status="declined"' in client.get("/judges/me/assignments").get_data(
        as_text=True)


def test_the_grant_form_chooses_no_role_for_the_admin(client, db):
    admin = f.admin()
    enter_as(client, admin)
    html = client.get(f"/admin/users/{f.UserFactory().id}").get_data(as_text=True)
    first = re.search(r'<select[^>]*name="role"[^>]*>\s*<option([^>]*)>', html).group(1)
    assert 'value=""' in first


def test_chinese_pages_say_withdraw_entry_and_name_and_no_time_zone_identifier(client, db):
    committee = f.CommitteeFactory(name="网络安全专业委员会", name_en="Cybersecurity Committee")
    event = f.EventFactory(competition=f.CompetitionFactory(committee_id=committee.id))
    user = f.UserFactory()
    registration.register(event, user.person, actor=user, channel=Channel.SELF)
    client.set_cookie("lang", "zh_CN")
    public = client.get(f"/competitions/{event.competition_id}").get_data(as_text=True)
    assert "Asia/Shanghai" not in public and "北京时间" in public and "网络安全专业委员会" in public
    client.set_cookie("lang", "en")
    assert "Cybersecurity Committee" in client.get(f"/competitions/{event.competition_id}").get_data(as_text=True)
    client.set_cookie("lang", "zh_CN")
    enter_as(client, user)
    mine = client.get("/me/registrations").get_data(as_text=True)
    assert "撤回报名" in mine and ">退出<" not in mine
    enter_as(client, f.staff())
    entries = client.get("/manage/entries").get_data(as_text=True)
    assert "<th>姓名</th>" in entries and "<title>报名名单" in entries
