"""HTML pages of member units and committees.

Contents:
    units.py         units and committees: lists, a unit's page, creating and changing
    excel.py         the Excel template, import and export of units
    lookup.py        GET /orgs/lookup: the units a unit box suggests while someone types
"""
