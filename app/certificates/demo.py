"""The demo's certificates (`flask seed-demo`): a template of each kind, the demo judge's
qualification certificate and the demo contestant's participation certificate, issued by
the demo's staff through the services. Idempotent: what is there is left alone."""
from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import User
from app.certificates.labels import PRINTED_TITLES
from app.certificates.models import CertificateTemplate, Kind
from app.certificates.services import issuing, templates
from app.certificates.sources import JUDGE_POOL, MANUAL
from app.extensions import db
from app.judges.models import JudgeProfile

DEMO_ISSUER = "中国职工技术协会"


def _ensure_templates(actor) -> dict[Kind, CertificateTemplate]:
    found = {t.kind: t for t in db.session.scalars(select(CertificateTemplate))}
    for kind in Kind:
        if kind not in found:
            found[kind] = templates.create(templates.TemplateFields(
                name=f"{PRINTED_TITLES[kind]}（演示）", kind=kind.value, page_size="A4", orientation="landscape",
                title=PRINTED_TITLES[kind], issuer=DEMO_ISSUER), actor=actor)
    db.session.flush()
    return found


def seed_certificates(actor: User) -> None:
    """Templates of every kind; the demo judge's and the demo contestant's certificates."""
    by_kind = _ensure_templates(actor)
    judge = db.session.scalar(select(JudgeProfile).join(User, User.person_id == JudgeProfile.person_id)
                              .where(User.username == "judge"))
    if judge is not None and judge.qualifications:
        issuable = JUDGE_POOL.issuable(judge.qualifications[0])
        if issuing.in_force(issuable.holder_id, issuable.subject_key, issuable.kind) is None:
            issuing.issue(issuable, by_kind[Kind.JUDGE], actor=actor)
    contestant = db.session.scalar(select(User).where(User.username == "contestant"))
    if contestant is not None:
        issuable = MANUAL.issuable(contestant.person_id, Kind.PARTICIPATION, "2026年全国职工职业技能大赛 网络安全管理员",
                                   [("赛项 / Event", "网络安全管理员"), ("说明 / Note", "演示证书 / demo")])
        if issuing.in_force(issuable.holder_id, issuable.subject_key, issuable.kind) is None:
            issuing.issue(issuable, by_kind[Kind.PARTICIPATION], actor=actor)
