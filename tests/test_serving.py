"""A serving process compiles its templates and freezes the collector's view of what it loaded
before its first request (pcc/serving.py): full collections walk what requests create, not the
140,000 objects of the loaded site."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_loading_the_wsgi_application_compiles_the_pages_and_freezes_what_it_loaded():
    script = (
        "import gc, json\n"
        "before = gc.get_freeze_count()\n"
        "import pcc.wsgi\n"
        "from django.template import engines\n"
        "env = engines['jinja2'].env\n"
        "print(json.dumps({'before': before, 'frozen': gc.get_freeze_count(),\n"
        "                  'tracked_after': len(gc.get_objects()),\n"
        "                  'compiled': len(env.cache or {}),\n"
        "                  'templates': len(env.list_templates(\n"
        "                      filter_func=lambda n: n.endswith('.html')))}))\n"
    )
    env = {
        k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    }
    env.update(DEBUG="1")
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["before"] == 0
    assert found["frozen"] > 50_000  # Django, the site, the URLconf and the compiled templates
    assert found["tracked_after"] < found["frozen"] / 10  # a full collection walks only these
    assert found["compiled"] >= found["templates"] > 30
