"""The staff team and the peer role delivery model (issue 14), against hand-built records."""

from datetime import date

from django.urls import reverse

from evaluation import instruments
from evaluation.models import RoleDeliveryNote, StaffFilled, StaffMonth
from mentoring.models import MentoringSettings
from tests.evaluation.factories import StaffPostFactory
from tests.hamlet.factories import OrganisationFactory
from tests.mentoring.factories import PeerRoleFactory, QualificationFactory, RoleHoldingFactory, TrainingRecordFactory
from tests.residents.factories import ResidentFactory


def test_posts_filled_month_by_month_show_each_shortfall(hamlet_wing, other_wing):
    officers = StaffPostFactory(wing=hamlet_wing, title="CFO officer", funded=2)
    managers = StaffPostFactory(wing=hamlet_wing, title="Custody manager", funded=1)
    elsewhere = StaffPostFactory(wing=other_wing, title="CFO officer", funded=2)
    for month, filled in [(date(2026, 3, 1), {officers: 2, managers: 1}), (date(2026, 4, 1), {officers: 1})]:
        record = StaffMonth.objects.create(wing=hamlet_wing, month=month)
        for post, count in filled.items():
            StaffFilled.objects.create(record=record, post=post, count=count)
    other_month = StaffMonth.objects.create(wing=other_wing, month=date(2026, 3, 1))
    StaffFilled.objects.create(record=other_month, post=elsewhere, count=0)
    rows = instruments.staff_team(wing=hamlet_wing, months=[date(2026, 3, 1), date(2026, 4, 1), date(2026, 5, 1)])
    assert [(row.post.title, row.cells, row.shortfalls) for row in rows] == [
        ("CFO officer", [2, 1, None], [0, 1, 0]),
        ("Custody manager", [1, None, None], [0, 0, 0]),
    ]


def test_the_delivery_model_draws_on_the_records_and_falls_back_on_staffs_words(hamlet_wing, drake_hall):
    mentors = PeerRoleFactory(establishment=drake_hall, title="Peer mentors", is_cfo_role=True, pathway_step=2)
    PeerRoleFactory(establishment=drake_hall, title="Listeners", pathway_step=1)
    PeerRoleFactory(establishment=drake_hall, title="House reps", pathway_step=3)
    PeerRoleFactory(establishment=drake_hall, title="Retired CFO role", is_cfo_role=True, retired=True)
    holder = ResidentFactory(wing=hamlet_wing)
    RoleHoldingFactory(resident=holder, role=mentors)
    provider = OrganisationFactory(name="People Plus")
    TrainingRecordFactory(resident=holder, qualification=QualificationFactory(name="Level 2 Award in Mentoring"),
                          provider=provider)  # fmt: skip
    TrainingRecordFactory(
        resident=ResidentFactory(wing=hamlet_wing), qualification=QualificationFactory(name="Barbering")
    )
    MentoringSettings.objects.create(wing=hamlet_wing, supervision_interval_days=14)
    RoleDeliveryNote.objects.create(
        role=mentors, supervision="Weekly community meeting", training="Ignored: records say"
    )
    [row] = instruments.delivery_model(wing=hamlet_wing)
    assert (row.role, row.training_provider, row.training, row.supervision, row.progression) == (
        mentors,
        "People Plus",
        "Level 2 Award in Mentoring",
        "One-to-one supervision due every 14 days. Weekly community meeting",
        "House reps",
    )


def test_a_manager_adds_a_post_and_records_a_month(client, manager, hamlet_wing, staff_post):
    client.force_login(manager)
    url = reverse("evaluation:staff_month", args=[2025, 11])
    version = client.get(url).context["form"]["version"].value() or ""
    response = client.post(url, {f"post_{staff_post.pk}": "3", "version": version})
    assert response.status_code == 302
    assert list(StaffFilled.objects.values_list("post", "count")) == [(staff_post.pk, 3)]
    add = reverse("evaluation:staff_post_add")
    data = {"title": staff_post.title, "organisation": staff_post.organisation_id, "funded": "1", "version": ""}
    errors = client.post(add, data).context["form"].errors
    assert "The wing has this post with this organisation already" in str(errors["title"])
