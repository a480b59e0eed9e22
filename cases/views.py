"""Case pages. Thin: the access rule comes from `visible_to`, every write from the services.

Outsiders get 404 on every case page (the object is looked up in the user's scope); a
read-only role gets 403 on every write."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from agencies.scoping import may_reopen_cases, may_see_records, may_write
from core.http import client_ip
from core.idempotency import once
from core.versions import StaleVersion, stale_message

from . import exports, selectors, services
from .codes import allowed_next_stages
from .forms import (
    CaseCreateForm,
    CaseEditForm,
    CasePageFilter,
    PerpetratorFormSet,
    PerpetratorLinkForm,
    PerpetratorSearchForm,
    StageForm,
    VerdictForm,
    VictimFormSet,
    apply_service_errors,
    filled_forms,
    matched_victims_messages,
)
from .models import Case, Involvement, Perpetrator

PAGE_SIZE = 25


def _require_write(request: HttpRequest) -> None:
    if not may_write(request.user):
        raise PermissionDenied


def _require_records(request: HttpRequest) -> None:
    """Record lists are not for roles that see aggregates only (analysts): 403, no rows."""
    if not may_see_records(request.user):
        raise PermissionDenied


def _visible_case(request: HttpRequest, pk: int) -> Case:
    return get_object_or_404(Case.objects.visible_to(request.user), pk=pk)


def _case_filter(request: HttpRequest, cases: QuerySet[Case]) -> tuple[CasePageFilter, str]:
    """The list page's filters and sort over `cases`, as the query string asks."""
    sort, ordering = selectors.case_ordering(request.GET.get("sort"))
    return CasePageFilter(request.GET or None, queryset=cases.order_by(*ordering)), sort


def _list_page(
    request: HttpRequest, filterset: CasePageFilter, sort: str, status: int = 200
) -> HttpResponse:
    qs = filterset.rows
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    export = query.urlencode()
    query.pop("sort", None)
    return render(
        request,
        "cases/list.html",
        {
            "filter": filterset,
            "form": filterset.form,
            "page": page,
            "sort": sort,
            "query": query.urlencode(),
            "export_query": export,
            "may_write": may_write(request.user),
        },
        status=status,
    )


def case_list(request: HttpRequest) -> HttpResponse:
    _require_records(request)
    filterset, sort = _case_filter(request, selectors.case_list(request.user))
    return _list_page(request, filterset, sort)


def case_export(request: HttpRequest) -> HttpResponse:
    """The cases of the list page, with its filters and sort, as CSV; logged first."""
    _require_records(request)
    filterset, sort = _case_filter(request, Case.objects.visible_to(request.user))
    if filterset.is_bound and not filterset.is_valid():
        # Exporting everything while a filter was meant would be worse than nothing.
        messages.error(request, _("Perbaiki saringan sebelum mengunduh CSV."))
        filterset, sort = _case_filter(request, selectors.case_list(request.user))
        return _list_page(request, filterset, sort, status=400)
    cases = filterset.qs if filterset.is_bound else filterset.queryset
    exports.case_export_record(
        by=request.user, row_count=cases.count(), ip_address=client_ip(request)
    )
    response = StreamingHttpResponse(
        exports.case_export_csv(cases), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{exports.filename()}"'
    response["Cache-Control"] = "no-store"
    return response


def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        case = selectors.case_detail(request.user, pk)
    except Case.DoesNotExist as exc:
        raise Http404 from exc
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "history": selectors.case_history(case),
            "may_write": may_write(request.user),
            "next_stages": allowed_next_stages(
                case.stage, may_reopen=may_reopen_cases(request.user)
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    _require_write(request)
    data = request.POST if request.method == "POST" else None
    form = CaseCreateForm(data, user=request.user)
    victims = VictimFormSet(data, prefix="victims")
    perpetrators = PerpetratorFormSet(data, prefix="perpetrators")
    status = 200
    if data is not None:
        if form.is_valid() and victims.is_valid() and perpetrators.is_valid():
            victim_forms, perpetrator_forms = filled_forms(victims), filled_forms(perpetrators)
            try:
                # A resend of this form (double click, back button) gets the case its first
                # sending recorded: the same redirect and message, no second case.
                case, _created = once(
                    user=request.user,
                    key=form.one_time_key(),
                    create=lambda: services.case_create(
                        by=request.user,
                        victims=[f.service_data() for f in victim_forms],
                        perpetrators=[f.person_data() for f in perpetrator_forms],
                        **form.service_data(),
                    ),
                )
            except ValidationError as exc:
                apply_service_errors(
                    exc, form, {"victims": victim_forms, "perpetrators": perpetrator_forms}
                )
            else:
                messages.success(request, _("Kasus %(no)s tercatat.") % {"no": case.register_no})
                for note in matched_victims_messages(case):
                    messages.success(request, note)
                return redirect("cases:detail", pk=case.pk)
        status = 400
    return render(
        request,
        "cases/form.html",
        {"form": form, "victims": victims, "perpetrators": perpetrators, "creating": True},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    _require_write(request)
    data = request.POST if request.method == "POST" else None
    form = CaseEditForm(data, instance=case, user=request.user)
    status = 200
    if data is not None:
        if form.is_valid():
            changes = form.service_data()
            version = changes.pop("version")
            try:
                services.case_update(by=request.user, case=case, version=version, **changes)
            except services.StaleVersion as exc:
                form.add_error(
                    None,
                    _(
                        "Kasus ini telah diubah oleh pengguna lain sejak Anda membukanya "
                        "(sekarang versi %(v)s). Perubahan Anda belum disimpan: buka ulang "
                        "kasus, periksa perubahan itu, lalu isi kembali perubahan Anda."
                    )
                    % {"v": exc.current},
                )
                status = 409
            except ValidationError as exc:
                apply_service_errors(exc, form, {})
            else:
                messages.success(request, _("Perubahan kasus tersimpan."))
                return redirect("cases:detail", pk=case.pk)
        status = status if status != 200 else 400
    return render(
        request, "cases/form.html", {"form": form, "case": case, "creating": False}, status=status
    )


@require_http_methods(["GET", "POST"])
def case_stage(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    _require_write(request)
    allowed = allowed_next_stages(case.stage, may_reopen=may_reopen_cases(request.user))
    data = request.POST if request.method == "POST" else None
    form = StageForm(data, allowed=allowed)
    status = 200
    if data is not None:
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "submission_key"}
            try:
                once(
                    user=request.user,
                    key=form.one_time_key(),
                    create=lambda: services.case_record_stage(by=request.user, case=case, **data),
                )
            except ValidationError as exc:
                apply_service_errors(exc, form, {})
            else:
                messages.success(request, _("Tahap tercatat."))
                return redirect("cases:detail", pk=case.pk)
        status = 400
    return render(
        request,
        "cases/stage_form.html",
        {"form": form, "case": case, "allowed": allowed},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def involvement_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    _require_write(request)
    visible = Perpetrator.objects.visible_to(request.user).exclude(involvements__case=case)
    data = request.POST if request.method == "POST" else None
    searching = data is not None and data.get("action") == "search"
    form = PerpetratorLinkForm(data, candidates=visible)
    search = PerpetratorSearchForm(data)
    results = []
    status = 200
    if data is not None:
        q = search.cleaned_data["q"].strip() if search.is_valid() else ""
        if q:
            results = list(visible.filter(name__icontains=q)[:20])
        if searching:
            form = PerpetratorLinkForm(
                initial={"q": q}, candidates=visible.filter(pk__in=[p.pk for p in results])
            )
            status = 200 if search.is_valid() else 400
        elif form.is_valid():
            person = form.person_data()
            existing = form.cleaned_data.get("perpetrator")
            if existing:
                person = {"roles": person["roles"], "legal_status": person["legal_status"]}
            try:
                once(
                    user=request.user,
                    key=form.one_time_key(),
                    create=lambda: services.involvement_create(
                        by=request.user, case=case, perpetrator=existing, **person
                    ),
                )
            except ValidationError as exc:
                apply_service_errors(exc, form, {})
            else:
                messages.success(request, _("Pelaku ditambahkan ke kasus."))
                return redirect("cases:detail", pk=case.pk)
            status = 400
        else:
            status = 400
    return render(
        request,
        "cases/involvement_form.html",
        {"form": form, "search": search, "case": case, "results": results, "searched": searching},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def involvement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    involvement = get_object_or_404(
        Involvement.objects.visible_to(request.user).select_related("case", "perpetrator"), pk=pk
    )
    _require_write(request)
    data = request.POST if request.method == "POST" else None
    form = VerdictForm(data, instance=involvement)
    status = 200
    if data is not None:
        if form.is_valid():
            changes = dict(form.cleaned_data)
            roles = changes.pop("roles")
            version = changes.pop("version")
            try:
                services.involvement_update(
                    by=request.user,
                    involvement=involvement,
                    version=version,
                    roles=roles,
                    **changes,
                )
            except StaleVersion as exc:
                # What the user typed stays in the form; nothing was saved.
                form.add_error(None, stale_message(exc))
                status = 409
            except ValidationError as exc:
                apply_service_errors(exc, form, {})
            else:
                messages.success(request, _("Putusan dan status pelaku tersimpan."))
                return redirect("cases:detail", pk=involvement.case_id)
        status = status if status != 200 else 400
    return render(
        request,
        "cases/verdict_form.html",
        {"form": form, "involvement": involvement, "case": involvement.case},
        status=status,
    )


def perpetrator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    perpetrator = get_object_or_404(Perpetrator.objects.visible_to(request.user), pk=pk)
    return render(
        request,
        "cases/perpetrator_detail.html",
        {
            "perpetrator": perpetrator,
            "involvements": selectors.perpetrator_cases(request.user, perpetrator),
        },
    )
