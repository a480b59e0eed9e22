"""Pages: summaries (list, one, downloads) and the units' monthly returns. Thin: reads come
from selectors, writes from services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from agencies.scoping import may_see_records, role_of
from audit.models import ExportChannel, ExportKind
from audit.services import export_record
from core.http import client_ip
from core.idempotency import once
from core.periods import format_period, month_start, parse_period, previous_month

from .exports import filename, summary_csv, summary_pdf, summary_rows, summary_xlsx
from .forms import SummaryFilterForm, UnitReturnForm
from .models import MonthlySummary, SummaryVersion, UnitReturn
from .presentation import chart_data, describe, legend, sections
from .selectors import reporting_grid, summaries_visible_to, summary_access
from .services import may_file_returns, unit_return_file

DOWNLOADS = {
    "csv": (summary_csv, "text/csv; charset=utf-8"),
    "xlsx": (
        summary_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "pdf": (summary_pdf, "application/pdf"),
}


def summary_for(user, pk: int) -> MonthlySummary:
    """A summary the user may open: 404 whether it is missing, of another regency, or an
    internal version the user may not read."""
    summary = MonthlySummary.objects.filter(summary_access(user), pk=pk).select_related("regency")
    summary = summary.first()
    if summary is None:
        raise Http404
    return summary


def summary_list(request):
    form = SummaryFilterForm(request.GET or None)
    period = None
    if form.is_valid() and form.cleaned_data["periode"]:
        try:
            period = parse_period(form.cleaned_data["periode"], field="periode")
        except ValidationError as exc:
            form.add_error("periode", exc.message_dict["periode"])
    summaries = summaries_visible_to(request.user, period=period).order_by("-period", "regency_id")
    return render(
        request,
        "reports/summary_list.html",
        {"form": form, "summaries": summaries[:400]},
    )


def summary_detail(request, pk: int):
    summary = summary_for(request.user, pk)
    sibling = None
    if summary.is_internal:
        sibling = MonthlySummary.objects.filter(
            summary_access(request.user),
            period=summary.period,
            regency_id=summary.regency_id,
            version=SummaryVersion.PUBLISHED,
        ).first()
    tables = describe(summary)
    return render(
        request,
        "reports/summary_detail.html",
        {
            "summary": summary,
            "sections": sections(tables),
            "charts": chart_data(tables),
            "legend": legend(summary),
            "published": sibling,
        },
    )


def summary_download(request, pk: int, fmt: str):
    if fmt not in DOWNLOADS:
        raise Http404
    summary = summary_for(request.user, pk)
    render_file, content_type = DOWNLOADS[fmt]
    body = render_file(summary)
    # Logged before the file leaves; if the log cannot be written, the file does not go.
    export_record(
        by=request.user,
        kind=ExportKind.SUMMARY,
        fmt=fmt,
        channel=ExportChannel.WEB,
        summary=summary,
        row_count=summary_rows(summary),
        ip_address=client_ip(request),
    )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename(summary, fmt)}"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def return_list(request):
    user = request.user
    if not may_see_records(user):
        raise PermissionDenied  # returns carry free-text notes: not for aggregate-only roles
    may_file = may_file_returns(user)
    if request.method == "POST":
        if not may_file:
            raise PermissionDenied
        form = UnitReturnForm(request.POST)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "submission_key"}
            try:
                filed, _created = once(
                    user=user,
                    key=form.one_time_key(),
                    create=lambda: unit_return_file(by=user, **data),
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request,
                    _("Laporan bulanan %(p)s tersimpan.") % {"p": format_period(filed.period)},
                )
                return redirect("reports:return_list")
    else:
        last = previous_month(month_start(timezone.localdate()))
        form = UnitReturnForm(initial={"period": format_period(last)})
    returns = UnitReturn.objects.visible_to(user).select_related("agency", "filed_by")
    return render(
        request,
        "reports/return_list.html",
        {
            "form": form if may_file else None,
            "returns": returns[:200],
            "grid": reporting_grid(user) if role_of(user) else None,
        },
        status=400 if request.method == "POST" else 200,
    )
