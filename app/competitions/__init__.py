"""Competitions (竞赛): competitions, events (赛项), stages, sessions, registration, teams,
schedule, scoring and results. Built by the registration and scoring issues; the package
exists now so the layout of ../shared/DESIGN.md holds from the first day."""
