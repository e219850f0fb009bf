"""`flask appeals wait-days CODE DAYS`: the waiting period before a re-assessment."""

import click
from sqlalchemy import select

from app.extensions import db


@click.group("appeals", help="Appeals and re-assessments.")
def appeals_cli():
    pass


@appeals_cli.command("wait-days")
@click.argument("code")
@click.argument("days", type=click.IntRange(min=0))
def wait_days_command(code: str, days: int):
    """Set DAYS (calendar days) to wait after "Todavía no competente" before a re-assessment of
    every version of CODE (EC0217) or of one version (EC0217.01)."""
    from app.appeals.reassessments import set_reassessment_wait
    from app.standards.models import Standard

    base, _dot, version = code.upper().partition(".")
    query = select(Standard).where(Standard.code == base)
    if version:
        query = query.where(Standard.version == version)
    standards = list(db.session.scalars(query))
    if not standards:
        raise click.ClickException(f"No standard {code}.")
    for standard in standards:
        set_reassessment_wait(standard, days)
    db.session.commit()
    click.echo(f"{len(standards)} version(s) of {base}: {days} day(s) before a re-assessment.")
