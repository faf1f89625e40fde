"""The shared role guard: 403 with its message unless the predicate lets the user in."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.test import RequestFactory

from desist.accounts.access import AnyUser
from desist.audit.models import AuditEvent, Verb
from desist.core.views import casework_required, not_found, require
from desist.web.tests.factories import UserFactory


def _request(user: AnonymousUser) -> HttpRequest:
    request = RequestFactory().get("/")
    request.user = user
    return request


def _page(request: HttpRequest, pk: int) -> HttpResponse:
    """A page."""
    return HttpResponse(f"page {pk}")


@pytest.mark.parametrize("allowed", [True, False])
def test_require_lets_in_or_refuses_with_its_message(allowed: bool) -> None:
    seen: list[AnyUser] = []

    def check(user: AnyUser) -> bool:
        seen.append(user)
        return allowed

    guarded = require(check, "Not for you.")(_page)
    user = AnonymousUser()
    if allowed:
        assert guarded(_request(user), pk=7).content == b"page 7"
    else:
        with pytest.raises(PermissionDenied) as refused:
            guarded(_request(user), pk=7)
        assert str(refused.value) == "Not for you."
    assert seen == [user]
    assert guarded.__name__ == "_page" and guarded.__doc__ == "A page."


def test_casework_required_refuses_a_user_without_case_work() -> None:
    with pytest.raises(PermissionDenied) as refused:
        casework_required(_page)(_request(AnonymousUser()), pk=1)
    assert str(refused.value) == "Your role does not give access to case work."


@pytest.mark.django_db
def test_not_found_logs_the_refused_look() -> None:
    user = UserFactory.create()
    request = RequestFactory().get("/cases/9/")
    request.user = user
    refusal = not_found(request, "people.person", 9, "Record outside scope")
    assert isinstance(refusal, Http404) and str(refusal) == "Not found."
    event = AuditEvent.objects.get()
    assert (event.verb, event.user, event.object_type, event.object_id, event.detail) == (
        Verb.DENIED,
        user,
        "people.person",
        "9",
        "Record outside scope",
    )
    assert str(not_found(request, "people.person", 9, "Again", "No such person.")) == (
        "No such person."
    )
