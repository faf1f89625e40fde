"""Proposals pages: proposals per scheme with reasons and flags; adopt or decline, with a
reason. Thin views: rules in ``permissions``, work in ``service``."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from desist.accounts.access import unit_local_authority
from desist.audit.models import Verb
from desist.audit.service import record
from desist.core.views import not_found, require
from desist.people.models import Person
from desist.selection import service
from desist.selection.forms import AdoptForm, DeclineForm, SchemeForm
from desist.selection.permissions import may_decide, may_read_proposals, proposal_people

DEFAULT_SCHEME = "fixed"


#: Roles that may not read proposals get 403; so do those that may not adopt or override
#: (IOM coordinators only) on the decision forms.
readers_only = require(may_read_proposals, "Your role does not give access to cohort proposals.")
deciders_only = require(may_decide, "Only IOM coordinators adopt people into a cohort.")


def today() -> date:
    return timezone.localdate()


def _listing(request: HttpRequest, scheme: str) -> service.ProposalList:
    try:
        return service.proposals_for(request.user, scheme, today())
    except KeyError:
        raise Http404("No such scheme.") from None


def _person(request: HttpRequest, pk: int) -> Person:
    """A person in the user's scope; outside it, "not found" (and the refusal is logged)."""
    person = proposal_people(request.user).filter(pk=pk).first()
    if person is None:
        raise not_found(
            request, "people.person", pk, "Cohort proposal outside scope", "No such person."
        )
    return person


@readers_only
def proposals(request: HttpRequest) -> HttpResponse:
    """Proposals for one scheme among the people in the user's scope, with reasons and flags,
    and the highest scores of those not proposed (for an override)."""
    criteria = service.schemes()
    choices = [(code, scheme.label) for code, scheme in criteria.schemes.items()]
    form = SchemeForm(request.GET or {"scheme": DEFAULT_SCHEME}, choices=choices)
    scheme = form.cleaned_data["scheme"] if form.is_valid() else DEFAULT_SCHEME
    listing = _listing(request, scheme)
    record(
        Verb.SEARCHED,
        user=request.user,
        request=request,
        object_type="selection.proposals",
        detail=f"Proposals {scheme} as of {listing.as_of}: {len(listing.proposed)} proposed",
    )
    return render(
        request,
        "selection/proposals.html",
        {
            "form": form,
            "listing": listing,
            "decisions": service.recent_decisions(request.user, scheme),
            "may_decide": may_decide(request.user),
            "unit": unit_local_authority(request.user),
            "wide": True,
        },
    )


def _candidate(
    request: HttpRequest, scheme: str, pk: int
) -> tuple[service.ProposalList, service.Candidate]:
    person = _person(request, pk)
    listing = _listing(request, scheme)
    candidate = listing.candidate(person)
    if candidate is None:  # left out: a problem in the person's history
        raise Http404("This person cannot be scored.")
    record(
        Verb.VIEWED,
        user=request.user,
        request=request,
        person=person,
        obj=person,
        detail=f"Cohort proposal ({scheme})",
    )
    return listing, candidate


@deciders_only
def adopt(request: HttpRequest, scheme: str, pk: int) -> HttpResponse:
    """Adopt a person into the scheme with a reason (an override when not proposed)."""
    listing, candidate = _candidate(request, scheme, pk)
    form = AdoptForm(request.POST if request.method == "POST" else None, today=today())
    if form.is_valid():
        data = form.cleaned_data
        try:
            service.adopt(request.user, request, listing, candidate, data["reason"],
                          data["start_date"], data["tier"])  # fmt: skip
        except service.SelectionError as error:
            form.add_error("start_date", str(error))
        else:
            # No name in the message: messages may travel in a cookie (no personal data there).
            done = f"Proposal adopted into {listing.scheme.label}: the membership is recorded"
            messages.success(request, done)
            return redirect(_proposals_url(scheme))
    return render(
        request,
        "selection/decision_form.html",
        {"form": form, "listing": listing, "candidate": candidate, "action": "adopt"},
    )


@deciders_only
def decline(request: HttpRequest, scheme: str, pk: int) -> HttpResponse:
    """Decline a proposed person with a reason (an override of the score)."""
    listing, candidate = _candidate(request, scheme, pk)
    if not candidate.proposed:
        raise Http404("This person is not proposed for the scheme.")
    form = DeclineForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            service.decline(request.user, request, listing, candidate, form.cleaned_data["reason"])
        except service.SelectionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Proposal declined: the decision and its reason are recorded")
            return redirect(_proposals_url(scheme))
    return render(
        request,
        "selection/decision_form.html",
        {"form": form, "listing": listing, "candidate": candidate, "action": "decline"},
    )


def _proposals_url(scheme: str) -> str:
    return f"{reverse('selection:proposals')}?scheme={scheme}"
