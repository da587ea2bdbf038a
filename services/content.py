"""Content kept in data: news and the centre's contact details."""
from sqlalchemy import or_
from sqlmodel import col, select

from models import NewsItem, Region
from models.db import session_scope


def latest_news(region_id: int | None, limit: int = 5) -> list[NewsItem]:
    """Active news for the region and for every region, newest first."""
    with session_scope() as db:
        query = select(NewsItem).where(NewsItem.active)
        if region_id is not None:
            query = query.where(or_(col(NewsItem.region_id).is_(None), col(NewsItem.region_id) == region_id))
        return list(db.exec(query.order_by(col(NewsItem.published_at).desc()).limit(limit)).all())


def all_regions() -> list[Region]:
    with session_scope() as db:
        return list(db.exec(select(Region).order_by(Region.name)).all())
