"""The route-by-role matrix: every route in the URL map, asked by every kind of user.

For each (rule, method) the world holds: nobody signed in, a signed-in user with no grant,
and a user for every role in every scope the role can be granted in (a liaison of unit A
and one of unit B, staff of committee A and of committee B, global staff, an admin …). The
URL names side A's objects (unit A's person, committee A's event …). What each of them must
get follows from the view's access rule alone:

- nobody signed in: pages redirect to /login, the API answers 401 in the JSON error shape;
- `public`: everyone gets through; `signed_in`: every signed-in user gets through;
- `requires(p)`: a user none of whose roles carries p gets 403; one holding p everywhere gets
  through; one holding p only in some scope gets through when the rule has no scope (a
  grant anywhere is enough, the view narrows what they see), and otherwise only when that
  scope is in the scope chain of side A's object — and never when it is one of side B's, so
  a liaison of unit B or staff of committee B gets 403;
- `requires(p, scope=EVERYWHERE)`: only a grant without scope gets through; with
  `otherwise=…`, one holding p only in some scope is sent elsewhere (a redirect, not 403);
- a rule naming a relation (`requires_relation(r)`, or `requires(p, relation=r)`: p or r):
  who stands in r to side A's object is listed in RELATION_HOLDERS below, and only they get
  through on the relation; the world seats a judge and a chief judge on side A's drawn panel
  and a judge on side B's (tests/matrix_judges.py), none with a grant.

"Gets through" means it passed the access check: not 401 or 403, not sent to /login. An
empty form or `{}` is sent, so a 4xx validation answer counts as getting through. Nobody
ever gets a 5xx. A route without a rule, or with a URL argument the world cannot fill,
fails here with what to add.
"""
from __future__ import annotations

import enum
from urllib.parse import urlsplit

import pytest

from app.core import permissions, registry
from app.core.permissions import EVERYWHERE, Access
from tests.matrix_judges import CHIEF_JUDGE, OTHER_PANEL_JUDGE, PERSONAS, SEATED_JUDGE
from tests.matrix_support import (RouteCase, UnknownArgument, World, WorldUser, argument_values, build_url,
                                  build_world, client_for, is_static, route_cases, send,
                                  server_errors,  # noqa: F401  (a fixture)
                                  url_map_app)

CASES = route_cases()

# Endpoints that are meant to be reachable without signing in. A view that becomes public
# by accident (or on purpose, without anyone saying so here) fails the suite.
MEANT_TO_BE_PUBLIC = {
    "core.index",                   # the home page
    "core.set_language",            # the language switch
    "core.healthz",                 # liveness probe
    "core.readyz",                  # readiness probe
    "core.favicon",                 # the site's icon
    "accounts.login",
    "accounts.signup",
    "accounts.forgot_password",
    "accounts.reset_password",      # the link from the reset e-mail
    "accounts.accept_invitation",   # the link from the invitation e-mail
    "api_docs.docs",                # the interactive API documentation page
    "api-docs.openapi_json",        # the OpenAPI document it reads
    "static",                       # CSS, JavaScript, vendored assets
    "competitions.index",           # published competitions, for anyone
    "competitions.competition",     # a published competition's events and seats (unpublished: 404)
    "competitions_api.list_competitions",  # API: published competitions (staff also see theirs)
    "competitions_api.get_competition",    # API: a published competition with its events (unpublished: 404)
    "competitions_api.get_event",          # API: a published competition's event and seats (unpublished: 404)
    # Timetables of a published competition (unpublished: 404): sessions for anyone, names only for
    # its staff and the people in it (app/competitions/services/timetables.py).
    "competitions.competition_timetable",
    "competitions.competition_timetable_pdf",
    "competitions.event_timetable",
    "competitions.event_timetable_pdf",
    "timetables_api.competition_timetable",
    "scoring.public_results",              # published results (成绩公示), for anyone
    "scoring.public_result",               # a published result's current version (none published: 404)
    "scoring.public_result_version",       # an older version of it
    "competitions.calendar_feed",          # a person's calendar feed: its secret token is the key (unknown: 404)
    # Certificate verification (issue 15): by the code on the paper, or its serial and holder's name;
    # rate-limited, and an unknown certificate answers "not found" and nothing more.
    "certificates.verify",
    "certificates.lookup",
    "certificates_api.verify",
    "certificates_api.lookup",
    "trainings.index",                     # published training classes, for anyone
    "trainings.class_page",                # a published class's plan (a draft: 404 but to its organisers)
    "trainings_api.list_classes",          # API: published classes (organisers also see their drafts)
    "trainings_api.get_class",             # API: a published class (a draft: 404 but to its organisers)
}

# Who in the world stands in each relation to the side A object the URL names (the URL
# argument table gives each persona their own panel and seat: tests/matrix_judges.py). A
# route naming a relation missing here fails until a line says who holds it.
RELATION_HOLDERS = {
    "panel.member": {SEATED_JUDGE, CHIEF_JUDGE},                   # on side A's drawn panel
    "panel.chief": {CHIEF_JUDGE},
    "panel_member.self": {World.ADMIN, SEATED_JUDGE, CHIEF_JUDGE},  # their own seat on it
    "judges.in_pool": {World.ADMIN, *PERSONAS},
}


class Outcome(enum.Enum):
    THROUGH = "gets through the access check"
    SIGN_IN = "is asked to sign in"
    DENIED = "is refused with 403"
    TURNED_BACK = "is sent elsewhere with a word (the rule's `otherwise`)"


@pytest.fixture
def world(app) -> World:
    return build_world(app)


def _rule_of(case: RouteCase) -> Access | None:
    with url_map_app().app_context():
        return permissions.rule_for(case.endpoint)


def _access_of(case: RouteCase) -> Access:
    access = _rule_of(case)
    if access is None:
        pytest.fail(f"{case.id} (view {case.endpoint}) has no access rule, so every request is refused: "
                    f"decorate the view with @public, @signed_in or @requires(permission, scope=…, scope_arg=…) "
                    f"from app.core.permissions")
    return access


def _scope_chain_of_a(app, case: RouteCase, access: Access, values: dict) -> tuple:
    """The scope chain the rule's resolver gives for unit A's object named in the URL."""
    if access.scope is None or access.scope is EVERYWHERE:
        return ()
    if access.scope_arg not in case.arguments:
        pytest.fail(f"{case.id}: the rule has a scope resolver but scope_arg={access.scope_arg!r} is not one of "
                    f"the URL arguments {list(case.arguments)}; name the argument that carries the scoped object")
    with app.app_context(), app.test_request_context(build_url(case, values), method=case.method):
        from flask import request
        return access.scope(dict(request.view_args or {})).chain


def _carries(role, permission: str) -> bool:
    with url_map_app().app_context():
        carried = permissions.role_permissions(role)
    return "*" in carried or permission in carried


def _stands_in(access: Access, who: WorldUser, case_id: str) -> bool:
    if access.relation not in RELATION_HOLDERS:
        pytest.fail(f"{case_id}: the rule names the relation {access.relation!r}, which RELATION_HOLDERS "
                    f"(tests/test_route_matrix.py) does not list; say who in the world stands in it")
    return who.key in RELATION_HOLDERS[access.relation]


def expected_outcome(access: Access, who: WorldUser | None, chain_of_a: tuple, world: World,
                     case_id: str = "") -> Outcome:
    """What `who` must get. A grant in one of side B's scopes never opens side A's object,
    whatever the resolver says: that half does not trust the resolver it tests."""
    if access.kind == "public":
        return Outcome.THROUGH
    if who is None:
        return Outcome.SIGN_IN
    if access.kind == "signed_in":
        return Outcome.THROUGH
    if access.relation is not None and _stands_in(access, who, case_id):
        return Outcome.THROUGH
    if access.kind == "relation":
        return Outcome.DENIED
    carrying = [g for g in who.grants if _carries(g.role, access.permission)]
    if not carrying:
        return Outcome.DENIED
    if access.scope is None or any(g.scope_type is None for g in carrying):
        return Outcome.THROUGH
    reachable = set(chain_of_a) - world.b_side_scopes()
    if any((g.scope_type, g.scope_id) in reachable for g in carrying):
        return Outcome.THROUGH
    return Outcome.TURNED_BACK if access.otherwise is not None else Outcome.DENIED


def _error_body_problem(response, code: str) -> str | None:
    body = response.get_json(silent=True)
    error = body.get("error") if isinstance(body, dict) else None
    if not (isinstance(error, dict) and error.get("code") == code and isinstance(error.get("message"), str)
            and "field" in error):
        return f"the JSON error body with code {code!r}, got {response.get_data(as_text=True)[:200]!r}"
    return None


def outcome_problem(case: RouteCase, expected: Outcome, response) -> str | None:
    """What is wrong with `response`, or None when it is what `expected` means."""
    status = response.status_code
    location = urlsplit(response.headers.get("Location", "")).path
    if status >= 500:
        return f"a server error ({status})"
    if expected is Outcome.THROUGH:
        if status in (401, 403) or (status in (301, 302, 303, 307, 308) and location == "/login"):
            return f"was stopped ({status} {location})"
        return None
    if expected is Outcome.TURNED_BACK:
        if status not in (302, 303) or location in ("", "/login"):
            return f"expected a redirect away from the page, got {status} {location}"
        return None
    if expected is Outcome.SIGN_IN:
        if case.is_api:
            return f"expected 401, got {status}" if status != 401 else _error_body_problem(response, "unauthorised")
        if status != 302 or location != "/login":
            return f"expected a 302 to /login, got {status} {location}"
        return None
    if status != 403:
        return f"expected 403, got {status}"
    if case.is_api:
        return _error_body_problem(response, "forbidden")
    if not response.content_type.startswith("text/html"):
        return f"expected an HTML error page, got {response.content_type}"
    return None


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_route_obeys_its_access_rule(app, world, server_errors, case):
    access = _access_of(case)
    try:
        values = argument_values(case, world)
    except UnknownArgument as error:
        pytest.fail(str(error))
    chain_of_a = _scope_chain_of_a(app, case, access, values)
    if access.kind == "permission" and access.scope not in (None, EVERYWHERE) and not chain_of_a:
        pytest.fail(f"{case.id}: the scope resolver gave an empty scope for unit A's object; the matrix "
                    f"cannot tell right scope from wrong")

    audiences: list[WorldUser | None] = [None, *world.signed_in_users()]
    if access.kind == "permission":  # destructive requests by the admin come last
        audiences.sort(key=lambda who: who is not None and who.key == World.ADMIN)
    problems = []
    for who in audiences:
        values = argument_values(case, world, "A", who)
        kwargs = {}
        if case.sends_body:
            kwargs = {"json": {}} if case.is_api else {"data": {}}
        response = send(app, client_for(app, who), case, build_url(case, values), who, **kwargs)
        expected = expected_outcome(access, who, chain_of_a, world, case.id)
        problem = outcome_problem(case, expected, response)
        if problem:
            label = who.key if who is not None else "anonymous"
            problems.append(f"  {label}: {expected.value}, but {problem}")
            if response.status_code >= 500 and server_errors.last() not in problems:
                problems.append(server_errors.last())
    assert not problems, f"{case.id} ({access.kind} {access.permission or ''}):\n" + "\n".join(problems)


def test_a_scoped_rule_refuses_the_liaison_of_the_other_unit(app, world):
    """The matrix's premise, on one known route: unit B's liaison cannot open unit A."""
    case = next(c for c in CASES if c.endpoint == "orgs.organisation" and c.method == "GET")
    url = build_url(case, argument_values(case, world))
    assert send(app, client_for(app, world.users["liaison@unit A"]), case, url,
                world.users["liaison@unit A"]).status_code == 200
    assert send(app, client_for(app, world.users["liaison@unit B"]), case, url,
                world.users["liaison@unit B"]).status_code == 403


API_CASES = [case for case in CASES if case.is_api and getattr(_rule_of(case), "kind", None) != "public"]


@pytest.mark.parametrize("case", API_CASES, ids=[case.id for case in API_CASES])
def test_api_ignores_the_session_cookie(app, world, case):
    """A browser's session must not authenticate the API (a cross-site page could use it)."""
    admin = world.users[World.ADMIN]
    client = client_for(app, admin)
    url = build_url(case, argument_values(case, world, "A", admin))
    response = send(app, client, case, url, None, **({"json": {}} if case.sends_body else {}))
    assert response.status_code == 401
    assert _error_body_problem(response, "unauthorised") is None


def _endpoints():
    app = url_map_app()
    return sorted({rule.endpoint for rule in app.url_map.iter_rules()})


def test_no_view_is_public_by_accident():
    app = url_map_app()
    with app.app_context():
        public = {endpoint for endpoint in _endpoints()
                  if (permissions.rule_for(endpoint) or Access("none")).kind == "public"}
    # Blueprints' own static folders serve files, like the application's.
    unexpected = sorted(e for e in public - MEANT_TO_BE_PUBLIC if not is_static(e))
    assert not unexpected, (f"these views are public but not in MEANT_TO_BE_PUBLIC (tests/test_route_matrix.py): "
                            f"{unexpected}; give them a rule, or add them there with the reason")


def test_every_endpoint_meant_to_be_public_exists():
    missing = sorted(MEANT_TO_BE_PUBLIC - set(_endpoints()))
    assert not missing, f"MEANT_TO_BE_PUBLIC names endpoints that no longer exist: {missing}"


def test_every_permission_a_route_names_exists():
    """A permission a route names must be declared by a package's hooks, so a typo in
    `requires("…")` cannot hide behind the admin's "*"."""
    known = set(url_map_app().extensions[registry.EXTENSION_KEY].declared_permissions)
    unknown = sorted({f"{case.id}: {access.permission}" for case in CASES
                      if (access := _rule_of(case)) is not None and access.kind == "permission"
                      and access.permission not in known})
    assert not unknown, f"routes require permissions that no role carries: {unknown}"


def test_every_relation_a_route_names_is_declared():
    """An undeclared relation refuses everyone (closed by default); here it fails by name."""
    declared = set(url_map_app().extensions[registry.EXTENSION_KEY].relations)
    named = {f"{case.id}: {access.relation}" for case in CASES
             if (access := _rule_of(case)) is not None and access.relation is not None
             and access.relation not in declared}
    assert not named, f"routes name relations no package declares: {sorted(named)}"


def test_a_panel_relation_opens_only_the_panel_one_sits_on(app, world):
    """The relation's object matters: the judge of side B's panel reaches that panel's page,
    not side A's; the seated judge of side A is refused on side B's; only the chief reaches
    the contacts."""
    def status(key: str, path: str) -> int:
        case = next(c for c in CASES if c.endpoint == "judges.my_panel")
        return send(app, client_for(app, world.users[key]), case, path, world.users[key]).status_code

    panel_a, panel_b = world.judges["drawn_panel_a"], world.judges["drawn_panel_b"]
    assert status(OTHER_PANEL_JUDGE, f"/judges/me/panels/{panel_b}") == 200
    assert status(OTHER_PANEL_JUDGE, f"/judges/me/panels/{panel_a}") == 403
    assert status(SEATED_JUDGE, f"/judges/me/panels/{panel_b}") == 403
    assert status(SEATED_JUDGE, f"/judges/me/panels/{panel_a}/contacts") == 403
    assert status(CHIEF_JUDGE, f"/judges/me/panels/{panel_a}/contacts") == 200
