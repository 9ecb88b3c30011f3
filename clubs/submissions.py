"""One record per form, however often it is sent (double click, resend after a slow answer, back
button). The form carries a one-time token; the view runs in one transaction with the token's row,
so a second request with the same token waits for the first and then redirects to its result.

Used by every view that creates money rows, report versions or imports: the view must answer a
successful POST with a redirect to what it made (the usual Post/Redirect/Get)."""
import uuid
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .records import SubmissionToken

FIELD = "submission_token"
ALREADY_SENT = _("Biểu mẫu này đã được gửi rồi: đây là kết quả của lần gửi đầu, không có gì được ghi thêm.")


def token_input():
    """The hidden field, a fresh token at every rendering (also when a form comes back with errors)."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, uuid.uuid4())


def _posted_token(request):
    try:
        return uuid.UUID(request.POST.get(FIELD, ""))
    except ValueError:
        return None


def once_per_submission(view):
    """Run `view` at most once per token. A POST without a token (scripts, older pages) runs as usual."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        token = _posted_token(request) if request.method == "POST" else None
        if token is None:
            return view(request, *args, **kwargs)
        with transaction.atomic():
            try:
                # The unique index makes a concurrent duplicate wait here until the first commits.
                with transaction.atomic():
                    claim = SubmissionToken.objects.create(token=token, user=request.user, path=request.path[:300])
            except IntegrityError:
                first = SubmissionToken.objects.filter(token=token, user=request.user).first()
                if first is None:  # someone else's token: never show another person's result
                    raise PermissionDenied from None
                messages.info(request, ALREADY_SENT)
                return redirect(first.result_url)
            response = view(request, *args, **kwargs)
            if response.status_code in (301, 302, 303) and response.has_header("Location"):
                claim.result_url = response["Location"][:300]
                claim.save(update_fields=["result_url"])
            else:
                # The form came back with errors: nothing was written, the corrected form may be sent.
                claim.delete()
            return response

    return wrapper
