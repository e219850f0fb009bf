"""The daily and hourly reminder jobs, on the queue's scheduler (app/tasks.py once_per_period).

Apart from app/tasks.py because they send mail, and mail is queued through app/tasks.py: the
worker (app/worker.py) imports this module so that its scheduler runs them.
"""

from app.tasks import DAY, once_per_period


@once_per_period("remind-expiring-certificates", minutes=DAY)
def remind_expiring_certificates() -> dict:
    """E-mail the holders whose certificates expire in 90, 30 or 7 days, once each (daily)."""
    from app.certificates.reminders import send_expiry_reminders

    return {"reminded": send_expiry_reminders()}


@once_per_period("remind-sessions", minutes=60)
def remind_sessions() -> dict:
    """E-mail the candidate and the evaluator of each session of tomorrow, once (hourly, so a
    session booked today for tomorrow is reminded too)."""
    from app.assessments.reminders import send_session_reminders

    return {"reminded": send_session_reminders()}
