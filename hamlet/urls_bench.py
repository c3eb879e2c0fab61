"""Hamlet's URLs and, under the benchmark's settings only, ``/bench/hello/``: the least a
signed-in page can cost (session, authentication, two-factor, session limits, CSP,
audit address…), so that every page's throughput can be read as a share of it."""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_GET

from hamlet.urls import urlpatterns as hamlet_urlpatterns


@require_GET
def hello(request):
    return HttpResponse(f"Hello, {request.user.get_username()}", content_type="text/plain")


urlpatterns = [*hamlet_urlpatterns, path("bench/hello/", hello, name="bench_hello")]
