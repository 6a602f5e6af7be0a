"""Headers Django's SecurityMiddleware does not set."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.gzip import GZipMiddleware

# The site uses none of these browser features; saying so closes them to injected content too.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class CompressionMiddleware(GZipMiddleware):
    """Django's GZipMiddleware (HTML, JSON, CSV, iCal, feeds: anything a view answers) except the
    admin: its pages carry a CSRF token next to what an editor typed, the combination BREACH reads
    through compression; the public site has neither. Static files never reach it (WhiteNoise,
    above it, answers them with its own pre-compressed copies), and pages from the page cache come
    already compressed (pcc/cache.py keeps a gzip copy beside each page), so it skips those."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if request.path.startswith("/admin/"):
            return response
        return super().process_response(request, response)
