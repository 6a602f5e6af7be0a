"""Template tags of the history pages: where to watch a series in a year (for event and session
pages, which belong to the directory: one include each)."""

from django import template

from ..selectors.watch import watch_links_for

register = template.Library()


@register.inclusion_tag("series/_watch_for.html", takes_context=True)
def watch_for(context, series, year: int) -> dict:
    """One query: the series' links for `year`, or its latest earlier ones marked "as of"."""
    return {"info": watch_links_for(series, year), "this_year": year}
