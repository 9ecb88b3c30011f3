"""The CSRF failure page (CSRF_FAILURE_VIEW): in the app's layout, telling the user to reload."""
from django.shortcuts import render


def csrf_failure(request, reason=""):
    # The reason is for developers (it names tokens and cookies); the log has it, the user does not.
    return render(request, "403_csrf.html", status=403)
