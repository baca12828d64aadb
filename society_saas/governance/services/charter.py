"""The society's charter settings for governance, with the defaults of DOMAIN.md."""
import calendar
from datetime import date, timedelta
from fractions import Fraction

DEFAULTS = {
    "term_max_years": 5,
    "max_consecutive_terms": 2,
    "max_age_at_office": 70,
    "quorum": "2/3",
    "majority": "2/3",
    "proxy_allowed": False,
    "council_meetings_per_year": 1,
    "standing_council_interval_months": 6,
}


def charter_settings(society) -> dict:
    """The charter settings of a society, completed with the defaults."""
    charter = ((society.settings or {}).get("charter") or {}) if society is not None else {}
    return {**DEFAULTS, **{k: v for k, v in charter.items() if v is not None}}


def charter_summary(society) -> list[tuple[str, object]]:
    """The charter settings that apply, as (key, value) pairs for display, the decision log's included."""
    settings = charter_settings(society)
    rows = [(key, settings[key]) for key in DEFAULTS]
    charter = ((society.settings or {}).get("charter") or {}) if society is not None else {}
    if charter.get("large_fund_threshold_fen"):
        rows.append(("large_fund_threshold_fen", int(charter["large_fund_threshold_fen"])))
    for kind, value in sorted((charter.get("majority_by_kind") or {}).items()):
        rows.append(("majority:" + kind, value))
    return rows


def fraction(value) -> Fraction:
    """"2/3", 0.5 or Fraction -> an exact Fraction."""
    if isinstance(value, str):
        return Fraction(value.replace(" ", ""))
    return Fraction(value).limit_denominator(1000)


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later (29 February falls back to the 28th)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    """The same day `months` later or earlier, clipped to the month's end."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def age_on(birth_date: date, day: date) -> int:
    """Age in whole years on a day (the birthday itself counts as the new age)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def add_working_days(start: date, count: int) -> date:
    """The `count`-th working day after `start`, on China's official calendar (holidays and 调休 included)."""
    import chinese_calendar

    day, done = start, 0
    while done < count:
        day += timedelta(days=1)
        try:
            working = chinese_calendar.is_workday(day)
        except NotImplementedError:
            # The State Council publishes each year's calendar in the autumn before; beyond the
            # library's data, weekdays are the best estimate until the library is updated.
            working = day.weekday() < 5
        done += working
    return day
