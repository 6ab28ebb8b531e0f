"""What every feature shares. Core imports no feature package (DESIGN.md's order ends here).

Contents:
    errors.py        the DomainError hierarchy and how errors reach people (HTML and JSON)
    permissions.py   roles, scoped grants, and the access rule on every view
    audit.py         the append-only audit log
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
    uploads.py       an uploaded file kept from its preview to its confirmation
    i18n.py          which language and time zone a request is answered in
    web.py           template helpers and response headers
    routes.py        pages every feature shares: home, language, health, the audit log
"""
