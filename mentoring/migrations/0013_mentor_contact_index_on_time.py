from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring", "0012_wing_core_day"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="mentorcontact",
            index=models.Index(fields=["occurred_at"], name="mentor_contact_when"),
        ),
    ]
