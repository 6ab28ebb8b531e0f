"""The words for certificate kinds and states: translated for pages, bilingual where printed."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.certificates.models import BatchState, Kind, State

KIND_LABELS = {Kind.AWARD: _l("Award certificate"), Kind.COMPLETION: _l("Completion certificate"),
               Kind.JUDGE: _l("Judge qualification certificate"), Kind.PARTICIPATION: _l("Participation certificate")}
STATE_LABELS = {State.VALID: _l("Valid"), State.REVOKED: _l("Revoked"), State.SUPERSEDED: _l("Superseded")}
# What a certificate of each kind prints as its title unless the template says otherwise.
PRINTED_TITLES = {Kind.AWARD: "获奖证书", Kind.COMPLETION: "结业证书", Kind.JUDGE: "裁判员证书",
                  Kind.PARTICIPATION: "参赛证明"}
BATCH_STATE_LABELS = {BatchState.PENDING: _l("Waiting for the scheduler"), BatchState.RUNNING: _l("Issuing"),
                      BatchState.DONE: _l("Done")}
PAGE_SIZE_LABELS = {"A4": "A4", "A5": "A5"}
ORIENTATION_LABELS = {"landscape": _l("Landscape"), "portrait": _l("Portrait")}
ALIGN_LABELS = {"centre": _l("Centred"), "left": _l("Left"), "right": _l("Right")}
FIELD_LABELS = {"title": _l("Title"), "holder_name": _l("Holder's name"), "holder_id": _l("Holder's ID (masked)"),
                "statement": _l("What is certified"), "facts": _l("Facts"), "issuer": _l("Issuer"),
                "issued_on": _l("Date of issue"), "serial": _l("Serial number"), "qr": _l("QR code")}


def kind_label(kind) -> str:
    return str(KIND_LABELS.get(Kind(kind), kind))


def state_label(state) -> str:
    return str(STATE_LABELS.get(State(state), state))


def batch_state_label(state) -> str:
    return str(BATCH_STATE_LABELS.get(BatchState(state), state))


LABELS = {"certificate_kind_label": kind_label, "batch_state_label": batch_state_label, "certificate_state_label": state_label,
          "certificate_field_labels": FIELD_LABELS}
