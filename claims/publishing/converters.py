"""The public pages' URL converter: a fact-check id as the pages print it."""

from django.urls import register_converter


class IdConverter:
    """A database id: at most 18 digits, so a huge id is a 404, not a 500."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(IdConverter, "fc_id")
