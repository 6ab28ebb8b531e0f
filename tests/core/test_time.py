"""The association's day: what `local_today` calls today, whatever the server's zone."""
from __future__ import annotations

from datetime import date, datetime, timezone

from app.core import time


def test_today_is_the_association_s_day_not_the_server_s(app, monkeypatch):
    monkeypatch.setattr(time, "utcnow", lambda: datetime(2026, 3, 1, 17, 30, tzinfo=timezone.utc))
    monkeypatch.setitem(app.config, "JIYI_TIMEZONE", "Asia/Shanghai")
    with app.app_context():
        assert time.local_today() == date(2026, 3, 2)  # 01:30 on the 2nd in Shanghai
    monkeypatch.setitem(app.config, "JIYI_TIMEZONE", "Europe/London")
    with app.app_context():
        assert time.local_today() == date(2026, 3, 1)
