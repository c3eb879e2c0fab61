from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from tests.hamlet.factories import EstablishmentFactory, WingFactory


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["dhi", "DH", "DHIX", "D1I", ""])
def test_a_nomis_code_must_be_three_capital_letters(code):
    establishment = EstablishmentFactory.build(nomis_code=code)
    with pytest.raises(ValidationError) as error:
        establishment.full_clean()
    assert "nomis_code" in error.value.message_dict


@pytest.mark.django_db
def test_a_wing_cannot_be_funded_until_before_its_pilot_started(drake_hall):
    with pytest.raises(IntegrityError):
        WingFactory(establishment=drake_hall, pilot_start=date(2025, 9, 1), funded_until=date(2025, 8, 31))


def test_a_wings_aims_are_read_one_per_line(hamlet_wing):
    hamlet_wing.aims = "First aim\n\n  Second aim  \n"
    assert hamlet_wing.aim_list == ["First aim", "Second aim"]


def test_wing_names_are_unique_within_an_establishment(hamlet_wing):
    with pytest.raises(IntegrityError):
        WingFactory(establishment=hamlet_wing.establishment, name=hamlet_wing.name)
