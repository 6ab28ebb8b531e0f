"""The rules of member units and committees.

Contents:
    units.py         validating, creating and changing units; who may see which
    committees.py    the association's committees
    lookup.py        finding a unit from what a person typed
    members.py       who belongs to a unit, told by accounts (a provider registry)
    excel_io.py      units in Excel: template, check, import, export
"""
