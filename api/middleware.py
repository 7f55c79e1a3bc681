"""HEAD on the API answers as GET without the body (django-ninja routes GET only): the same
status, ETag, Cache-Control and CORS headers, so a client can check for a change cheaply.
Placed before ConditionalGetMiddleware, which gives the ETag of the body dropped here."""

from django.conf import settings


class HeadAsGetMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "HEAD" or not request.path.startswith(settings.API_PATH):
            return self.get_response(request)
        request.method = "GET"
        response = self.get_response(request)
        request.method = "HEAD"
        if not response.streaming:
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        return response
