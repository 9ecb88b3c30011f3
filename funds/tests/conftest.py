import datetime

import pytest

from .factories import FundEntryFactory


@pytest.fixture
def funded_a(club_a):
    """club_a with 20.000.000 đ in its income fund from 01/04/2022, so loans of a few million can go out."""
    FundEntryFactory(club=club_a, amount=20_000_000, date=datetime.date(2022, 4, 1))
    return club_a
