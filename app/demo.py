"""`flask seed-demo`: a small, believable association to try the system with.

Everything here is invented: the units' credit codes and the people's ID numbers are
generated with valid check characters but belong to no one. The command is idempotent:
running it again adds nothing that is already there. Every demo login uses DEMO_PASSWORD.
The system creates it all (one unit of work, audited as the system), except the judge panels,
the venue and the individual event's schedule (entries, sessions, the station draw), which
the demo's staff login sets up through the services as staff would.
"""
from __future__ import annotations

import random
from datetime import date

import click
from flask import current_app
from sqlalchemy import select

from app.accounts.models import SkillLevel, User
from app.accounts.services.auth import LoginFields, create_user
from app.accounts.services.grants import grant_role
from app.accounts.services.people import PersonFields, create_person, find_by_id_number
from app.certificates.demo import seed_certificates
from app.competitions.demo import seed_competitions, seed_schedule
from app.competitions.models import Event
from app.core import ids
from app.core.audit import SYSTEM
from app.core.cli import system_command
from app.core.permissions import Role, ScopeType
from app.judges.demo import seed_judges, seed_panels
from app.extensions import db
from app.orgs.models import Committee, Organisation, OrgType
from app.orgs.services.units import OrgFields, create_organisation
from app.scheduling.demo import seed_places
from app.trainings.demo import seed_classes

DEMO_PASSWORD = "jiyi-demo-2026"

COMMITTEES = [("cyber", "网络安全专业委员会", "Cybersecurity Committee"),
              ("construction", "建设行业专业委员会", "Construction Committee"),
              ("power", "电力行业专业委员会", "Power Industry Committee")]

UNITS = [("华北电网检修有限公司", "北京市", "北京市", OrgType.ENTERPRISE),
         ("江南建工集团有限公司", "江苏省", "南京市", OrgType.ENTERPRISE),
         ("西部网络安全技术研究院", "四川省", "成都市", OrgType.PUBLIC_INSTITUTION),
         ("东海职业技术学院", "浙江省", "宁波市", OrgType.SCHOOL),
         ("中原信息通信有限公司", "河南省", "郑州市", OrgType.ENTERPRISE)]

REGION_CODES = ["110105", "320102", "510104", "330203", "410105"]

# username, name, role, unit index (for liaisons and contestants)
ACCOUNTS = [("admin", "系统管理员", Role.ADMIN, None),
            ("staff", "王协会", Role.STAFF, None),
            ("cyberstaff", "李网安", (Role.STAFF, "cyber"), None),
            ("liaison", "赵联络", Role.LIAISON, 0),
            ("contestant", "陈选手", None, 0),
            ("judge", "刘裁判", None, 2),     # in the judge pool (app.judges.demo)
            ("organiser", "孙培训", (Role.ORGANISER, "power"), None)]   # the power committee's classes

GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英"
FAMILY = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"


def credit_code(rng: random.Random, region: str) -> str:
    body = "91" + region + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    return body + ids.credit_code_check_char(body)


def resident_id(rng: random.Random, region: str, born: date, female: bool) -> str:
    sequence = rng.randrange(0, 50) * 2 + (0 if female else 1)
    body = f"{region}{born:%Y%m%d}{rng.randrange(0, 10)}{sequence:02d}"
    return body + ids.resident_id_check_char(body)


def _ensure_committees() -> dict[str, Committee]:
    found = {}
    for code, name, name_en in COMMITTEES:
        committee = db.session.scalar(select(Committee).where(Committee.code == code))
        if committee is None:
            committee = Committee(code=code, name=name, name_en=name_en)
            db.session.add(committee)
        found[code] = committee
    db.session.flush()  # grants name them by id
    return found


def _ensure_units(rng: random.Random) -> list[Organisation]:
    units = []
    for (name, province, city, org_type), region in zip(UNITS, REGION_CODES):
        org = db.session.scalar(select(Organisation).where(Organisation.name == name))
        if org is None:
            org = create_organisation(OrgFields(name=name, credit_code=credit_code(rng, region), province=province,
                                                city=city, org_type=org_type, contact_name="联络员",
                                                contact_phone=f"139{rng.randrange(10**8):08d}"), actor=SYSTEM)
        units.append(org)
    return units


def _random_person(rng: random.Random, org: Organisation, region: str) -> PersonFields:
    female = rng.random() < 0.4
    born = date(rng.randrange(1970, 2004), rng.randrange(1, 13), rng.randrange(1, 29))
    return PersonFields(
        full_name=rng.choice(FAMILY) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))),
        id_type=ids.IdType.RESIDENT_ID, id_number=resident_id(rng, region, born, female),
        phone=f"138{rng.randrange(10**8):08d}", organisation_id=org.id,
        job_title=rng.choice(["电工", "网络安全工程师", "钢筋工", "焊工", "运维工程师"]),
        skill_level=rng.choice(list(SkillLevel)))


def _seed_panels() -> None:
    """The judge panels of the cybersecurity contest's events (app.judges.demo.seed_panels)."""
    staff = db.session.scalar(select(User).where(User.username == "staff"))
    events = {code: event_id for event_id, code in db.session.execute(
        select(Event.id, Event.code).where(Event.code.in_(("ST", "WA"))))}
    if staff is not None and len(events) == 2:
        seed_panels([events["ST"], events["WA"]], actor=staff)


def _seed_certificates() -> None:
    """A certificate template of every kind, and two certificates (app.certificates.demo)."""
    staff = db.session.scalar(select(User).where(User.username == "staff"))
    if staff is not None:
        seed_certificates(actor=staff)


def _seed_schedule() -> None:
    """The demo venue, and the individual event's entries, sessions and station draw."""
    staff = db.session.scalar(select(User).where(User.username == "staff"))
    if staff is not None:
        seed_schedule(seed_places(actor=staff), actor=staff)


@click.command("seed-demo")
@click.option("--people", default=40, show_default=True, help="How many unit members to invent.")
@click.option("--yes-this-is-a-demo", "is_demo", is_flag=True,
              help="Load demo accounts (with a published password) although FLASK_DEBUG is off.")
@system_command
def seed_demo_command(people: int, is_demo: bool) -> None:
    """Load demo data (idempotent) and print one login per role.

    Outside debug (and the test suite) it refuses unless told that this is a demo, by
    --yes-this-is-a-demo or JIYI_DEMO=1: the demo accounts' password is printed in the
    README, and a production database must never get them by a mistyped command.
    """
    if not (current_app.debug or current_app.testing or current_app.config["JIYI_DEMO"] or is_demo):
        raise click.ClickException("seed-demo creates accounts with a published password and runs only in debug; "
                                   "on a demo server set JIYI_DEMO=1 or pass --yes-this-is-a-demo")
    rng = random.Random(2026)  # the same demo every time
    committees = _ensure_committees()
    units = _ensure_units(rng)
    for username, name, role, unit_index in ACCOUNTS:
        if db.session.scalar(select(User.id).where(User.username == username)) is not None:
            continue
        org = units[unit_index] if unit_index is not None else None
        fields = _random_person(rng, org, REGION_CODES[unit_index]) if org else PersonFields(full_name=name)
        fields.full_name = name
        person = create_person(fields, actor=SYSTEM)
        user = create_user(person, LoginFields(username=username, password=DEMO_PASSWORD,
                                               email=f"{username}@demo.jiyi.example"), actor=SYSTEM)
        if isinstance(role, tuple):
            grant_role(user, role[0], ScopeType.COMMITTEE, committees[role[1]].id, actor=SYSTEM)
        elif role == Role.LIAISON:
            grant_role(user, role, ScopeType.ORGANISATION, org.id, actor=SYSTEM)
        elif role is not None:
            grant_role(user, role, None, None, actor=SYSTEM)
    for index in range(people):
        # Each invented member has their own seed, so a rerun recreates exactly the same
        # people and finds them already there.
        unit = index % len(units)
        fields = _random_person(random.Random(f"member-{index}"), units[unit], REGION_CODES[unit])
        if find_by_id_number(fields.id_type, fields.id_number) is None:
            create_person(fields, actor=SYSTEM)
    seed_competitions()
    seed_judges()
    _seed_panels()
    _seed_schedule()
    seed_classes()
    _seed_certificates()
    click.echo("Demo data is loaded. Sign in with any of these (password: %s):" % DEMO_PASSWORD)
    for username, name, role, _ in ACCOUNTS:
        label = role[0].value + " of " + role[1] if isinstance(role, tuple) else (role.value if role else username)
        click.echo(f"  {label:<20} {username}")


COMMANDS = [seed_demo_command]
