"""What article pages show of live coverage, without the articles app knowing it."""

from django import template
from django.utils import timezone

from articles import dates
from live import polling
from live.pages import live_page

register = template.Library()


@register.simple_tag
def live_coverage(article):
    """The article's LivePage (see live.pages), or None for an ordinary article."""
    return live_page(article)


@register.simple_tag
def live_poll_interval():
    return polling.INTERVAL_SECONDS


@register.filter(expects_localtime=True)
def live_time(value):
    """An update's time as a live page gives it: "21:04", with the day when not today."""
    if timezone.localdate() == value.date():
        return dates.house_date(value, "H:i")
    return dates.house_date(value, "j F · H:i")
