"""What a request says about where it came from."""

from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from, for the audit records.

    The one place that reads it: behind a proxy this is where the proxy's forwarded
    address would be read (the proxy is on the web container's own network)."""
    return request.META.get("REMOTE_ADDR") or None
