"""Hamlet's URLs and, under the benchmark's settings only, ``/bench/hello/``: the least a
signed-in page can cost (session, authentication, two-factor, session limits, CSP,
audit address…), so that every page's throughput can be read as a share of it; and
``/bench/layout/``, a page with nothing on it but Hamlet's layout (header, navigation, wing,
footer), the least any of Hamlet's own pages can cost."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from hamlet.urls import urlpatterns as hamlet_urlpatterns


@require_GET
def hello(request):
    return HttpResponse(f"Hello, {request.user.get_username()}", content_type="text/plain")


@require_GET
def layout(request):
    return render(request, "bench/layout.html")


urlpatterns = [
    *hamlet_urlpatterns,
    path("bench/hello/", hello, name="bench_hello"),
    path("bench/layout/", layout, name="bench_layout"),
]
