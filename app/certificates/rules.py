"""Pure certificate rules: folio format, validity, the canonical signed payload."""

import json
from datetime import date
from urllib.parse import urlencode


def folio_scope(body_code: str, year: int) -> str:
    return f"{body_code}-{year}"


def format_folio(body_code: str, standard_code: str, year: int, number: int) -> str:
    """CONALEP-EC0217.01-2026-000123: readable on paper; the number is unique per body and year."""
    return f"{body_code}-{standard_code}-{year}-{number:06d}"


def valid_until(judged_on: date, validity_years: int | None) -> date | None:
    """The last day the certificate is valid; None means indefinite."""
    if validity_years is None:
        return None
    try:
        return judged_on.replace(year=judged_on.year + validity_years)
    except ValueError:  # 29 February in a year that has none
        return judged_on.replace(year=judged_on.year + validity_years, day=28)


def canonical_json(data: dict) -> str:
    """One exact byte sequence for the same facts, so a signature can be checked from data alone."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def linkedin_add_url(
    name: str, organization: str, issued_year: int, issued_month: int, url: str, folio: str
) -> str:
    """LinkedIn's "add a licence or certification" address, filled in: a plain link, no script."""
    query = urlencode(
        {
            "startTask": "CERTIFICATION_NAME",
            "name": name,
            "organizationName": organization,
            "issueYear": issued_year,
            "issueMonth": issued_month,
            "certUrl": url,
            "certId": folio,
        }
    )
    return f"https://www.linkedin.com/profile/add?{query}"


# How many days before a certificate's last day its holder is reminded.
REMINDER_THRESHOLDS = (90, 30, 7)


def reminder_threshold(days_left: int) -> int | None:
    """The reminder a certificate with `days_left` days of validity is due: the closest
    threshold it has reached (29 days left is the 30-day reminder, never the 90-day one, even
    if the job did not run for weeks); None before 90 days, and from the day after expiry."""
    if days_left < 0:
        return None
    reached = [days for days in REMINDER_THRESHOLDS if days_left <= days]
    return min(reached) if reached else None
