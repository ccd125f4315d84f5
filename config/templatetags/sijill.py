"""Template filters: labels instead of ids, and query strings for paging and facets."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template

from config.web import labels

register = template.Library()
register.filter("type_label", labels.type_label)
register.filter("fate_label", labels.fate_label)
register.filter("service_label", labels.service_label)
register.filter("status_label", labels.status_label)
register.filter("direction_label", labels.direction_label)
register.filter("task_label", labels.task_label)
register.filter("action_label", labels.action_label)


@register.filter
def percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)}%"


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters changed (None or "" removes one)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value not in (None, ""):
            params[key] = str(value)
    return "?" + urlencode(list(params.lists()), doseq=True)


@register.simple_tag(takes_context=True)
def query_set(context, key: str, value: object) -> str:
    """The current query string with ``key`` set to ``value``, back on the first page."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    params[key] = str(value)
    return "?" + urlencode(list(params.lists()), doseq=True)
