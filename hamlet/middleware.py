from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """Pages carry data about prisoners and staff: no browser or proxy may keep a copy,
    which matters on a shared office PC. Static files never reach this (whitenoise
    answers them first) and keep their long cache lifetimes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response
