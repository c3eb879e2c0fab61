from django.db import migrations

# The three core conditions of peer mentoring (section 1.6) and ten more to start from. The
# study's own ten are in a chart whose labels its text does not give, so these are Hamlet's
# starting list: the administrator can rename, add, reorder or retire them.
CORE = ["Caring", "Listening", "Encouraging small steps"]
MORE = [
    "Has lived experience",
    "Trustworthy and discreet",
    "Non-judgemental",
    "Patient",
    "Approachable",
    "A positive role model",
    "Knows how the prison works",
    "Respected by residents and staff",
    "Resilient",
    "Keeps boundaries",
]


def seed(apps, schema_editor):
    Attribute = apps.get_model("evaluation", "Attribute")
    for order, name in enumerate(CORE + MORE):
        Attribute.objects.get_or_create(name=name, defaults={"order": order, "core": name in CORE})


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0008_attributes")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
