from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.utils.cache import add_never_cache_headers


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Pages speak Bahasa Indonesia unless the user chose English with the switch (a
    cookie); the browser's Accept-Language does not override that. The API follows
    Accept-Language, as unit systems ask for it per request."""

    def process_request(self, request):
        if request.path_info.startswith("/api/"):
            return super().process_request(request)
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class PrivateResponseMiddleware:
    """Every page and API answer may carry personal data (a victim's identity, a case's
    story), so none may be kept by a browser or a proxy: `Cache-Control: no-store` unless
    the view chose its caching itself. Static files are served before this runs.

    And one opener policy for all: drf-spectacular relaxes it to `unsafe-none` on the API
    docs for OAuth2 pop-ups, which this system does not use.

    And a Permissions-Policy switching off the browser features no page uses (camera,
    microphone, location, ...: `PERMISSIONS_POLICY`), so an injected script could not ask
    for them either."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
            response.headers["Cross-Origin-Opener-Policy"] = (
                settings.SECURE_CROSS_ORIGIN_OPENER_POLICY
            )
        if settings.PERMISSIONS_POLICY and not response.has_header("Permissions-Policy"):
            response.headers["Permissions-Policy"] = permissions_policy()
        return response


def permissions_policy() -> str:
    """`PERMISSIONS_POLICY` ({feature: [origins]}) as the header's value."""
    return ", ".join(
        f"{feature}=({' '.join(origins)})"
        for feature, origins in settings.PERMISSIONS_POLICY.items()
    )
