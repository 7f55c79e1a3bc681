import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    # Its own migration: PostgreSQL alters no table with changes of the merge still pending.
    dependencies = [
        ("press", "0012_topics_merge_case_duplicates"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="topic",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("name"),
                name="one_topic_per_name_in_any_case",
                violation_error_message="There is a topic of this name already (capitals "
                "aside): pick it on the release instead.",
            ),
        ),
    ]
