"""Administration pages: agencies, users, roles and the reference lists. Thin views: rules are
in ``rules``, changes (with their audit events) in ``service``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from desist.accounts import second_factor
from desist.accounts.models import Agency, User
from desist.administration import service
from desist.administration.forms import (
    AgencyCreateForm,
    AgencyDeactivateForm,
    AgencyEditForm,
    AgencyReactivateForm,
    UserCreateForm,
    UserDeactivateForm,
    UserEditForm,
    UserFilterForm,
    UserPasswordResetForm,
    UserReactivateForm,
    UserSecondFactorResetForm,
    UserUnlockForm,
)
from desist.administration.permissions import administrator_required
from desist.administration.reference import BY_SLUG, REFERENCE_LISTS, display_rows
from desist.administration.roles import CATEGORY_LABELS, role_rows
from desist.administration.rules import (
    agency_deactivation_problem,
    own_account_problem,
    own_sign_in_problem,
)
from desist.web.listing import pagination

PAGE_SIZE = 50


def _post(request: HttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


@administrator_required
def home(request: HttpRequest) -> HttpResponse:
    """The administration overview: what there is, and where to change it."""
    return render(
        request,
        "administration/home.html",
        {
            "users": User.objects.filter(is_active=True).count(),
            "agencies": Agency.objects.filter(is_active=True).count(),
            "lists": len(REFERENCE_LISTS),
        },
    )


@administrator_required
def user_list(request: HttpRequest) -> HttpResponse:
    form = UserFilterForm(request.GET)
    users = User.objects.select_related("agency").order_by("last_name", "first_name", "username")
    if form.is_valid():
        data = form.cleaned_data
        if data["role"]:
            users = users.filter(role=data["role"])
        if data["agency"]:
            users = users.filter(agency=data["agency"])
        if data["status"] == "inactive":
            users = users.filter(is_active=False)
        elif data["status"] != "all":
            users = users.filter(is_active=True)
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    locked = service.locked_usernames([u.username for u in rows])
    with_device = set(
        User.objects.filter(pk__in=[u.pk for u in rows], totpdevice__confirmed=True).values_list(
            "pk", flat=True
        )
    )
    return render(
        request,
        "administration/user_list.html",
        {
            "form": form,
            "page": page,
            "pagination": pagination(request.GET, page),
            "rows": [(u, u.username in locked, u.pk in with_device) for u in rows],
            "wide": True,
        },
    )


@administrator_required
def user_new(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(_post(request), actor=request.user)
    if form.is_valid():
        user = service.create_user(
            form.save(commit=False), form.cleaned_data["password1"], request.user, request
        )
        messages.success(request, f"User {user.username} created")
        return redirect("administration:user", pk=user.pk)
    return render(request, "administration/user_form.html", {"form": form})


def _user_context(user: User) -> dict[str, object]:
    return {
        "account": user,
        "locked": user.username in service.locked_usernames([user.username]),
        "device": second_factor.confirmed_device(user),
    }


@administrator_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One account: its details, status and the buttons to change them."""
    user = get_object_or_404(User.objects.select_related("agency"), pk=pk)
    return render(request, "administration/user_detail.html", _user_context(user))


@administrator_required
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    form = UserEditForm(_post(request), instance=user, actor=request.user)
    if form.is_valid():
        service.update_user(form.save(commit=False), form.changed_data, request.user, request)
        messages.success(request, f"User {user.username} changed")
        return redirect("administration:user", pk=pk)
    return render(request, "administration/user_form.html", {"form": form, "account": user})


@administrator_required
def user_password(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    form = UserPasswordResetForm(user, _post(request))
    problem = own_sign_in_problem(request.user.pk, user.pk, "password")
    if problem:
        form.is_valid()
        form.add_error(None, problem)
    elif form.is_valid():
        service.reset_password(user, form.cleaned_data["new_password1"], request.user, request)
        messages.success(request, f"New password set for {user.username}")
        return redirect("administration:user", pk=pk)
    return render(
        request,
        "administration/user_password.html",
        {"form": form, "account": user, "problem": problem},
    )


@administrator_required
def user_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk, is_active=True)
    form = UserDeactivateForm(_post(request))
    problem = own_account_problem(request.user.pk, user.pk, user.role, False)
    if problem:
        form.is_valid()
        form.add_error(None, problem)
    elif form.is_valid():
        service.set_user_active(user, False, request.user, request, form.cleaned_data["reason"])
        messages.success(request, f"User {user.username} deactivated")
        return redirect("administration:user", pk=pk)
    return render(
        request,
        "administration/user_deactivate.html",
        {"form": form, "account": user, "problem": problem},
        status=200,
    )


@administrator_required
@require_POST
def user_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk, is_active=False)
    if UserReactivateForm(request.POST).is_valid():
        service.set_user_active(user, True, request.user, request)
        messages.success(request, f"User {user.username} reactivated")
    return redirect("administration:user", pk=pk)


@administrator_required
@require_POST
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    if UserUnlockForm(request.POST).is_valid():
        service.unlock(user, request.user, request)
        messages.success(request, f"User {user.username} can sign in again")
    return redirect("administration:user", pk=pk)


@administrator_required
@require_POST
def user_second_factor(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    problem = own_sign_in_problem(request.user.pk, user.pk, "second_factor")
    if problem:
        raise PermissionDenied(problem)
    if UserSecondFactorResetForm(request.POST).is_valid():
        service.remove_second_factor(user, request.user, request)
        messages.success(request, f"Second factor removed for {user.username}")
    return redirect("administration:user", pk=pk)


def _agencies() -> QuerySet[Agency]:
    return Agency.objects.annotate(
        active_users=Count("user", filter=Q(user__is_active=True))
    ).order_by("-is_active", "name")


@administrator_required
def agency_list(request: HttpRequest) -> HttpResponse:
    return render(request, "administration/agency_list.html", {"agencies": _agencies()})


@administrator_required
def agency_new(request: HttpRequest) -> HttpResponse:
    form = AgencyCreateForm(_post(request))
    if form.is_valid():
        agency = service.save_agency(form.save(commit=False), True, request.user, request)
        messages.success(request, f"Agency {agency.name} created")
        return redirect("administration:agencies")
    return render(request, "administration/agency_form.html", {"form": form})


def _agency_page(
    request: HttpRequest, agency: Agency, form: AgencyEditForm, problem: str | None = None
) -> HttpResponse:
    active_users = agency.user_set.filter(is_active=True).count()
    return render(
        request,
        "administration/agency_form.html",
        {"form": form, "agency": agency, "active_users": active_users, "problem": problem},
    )


@administrator_required
def agency_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agency = get_object_or_404(Agency, pk=pk)
    form = AgencyEditForm(_post(request), instance=agency)
    if form.is_valid():
        service.save_agency(form.save(commit=False), False, request.user, request)
        messages.success(request, f"Agency {agency.name} changed")
        return redirect("administration:agencies")
    return _agency_page(request, agency, form)


@administrator_required
@require_POST
def agency_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    agency = get_object_or_404(Agency, pk=pk, is_active=True)
    problem = agency_deactivation_problem(agency.user_set.filter(is_active=True).count())
    if problem:
        return _agency_page(request, agency, AgencyEditForm(instance=agency), problem)
    if AgencyDeactivateForm(request.POST).is_valid():
        service.set_agency_active(agency, False, request.user, request)
        messages.success(request, f"Agency {agency.name} deactivated")
    return redirect("administration:agencies")


@administrator_required
@require_POST
def agency_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    agency = get_object_or_404(Agency, pk=pk, is_active=False)
    if AgencyReactivateForm(request.POST).is_valid():
        service.set_agency_active(agency, True, request.user, request)
        messages.success(request, f"Agency {agency.name} reactivated")
    return redirect("administration:agencies")


@administrator_required
def roles(request: HttpRequest) -> HttpResponse:
    """What each role may see and do, read from desist.accounts.access."""
    return render(
        request,
        "administration/roles.html",
        {"rows": role_rows(), "categories": CATEGORY_LABELS.values(), "wide": True},
    )


@administrator_required
def reference_lists(request: HttpRequest) -> HttpResponse:
    return render(request, "administration/reference_lists.html", {"lists": REFERENCE_LISTS})


@administrator_required
def reference_list(request: HttpRequest, slug: str) -> HttpResponse:
    item = BY_SLUG.get(slug)
    if item is None:
        raise Http404("No such reference list.")
    return render(
        request,
        "administration/reference_list.html",
        {"list": item, "rows": display_rows(item), "wide": True},
    )
