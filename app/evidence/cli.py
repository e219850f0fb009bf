import click

from app.extensions import db


@click.group("evidence", help="Evidence portfolios (EVIDENCE_RETENTION_DAYS).")
def evidence_cli():
    pass


@evidence_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="only list what would be purged")
def purge_command(dry_run):
    """Remove the files of portfolios judged more than EVIDENCE_RETENTION_DAYS ago."""
    from flask import current_app

    from app.db_types import utcnow
    from app.evidence.retention import expired_evidence, purge_expired_evidence

    days = current_app.config["EVIDENCE_RETENTION_DAYS"]
    if dry_run:
        count = len(expired_evidence(utcnow(), days))
        db.session.rollback()
        click.echo(f"{count} evidence files would be purged (retention {days} days).")
        return
    purged = purge_expired_evidence()
    db.session.commit()  # the files go once the purge is committed (delete_after_commit)
    click.echo(f"{len(purged)} evidence files purged (retention {days} days).")
