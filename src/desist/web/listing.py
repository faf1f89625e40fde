"""Links for lists: sortable column headings, pages and removable filter tags.

Each link is a query string built from the current one, so filters, search and sort order
survive every click, and everything works without JavaScript.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django import forms
from django.core.paginator import Page
from django.http import QueryDict


def query_string(params: QueryDict, **changes: str | None) -> str:
    """``?`` plus the parameters with some replaced (``None`` removes one)."""
    copy = params.copy()
    for key, value in changes.items():
        copy.pop(key, None)
        if value is not None:
            copy[key] = value
    encoded = copy.urlencode()
    return f"?{encoded}" if encoded else "?"


@dataclass(frozen=True)
class SortHeader:
    key: str
    label: str
    aria_sort: str
    href: str


def sort_headers(
    params: QueryDict, columns: Sequence[tuple[str, str]], sort: str, descending: bool
) -> list[SortHeader]:
    """Headings for ``(key, label)`` columns: the current one links to the other direction."""
    headers = []
    for key, label in columns:
        if key == sort:
            aria_sort = "descending" if descending else "ascending"
            order = "asc" if descending else "desc"
        else:
            aria_sort, order = "none", "asc"
        href = query_string(params, sort=key, order=order, page=None)
        headers.append(SortHeader(key, label, aria_sort, href))
    return headers


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None for an ellipsis
    href: str
    current: bool


@dataclass(frozen=True)
class Pagination:
    links: list[PageLink]
    previous_href: str | None
    next_href: str | None


def pagination(params: QueryDict, page: Page) -> Pagination:
    """The GOV.UK pagination items: first, last, and the pages next to the current one."""
    links = []
    for number in page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1):
        if isinstance(number, int):
            href = query_string(params, page=str(number))
            links.append(PageLink(number, href, number == page.number))
        else:
            links.append(PageLink(None, "", False))
    previous_href = (
        query_string(params, page=str(page.previous_page_number())) if page.has_previous() else None
    )
    next_href = query_string(params, page=str(page.next_page_number())) if page.has_next() else None
    return Pagination(links, previous_href, next_href)


@dataclass(frozen=True)
class FilterTag:
    label: str
    href: str


@dataclass(frozen=True)
class SelectedFilter:
    heading: str
    tags: list[FilterTag]


def selected_filters(
    params: QueryDict, form: forms.Form, names: Iterable[str]
) -> list[SelectedFilter]:
    """For each chosen filter value, a tag linking to the same list without that value."""
    selected = []
    for name in names:
        field = form.fields[name]
        labels = dict(getattr(field, "choices", ()))
        chosen = [value for value in params.getlist(name) if value in labels]
        if not chosen:
            continue
        tags = []
        for value in chosen:
            copy = params.copy()
            copy.setlist(name, [v for v in params.getlist(name) if v != value])
            copy.pop("page", None)
            tags.append(FilterTag(str(labels[value]), query_string(copy)))
        selected.append(SelectedFilter(str(field.label), tags))
    return selected
