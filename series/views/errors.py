from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Rendered without the request: a bad Host header (DisallowedHost) lands here, and anything
    # asking the request for its host (og:url in base.html) would raise again and turn the 400
    # into a 500.
    from django.template import loader

    from ..context_processors import site

    page = loader.get_template("400.html").render(site(request))
    return HttpResponse(page, status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors that touch the database: this page must render when it is down.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)
