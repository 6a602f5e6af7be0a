from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "pcc editors"
admin.site.site_title = "pcc editors"
admin.site.index_title = "The record"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("series.urls")),
]

handler404 = "series.views.errors.not_found"
handler500 = "series.views.errors.server_error"
handler400 = "series.views.errors.bad_request"
