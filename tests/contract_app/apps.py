"""A stand-in for a later app, installed only by the test settings (``tests/settings.py``).

It declares one object — ``contribution`` — and nothing else, to prove that the resident
contract is all a new app needs: its records then appear on the resident's page, the
timeline and the home page, end at departure, and are covered by subject access and
anonymisation.
"""

from django.apps import AppConfig


class ContractAppConfig(AppConfig):
    name = "tests.contract_app"
    label = "contract_app"
    contribution = "tests.contract_app.contribution.KeepsakesContribution"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from tests.contract_app import models

        for model in (models.Keepsake, models.Gathering, models.Attendee):
            auditlog.register(model)
