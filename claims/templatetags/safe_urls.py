"""``{{ some.url|http_only }}``: the link, or "" when it is not http(s).

The API's serializers use the same filters (claims/api/serializers.py), so a
link leaves the desk by one rule whichever way it goes.
"""

from django import template

from claims.net.safeurl import safe_http_url, safe_links, safe_source

register = template.Library()


@register.filter
def http_only(url):
    return safe_http_url(url)


@register.filter
def http_only_links(links):
    """A stored link list (dicts with ``href``), each unsafe ``href`` emptied."""
    return safe_links(links)


def safe_sources(sources) -> list[str]:
    """A verdict's sources minus any a browser would read as a non-http(s) link."""
    return [kept for kept in map(safe_source, sources or []) if kept]
