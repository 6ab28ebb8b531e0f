"""What every page shares: template helpers (response headers: app.core.headers)."""
from __future__ import annotations

import io
from datetime import datetime
from urllib.parse import urlsplit

from flask import Flask, current_app, send_file
from babel.dates import get_timezone_name
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.core import permissions
from app.core.time import to_local


def init_app(app: Flask) -> None:
    app.context_processor(_template_helpers)
    app.add_template_filter(_local_time, "local_time")


def _template_helpers() -> dict:
    def can(permission: str, scope=None) -> bool:
        return permissions.has_permission(current_user, permission, scope)

    def can_somewhere(permission: str) -> bool:
        return permissions.has_permission_somewhere(current_user, permission)

    def may_open(endpoint: str, **view_args) -> bool:
        return permissions.may_open(current_user, endpoint, **view_args)

    return {
        "can": can,
        "can_somewhere": can_somewhere,
        "may_open": may_open,
        "time_zone_note": time_zone_note,
        # Babel reads "zh_CN" as zh_Hans_CN; templates only need to know which of our two it is.
        "current_locale": "zh_CN" if get_locale().language == "zh" else "en",
        "is_demo": current_app.config.get("JIYI_DEMO", False),
    }


# Zones that keep Beijing time (中国标准时间) under another identifier.
_BEIJING_TIME = {"Asia/Shanghai", "Asia/Chongqing", "Asia/Harbin", "Asia/Chungking", "PRC"}


def time_zone_note() -> str:
    """The sentence saying in which time zone a page's times are, by the zone's name in the
    reader's language (Beijing time, 中欧时间), never its identifier (Europe/Berlin)."""
    zone = current_app.config["JIYI_TIMEZONE"]
    if zone in _BEIJING_TIME:
        return _("Times are Beijing time.")
    return _("Times are %(zone)s.", zone=get_timezone_name(zone, locale=get_locale()))


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_download(data: bytes, filename: str):
    """A response that downloads the workbook `data` as `filename`; send_file writes both
    filename= (ASCII) and filename*=UTF-8'' for a Chinese name."""
    return send_file(io.BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=filename)


def local_path(target: str | None) -> str | None:
    """`target` when it is a path on this site, else None: never another host (`//host`, or
    `/\\host`, which browsers read the same way), never a control character (a newline
    would break the Location header)."""
    if not target or not target.startswith("/") or target[1:2] in ("/", "\\"):
        return None
    if any(ord(char) < 32 or ord(char) == 127 for char in target) or urlsplit(target).netloc:
        return None
    return target


def _local_time(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    local = to_local(value, current_app.config["JIYI_TIMEZONE"])
    return local.strftime(fmt) if local else ""

