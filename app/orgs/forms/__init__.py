"""Forms of member units and committees.

Contents:
    units.py         a unit, a committee
    fields.py        a member unit in any form: typed by credit code or name (UnitField)
"""
