from django.conf import settings
from django.http import HttpRequest

from pcc.reversing import page_addresses


def site(request: HttpRequest) -> dict:
    # Once per page: the addresses it prints are of this URLconf and prefix (pcc/reversing.py).
    page_addresses()
    return {"SITE_NAME": settings.SITE_NAME, "SITE_TAGLINE": settings.SITE_TAGLINE}
