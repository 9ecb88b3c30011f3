"""The club list's commune filter follows the chosen former district."""
import pytest
from django.urls import reverse

from clubs.filters import COMMUNE_NOT_IN_DISTRICT
from clubs.models import Area
from clubs.tests.factories import COMMUNE_IN_A, COMMUNE_IN_B, ClubFactory, commune, district

pytestmark = pytest.mark.django_db
URL = reverse("clubs:list")


def _options(html):
    select = html[html.index('id="id_commune"'):]
    select = select[:select.index("</select>")]
    return select


def test_commune_choices_are_the_chosen_districts(officer_client):
    a = district("105")
    html = officer_client.get(URL, {"district": a.pk}).content.decode()
    options = _options(html)
    for c in Area.objects.communes().filter(parent=a):
        assert f'value="{c.pk}"' in options
    assert f'value="{commune(COMMUNE_IN_B).pk}"' not in options
    # Without a district every commune of the province is offered.
    assert f'value="{commune(COMMUNE_IN_B).pk}"' in _options(officer_client.get(URL).content.decode())


def test_a_commune_of_another_district_is_refused_next_to_the_field(officer_client):
    ClubFactory(code="A", commune=commune(COMMUNE_IN_A))
    ClubFactory(code="B", commune=commune(COMMUNE_IN_B))
    response = officer_client.get(URL, {"district": district("105").pk, "commune": commune(COMMUNE_IN_B).pk})
    html = response.content.decode()
    assert str(COMMUNE_NOT_IN_DISTRICT) in html
    # The district still applies: the list is not silently the whole province, nor the other commune.
    assert {club.code for club, *_shown in response.context["rows"]} == {"A"}


def test_changing_the_district_refreshes_the_commune_select_without_inline_script(officer_client):
    html = officer_client.get(URL).content.decode()
    district_select = html[html.index('id="id_district"') - 200:html.index('id="id_district"') + 400]
    assert 'hx-get="/clubs/"' in district_select or f'hx-get="{URL}"' in district_select
    assert 'hx-select="#id_commune"' in district_select and "onchange" not in district_select
    partial = officer_client.get(URL, {"district": district("106").pk}, headers={"HX-Request": "true"})
    options = _options(partial.content.decode())
    assert f'value="{commune(COMMUNE_IN_B).pk}"' in options and f'value="{commune(COMMUNE_IN_A).pk}"' not in options
