"""The pool itself: who is a judge or expert (a profile on a person), and finding them.

Staff holding `judges.manage` everywhere (association staff) add and change profiles; a
committee's staff see the pool (`judges.view`) but do not change it. A judge's unit is their
person's unit. A qualification's state is derived from its dates (app.judges.validity); the
pool list filters on a judge's standing — their best qualification's state — with the same
rule written in SQL (`_state_condition`).
"""
from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, column, exists, false, func, not_, or_, select, table

from app.accounts.models import Person
from app.accounts.services import people
from app.core import audit, crypto, ids
from app.core.errors import Conflict, InvalidInput, NotFound, Problems
from app.core.permissions import has_permission, require
from app.core.transaction import flush_or_refuse
from app.core.validation import check_id_document
from app.extensions import db
from app.judges import validity
from app.judges.models import (JudgeKind, JudgeLevel, JudgeProfile, Panel, PanelMember, Qualification, Speciality,
                               judge_specialities)
from app.orgs.models import Organisation

log = logging.getLogger(__name__)

MAX_NOTES = 2000
MAX_SPECIALITIES = 20
PROFILE_AUDITED = (*JudgeProfile.AUDITED, "speciality_codes")


# --- who may do what -------------------------------------------------------------------------

def may_manage(user) -> bool:
    """Whether `user` may change the pool: `judges.manage` held everywhere (not in one committee)."""
    return has_permission(user, "judges.manage")


def require_manager(actor) -> None:
    """Raises PermissionDenied unless `actor` may change the pool (the system, for the CLI and demo, may)."""
    require(actor, "judges.manage")


def is_own(profile: JudgeProfile, user) -> bool:
    """Whether `user` is the judge of `profile`."""
    return user is not None and getattr(user, "person_id", None) == profile.person_id


def profile_of_user(user) -> JudgeProfile | None:
    """The signed-in person's own profile, if they are in the pool."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(JudgeProfile).where(JudgeProfile.person_id == user.person_id))


def profile_or_404(profile_id: int) -> JudgeProfile:
    profile = db.session.get(JudgeProfile, profile_id)
    if profile is None:
        raise NotFound(_("No such judge."))
    return profile


# --- profile fields ----------------------------------------------------------------------------

@dataclass
class ProfileFields:
    """What a form, an API call or an import row says about a judge."""

    kind: JudgeKind | None
    level_id: int | None
    speciality_ids: list[int] = field(default_factory=list)
    region: str | None = None
    notes: str | None = None


@dataclass
class CleanProfile:
    kind: JudgeKind
    level: JudgeLevel
    specialities: list[Speciality]
    region: str | None
    notes: str | None


def clean_profile(data: ProfileFields) -> CleanProfile:
    """Validate every field; raises InvalidInput naming every bad one at once."""
    problems = Problems()
    if not isinstance(data.kind, JudgeKind):
        problems.add(_("Please choose judge, expert or both."), "kind")
    level = db.session.get(JudgeLevel, data.level_id) if data.level_id else None
    if level is None:
        problems.add(_("Please choose a level from the list."), "level_id")
    wanted = sorted(set(data.speciality_ids or ()))
    specialities = []
    if not wanted:
        problems.add(_("Please choose at least one trade."), "speciality_ids")
    elif len(wanted) > MAX_SPECIALITIES:
        problems.add(_("At most %(n)d trades.", n=MAX_SPECIALITIES), "speciality_ids")
    else:
        specialities = list(db.session.scalars(select(Speciality).where(Speciality.id.in_(wanted))
                                               .order_by(Speciality.code)))
        if len(specialities) != len(wanted):
            problems.add(_("Please choose trades from the list."), "speciality_ids")
    region = " ".join(unicodedata.normalize("NFKC", data.region or "").split()) or None
    if region is not None and len(region) > 64:
        problems.add(_("At most %(n)d characters.", n=64), "region")
    notes = (data.notes or "").strip() or None
    if notes is not None and len(notes) > MAX_NOTES:
        problems.add(_("At most %(n)d characters.", n=MAX_NOTES), "notes")
    problems.raise_any()
    return CleanProfile(data.kind, level, specialities, region, notes)


def _snapshot(profile: JudgeProfile) -> dict:
    return audit.snapshot(profile, JudgeProfile.AUDITED) | {
        "speciality_codes": [speciality.code for speciality in profile.specialities]}


def _apply(profile: JudgeProfile, clean: CleanProfile) -> None:
    profile.kind, profile.level, profile.specialities = clean.kind, clean.level, clean.specialities
    profile.region, profile.notes = clean.region, clean.notes


def _flush_profile() -> None:
    # The one-profile-per-person index may lose a race after create_profile's look.
    flush_or_refuse(Conflict(_("This person is already in the judge pool."), field="id_number"))


# --- adding and changing judges ------------------------------------------------------------------

def create_profile(person: Person, data: ProfileFields, *, actor) -> JudgeProfile:
    """Put an existing person in the pool. Raises InvalidInput for a bad field, Conflict when
    they are in it already. Without a region the region is their unit's province."""
    require_manager(actor)
    clean = clean_profile(data)
    if db.session.scalar(select(JudgeProfile.id).where(JudgeProfile.person_id == person.id)) is not None:
        raise Conflict(_("This person is already in the judge pool."), field="id_number")
    if clean.region is None and person.organisation_id is not None:
        clean.region = db.session.get(Organisation, person.organisation_id).province
    profile = JudgeProfile(person=person)
    _apply(profile, clean)
    db.session.add(profile)
    _flush_profile()
    audit.record("judge.created", profile, actor=actor, after=_snapshot(profile))
    log.info("judge profile %s created for person %s", profile.id, person.id)
    return profile


def _judge_person(person_data: people.PersonFields) -> Person | None:
    """The person holding the ID document of `person_data`, if any; InvalidInput for a bad
    document, or a name that differs from the one on file."""
    if person_data.id_type is None:
        raise InvalidInput(_("Please choose the type of ID document."), field="id_type")
    number = check_id_document(person_data.id_type, person_data.id_number or "")
    person = people.find_by_id_number(person_data.id_type, number)
    if person is not None and name_key(person.full_name) != name_key(person_data.full_name or ""):
        raise InvalidInput(_("The person with this ID number is “%(name)s” in the system.",
                             name=person.full_name), field="full_name")
    return person


def check_judge(person_data: people.PersonFields, data: ProfileFields) -> None:
    """Raises InvalidInput naming every problem of a new judge at once (Conflict when their
    being in the pool already is the only one); changes nothing."""
    problems = Problems()
    with problems.check():
        clean_profile(data)
    person = None
    with problems.check():
        person = _judge_person(person_data)
    if person is None:  # a new person (or no usable document): their fields are checked as a person's
        with problems.check():
            people.check_person(person_data)
    elif db.session.scalar(select(JudgeProfile.id).where(JudgeProfile.person_id == person.id)) is not None:
        with problems.check():
            raise Conflict(_("This person is already in the judge pool."), field="id_number")
    problems.raise_any()


def add_judge(person_data: people.PersonFields, data: ProfileFields, *, actor) -> JudgeProfile:
    """Add a judge by ID document: the person holding it joins the pool (their record is kept
    as it is), or a new person is created. Raises InvalidInput for a bad field (also when the
    name differs from the one on file for that ID number), Conflict when already in the pool;
    the caller rolls back then, so a person created on the way is not kept.
    """
    require_manager(actor)
    clean_profile(data)  # a bad profile field must not leave a new person behind
    person = _judge_person(person_data)
    if person is None:
        person = people.create_person(person_data, actor=actor)
    return create_profile(person, data, actor=actor)


def update_profile(profile: JudgeProfile, data: ProfileFields, *, actor) -> JudgeProfile:
    """Change a judge's kind, level, trades, region or notes. Audited with before and after."""
    require_manager(actor)
    clean = clean_profile(data)
    before = _snapshot(profile)
    _apply(profile, clean)
    audit.record("judge.updated", profile, actor=actor, before=before, after=_snapshot(profile))
    log.info("judge profile %s updated", profile.id)
    return profile


def set_active(profile: JudgeProfile, is_active: bool, *, actor, reason: str | None = None) -> JudgeProfile:
    """Take a judge out of the pool (never drawn again) or bring them back; their records stay."""
    require_manager(actor)
    reason = (reason or "").strip()[:500] or None
    if profile.is_active == is_active:
        return profile
    profile.is_active = is_active
    audit.record("judge.reactivated" if is_active else "judge.deactivated", profile, actor=actor,
                 before={"is_active": not is_active}, after={"is_active": is_active}, reason=reason)
    return profile


def name_key(name: str) -> str:
    """A name compared as people mean it: full-width forms and spaces ignored."""
    return "".join(unicodedata.normalize("NFKC", name).split()).casefold()


# --- finding judges ------------------------------------------------------------------------------

@dataclass
class PoolFilter:
    kind: JudgeKind | None = None
    level_id: int | None = None
    speciality_id: int | None = None
    region: str | None = None
    organisation_id: int | None = None
    state: str | None = None            # one of validity.JUDGE_STATES
    search: str | None = None           # a name, a phone number, a whole ID number or a certificate number
    is_active: bool | None = True       # None: both


def _qualification(*conditions):
    return exists().where(Qualification.profile_id == JudgeProfile.id, *conditions)


def _state_condition(state: str, today: date):
    """A judge's standing (validity.judge_state) as a SQL condition on JudgeProfile."""
    started = Qualification.issued_on <= today
    usable_now = _qualification(started, or_(Qualification.expires_on.is_(None), Qualification.expires_on >= today))
    horizon = today + timedelta(days=validity.EXPIRING_WITHIN_DAYS)
    valid = _qualification(started, or_(Qualification.expires_on.is_(None), Qualification.expires_on > horizon))
    not_yet = _qualification(Qualification.issued_on > today)
    conditions = {
        validity.VALID: valid,
        validity.EXPIRING: and_(usable_now, not_(valid)),
        validity.NOT_YET_VALID: and_(not_yet, not_(usable_now)),
        validity.EXPIRED: and_(_qualification(), not_(usable_now), not_(not_yet)),
        validity.NONE: not_(_qualification()),
    }
    return conditions.get(state, false())


def pool_query(flt: PoolFilter, today: date):
    """The judges matching `flt`, by name."""
    query = select(JudgeProfile).join(Person, JudgeProfile.person_id == Person.id).order_by(
        Person.full_name, JudgeProfile.id)
    if flt.is_active is not None:
        query = query.where(JudgeProfile.is_active.is_(flt.is_active))
    if flt.kind is not None:
        query = query.where(JudgeProfile.kind == flt.kind)
    if flt.level_id is not None:
        query = query.where(JudgeProfile.level_id == flt.level_id)
    if flt.speciality_id is not None:
        query = query.where(exists().where(judge_specialities.c.profile_id == JudgeProfile.id,
                                           judge_specialities.c.speciality_id == flt.speciality_id))
    if flt.region:
        query = query.where(JudgeProfile.region == flt.region)
    if flt.organisation_id is not None:
        query = query.where(Person.organisation_id == flt.organisation_id)
    if flt.state:
        query = query.where(_state_condition(flt.state, today))
    if flt.search:
        query = query.where(_search_condition(flt.search.strip()))
    return query


def _search_condition(term: str):
    conditions = [Person.full_name.contains(term, autoescape=True), Person.phone.contains(term, autoescape=True),
                  _qualification(Qualification.number == term)]
    try:  # a whole ID number finds its person by the keyed hash, never by plaintext
        number = ids.validate_document(ids.IdType.RESIDENT_ID, term)
        conditions.append(Person.id_hash == crypto.keyed_hash(ids.IdType.RESIDENT_ID.value, number))
    except ids.IdNumberError:
        pass
    return or_(*conditions)


def regions() -> list[str]:
    """The regions judges of the pool are in, for the filter's list."""
    return list(db.session.scalars(select(JudgeProfile.region).where(JudgeProfile.region.is_not(None))
                                   .distinct().order_by(JudgeProfile.region)))


def states_of(profiles: list[JudgeProfile], today: date) -> dict[int, str]:
    """Each profile's standing, from its qualifications (loaded in one query)."""
    found: dict[int, list[tuple[date, date | None]]] = {profile.id: [] for profile in profiles}
    if found:
        rows = db.session.execute(select(Qualification.profile_id, Qualification.issued_on, Qualification.expires_on)
                                  .where(Qualification.profile_id.in_(list(found))))
        for profile_id, issued_on, expires_on in rows:
            found[profile_id].append((issued_on, expires_on))
    return {profile_id: validity.judge_state(pairs, today) for profile_id, pairs in found.items()}


def state_counts(today: date) -> dict[str, int]:
    """How many active judges stand in each state (the dashboard's numbers)."""
    return {state: db.session.scalar(select(func.count()).select_from(
        pool_query(PoolFilter(state=state), today).order_by(None).subquery())) for state in validity.JUDGE_STATES}


# --- history -------------------------------------------------------------------------------------

# The events table belongs to competitions, which sits above judges: it is named here, never imported.
_events = table("events", column("id"), column("name"))


@dataclass(frozen=True)
class Sitting:
    """One panel a judge was put on: what, when, in which role, and how it ended."""

    member: PanelMember
    panel: Panel
    event_name: str | None


def history(profile: JudgeProfile) -> list[Sitting]:
    """The judge's panels, the latest first."""
    rows = db.session.execute(
        select(PanelMember, Panel, _events.c.name)
        .join(Panel, PanelMember.panel_id == Panel.id)
        .outerjoin(_events, _events.c.id == Panel.event_id)
        .where(PanelMember.profile_id == profile.id)
        .order_by(Panel.starts_on.desc(), PanelMember.id.desc()))
    return [Sitting(member, panel, event_name) for member, panel, event_name in rows]
