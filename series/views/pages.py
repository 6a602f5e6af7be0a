"""The home page and the pyramid."""

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from pcc.cache import page_cache

from ..selectors.home import home_page
from ..selectors.pyramid import pyramid_page
from .rendering import render_page


@page_cache()
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render_page(request, "series/home.html", {"page": home_page(timezone.now())})


@page_cache()
@require_safe
def pyramid(request: HttpRequest) -> HttpResponse:
    return render_page(request, "series/pyramid.html", {"page": pyramid_page()})
