import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pcc.settings")
# This process serves requests: database statements and answers are time-limited (settings).
os.environ.setdefault("PCC_SERVING", "1")
application = get_asgi_application()

# Templates compiled and the collector's view of what is loaded frozen (pcc/serving.py).
from pcc.serving import warm_and_freeze  # noqa: E402

warm_and_freeze()
