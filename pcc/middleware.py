"""Headers Django's SecurityMiddleware does not set; compression; messages made lazily."""

from collections.abc import Callable

from django.contrib.messages.middleware import MessageMiddleware as DjangoMessageMiddleware
from django.contrib.messages.storage import default_storage
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.gzip import GZipMiddleware
from django.utils.functional import SimpleLazyObject, empty

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


class MessageMiddleware(DjangoMessageMiddleware):
    """Django's MessageMiddleware, its storage made when something first asks for it: only the
    admin adds or shows messages, and making the storage (a cookie and a session store behind
    it) and saving it again on the way out cost every public page about 0.1 ms for nothing. A
    storage that was never asked for has nothing to save (Django's update() saves only what was
    used or added)."""

    def process_request(self, request: HttpRequest) -> None:
        request._messages = SimpleLazyObject(lambda: default_storage(request))  # type: ignore[attr-defined]

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        messages = getattr(request, "_messages", None)
        if isinstance(messages, SimpleLazyObject) and messages._wrapped is empty:
            return response
        return super().process_response(request, response)
