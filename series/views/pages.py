"""The home page and the pyramid."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from ..selectors.home import home_page
from ..selectors.pyramid import pyramid_page


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "series/home.html", {"page": home_page(timezone.now())})


@require_safe
def pyramid(request: HttpRequest) -> HttpResponse:
    return render(request, "series/pyramid.html", {"page": pyramid_page()})
