import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

application = get_wsgi_application()

# Everything loaded so far (Django, the apps, their modules: some 130,000 objects) lives as long
# as the process. Frozen, the garbage collector no longer scans it in each full collection,
# which otherwise stops a request for 60 to 80 ms now and then (bench/README.md, make bench).
gc.freeze()
