from io import StringIO

from django.core.management import call_command


def test_the_command_lists_records_due_without_names(resident, long_gone_resident):
    out = StringIO()
    call_command("residents_due_for_anonymisation", stdout=out)
    text = out.getvalue()
    assert ": 1" in text
    assert f"record {long_gone_resident.pk}" in text
    assert f"record {resident.pk}" not in text
    assert "Verity" not in text
    assert "A0001AA" not in text


def test_the_retention_period_comes_from_the_setting(settings, long_gone_resident):
    settings.HAMLET_RETENTION_YEARS = 10
    out = StringIO()
    call_command("residents_due_for_anonymisation", stdout=out)
    assert ": 0" in out.getvalue()


def test_the_retention_page_does_not_grow_its_queries_with_records(
    client, manager, long_gone_resident, django_assert_max_num_queries
):
    from datetime import timedelta

    from tests.residents.factories import ResidentFactory

    client.force_login(manager)
    with django_assert_max_num_queries(20) as one:
        client.get("/residents/retention/")
    for n in range(20):
        ResidentFactory(
            wing=long_gone_resident.wing,
            arrived_on=long_gone_resident.arrived_on,
            departed_on=long_gone_resident.departed_on - timedelta(days=n),
            departure_reason="released",
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get("/residents/retention/")
    assert response.content.decode().count("Anonymise<span") == 21
