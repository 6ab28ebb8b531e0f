"""What the route matrix and the junk-input tests share: every route the URL map knows, a
small world (two member units with a person each, two committees with a competition, an
event and an entry each, a user for each role in each scope it can be granted, and judges
seated on panels: tests/matrix_judges.py), and the table that fills URL arguments from that
world.

Routes are read from a real application's URL map at collection time, so a route that
lands tomorrow is tested tomorrow without anyone editing these files — unless it has a URL
argument the table below does not know, and then the tests say so.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable
from urllib.parse import quote

import pytest

from app.core.permissions import PUBLIC_EXTENSION_ENDPOINTS, ROLE_SCOPES, Role, ScopeType
from tests import matrix_judges, matrix_trainings, support

HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
_ARGUMENT = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


@lru_cache(maxsize=1)
def url_map_app():
    """An application built only to read its URL map; it never opens a database."""
    from app import create_app

    return create_app(support.test_settings("sqlite://"))


@dataclass(frozen=True)
class RouteCase:
    """One URL rule answered with one method."""

    endpoint: str
    rule: str                       # as written on the route: /orgs/<int:org_id>
    method: str
    arguments: tuple[str, ...]

    @property
    def path(self) -> str:
        """The rule without converters, as people say it: /orgs/<org_id>."""
        return _ARGUMENT.sub(lambda m: f"<{m.group(1)}>", self.rule)

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def is_api(self) -> bool:
        return self.rule.startswith("/api/")

    @property
    def sends_body(self) -> bool:
        return self.method in ("POST", "PUT", "PATCH")


def is_static(endpoint: str) -> bool:
    return endpoint == "static" or endpoint.endswith(".static")


def route_cases() -> list[RouteCase]:
    """Every (rule, method) pair of the application, except static files and the public
    endpoints that extensions add (their rule is stated in permissions.PUBLIC_EXTENSION_ENDPOINTS)."""
    app = url_map_app()
    cases = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if is_static(rule.endpoint) or rule.endpoint in PUBLIC_EXTENSION_ENDPOINTS:
            continue
        for method in HTTP_METHODS:
            if method in (rule.methods or ()):
                cases.append(RouteCase(rule.endpoint, rule.rule, method, tuple(sorted(rule.arguments))))
    return cases


# --- the world ---------------------------------------------------------------------------

@dataclass(frozen=True)
class HeldGrant:
    role: Role
    scope_type: ScopeType | None
    scope_id: int | None


@dataclass
class WorldUser:
    key: str                        # "liaison@unit A", "staff", "signed in, no grant"
    id: int
    session_token: str
    grants: tuple[HeldGrant, ...]
    grant_ids: tuple[int, ...]
    token_id: int                   # an API token of their own …
    token: str                      # … and its text, for the Authorization header


@dataclass
class World:
    """Plain ids and strings only: every request runs in an app context of its own.

    Unit A and committee A hold the objects the URLs name; B is the other side of each.
    """

    org_a: int
    org_b: int
    person_a: int                   # a member of unit A
    person_b: int
    committee_a: int
    committee_b: int
    competition_a: int              # organised by committee A
    competition_b: int
    event_a: int                    # open for registration
    event_b: int
    registration_a: int             # person A's entry in event A, through unit A
    registration_b: int
    users: dict[str, WorldUser] = field(default_factory=dict)
    reset_tokens: tuple[str, str] = ("", "")
    # The judge pool: person A's and person B's profiles and their records, by name
    # ("profile_a", "qualification_b" …), and the level and trade they use.
    judges: dict[str, int] = field(default_factory=dict)
    # Scheduling: a venue with a room, a station and a booking of the room, by name ("venue" …).
    places: dict[str, int] = field(default_factory=dict)
    scoring: dict[str, int] = field(default_factory=dict)
    # Trainings: side A's class (committee A) and side B's, each with a course session someone
    # attended and a material ("class_a", "course_session_a", "material_a" …); one instructor.
    trainings: dict[str, int] = field(default_factory=dict)

    NO_GRANT = "signed in, no grant"
    ADMIN = "admin"

    def signed_in_users(self) -> list[WorldUser]:
        return list(self.users.values())

    def b_side_scopes(self) -> set[tuple[ScopeType, int]]:
        """The scopes of side B: nothing a URL names for side A sits in them."""
        return {(ScopeType.ORGANISATION, self.org_b), (ScopeType.COMMITTEE, self.committee_b)}


def _scope_positions(world: World, scope_type: ScopeType | None) -> list[tuple[str, int | None]]:
    """Where a role can be held in this world: (label, scope id) pairs for one scope type."""
    if scope_type is None:
        return [("", None)]
    if scope_type == ScopeType.ORGANISATION:
        return [("@unit A", world.org_a), ("@unit B", world.org_b)]
    if scope_type == ScopeType.COMMITTEE:
        return [("@committee A", world.committee_a), ("@committee B", world.committee_b)]
    return []  # a scope type this world has no rows for yet: nobody holds a role there


def build_world(app) -> World:
    """Two units with a person each, two committees with a competition, an open event and
    an entry each, a user for every role in every scope the role can be granted in, and the
    judges of tests/matrix_judges.py;
    every user has an API token. One transaction, then one per token (the slow disk of a
    shared machine makes commits the cost of this fixture)."""
    from app.accounts.models import User
    from app.accounts.services import auth, tokens
    from app.competitions.models import Channel, Registration, RegistrationStatus
    from app.core.permissions import Grant
    from app.extensions import db
    from tests.factories import (CommitteeFactory, CompetitionFactory, EventFactory, OrganisationFactory,
                                 PersonFactory, UserFactory)

    def saved(obj):
        db.session.add(obj)
        db.session.flush()
        return obj

    with app.app_context():
        org_a, org_b = saved(OrganisationFactory.build()), saved(OrganisationFactory.build())
        person_a = saved(PersonFactory.build(organisation_id=org_a.id, email="person.a@example.org"))
        person_b = saved(PersonFactory.build(organisation_id=org_b.id, email="person.b@example.org"))
        committee_a, committee_b = saved(CommitteeFactory.build()), saved(CommitteeFactory.build())
        competition_a = saved(CompetitionFactory.build(committee_id=committee_a.id))
        competition_b = saved(CompetitionFactory.build(committee_id=committee_b.id))
        event_a = saved(EventFactory.build(competition=competition_a, seats_taken=1))
        event_b = saved(EventFactory.build(competition=competition_b, seats_taken=1))
        entries = [saved(Registration(event_id=event.id, person_id=person.id, organisation_id=org.id,
                                      status=RegistrationStatus.SUBMITTED, holds_seat=True, channel=Channel.SELF))
                   for event, person, org in ((event_a, person_a, org_a), (event_b, person_b, org_b))]
        world = World(org_a=org_a.id, org_b=org_b.id, person_a=person_a.id, person_b=person_b.id,
                      committee_a=committee_a.id, committee_b=committee_b.id,
                      competition_a=competition_a.id, competition_b=competition_b.id,
                      event_a=event_a.id, event_b=event_b.id,
                      registration_a=entries[0].id, registration_b=entries[1].id)

        holders: list[tuple[str, User, list[HeldGrant], list[Grant]]] = []

        def add_user(key: str, held: list[HeldGrant], organisation_id: int | None = None) -> None:
            user = saved(UserFactory.build(person__organisation_id=organisation_id))
            rows = [saved(Grant(user_id=user.id, role=g.role, scope_type=g.scope_type, scope_id=g.scope_id))
                    for g in held]
            holders.append((key, user, held, rows))

        add_user(World.NO_GRANT, [])
        for role in Role:
            for scope_type in sorted(ROLE_SCOPES[role], key=lambda s: "" if s is None else s.value):
                for label, scope_id in _scope_positions(world, scope_type):
                    home = scope_id if scope_type == ScopeType.ORGANISATION else None
                    add_user(f"{role.value}{label}", [HeldGrant(role, scope_type, scope_id)], home)
        for persona in matrix_judges.PERSONAS:  # no grant: they reach only what a relation opens
            add_user(persona, [])
        users = {key: user for key, user, _held, _rows in holders}
        matrix_judges.add_judges(world, [users[World.ADMIN]], saved)
        matrix_judges.add_panels(world, users[World.ADMIN], {key: users[key] for key in matrix_judges.PERSONAS},
                                 saved)
        _add_places(world, saved)
        _add_station_draws(world, saved)
        _add_schemes(world, saved)
        _add_trainings(world, saved)
        matrix_trainings.add_classes(world, saved)
        db.session.commit()
        for key, user, held, rows in holders:
            token, text = tokens.create_token(user, "matrix")
            world.users[key] = WorldUser(key, user.id, user.session_token, tuple(held),
                                         tuple(row.id for row in rows), token.id, text)
        db.session.commit()  # the tokens: services flush, the caller commits
        no_grant = db.session.get(User, world.users[World.NO_GRANT].id)
        admin = db.session.get(User, world.users[World.ADMIN].id)
        world.reset_tokens = (auth.make_link_token(no_grant, auth.RESET_SALT),
                              auth.make_link_token(admin, auth.INVITE_SALT))
    return world


def _add_places(world: World, saved) -> None:
    """A venue with a room, a station and a booking of the room (places are the association's:
    side A and side B name the same rows)."""
    from datetime import datetime, timezone

    from app.scheduling.models import Booking, Room, Station, Venue

    venue = saved(Venue(name="矩阵场馆"))
    room = saved(Room(venue_id=venue.id, name="矩阵教室"))
    station = saved(Station(room_id=room.id, number=1, is_out_of_service=False))
    booking = saved(Booking(room_id=room.id, starts_at=datetime(2099, 1, 1, 1, tzinfo=timezone.utc),
                            ends_at=datetime(2099, 1, 1, 4, tzinfo=timezone.utc), owner_kind="matrix"))
    world.places.update(venue=venue.id, room=room.id, station=station.id, booking=booking.id)
    _add_sessions(world, room, station, saved)


def _add_sessions(world: World, room, station, saved) -> None:
    """A session (场次) of side A's event and one of side B's, in the world's room (not booked:
    the matrix asks for access, not clashes), each with its side's entry seated, so that the
    first who may delete one is refused (409) and it stays for everyone after them."""
    from datetime import datetime, timezone

    from app.competitions.models import ContestSession, SeatSource, SessionSeat

    for side, event_id, entry_id, person_id in (("a", world.event_a, world.registration_a, world.person_a),
                                                ("b", world.event_b, world.registration_b, world.person_b)):
        session = saved(ContestSession(event_id=event_id, name=f"矩阵场次{side}", room_id=room.id,
                                       starts_at=datetime(2099, 1, 2, 1, tzinfo=timezone.utc),
                                       ends_at=datetime(2099, 1, 2, 4, tzinfo=timezone.utc)))
        saved(SessionSeat(session_id=session.id, registration_id=entry_id, person_id=person_id,
                          station_id=station.id, source=SeatSource.MANUAL))
        world.places[f"session_{side}"] = session.id


def _add_station_draws(world: World, saved) -> None:
    """A station draw record of side A's event and one of side B's (no sessions: nothing to seat)."""
    from app.competitions.models import StationDraw

    for side, event_id in (("a", world.event_a), ("b", world.event_b)):
        record = saved(StationDraw(event_id=event_id, seed="matrix", seed_source="secure", algorithm="station-draw/v1",
                                   rules={"spread_units": True}, snapshot={"sessions": [], "entries": []},
                                   result={"seats": []}))
        world.places[f"station_draw_{side}"] = record.id


def _judge_row(name: str):
    """URL argument filler for one of the pool's rows: side A's or side B's."""
    return lambda w, side, who: w.judges[f"{name}_{side.lower()}"]


# --- URL arguments -----------------------------------------------------------------------

Side = str  # "A": the object the right-scope user may reach; "B": one they may not


def _other_users_token(world: World, who: WorldUser | None) -> int:
    others = [u for u in world.users.values() if who is None or u.id != who.id]
    return others[0].token_id


def _own_token(world: World, who: WorldUser | None) -> int:
    return who.token_id if who is not None else world.users[World.NO_GRANT].token_id


# Argument name → (world, side, requesting user) → the value to put in the URL. A new
# route with an argument not listed here fails the matrix until a line is added.
def _add_schemes(world: World, saved) -> None:
    """A marking scheme (one version, nothing in it yet) for side A's event and for side B's."""
    from app.scoring.models import MarkingScheme, SchemeVersion

    for side, event_id in (("a", world.event_a), ("b", world.event_b)):
        scheme = saved(MarkingScheme(event_id=event_id, name=f"评分方案 {side}"))
        saved(SchemeVersion(scheme_id=scheme.id, number=1, tie_breaks=[], award_levels=[]))
        world.scoring[side] = scheme.id


def _add_trainings(world: World, saved) -> None:
    """A published class of committee A and one of committee B, each with its side's person enrolled
    through their unit, a course session they attended (so that it is never deleted: 409) and a
    material; one instructor."""
    from datetime import datetime, timezone
    from decimal import Decimal

    from app.trainings.models import (Attendance, AttendanceMethod, CourseSession, Enrolment, EnrolmentChannel,
                                      EnrolmentStatus, Instructor, Material, SessionKind)
    from tests.factories import TrainingClassFactory

    for side, committee_id, person_id, org_id in (("a", world.committee_a, world.person_a, world.org_a),
                                                  ("b", world.committee_b, world.person_b, world.org_b)):
        training_class = saved(TrainingClassFactory.build(committee_id=committee_id, seats_taken=1))
        enrolment = saved(Enrolment(class_id=training_class.id, person_id=person_id, organisation_id=org_id,
                                    status=EnrolmentStatus.ENROLLED, holds_seat=True,
                                    channel=EnrolmentChannel.LIAISON))
        session = saved(CourseSession(class_id=training_class.id, title=f"矩阵课程{side}", kind=SessionKind.LECTURE,
                                      starts_at=datetime(2099, 1, 3, 1, tzinfo=timezone.utc),
                                      ends_at=datetime(2099, 1, 3, 4, tzinfo=timezone.utc), hours=Decimal("3"),
                                      place="线上"))
        saved(Attendance(class_id=training_class.id, session_id=session.id, enrolment_id=enrolment.id,
                         person_id=person_id, method=AttendanceMethod.MANUAL, reason="matrix"))
        material = saved(Material(class_id=training_class.id, title=f"讲义{side}", filename="a.pdf",
                                  content_type="application/pdf", size_bytes=5, sha256="0" * 64, content=b"%PDF-"))
        world.trainings.update({f"class_{side}": training_class.id, f"enrolment_{side}": enrolment.id,
                                f"course_session_{side}": session.id, f"material_{side}": material.id})
    world.trainings["instructor"] = saved(Instructor(person_id=world.person_a, title="讲师")).id


URL_ARGUMENTS: dict[str, Callable[[World, Side, WorldUser | None], object]] = {
    "org_id": lambda w, side, who: w.org_a if side == "A" else w.org_b,
    "person_id": lambda w, side, who: w.person_a if side == "A" else w.person_b,
    "user_id": lambda w, side, who: w.users["liaison@unit A" if side == "A" else "liaison@unit B"].id,
    "grant_id": lambda w, side, who: w.users["liaison@unit A" if side == "A" else "liaison@unit B"].grant_ids[0],
    "token_id": lambda w, side, who: _own_token(w, who) if side == "A" else _other_users_token(w, who),
    "token": lambda w, side, who: w.reset_tokens[0 if side == "A" else 1],
    "code": lambda w, side, who: "en" if side == "A" else "zh_CN",
    "committee_id": lambda w, side, who: w.committee_a if side == "A" else w.committee_b,
    "competition_id": lambda w, side, who: w.competition_a if side == "A" else w.competition_b,
    "event_id": lambda w, side, who: w.event_a if side == "A" else w.event_b,
    "registration_id": lambda w, side, who: w.registration_a if side == "A" else w.registration_b,
    "profile_id": _judge_row("profile"),
    "qualification_id": _judge_row("qualification"),
    "availability_id": _judge_row("availability"),
    "conflict_id": _judge_row("conflict"),
    "level_id": lambda w, side, who: w.judges["level"],
    "speciality_id": lambda w, side, who: w.judges["speciality"],
    "panel_id": lambda w, side, who: matrix_judges.panel_argument(w, side, who),
    "draw_id": _judge_row("draw"),
    "member_id": lambda w, side, who: matrix_judges.member_argument(w, side, who),
    "venue_id": lambda w, side, who: w.places["venue"],
    "room_id": lambda w, side, who: w.places["room"],
    "station_id": lambda w, side, who: w.places["station"],
    "booking_id": lambda w, side, who: w.places["booking"],
    "session_id": lambda w, side, who: w.places["session_a" if side == "A" else "session_b"],
    # One's own message or e-mail: the view answers 404 for a row that is not there or not
    # theirs, after the access check this matrix is about.
    "notification_id": lambda w, side, who: 1 if side == "A" else 2,
    "message_id": lambda w, side, who: 1 if side == "A" else 2,
    "station_draw_id": lambda w, side, who: w.places["station_draw_a" if side == "A" else "station_draw_b"],
    "scheme_id": lambda w, side, who: w.scoring["a" if side == "A" else "b"],
    # A score sheet: none in the world, so the view answers 404 after the access check.
    "sheet_id": lambda w, side, who: 1 if side == "A" else 2,
    "aspect_id": lambda w, side, who: 1 if side == "A" else 2,   # none ready in the world: 404 after the check
    "number": lambda w, side, who: 1,   # a published result's version: none in the world, 404 after the check
    # Certificates and their templates: none in the world, so the view answers 404 after the check.
    "certificate_id": lambda w, side, who: 1 if side == "A" else 2,
    "template_id": lambda w, side, who: 1 if side == "A" else 2,
    "batch_id": lambda w, side, who: 1 if side == "A" else 2,
    # A correction, a spread flag: none in the world, so the view answers 404 after the access check.
    "correction_id": lambda w, side, who: 1 if side == "A" else 2,
    "flag_id": lambda w, side, who: 1 if side == "A" else 2,
    "class_id": lambda w, side, who: w.trainings["class_a" if side == "A" else "class_b"],
    "course_session_id": lambda w, side, who: w.trainings["course_session_a" if side == "A" else "course_session_b"],
    "material_id": lambda w, side, who: w.trainings["material_a" if side == "A" else "material_b"],
    "instructor_id": lambda w, side, who: w.trainings["instructor"],
    "enrolment_id": lambda w, side, who: w.trainings["enrolment_a" if side == "A" else "enrolment_b"],
}


class UnknownArgument(LookupError):
    def __init__(self, name: str, case: RouteCase):
        super().__init__(
            f"{case.id}: the URL argument <{name}> is not in URL_ARGUMENTS (tests/matrix_support.py); "
            f"add a line saying what to put there for unit A's side and for unit B's side")
        self.name = name


def argument_values(case: RouteCase, world: World, side: Side = "A", who: WorldUser | None = None) -> dict:
    """Raises UnknownArgument when the table has no line for one of the route's arguments."""
    values = {}
    for name in case.arguments:
        if name not in URL_ARGUMENTS:
            raise UnknownArgument(name, case)
        values[name] = URL_ARGUMENTS[name](world, side, who)
    return values


def build_url(case: RouteCase, values: dict) -> str:
    """The rule with every argument replaced by its (quoted) value."""
    return _ARGUMENT.sub(lambda m: quote(str(values[m.group(1)]), safe=""), case.rule)


def fill_url(case: RouteCase, world: World, side: Side = "A", who: WorldUser | None = None) -> str:
    return build_url(case, argument_values(case, world, side, who))


# --- sending requests --------------------------------------------------------------------

def client_for(app, who: WorldUser | None):
    """A test client; for a world user, signed in with the same session cookie a login sets."""
    client = app.test_client()
    client.set_cookie("lang", "en")  # messages and pages in English, whatever the catalogue says
    if who is not None:
        with client.session_transaction() as session:
            session["_user_id"] = f"{who.id}:{who.session_token}"
            session["_fresh"] = True
    return client


def send(app, client, case: RouteCase, url: str, who: WorldUser | None, **kwargs):
    """One request in an app context of its own, as in production: its own database
    session and `g`, torn down afterwards. API requests carry the user's bearer token."""
    headers = dict(kwargs.pop("headers", None) or {})
    if case.is_api and who is not None:
        headers["Authorization"] = f"Bearer {who.token}"
    with app.app_context():
        return client.open(url, method=case.method, headers=headers, **kwargs)


def row_counts(app) -> dict[str, int]:
    """How many rows the tables that forms and the API write to hold now."""
    from sqlalchemy import text

    from app.extensions import db

    with app.app_context():
        return {table: db.session.scalar(text(f"SELECT count(*) FROM {table}"))
                for table in ("persons", "organisations", "users", "audit_entries")}


class ServerErrors(logging.Handler):
    """The tracebacks of unhandled errors, so a failing test shows where the 500 came from.

    app.core.errors logs them; Alembic's logging setup (run by the migrations) disables
    existing loggers, so the logger is switched back on for the test.
    """

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)

    def last(self, lines: int = 8) -> str:
        """The end of the newest traceback: where it was raised, and what."""
        if not self.records:
            return "    (no traceback logged)"
        record = self.records[-1]
        text = logging.Formatter().formatException(record.exc_info) if record.exc_info else record.getMessage()
        return "\n".join("    " + line for line in text.splitlines()[-lines:])


@pytest.fixture
def server_errors():
    logger = logging.getLogger("app.core.errors")
    handler, was_disabled = ServerErrors(), logger.disabled
    logger.disabled = False
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)
    logger.disabled = was_disabled
