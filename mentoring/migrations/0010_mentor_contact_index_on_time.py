from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring", "0009_peer_roles_and_qualifications_can_be_retired"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="mentorcontact",
            index=models.Index(fields=["occurred_at"], name="mentor_contact_when"),
        ),
    ]
