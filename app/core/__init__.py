"""What every feature shares. Core imports no feature package (DESIGN.md's order ends here).

Contents:
    registry.py      the registry every package's hooks.py declares its contributions in
    menu.py          the menu, built from the registry for whoever is signed in
    hooks.py         what it adds to shared pages: permissions, menu entries, sections, providers
    errors.py        the DomainError hierarchy and how errors reach people (HTML and JSON)
    permissions.py   roles, scoped grants, and the access rule on every view
    transaction.py   one owner for transactions: requests and unit_of_work() commit, services flush
    request_path.py  what a request costs before its view: pool pings, the API's cookie session and limits, the body
    cli.py           @system_command: a CLI command runs as the system, in one unit of work
    counters.py      counters on any row: places with a waiting list, quotas, gap-free serials, named serials
    eligibility.py   who may enter an event or a class (age, skill level, member unit), pure
    seats.py         seats, unit quotas and the waiting list that promotes itself in order: the rule events
                     and training classes share (each configures its columns)
    locks.py         row locks and named advisory locks, a lock timeout, and the app's lock order
    audit.py         the append-only audit log (and SYSTEM, the actor of the CLI and the scheduler)
    audit_log.py     the audit log as people read it: words, names, links, filters, export
    time.py          aware UTC timestamps, the association's time zone and today there
    types.py         column types shared by every feature's models
    ids.py           ID document numbers and credit codes, pure
    identifiers.py   login identifiers (username, e-mail, phone) and their normal forms, pure
    crypto.py        ID numbers at rest: encryption and a keyed hash
    validation.py    the pure validators' error codes as messages people read
    input_limits.py  what any request may carry, checked before a view sees it
    forms.py         helpers shared by the HTML forms of every feature (ImportForm too)
    api_schemas.py   what every API resource shares: pagination and the error body
    excel.py         Excel files in and out
    uploads.py       an uploaded file kept from its preview to its confirmation (in the database)
    documents/       what every PDF shares: the CJK font, wrapping, QR codes, signed tokens, pages
    seeded_draw.py   seeded, reproducible orders (HMAC ranking, seeds, witnesses), pure
    i18n.py          which language and time zone a request is answered in
    web.py           template helpers and response helpers (downloads)
    headers.py       security headers on every answer (CSP, HSTS, Permissions-Policy, no-store)
    routes.py        pages every feature shares: home, language, health, the audit log
"""
