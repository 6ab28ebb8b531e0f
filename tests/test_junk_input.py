"""No input produces a 500: hypothesis throws junk at every form, every API body and query,
and every URL argument, signed in as an admin so the access check lets it through.

The routes come from the URL map (tests/matrix_support.py), so a new route is covered the
day it lands. What each one accepts is read the way a client would learn it: the fields of
the HTML forms on the application's own pages (crawled once), and the OpenAPI document for
the API. Junk is any text (NUL, RTL marks, emoji, full-width digits, very long strings),
JSON of the wrong type for every field, missing and extra fields, the wrong content type,
malformed JSON, and huge or negative numbers where ids and page numbers go.

Every answer is below 500; every API error has the body
{"error": {"code": str, "message": str, "field": str | null}}; and a 4xx answer wrote
nothing (rows in persons, organisations, users and audit_entries are counted around it).
"""
from __future__ import annotations

import io
import json
import operator
import os
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.exceptions import HTTPException

from app.core import permissions
from app.extensions import limiter
from tests import support
from tests.factories import credit_code, resident_id
from tests.matrix_support import (RouteCase, World, WorldUser, argument_values, build_url, build_world, client_for,
                                  route_cases, row_counts, send,
                                  server_errors,  # noqa: F401  (a fixture)
                                  url_map_app)

# All tests here share one world, built once (the `world` fixture): junk requests as the
# admin change little, and what they change (a unit added, a grant given) does not matter to
# the next one. Rebuilding it for each of the ~150 route cases would cost more than the junk.
pytestmark = pytest.mark.no_database

CASES = route_cases()
FORM_CASES = [case for case in CASES if not case.is_api and case.sends_body]
API_BODY_CASES = [case for case in CASES if case.is_api and case.sends_body]
GET_CASES = [case for case in CASES if case.method == "GET"]
ARGUMENT_CASES = [case for case in CASES if case.arguments]


def _ids(cases):
    return [case.id for case in cases]


# JIYI_JUNK_SCALE=10 throws ten times as much junk (a nightly run); 1 keeps `make test` quick.
JUNK_SCALE = float(os.environ.get("JIYI_JUNK_SCALE", "1"))


def junk_settings(examples: int):
    return settings(max_examples=max(1, round(examples * JUNK_SCALE)), deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


# --- junk --------------------------------------------------------------------------------

NASTY_TEXT = [
    "", " ", "\x00", "a\x00b", "\x00" * 40, "\r\n", "\t\x0b\x0c", "\u202e\u200f", "\u200b\ufeff", "\ufffd",
    "😀👨‍👩‍👧", "１３８００１３８０００", "１２３", "٣٤٥٦", "ＡＢＣ＠ｅｘａｍｐｌｅ．ｏｒｇ", "ﷺ" * 40, "İı", "ß" * 70,
    "' OR 1=1 --", "<script>alert(1)</script>", "{{ 7*7 }}", "%s%n%x", "../../etc/passwd", "//evil.example",
    "https://evil.example/", "/\\evil.example", "-1", "0", "1e309", "NaN", "Infinity", "0x10",
    "99999999999999999999", "2099-02-30", "0000-00-00", "１９９０-０１-０１", "true", "null", "[]", "{}",
    "organisation:99999999999999999999", "committee:-1", "organisation:", ":", "jiyi_", "jiyi_" + "x" * 200,
]
BIG_NUMBERS = [0, -1, 2**31, 2**31 - 1, 2**53 + 1, 2**63 - 1, 2**63, -(2**63) - 1, 10**20, 10**400]

text_junk = st.one_of(
    st.text(max_size=40),                                   # any code point but surrogates, NUL included
    st.sampled_from(NASTY_TEXT),
    st.builds(operator.mul, st.sampled_from(["a", "中", "😀", "\u202e", "9", " ", "\x00"]), st.integers(100, 5000)),
)
number_text = st.one_of(st.sampled_from(BIG_NUMBERS).map(str), st.integers().map(str),
                        st.sampled_from(["abc", "", "1.5", "-0", "１２", "1e3", " 7 ", "0x1f", "\x001"]))
json_leaf = st.one_of(st.none(), st.booleans(), st.integers(), st.sampled_from(BIG_NUMBERS),
                      st.floats(allow_nan=False, allow_infinity=False), text_junk)


def _nested(inner):
    return st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3))


json_junk = st.recursive(json_leaf, _nested, max_leaves=8)
malformed_json = st.one_of(
    st.binary(max_size=60),
    st.sampled_from([b"{", b"}", b'{"a":', b"[1,2", b'{"a" 1}', b"\xff\xfe{}", b'{"\xff": 1}', b"NaN",
                     b'{"full_name": "\\ud800"}', b'{"name": "\\u0000"}', b"\x00", b"[" * 5000 + b"]" * 5000,
                     b'{"a":' * 3000 + b"1" + b"}" * 3000, b"1" * 5000, b"-" + b"9" * 5000]),
)
WRONG_CONTENT_TYPES = ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
                       "application/json; charset=latin-1", "application/xml", "application/json; charset=utf-16",
                       "application/octet-stream", ""]

# Values that pass the first checks, so the junk in the other fields reaches deeper code.
PLAUSIBLE = {
    "credit_code": [credit_code(7)], "id_number": [resident_id(7)], "id_type": ["resident_id"],
    "email": ["wang.li@example.org"], "contact_email": ["wang.li@example.org"],
    "phone": ["13800138000"], "contact_phone": ["13800138000"], "identifier": ["admin", "13800138000"],
    "birth_date": ["1990-01-01"], "password": [support.TEST_PASSWORD], "confirm": [support.TEST_PASSWORD],
    "current_password": [support.TEST_PASSWORD], "full_name": ["王力"], "name": ["王力", "测试单位"],
    "province": ["北京市"], "org_type": ["enterprise"], "gender": ["M", "F"], "reason": ["复核"],
    "code": ["ctte-1"], "page": ["1", "2"], "per_page": ["1", "100"],
}


def field_text(name: str, options: list[str]):
    """What a form field may receive: one of its options, a plausible value, or junk."""
    known = [option for option in options if isinstance(option, str)] + PLAUSIBLE.get(name, [])
    return st.one_of(st.sampled_from(known), text_junk) if known else text_junk


def field_json(name: str, options: list):
    known = options + PLAUSIBLE.get(name, [])
    return st.one_of(st.sampled_from(known), json_junk) if known else json_junk


# --- what each route accepts, learned as a client would ----------------------------------

class _Forms(HTMLParser):
    """Every <form> of a page: its method, action, and fields with their options."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"method": (attrs.get("method") or "get").upper(), "action": attrs.get("action"),
                               "fields": {}, "files": set()})
        elif self.forms and tag in ("input", "select", "textarea") and attrs.get("name"):
            field = self.forms[-1]["fields"].setdefault(attrs["name"], [])
            if attrs.get("type") == "file":
                self.forms[-1]["files"].add(attrs["name"])
            elif attrs.get("type") in ("hidden", "checkbox", "radio") and attrs.get("value") is not None:
                field.append(attrs["value"])
            self._select = attrs["name"] if tag == "select" else None
        elif tag == "option" and self.forms and self._select and attrs.get("value") is not None:
            self.forms[-1]["fields"][self._select].append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


class Accepted:
    """Field names (with their known options) per endpoint: POST forms and GET queries."""

    def __init__(self):
        self.bodies: dict[str, dict[str, list]] = {}
        self.queries: dict[str, dict[str, list]] = {}
        self.files: dict[str, set[str]] = {}
        self.every_field: dict[str, list] = {}

    def add(self, table: dict, endpoint: str, fields: dict[str, list]) -> None:
        known = table.setdefault(endpoint, {})
        for name, options in fields.items():
            known[name] = list(dict.fromkeys(known.get(name, []) + options))
            self.every_field.setdefault(name, [])

    def body_of(self, case: RouteCase) -> dict[str, list]:
        """The fields seen in forms posting to this endpoint; else every field seen anywhere."""
        return self.bodies.get(case.endpoint) or self.every_field


_ACCEPTED: Accepted | None = None


def _crawl_forms(app, world: World, accepted: Accepted) -> None:
    adapter = url_map_app().url_map.bind("localhost")
    admin = admin_now(app, world)
    for case in GET_CASES:
        if case.is_api:
            continue
        url = _url(case, world)
        response = send(app, client_for(app, admin), case, url, admin)
        if not response.content_type.startswith("text/html"):
            continue
        parser = _Forms()
        parser.feed(response.get_data(as_text=True))
        for form in parser.forms:
            path = urlsplit(form["action"] or url).path or urlsplit(url).path
            try:
                endpoint, _values = adapter.match(path, method=form["method"])
            except HTTPException:  # a form posting off-site, or to a URL the map does not know
                continue
            accepted.add(accepted.queries if form["method"] == "GET" else accepted.bodies, endpoint, form["fields"])
            if form["files"]:
                accepted.files.setdefault(endpoint, set()).update(form["files"])


def _resolve(spec: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _read_openapi(app, accepted: Accepted) -> None:
    with app.app_context():
        spec = app.test_client().get("/api/v1/openapi.json").get_json()
    for path, operations in spec["paths"].items():
        rule = path.replace("{", "<").replace("}", ">")
        for method, operation in operations.items():
            case = next((c for c in CASES if c.path == rule and c.method == method.upper()), None)
            if case is None or not isinstance(operation, dict):
                continue
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            if body:
                properties = _resolve(spec, body).get("properties", {})
                accepted.add(accepted.bodies, case.endpoint,
                             {name: list(_resolve(spec, prop).get("enum", [])) for name, prop in properties.items()})
            query = {p["name"]: list(p.get("schema", {}).get("enum", []))
                     for p in operation.get("parameters", []) if p.get("in") == "query"}
            accepted.add(accepted.queries, case.endpoint, query)


def accepted_fields(app, world: World) -> Accepted:
    """Crawled once per run: the field names do not change between tests."""
    global _ACCEPTED
    if _ACCEPTED is None:
        accepted = Accepted()
        _crawl_forms(app, world, accepted)
        _read_openapi(app, accepted)
        _ACCEPTED = accepted
    return _ACCEPTED


# --- the checks ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def world(app) -> World:
    with app.app_context():
        support.wipe_database(app)
        support.reset_side_channels()
    yield build_world(app)
    with app.app_context():
        support.wipe_database(app)


def admin_now(app, world: World) -> WorldUser:
    """The admin as they are now: junk that is valid enough may have changed their password
    (a new session token) or revoked their API token, and the next example must still be
    signed in. Writes (a new token) happen here, before the rows are counted."""
    from app.accounts.models import ApiToken, User
    from app.accounts.services import tokens
    from app.core.transaction import unit_of_work
    from app.extensions import db

    admin = world.users[World.ADMIN]
    with app.app_context():
        user = db.session.get(User, admin.id)
        admin.session_token = user.session_token
        token = db.session.get(ApiToken, admin.token_id)
        if token is None or token.revoked_at is not None:
            with unit_of_work():
                token, admin.token = tokens.create_token(user, "junk")
            admin.token_id = token.id
    return admin


def _error_body_problem(response) -> str | None:
    body = response.get_json(silent=True)
    error = body.get("error") if isinstance(body, dict) else None
    if (isinstance(body, dict) and set(body) == {"error"} and isinstance(error, dict)
            and set(error) == {"code", "message", "field"} and isinstance(error["code"], str)
            and isinstance(error["message"], str) and isinstance(error["field"], (str, type(None)))):
        return None
    return f"the error body is not {{error: {{code, message, field}}}}: {response.get_data()[:300]!r}"


def answer(app, world: World, case: RouteCase, url: str, server_errors, **kwargs):
    """Send one junk request as the admin and check what must hold for every answer."""
    admin = admin_now(app, world)
    with app.app_context():
        limiter.reset()  # junk must reach the view, not the rate limit
    before = row_counts(app)
    response = send(app, client_for(app, admin), case, url, admin, **kwargs)
    status = response.status_code
    assert status < 500, f"{case.id}: {status} for {url[:200]!r} {str(kwargs)[:500]}\n{server_errors.last(12)}"
    signed_out = status == 401 or urlsplit(response.headers.get("Location", "")).path == "/login"
    assert not (signed_out and _is_guarded(case)), f"{case.id}: the admin was not signed in ({status})"
    if case.is_api and status >= 400:
        problem = _error_body_problem(response)
        assert problem is None, f"{case.id} ({status}): {problem}"
    if 400 <= status < 500:
        after = row_counts(app)
        assert after == before, f"{case.id} answered {status} but wrote rows: {before} → {after}"
    return response


def _is_guarded(case: RouteCase) -> bool:
    with url_map_app().app_context():
        rule = permissions.rule_for(case.endpoint)
    return rule is not None and rule.kind != "public"


def _url(case: RouteCase, world: World) -> str:
    # Arguments as for nobody in particular: "own token" is then not the admin's own, which
    # the URL-argument junk would otherwise revoke.
    return build_url(case, argument_values(case, world, "A", None))


@pytest.mark.parametrize("case", FORM_CASES, ids=_ids(FORM_CASES))
def test_forms_survive_junk(app, world, server_errors, case):
    accepted = accepted_fields(app, world)
    fields = accepted.body_of(case)
    files = accepted.files.get(case.endpoint, set())
    url = _url(case, world)

    form = st.fixed_dictionaries({}, optional={name: field_text(name, options) for name, options in fields.items()})
    extra = st.dictionaries(st.text(min_size=1, max_size=12), text_junk, max_size=2)
    upload = st.tuples(st.one_of(st.binary(max_size=300), st.just(b"PK\x03\x04" + b"\x00" * 60)),
                       st.sampled_from(["units.xlsx", "a.txt", "", "../../x.xlsx", "单位.xlsx", "\x00.xlsx"]))

    @junk_settings(15)
    @given(form=form, extra=extra, upload=upload,
           encoding=st.sampled_from(["form", "multipart", "json", "raw"]), raw=malformed_json,
           content_type=st.sampled_from(WRONG_CONTENT_TYPES))
    def run(form, extra, upload, encoding, raw, content_type):
        data = {**extra, **form}
        if encoding == "form":
            answer(app, world, case, url, server_errors, data=data)
        elif encoding == "multipart":
            content, filename = upload
            files_part = {name: (io.BytesIO(content), filename) for name in files}
            answer(app, world, case, url, server_errors, data={**data, **files_part},
                   content_type="multipart/form-data")
        elif encoding == "json":
            answer(app, world, case, url, server_errors, json=data)
        else:
            answer(app, world, case, url, server_errors, data=raw, content_type=content_type)

    run()


@pytest.mark.parametrize("case", API_BODY_CASES, ids=_ids(API_BODY_CASES))
def test_api_bodies_survive_junk(app, world, server_errors, case):
    fields = accepted_fields(app, world).bodies.get(case.endpoint, {})
    url = _url(case, world)
    body = st.one_of(
        st.fixed_dictionaries({}, optional={name: field_json(name, options) for name, options in fields.items()}),
        json_junk,
    )
    extra = st.dictionaries(st.text(max_size=12), json_junk, max_size=2)

    @junk_settings(40)
    @given(body=body, extra=extra, shape=st.sampled_from(["json", "json", "malformed", "wrong type"]),
           raw=malformed_json, content_type=st.sampled_from(WRONG_CONTENT_TYPES))
    def run(body, extra, shape, raw, content_type):
        if isinstance(body, dict):
            body = {**extra, **body}
        if shape == "json":
            answer(app, world, case, url, server_errors, json=body)
        elif shape == "malformed":
            answer(app, world, case, url, server_errors, data=raw, content_type="application/json")
        else:
            answer(app, world, case, url, server_errors, data=json.dumps(body), content_type=content_type)

    run()


@pytest.mark.parametrize("case", GET_CASES, ids=_ids(GET_CASES))
def test_queries_survive_junk(app, world, server_errors, case):
    names = set(accepted_fields(app, world).queries.get(case.endpoint, {})) | {"page", "per_page", "q", "next"}
    url = _url(case, world)
    pairs = st.lists(st.tuples(st.one_of(st.sampled_from(sorted(names)), st.text(max_size=8)),
                               st.one_of(number_text, text_junk)), max_size=4)

    @junk_settings(5)
    @given(pairs=pairs)
    def run(pairs):
        answer(app, world, case, f"{url}?{urlencode(pairs)}", server_errors)

    run()


@pytest.mark.parametrize("case", ARGUMENT_CASES, ids=_ids(ARGUMENT_CASES))
def test_url_arguments_survive_junk(app, world, server_errors, case):
    good = argument_values(case, world, "A", None)
    junk_value = st.one_of(st.sampled_from(BIG_NUMBERS), st.integers(), text_junk, number_text)
    kwargs = ({"json": {}} if case.is_api else {"data": {}}) if case.sends_body else {}

    @junk_settings(5)
    @given(values=st.fixed_dictionaries({name: st.one_of(st.just(value), junk_value) for name, value in good.items()}))
    def run(values):
        answer(app, world, case, build_url(case, values), server_errors, **kwargs)

    run()


def _case(endpoint: str, method: str) -> RouteCase:
    return next(c for c in CASES if c.endpoint == endpoint and c.method == method)


def test_a_nul_character_is_refused_naming_its_field(app, world, server_errors):
    """PostgreSQL cannot store NUL in text: it is refused before any view sees it."""
    case = _case("accounts_api.create_person", "POST")
    response = answer(app, world, case, case.rule, server_errors, json={"full_name": "王\x00力"})
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == "full_name"


def test_a_nul_character_in_a_form_is_refused(app, world, server_errors):
    case = _case("orgs.new_organisation", "POST")
    response = answer(app, world, case, case.rule, server_errors, data={"name": "测试\x00单位"})
    assert response.status_code == 422
    assert "NUL" in response.get_data(as_text=True)


def test_json_sent_to_a_page_is_refused(app, world, server_errors):
    case = _case("orgs.new_organisation", "POST")
    assert answer(app, world, case, case.rule, server_errors, json=["测试单位"]).status_code == 415


@pytest.mark.parametrize("raw", [b"[" * 5000 + b"]" * 5000, b"[" * 40 + b"]" * 40, b"9" * 5000,
                                 b'{"full_name": "\\ud800"}'],
                         ids=["too deep to parse", "deeper than any body", "a number of 5000 digits",
                              "a lone surrogate"])
def test_json_no_parser_can_read_is_a_bad_request(app, world, server_errors, raw):
    case = _case("accounts_api.create_person", "POST")
    response = answer(app, world, case, case.rule, server_errors, data=raw, content_type="application/json")
    assert response.status_code == 400


@pytest.mark.parametrize("url", ["/persons/2147483648", "/persons/99999999999999999999",
                                 "/admin/audit?object_id=99999999999999999999&page=99999999999999999999"])
def test_numbers_beyond_any_row_id_find_nothing(app, world, server_errors, url):
    case = _case("accounts.person" if url.startswith("/persons") else "core.audit_log", "GET")
    assert answer(app, world, case, url, server_errors).status_code in (200, 404)


@pytest.mark.parametrize("target", ["/\\evil.example/", "//evil.example/", "/%0D%0ASet-Cookie:%20x=1", "/%09/evil"])
def test_the_language_switch_never_leaves_the_site(app, world, server_errors, target):
    case = _case("core.set_language", "GET")
    response = answer(app, world, case, f"/language/en?next={target}", server_errors)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", ["/\\evil.example/", "/%0D%0ASet-Cookie:%20x=1"])
def test_signing_in_never_sends_anyone_off_the_site(app, world, server_errors, target):
    from app.accounts.models import User
    from app.accounts.services.auth import hasher
    from app.extensions import db

    with app.app_context():
        user = db.session.get(User, world.users[World.NO_GRANT].id)
        login_name = user.login_name
        # Junk posted earlier in the module may have made this account wait, or (valid enough
        # to pass, like a new password) changed its password or switched it off.
        user.failed_sign_ins, user.sign_in_wait_until = 0, None
        user.password_hash, user.is_active_account = hasher.hash(support.TEST_PASSWORD), True
        db.session.commit()
    case = _case("accounts.login", "POST")
    response = answer(app, world, case, f"/login?next={target}", server_errors,
                      data={"identifier": login_name, "password": support.TEST_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("endpoint,data", [
    ("accounts.profile", {"full_name": "王力", "skill_level": " "}),
    ("accounts.profile", {"full_name": "王力", "gender": " "}),
    ("competitions.event_quotas", {"organisation_id": " ", "quota": "1"}),  # a required unit box
    ("accounts.profile", {"full_name": "王力", "id_type": " ", "id_number": "x"}),
    ("accounts.user_grants", {"role": "staff", "scope": " "}),
], ids=["skill level", "gender", "unit", "ID document", "grant scope"])
def test_a_choice_of_spaces_is_not_a_choice(app, world, server_errors, endpoint, data):
    case = _case(endpoint, "POST")
    assert answer(app, world, case, _url(case, world), server_errors, data=data).status_code == 422
