import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "designer.settings")
application = get_wsgi_application()

# A request makes tens of thousands of short-lived objects (forms, findings, pydantic models);
# at Python's default threshold (700) the collector runs many times per request and, now and
# then, walks the whole heap. The objects of the loaded application are frozen out of its
# walks, and it runs after 20,000 new objects: fewer, cheaper collections, a shorter tail.
GC_FIRST_GENERATION_THRESHOLD = 20_000
gc.collect()
gc.freeze()
gc.set_threshold(GC_FIRST_GENERATION_THRESHOLD, *gc.get_threshold()[1:])
