"""Reading the one-time token out of a rendered form, as the browser would send it back."""
import re

from clubs.submissions import FIELD


def token_from(response, form_action=None):
    """The token of the page's form (the form posting to `form_action` when the page has several)."""
    html = response.content.decode()
    if form_action:
        html = html[html.index(f'action="{form_action}"'):]
    return re.search(rf'name="{FIELD}" value="([0-9a-f-]{{36}})"', html).group(1)


def post_twice(client, url, data, token):
    """The same form sent twice, as a double click does: both responses."""
    data = {**data, FIELD: token}
    return client.post(url, data), client.post(url, data, follow=True)
