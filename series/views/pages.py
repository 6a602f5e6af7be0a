from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..models import Series


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    series = Series.objects.real().order_by("tier", "name")
    return render(request, "series/home.html", {"series_list": series})


@require_GET
def pyramid(request: HttpRequest) -> HttpResponse:
    series = Series.objects.real().order_by("tier", "name")
    return render(request, "series/home.html", {"series_list": series})
