"""The officer's page of API tokens: make one for a staff account (the key is shown once), revoke one."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clubs.access import officer_or_404
from clubs.fields import add_service_errors
from clubs.paging import query_string

from . import services
from .forms import TokenForm
from .models import ApiToken

TOKENS_PER_PAGE = 50


def token_list(request):
    officer_or_404(request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, key = services.token_create(user=form.cleaned_data["user"], name=form.cleaned_data["name"],
                                               actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            # Rendered, not redirected: the key is stored nowhere, so this response is its only copy.
            response = render(request, "api/token_created.html", {
                "token": token, "key": key, "base": request.build_absolute_uri(reverse("api:tokens"))[:-len("tokens/")]})
            response["Cache-Control"] = "no-store"
            return response
    tokens = ApiToken.objects.select_related("user__staff__district", "created_by", "revoked_by")
    page = Paginator(tokens, TOKENS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "api/token_list.html", {
        "form": form, "tokens": page.object_list, "page": page, "query_string": query_string(request)})


@require_POST
def token_revoke(request, pk):
    officer_or_404(request)
    token = get_object_or_404(ApiToken, pk=pk)
    try:
        services.token_revoke(token=token, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã thu hồi mã %(name)s (%(prefix)s…).") % {"name": token.name, "prefix": token.prefix})
    return redirect("api:tokens")
