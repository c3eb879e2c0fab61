from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("residents", "0005_research_extract_permission_moves_to_evaluation"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="supportcontact",
            index=models.Index(fields=["contact_on"], name="support_contact_on"),
        ),
    ]
