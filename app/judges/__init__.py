"""The judge and expert pool: qualifications, conflicts, seeded draws and panels. Built by
the judge-pool issue; the package exists now so the layout of ../shared/DESIGN.md holds
from the first day."""
