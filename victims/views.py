"""Victim pages: pseudonymous codes everywhere; the identity only on a POST by a role
allowed to see it, through `identity_read`, which writes the access log."""

from __future__ import annotations

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from agencies.scoping import (
    case_scope,
    case_write_scope,
    may_answer_referral,
    may_see_records,
    may_write,
    sees_everything,
)
from audit.models import IdentityAccess
from core.http import client_ip
from core.idempotency import once

from . import services
from .codes import ServiceStatus
from .forms import IdentityEraseForm, ReferralAnswerForm, ServiceForm, VictimPageFilter
from .models import DuplicateCandidate, Victim, VictimIdentity, VictimService

PAGE_SIZE = 25
ACCESS_LOG_SIZE = 10
WEB_CHANNEL = "web"


def referral_case_facts(case) -> list[tuple[str, object]]:
    """What a referred agency learns of the case to deliver the service: no narrative, no
    other victim, no perpetrator, no timeline."""
    return [
        (_("Nomor register"), case.register_no),
        (_("Kabupaten/kota kejadian"), case.regency),
        (_("Tanggal laporan"), case.reported_on),
        (
            _("Jenis eksploitasi"),
            ", ".join(case.exploitation_types) or "—",
        ),
        (_("Lintas negara"), case.transnational),
        (_("Negara tujuan"), case.destination_country or "—"),
    ]


def _visible_victim(request: HttpRequest, pk: int) -> Victim:
    return get_object_or_404(
        Victim.objects.visible_to(request.user).select_related(
            "home_regency", "identifying_agency"
        ),
        pk=pk,
    )


def victim_list(request: HttpRequest) -> HttpResponse:
    if not may_see_records(request.user):
        raise PermissionDenied  # analysts see aggregates only
    filterset = VictimPageFilter(
        request.GET or None,
        queryset=Victim.objects.visible_to(request.user)
        .select_related("home_regency")
        .order_by("-id"),
        request=request,
    )
    form = filterset.form
    qs = filterset.rows
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "victims/list.html", {"form": form, "page": page, "query": query.urlencode()}
    )


def _detail(request: HttpRequest, victim: Victim, *, revealed: bool = False, identity=None):
    user = request.user
    links = (
        victim.case_links.filter(case_scope(user, "case__"))
        .select_related("case__regency")
        .order_by("-case__reported_on")
    )
    links = list(links)
    services_seen = list(
        VictimService.objects.visible_to(user)
        .filter(victim=victim)
        .select_related("case", "provider_agency", "referring_agency")
    )
    may_identify = services.may_read_identity(user, victim)
    response = render(
        request,
        "victims/detail.html",
        {
            "victim": victim,
            "links": links,
            # Cases the user sees whole; a referred agency sees the referral, not the case.
            "case_ids": {link.case_id for link in links},
            "services": services_seen,
            "answerable": {
                s.pk
                for s in services_seen
                if s.status == ServiceStatus.DIRUJUK and may_answer_referral(user, s)
            },
            "consents": victim.consents.all(),
            "may_identify": may_identify,
            "may_write": may_write(user) and bool(links),
            "may_erase": sees_everything(user),
            "identity": identity,
            "revealed": revealed,
            "access_log": (
                IdentityAccess.objects.filter(victim=victim).select_related("user__agency")[
                    :ACCESS_LOG_SIZE
                ]
                if may_identify
                else []
            ),
        },
    )
    return response


def duplicate_list(request: HttpRequest) -> HttpResponse:
    """The duplicate candidates (same NIK across scopes): the province's review queue;
    anyone else gets 404, as if the page did not exist."""
    if not sees_everything(request.user):
        raise Http404
    qs = DuplicateCandidate.objects.visible_to(request.user).select_related(
        "existing_victim", "new_victim"
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "victims/duplicates.html", {"page": page, "query": ""})


def victim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _visible_victim(request, pk))


@require_POST
def identity_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    victim = _visible_victim(request, pk)
    # Checks the rule (404 for analysts and outsiders alike) and logs the read.
    identity = services.identity_read(
        user=request.user,
        victim=victim,
        channel=WEB_CHANNEL,
        ip_address=client_ip(request),
    )
    response = _detail(request, victim, revealed=True, identity=identity)
    add_never_cache_headers(response)  # an identity must not stay in any cache
    return response


@require_http_methods(["GET", "POST"])
def service_create(request: HttpRequest, pk: int) -> HttpResponse:
    victim = _visible_victim(request, pk)
    # Named by string: victims does not import cases.
    cases = apps.get_model("cases", "Case").objects.filter(
        case_write_scope(request.user), victim_links__victim=victim
    )
    if not cases.exists():  # a read-only role, or a referred agency: no onward referral
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = ServiceForm(data, cases=cases, initial={"provider_agency": request.user.agency_id})
    status = 200
    if data is not None:
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "submission_key"}
            try:
                # A resend of the form makes no second referral (core.idempotency).
                once(
                    user=request.user,
                    key=form.one_time_key(),
                    create=lambda: services.service_create(by=request.user, victim=victim, **data),
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for e in errors:
                        form.add_error(field if field in form.fields else None, e)
            else:
                messages.success(request, _("Layanan/rujukan tercatat."))
                return redirect("victims:detail", pk=victim.pk)
        status = 400
    return render(
        request, "victims/service_form.html", {"form": form, "victim": victim}, status=status
    )


@require_http_methods(["GET", "POST"])
def referral_answer(request: HttpRequest, pk: int) -> HttpResponse:
    service = get_object_or_404(
        VictimService.objects.visible_to(request.user).select_related(
            "victim", "case__regency", "provider_agency", "referring_agency"
        ),
        pk=pk,
    )
    if not may_answer_referral(request.user, service):
        raise PermissionDenied  # only the receiving agency (or the province) answers
    data = request.POST if request.method == "POST" else None
    form = ReferralAnswerForm(data)
    status = 200
    if data is not None:
        if form.is_valid():
            try:
                services.service_transition(
                    by=request.user,
                    service=service,
                    status=form.cleaned_data["decision"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                for errors in exc.message_dict.values():
                    for e in errors:
                        form.add_error(None, e)
            else:
                messages.success(request, _("Jawaban rujukan tersimpan."))
                return redirect("victims:detail", pk=service.victim_id)
        status = 400
    return render(
        request,
        "victims/referral_answer.html",
        {
            "form": form,
            "service": service,
            "case_facts": referral_case_facts(service.case),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def identity_erase(request: HttpRequest, pk: int) -> HttpResponse:
    """Erase a victim's identity on a lawful request (UU 27/2022): the province only. The
    statistical record stays; the erasure and its reference go to the audit."""
    victim = _visible_victim(request, pk)
    if not sees_everything(request.user):
        raise PermissionDenied
    # Read without decrypting anything: only whether it was erased already.
    erased_at = (
        VictimIdentity.objects.filter(victim=victim).values_list("erased_at", flat=True).first()
    )
    form = IdentityEraseForm(request.POST or None, victim=victim)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.identity_erase(
                    by=request.user,
                    victim=victim,
                    reference=form.cleaned_data["reference"],
                    ip_address=client_ip(request),
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for e in errors:
                        form.add_error(field if field in form.fields else None, e)
            else:
                messages.success(
                    request,
                    _("Identitas korban %(code)s telah dihapus. Data statistik tetap.")
                    % {"code": victim.code},
                )
                return redirect("victims:detail", pk=victim.pk)
        status = 400
    return render(
        request,
        "victims/identity_erase.html",
        {"form": form, "victim": victim, "erased_at": erased_at},
        status=status,
    )
