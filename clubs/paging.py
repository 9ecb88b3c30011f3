"""What list pages read from their query string: the other parameters a page link keeps, a year."""


def query_string(request, param="page"):
    """The request's parameters without `param` (the page number): what each page link of a paginated
    list carries on, a second list's page number included."""
    params = request.GET.copy()
    params.pop(param, None)
    return params.urlencode()


def year_param(request, *, default, first, last):
    """?year= as an int within first..last; `default` for anything else (missing, not a number, outside)."""
    try:
        year = int(request.GET.get("year", default))
    except ValueError:
        return default
    return year if first <= year <= last else default
