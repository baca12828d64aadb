"""The calendar the product lives by: deadlines, "today" and "this year" fall in Asia/Shanghai,
whatever the server's own time zone."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

CN = ZoneInfo("Asia/Shanghai")


def today_cn() -> date:
    """Today's date in Asia/Shanghai."""
    return datetime.now(CN).date()
