from django.urls import path

from .views import pages

app_name = "series"

urlpatterns = [
    path("", pages.home, name="home"),
]
