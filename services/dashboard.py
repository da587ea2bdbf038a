"""Figures for the handlers' dashboard (Kojelauta): open requests by stage, arrivals per week, the median time to
resolve, and the requests that have waited longest.

Weeks and medians are worked out in Python over a bounded set of timestamps rather than in SQL, so the same code
runs on SQLite and PostgreSQL (their date functions differ).
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import col, select

from locales import t
from models import RequestStatus, ServiceRequest, User, utcnow
from models.db import session_scope

from .catalogue import service_title
from .formatting import local_time
from .handling import require_staff
from .stages import STAGES


@dataclass(frozen=True)
class WeekCount:
    year: int
    week: int
    count: int

    @property
    def label(self) -> str:
        return f'{self.week}/{self.year}'


@dataclass(frozen=True)
class OldRequest:
    number: int
    service_code: str
    stage: str
    sent_at: datetime
    handler: str

    @property
    def title(self) -> str:
        return f'{self.number} : {t(service_title(self.service_code))}'

    def waiting_days(self, now: datetime | None = None) -> int:
        return ((now or utcnow()) - self.sent_at).days


def open_by_stage(actor: User) -> list[tuple[str, int]]:
    """Open (sent) requests per processing stage, in the stages' order; stages no longer in the list come last."""
    require_staff(actor)
    with session_scope() as db:
        counts = dict(db.exec(select(ServiceRequest.stage, func.count())
                              .where(ServiceRequest.status == RequestStatus.SENT)
                              .group_by(ServiceRequest.stage)).all())
    ordered = [(stage, counts.pop(stage, 0)) for stage in STAGES]
    return ordered + sorted(counts.items())


def _week_start(moment: datetime) -> datetime:
    local = local_time(moment)
    return (local - timedelta(days=local.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)


def arrivals_per_week(actor: User, weeks: int = 12, now: datetime | None = None) -> list[WeekCount]:
    """Requests sent in each of the last `weeks` ISO weeks (Finnish time), oldest week first, empty weeks as 0."""
    require_staff(actor)
    now = now or utcnow()
    first_week = _week_start(now) - timedelta(weeks=weeks - 1)
    with session_scope() as db:
        sent_times = db.exec(select(ServiceRequest.sent_at).where(col(ServiceRequest.sent_at).is_not(None),
                                                                  col(ServiceRequest.sent_at) >= first_week)).all()
    counts: dict[tuple[int, int], int] = {}
    for moment in sent_times:
        if moment is None:  # the query leaves these out; the column's type allows them
            continue
        year, week, _ = local_time(moment).isocalendar()
        counts[(year, week)] = counts.get((year, week), 0) + 1
    result = []
    for index in range(weeks):
        year, week, _ = (first_week + timedelta(weeks=index)).isocalendar()
        result.append(WeekCount(year, week, counts.get((year, week), 0)))
    return result


def median_time_to_resolve(actor: User, days: int = 90, now: datetime | None = None) -> timedelta | None:
    """The median time from sending to resolving of the requests resolved in the last `days` days (None: none)."""
    require_staff(actor)
    since = (now or utcnow()) - timedelta(days=days)
    with session_scope() as db:
        pairs = db.exec(select(ServiceRequest.sent_at, ServiceRequest.resolved_at)
                        .where(ServiceRequest.status == RequestStatus.DONE,
                               col(ServiceRequest.resolved_at) >= since,
                               col(ServiceRequest.sent_at).is_not(None))).all()
    durations = [(resolved - sent).total_seconds() for sent, resolved in pairs if resolved and sent]
    return timedelta(seconds=statistics.median(durations)) if durations else None


def oldest_open(actor: User, limit: int = 10) -> list[OldRequest]:
    """The open requests sent longest ago."""
    require_staff(actor)
    with session_scope() as db:
        # sqlmodel's select() has typed overloads for at most four columns; the rows are read as Any below.
        rows = db.exec(select(ServiceRequest.id, ServiceRequest.service_code,  # type: ignore[call-overload]
                              ServiceRequest.stage, ServiceRequest.sent_at, User.display_name)
                       .join(User, col(User.id) == ServiceRequest.assigned_handler_id, isouter=True)
                       .where(ServiceRequest.status == RequestStatus.SENT, col(ServiceRequest.sent_at).is_not(None))
                       .order_by(col(ServiceRequest.sent_at), col(ServiceRequest.id)).limit(limit)).all()
    return [OldRequest(number, code, stage, sent_at, handler or '') for number, code, stage, sent_at, handler in rows]


def format_duration(duration: timedelta | None) -> str:
    """'3 pv 4 h' style, in the current language; '–' when there is nothing to show."""
    if duration is None:
        return '–'
    days, seconds = duration.days, duration.seconds
    hours = seconds // 3600
    if days:
        return t('{days} pv {hours} h', days=days, hours=hours)
    return t('{hours} h {minutes} min', hours=hours, minutes=(seconds % 3600) // 60)
