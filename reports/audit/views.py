"""The audit pages: the identity access log and the export log, for the province only
(anyone else gets 404: the pages do not exist for them)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from . import selectors
from .forms import AccessLogFilterForm, AuditFilterForm, ExportLogFilterForm

PAGE_SIZE = 50


def _check(request: HttpRequest) -> None:
    if not selectors.may_audit(request.user):
        raise Http404


def _page(request: HttpRequest, form: AuditFilterForm, qs, template: str, **extra):
    page = Paginator(form.filter(qs), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), **extra}
    return render(request, template, context, status=400 if form.errors else 200)


def audit_home(request: HttpRequest) -> HttpResponse:
    _check(request)
    return redirect("reports:audit_access")


def audit_access(request: HttpRequest) -> HttpResponse:
    _check(request)
    form = AccessLogFilterForm(request.GET or None)
    return _page(
        request,
        form,
        selectors.access_log(),
        "reports/audit_access.html",
        alerts=selectors.recent_alerts(),
    )


def audit_exports(request: HttpRequest) -> HttpResponse:
    _check(request)
    form = ExportLogFilterForm(request.GET or None)
    return _page(request, form, selectors.export_log(), "reports/audit_exports.html")
