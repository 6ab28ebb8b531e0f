"""Orgs services: units (units.py), committees (committees.py), Excel (excel_io.py)."""
