"""Referral pages: the officer's form, the lists, the receiving service's work on a referral,
and the directory of services. Thin views: who may do what in ``permissions``, changes in
``service``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from desist.audit.models import Verb
from desist.audit.service import record
from desist.core.views import not_found, require
from desist.referrals import service
from desist.referrals.forms import (
    FirstContactForm,
    OutcomeForm,
    ReferralForm,
    ServiceForm,
    SignpostForm,
    TriageForm,
)
from desist.referrals.models import Referral, Service
from desist.referrals.permissions import (
    can_edit_directory,
    can_open_referrals,
    can_read_directory,
    can_refer,
    receives,
    visible_referrals,
)
from desist.referrals.rules import contact_times
from desist.web.querysets import visible_people

referrals_access = require(can_open_referrals, "Your role does not give access to referrals.")
referrers_only = require(can_refer, "Your role does not make referrals.")
directory_readers = require(can_read_directory, "Your role does not use the directory.")
directory_editors = require(
    can_edit_directory, "Only IOM coordinators and the administrator change the directory."
)


def _data(request: HttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


def _referral(request: HttpRequest, pk: int) -> Referral:
    """A referral the user may see; any other is "not found" (and logged as refused)."""
    referral = (
        visible_referrals(request.user)
        .select_related("person", "receiving_agency", "referring_agency", "referred_by")
        .filter(pk=pk)
        .first()
    )
    if referral is None:
        raise not_found(
            request, "referrals.referral", pk, "Referral outside scope", "No such referral."
        )
    return referral


def _working(request: HttpRequest, pk: int) -> Referral:
    """A referral the user's agency received: only they work on it."""
    referral = _referral(request, pk)
    if not receives(request.user, referral):
        raise PermissionDenied("Only the receiving service works on a referral.")
    return referral


def _directory(referral: Referral) -> QuerySet[Service]:
    """Active services of the referral's area (or of every area), not yet signposted."""
    area = referral.local_authority
    services = Service.objects.filter(active=True)
    if area:
        services = services.filter(Q(area="") | Q(area=area))
    return services.exclude(signposts__referral=referral).order_by("name")


@referrals_access
def referral_list(request: HttpRequest) -> HttpResponse:
    """Referrals sent to the user's agency (to work on) and those the user or unit made."""
    user = request.user
    referrals = visible_referrals(user).select_related("person", "receiving_agency", "referred_by")
    agency_id = getattr(user, "agency_id", None)
    received = [
        r for r in referrals if agency_id is not None and r.receiving_agency_id == agency_id
    ]
    sent = [r for r in referrals if r not in received]
    days = [r.days_to_first_contact for r in received]
    times = contact_times(d for d in days if d is not None)
    record(
        Verb.SEARCHED, user=user, request=request, object_type="referrals", detail="Referrals list"
    )
    return render(
        request,
        "referrals/referral_list.html",
        {"received": received, "sent": sent, "can_refer": can_refer(user), "times": times},
    )


@referrers_only
def referral_new(request: HttpRequest) -> HttpResponse:
    """The officer's referral form; ``?person=<number>`` fills in a nominal (a link from their
    record)."""
    person = request.GET.get("person", "")
    initial = {"person_number": int(person)} if person.isdigit() else {}
    form = ReferralForm(_data(request), people=visible_people(request.user), initial=initial)
    if form.is_valid():
        referral = service.make_referral(
            request.user, request, form.cleaned_data, timezone.localdate()
        )
        return redirect("referrals:referral", pk=referral.pk)
    return render(request, "referrals/referral_form.html", {"form": form})


def _detail_page(request: HttpRequest, referral: Referral, **forms: BaseForm) -> HttpResponse:
    user = request.user
    working = receives(user, referral)
    today = timezone.localdate()
    context: dict[str, object] = {
        "referral": referral,
        "working": working,
        "signposts": list(referral.signposts.select_related("service")),
        "nominal_visible": referral.person_id is not None
        and visible_people(user).filter(pk=referral.person_id).exists(),
    }
    if working and not referral.outcome:
        context["triage_form"] = forms.get("triage_form") or TriageForm(instance=referral)
        context["contact_form"] = forms.get("contact_form") or FirstContactForm(
            referral=referral, today=today
        )
        context["signpost_form"] = forms.get("signpost_form") or SignpostForm(
            services=_directory(referral)
        )
        context["outcome_form"] = forms.get("outcome_form") or OutcomeForm(instance=referral)
    return render(request, "referrals/referral_detail.html", context)


@referrals_access
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk)
    record(
        Verb.VIEWED,
        user=request.user,
        request=request,
        person=referral.person,
        obj=referral,
        detail="Referral",
    )
    return _detail_page(request, referral)


@referrals_access
@require_POST
def referral_triage(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _working(request, pk)
    form = TriageForm(request.POST, instance=referral)
    if form.is_valid():
        service.triage(form.save(commit=False), request.user, request, timezone.localdate())
        return redirect("referrals:referral", pk=pk)
    referral.refresh_from_db()
    return _detail_page(request, referral, triage_form=form)


@referrals_access
@require_POST
def referral_contact(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _working(request, pk)
    form = FirstContactForm(request.POST, referral=referral, today=timezone.localdate())
    if form.is_valid():
        service.first_contact(
            referral, request.user, request, form.cleaned_data["first_contact_on"]
        )
        return redirect("referrals:referral", pk=pk)
    return _detail_page(request, referral, contact_form=form)


@referrals_access
@require_POST
def referral_signpost(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _working(request, pk)
    form = SignpostForm(request.POST, services=_directory(referral))
    if form.is_valid():
        service.signpost(
            referral, form.cleaned_data["service"], request.user, request, timezone.localdate()
        )
        return redirect("referrals:referral", pk=pk)
    return _detail_page(request, referral, signpost_form=form)


@referrals_access
@require_POST
def referral_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _working(request, pk)
    form = OutcomeForm(request.POST, instance=referral)
    if form.is_valid():
        service.close(form.save(commit=False), request.user, request, timezone.localdate())
        return redirect("referrals:referral", pk=pk)
    referral.refresh_from_db()
    return _detail_page(request, referral, outcome_form=form)


@directory_readers
def service_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "referrals/service_list.html",
        {"services": Service.objects.all(), "can_edit": can_edit_directory(request.user)},
    )


@directory_editors
def service_new(request: HttpRequest) -> HttpResponse:
    form = ServiceForm(_data(request))
    if form.is_valid():
        service.save_service(form, request.user, request)
        return redirect("referrals:services")
    return render(request, "referrals/service_form.html", {"form": form, "title": "Add a service"})


@directory_editors
def service_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Service, pk=pk)
    form = ServiceForm(_data(request), instance=found)
    if form.is_valid():
        service.save_service(form, request.user, request)
        return redirect("referrals:services")
    return render(
        request, "referrals/service_form.html", {"form": form, "title": "Change the service"}
    )
