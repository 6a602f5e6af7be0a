"""The results feeds carry one entry per amendment beside the final classifications.

A mixin over series.feeds' feed classes (which list sessions): items are the sessions and the
amendments (series/selectors/revisions.py: amendment_entries), newest first, and each item_*
answers for an amendment itself and leaves a session to the feed it is mixed into. An amendment's
link is its session's page at the amendment's anchor, so it is also a distinct entry id. One more
query.
"""

import datetime as dt
from typing import TYPE_CHECKING

from .feeds import FEED_LENGTH, ResultsFeed, SeriesResultsFeed
from .selectors.revisions import AmendmentEntry, amendment_entries

if TYPE_CHECKING:  # the mixin's base, for the type checker only
    _FeedBase = ResultsFeed
else:
    _FeedBase = object


class AmendmentsMixin(_FeedBase):
    def items(self, obj=None):
        sessions = list(super().items(obj) if obj is not None else super().items())
        amendments = amendment_entries(series=obj)
        merged = [*sessions, *amendments]
        merged.sort(key=self._item_date, reverse=True)
        return merged[:FEED_LENGTH]

    def _item_date(self, item) -> dt.datetime:
        if isinstance(item, AmendmentEntry):
            return item.at
        return super().item_updateddate(item)

    def item_title(self, item) -> str:
        return item.title if isinstance(item, AmendmentEntry) else super().item_title(item)

    def item_description(self, item) -> str:
        if isinstance(item, AmendmentEntry):
            return item.description
        return super().item_description(item)

    def item_link(self, item) -> str:
        return item.link if isinstance(item, AmendmentEntry) else super().item_link(item)

    def item_updateddate(self, item) -> dt.datetime:
        return self._item_date(item)

    def item_pubdate(self, item) -> dt.datetime:
        return self._item_date(item)

    def item_categories(self, item) -> list[str]:
        if isinstance(item, AmendmentEntry):
            return [item.category] if item.category else []
        return super().item_categories(item)


class ResultsWithAmendmentsFeed(AmendmentsMixin, ResultsFeed):
    subtitle = "Every race classification marked final, and every amendment since, newest first."


class SeriesResultsWithAmendmentsFeed(AmendmentsMixin, SeriesResultsFeed):
    pass
