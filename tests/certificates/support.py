"""What the certificate tests share: a template, a certificate issued by hand, reading the QR
code off a rendered page as a phone would (pdftoppm + zbarimg)."""
from __future__ import annotations

import subprocess

from app.certificates.models import Certificate, CertificateTemplate, Kind
from app.certificates.services import issuing, templates
from app.certificates.sources import MANUAL
from app.extensions import db
from tests import factories as f
from tests.support import need_tools

AWARD_FACTS = [("赛项 / Event", "网络安全管理员"), ("奖项 / Award", "一等奖 / First prize")]


def make_template(kind: Kind = Kind.AWARD, actor=None, **changes) -> CertificateTemplate:
    data = templates.TemplateFields(name=f"{kind.value} 模板", kind=kind.value, page_size="A4",
                                    orientation="landscape", title="获奖证书", issuer="中国职工技术协会")
    for name, value in changes.items():
        setattr(data, name, value)
    template = templates.create(data, actor=actor or f.staff())
    db.session.commit()
    return template


def issue_by_hand(holder, *, template: CertificateTemplate | None = None, actor=None,
                  subject: str = "2026年全国职工职业技能大赛", facts=AWARD_FACTS, kind: Kind = Kind.AWARD,
                  commit: bool = True) -> Certificate:
    template = template or make_template(kind)
    certificate = issuing.issue(MANUAL.issuable(holder.id, kind, subject, list(facts)), template,
                                actor=actor or f.staff())
    if commit:
        db.session.commit()
    return certificate


def qr_text(pdf: bytes, tmp_path) -> str:
    """The text of the QR code on the first page of `pdf`, as a scanner reads it."""
    need_tools("pdftoppm", "zbarimg")
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile", str(path),
                    str(tmp_path / "page")], check=True)
    found = subprocess.run(["zbarimg", "--quiet", "--raw", str(tmp_path / "page.png")], capture_output=True,
                           text=True, check=True)
    return found.stdout.strip()
