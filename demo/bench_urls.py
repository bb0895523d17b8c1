"""The benchmark's URL conf: the app's, with the yardstick admin sites in front (demo/yardstick.py).

Used only by `manage.py bench` (override_settings(ROOT_URLCONF="demo.bench_urls")); never by the app.
"""

from alis.urls import urlpatterns as app_urlpatterns
from demo import yardstick

urlpatterns = [*yardstick.urlpatterns(), *app_urlpatterns]
