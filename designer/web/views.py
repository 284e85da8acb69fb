from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render


def home(request):
    if request.user.is_authenticated:
        return redirect("projects:list")
    return render(request, "web/home.html")


def bad_request(request, exception=None):
    """A 400 that says why in a plain sentence (Django's own page gives no reason)."""
    if isinstance(exception, TooManyFieldsSent):
        reason = f"the form sent more than {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} fields"
    elif isinstance(exception, RequestDataTooBig):
        reason = f"the form's data is over {settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 2**20} MB"
    else:
        reason = "the request could not be read"
    return HttpResponseBadRequest(
        f"Bad request: {reason}.\n", content_type="text/plain; charset=utf-8"
    )
