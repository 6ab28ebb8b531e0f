"""Building the panels' world in tests: an event with contestants from given units, judges who
meet a panel's rules (or miss one on purpose), and a panel set up through the service."""
from __future__ import annotations

from datetime import date, timedelta

from app.competitions.models import Channel, Registration, RegistrationStatus
from app.core.time import local_today
from app.extensions import db
from app.judges.models import CompatriotRule, JudgeProfile, Panel, PanelMember, Speciality
from app.judges.services import panels
from tests.factories import EventFactory, PersonFactory, UserFactory
from tests.judges.factories import AvailabilityFactory, JudgeFactory, QualificationFactory, level

FIRST_OFFSET = 30   # panels sit a month from today …
DAYS = 3            # … for three days


def panel_dates() -> tuple[date, date]:
    first = local_today() + timedelta(days=FIRST_OFFSET)
    return first, first + timedelta(days=DAYS - 1)


def judge(speciality: Speciality, *, unit=None, region: str = "北京市", level_code: str = "national",
          available: bool = True, qualified: bool = True, with_login: bool = False, name: str | None = None,
          email: str | None = None) -> JudgeProfile:
    """A judge who meets a panel of `speciality` on panel_dates(): certificate valid, declared
    available, in `unit` and `region` — unless told otherwise."""
    overrides = {"organisation_id": unit.id if unit is not None else None}
    if name:
        overrides["full_name"] = name
    if email:
        overrides["email"] = email
    person = (UserFactory(**{f"person__{key}": value for key, value in overrides.items()}).person if with_login
              else PersonFactory(**overrides))
    profile = JudgeFactory(person=person, region=region, level=level(level_code), specialities=[speciality])
    first, last = panel_dates()
    if qualified:
        QualificationFactory(profile=profile, issued_on=date(2024, 1, 1), expires_on=last + timedelta(days=365))
    if available:
        AvailabilityFactory(profile=profile, starts_on=first - timedelta(days=10), ends_on=last + timedelta(days=10))
    return profile


def event_with_contestants(*units, persons=(), code: str | None = None):
    """An event with one active entry for a new person of each unit, and for each given person."""
    event = EventFactory(**({"code": code} if code else {}))
    for unit in units:
        person = PersonFactory(organisation_id=unit.id)
        enter(event, person, unit)
    for person in persons:
        enter(event, person, None)
    return event


def enter(event, person, unit, status: RegistrationStatus = RegistrationStatus.SUBMITTED) -> Registration:
    entry = Registration(event_id=event.id, person_id=person.id, organisation_id=unit.id if unit else None,
                         status=status, is_active=status not in (RegistrationStatus.WITHDRAWN,
                                                                 RegistrationStatus.REJECTED),
                         holds_seat=status in (RegistrationStatus.SUBMITTED, RegistrationStatus.ENDORSED,
                                               RegistrationStatus.APPROVED), channel=Channel.SELF)
    db.session.add(entry)
    db.session.commit()
    return entry


def make_panel(event, speciality: Speciality, *, actor=None, **rules) -> Panel:
    """A panel set up through the service, sitting on panel_dates(); `rules` override the defaults
    (1 chief, 2 judges, 1 reserve, no caps, compatriots excluded)."""
    first, last = panel_dates()
    fields = {"name": "裁判组", "starts_on": first, "ends_on": last, "speciality_id": speciality.id, "chiefs": 1,
              "judges": 2, "reserves": 1, "compatriot_rule": CompatriotRule.EXCLUDE} | rules
    return panels.create_panel(event.id, panels.PanelFields(**fields), actor=actor)


def members(panel: Panel) -> list[PanelMember]:
    return panels.members_of(panel.id)


def by_profile(panel: Panel) -> dict[int, PanelMember]:
    return {m.profile_id: m for m in members(panel)}

