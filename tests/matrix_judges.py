"""The judge pool's part of the matrix world (tests/matrix_support.py): two judges with their
records, the panels of each side's event, and three people who are nothing but judges — a
judge seated on side A's drawn panel, its chief judge, and a judge seated on side B's — so
that routes whose rule names a relation (app/judges/services/relations.py) are asked by
people who stand in it and people who do not.
"""
from __future__ import annotations

from datetime import date

SEATED_JUDGE = "seated judge"
CHIEF_JUDGE = "chief judge"
OTHER_PANEL_JUDGE = "judge of another panel"
PERSONAS = (SEATED_JUDGE, CHIEF_JUDGE, OTHER_PANEL_JUDGE)


def add_judges(world, admins: list, saved) -> None:
    """Person A and person B in the judge pool, each with a certificate, dates and a declared
    conflict; the admin is a judge too, so junk sent to the judge's own pages reaches them."""
    from app.judges.models import (Availability, DeclaredConflict, JudgeKind, JudgeLevel, JudgeProfile,
                                   Qualification, Speciality)

    level = saved(JudgeLevel(code="matrix", name="矩阵级", name_en="Matrix", rank=15))
    trade = saved(Speciality(code="matrix", name="矩阵工"))
    world.judges.update(level=level.id, speciality=trade.id)
    people = {"a": world.person_a, "b": world.person_b}
    for side, person_id in people.items():
        profile = saved(JudgeProfile(person_id=person_id, kind=JudgeKind.JUDGE, level=level, specialities=[trade]))
        qualification = saved(Qualification(profile=profile, number=f"M-{side}", issuer="协会",
                                            issued_on=date(2024, 1, 1), expires_on=date(2030, 1, 1)))
        availability = saved(Availability(profile=profile, starts_on=date(2030, 5, 1), ends_on=date(2030, 5, 9)))
        conflict = saved(DeclaredConflict(profile=profile, organisation_id=world.org_b if side == "a" else world.org_a,
                                          reason="矩阵"))
        world.judges.update({f"profile_{side}": profile.id, f"qualification_{side}": qualification.id,
                             f"availability_{side}": availability.id, f"conflict_{side}": conflict.id})
    for admin in admins:
        saved(JudgeProfile(person_id=admin.person_id, kind=JudgeKind.BOTH, level=level, specialities=[trade]))


def add_panels(world, admin, personas: dict, saved) -> None:
    """On each side's event: an open panel (its rules can change, its draw can be run, and no
    judge of this world can fill it), and a drawn one with its draw record. Side A's drawn
    panel seats the admin (invited, so junk sent to a judge's answers reaches the service),
    the seated judge and the chief judge; side B's seats judge B and the judge of another
    panel. The personas have no trade: no draw of this world picks them."""
    from sqlalchemy import select

    from app.extensions import db
    from app.judges.models import (Draw, JudgeKind, JudgeProfile, MemberSource, MemberStatus, Panel, PanelMember,
                                   PanelRole, PanelStatus, SeedSource)

    profiles = {key: saved(JudgeProfile(person_id=user.person_id, kind=JudgeKind.JUDGE,
                                        level_id=world.judges["level"])).id for key, user in personas.items()}
    admin_profile = db.session.scalar(select(JudgeProfile.id).where(JudgeProfile.person_id == admin.person_id))
    seats = {"a": [("admin", admin_profile, PanelRole.JUDGE, MemberStatus.INVITED),
                   (CHIEF_JUDGE, profiles[CHIEF_JUDGE], PanelRole.CHIEF, MemberStatus.ACCEPTED),
                   (SEATED_JUDGE, profiles[SEATED_JUDGE], PanelRole.JUDGE, MemberStatus.ACCEPTED)],
             "b": [("judge b", world.judges["profile_b"], PanelRole.CHIEF, MemberStatus.INVITED),
                   (OTHER_PANEL_JUDGE, profiles[OTHER_PANEL_JUDGE], PanelRole.JUDGE, MemberStatus.ACCEPTED)]}
    for side, event_id in (("a", world.event_a), ("b", world.event_b)):
        rules = dict(event_id=event_id, starts_on=date(2099, 1, 1), ends_on=date(2099, 1, 2),
                     speciality_id=world.judges["speciality"], chiefs=1, judges=0, reserves=0)
        panel = saved(Panel(name=f"open panel {side}", status=PanelStatus.OPEN, **rules))
        drawn = saved(Panel(name=f"drawn panel {side}", status=PanelStatus.DRAWN, **rules))
        record = saved(Draw(panel_id=drawn.id, seed="matrix", seed_source=SeedSource.SECURE, algorithm="matrix",
                            constraints={}, candidates=[], result={}, ran_by_id=admin.id))
        drawn.draw_id = record.id
        for holder, profile_id, role, status in seats[side]:
            member = saved(PanelMember(panel_id=drawn.id, profile_id=profile_id, role=role, status=status,
                                       source=MemberSource.DRAW))
            world.judges[f"seat_{side}:{holder}"] = member.id
        world.judges.update({f"panel_{side}": panel.id, f"drawn_panel_{side}": drawn.id, f"draw_{side}": record.id,
                             f"member_{side}": world.judges[f"seat_{side}:{seats[side][0][0]}"]})


def panel_argument(world, side: str, who) -> int:
    """The personas are asked about side A's drawn panel (where two of them sit); everyone
    else about side A's open panel, which staff pages change and draw."""
    if side == "A" and who is not None and who.key in PERSONAS:
        return world.judges["drawn_panel_a"]
    return world.judges[f"panel_{side.lower()}"]


def member_argument(world, side: str, who) -> int:
    """On side A, whoever has a seat on the drawn panel is asked about their own seat (the
    admin, the seated judge, the chief judge); anyone else about the admin's."""
    own = f"seat_a:{who.key}" if who is not None else None
    if side == "A" and own in world.judges:
        return world.judges[own]
    return world.judges[f"member_{side.lower()}"]
