"""``{{ some.url|http_only }}``: the link, or "" when it is not http(s)."""

from django import template

from claims.net.safeurl import safe_http_url

register = template.Library()


@register.filter
def http_only(url):
    return safe_http_url(url)
