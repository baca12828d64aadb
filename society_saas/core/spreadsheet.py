"""Cells for exported spreadsheets: text that a spreadsheet would run as a formula is neutralised."""
import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^-?[0-9,.]+$")


def safe_cell(value):
    """The value, with a leading apostrophe when it is text that Excel or WPS would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.match(value):
        return "'" + value
    return value


def safe_row(values) -> list:
    """safe_cell() over a row."""
    return [safe_cell(v) for v in values]
