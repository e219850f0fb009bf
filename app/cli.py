"""Command-line operations: thin wrappers that call the services and commit."""

import click
from flask import Flask, current_app

from app.extensions import db


def register_commands(app: Flask) -> None:
    app.cli.add_command(demo_cli)
    app.cli.add_command(certificates_cli)
    app.cli.add_command(storage_cli)
    from app.appeals.cli import appeals_cli

    app.cli.add_command(appeals_cli)

    from app.evidence.cli import evidence_cli

    app.cli.add_command(evidence_cli)


@click.group("demo", help="Demo data.")
def demo_cli():
    pass


@demo_cli.command("load")
def load_demo_command():
    """Load the demo data if the database has no users yet, and print the demo logins."""
    from app.demo import DEMO_PASSWORD, is_empty, load_demo

    if not is_empty():
        click.echo("The database already has data; demo not loaded.")
        return
    logins = load_demo()
    db.session.commit()
    click.echo(f"Demo loaded. Every demo login uses the password: {DEMO_PASSWORD}")
    for login in logins:
        click.echo(f"  {login.role:<10} {login.email:<26} {login.name}")


@click.group("certificates", help="Certificate keys and issuance.")
def certificates_cli():
    pass


@certificates_cli.command("create-key")
def create_key_command():
    """Register this machine's signing key as the body's active key, or create the first one.

    Idempotent where the configured key is the active one; refuses (exit status 1) where another
    key is active, so a second machine never makes a key of its own.
    """
    from app.certificates.keys import KeyRefused, create_key

    try:
        outcome = create_key()
        db.session.commit()
    except KeyRefused as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    for key_id in outcome.imported:
        click.echo(f"Retired key {key_id} registered from its file; it stays published.")
    path = current_app.config["SIGNING_KEY_PATH"]
    if outcome.created:
        click.echo(
            f"Signing key {outcome.key_id} created at {path} and registered. Keep it secret, back "
            "it up, and give the same key to every machine (see docs/deployment.md)."
        )
    elif outcome.registered:
        click.echo(f"Signing key {outcome.key_id} registered as the body's active key.")
    else:
        click.echo(f"Signing key {outcome.key_id} is already the active key; left unchanged.")


@certificates_cli.command("rotate-key")
@click.confirmation_option(
    prompt="Replace the signing key? New certificates will be signed with "
    "a new key; those already issued stay verifiable."
)
def rotate_key_command():
    """Retire the active key (its public key stays published) and register a new one."""
    from app.certificates.keys import KeyRefused, finish_rotation, rotate_key

    staged = None
    try:
        old_id, new_id, staged = rotate_key()
        db.session.commit()
    except KeyRefused as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    except BaseException:
        db.session.rollback()
        if staged is not None:
            staged.unlink(missing_ok=True)
        raise
    path = finish_rotation(staged)
    click.echo(
        f"Key {old_id} retired; its public key stays published at "
        f"/.well-known/avala/keys/{old_id}.pem."
    )
    click.echo(f"New signing key {new_id} at {path}. Keep it secret and back it up.")
    click.echo(
        "Every other machine now refuses to sign until it is given this new private key "
        "(replace its SIGNING_KEY_PATH file or SIGNING_KEY_PEM; see docs/deployment.md)."
    )
    if current_app.config.get("SIGNING_KEY_PEM"):
        click.echo(f"This machine reads SIGNING_KEY_PEM: set it to the contents of {path}.")


@click.group("storage", help="The store of issued files (STORAGE_URL).")
def storage_cli():
    pass


@storage_cli.command("sweep")
@click.option(
    "--grace-seconds",
    type=click.IntRange(min=0),
    help="leave files younger than this (default STORAGE_SWEEP_GRACE_SECONDS, 3600)",
)
@click.option("--dry-run", is_flag=True, help="only list what would be removed")
def sweep_command(grace_seconds, dry_run):
    """Remove stored files that no row names (certificates' PDFs, evidence not purged, appeals'
    files), e.g. left by a killed process."""
    from datetime import timedelta

    from app.storage import current_storage
    from app.storage_sweep import sweep_orphan_files

    grace = None if grace_seconds is None else timedelta(seconds=grace_seconds)
    report = sweep_orphan_files(grace=grace, dry_run=dry_run)
    db.session.rollback()  # read only
    for key in report.removed:
        click.echo(f"{'would remove' if dry_run else 'removed'} {key}")
    click.echo(
        f"{current_storage().url}: {report.checked} files checked, {report.kept} kept, "
        f"{report.too_recent} too recent to judge, {len(report.removed)} "
        f"{'orphans found' if dry_run else 'orphans removed'}."
    )


@certificates_cli.command("remind-expiring")
def remind_expiring_command():
    """E-mail the holders whose certificates expire in 90, 30 or 7 days and were not told yet.

    The same service as the daily job; safe to run any number of times (each reminder is sent
    once per certificate and threshold).
    """
    from app.certificates.reminders import send_expiry_reminders
    from app.transactions import commit_request

    sent = send_expiry_reminders()
    commit_request()  # and then queue the e-mails
    click.echo(f"{sent} expiry reminders queued.")
