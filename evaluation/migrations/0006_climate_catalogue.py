from django.db import migrations

# The study's indicators (section 1.5.5); the administrator can add, reorder or retire them.
INDICATORS = ["Self-harm incidents", "Fights and violence", "Adjudications", "Use of force", "Complaints", "Other"]


def seed(apps, schema_editor):
    ClimateIndicator = apps.get_model("evaluation", "ClimateIndicator")
    for order, name in enumerate(INDICATORS):
        ClimateIndicator.objects.get_or_create(name=name, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0005_social_climate")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
