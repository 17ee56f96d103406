from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [("lectures", "0012_ranks")]

    operations = [
        migrations.RemoveField(model_name="traineeprofile", name="rank_text"),
    ]
