"""Ranks become a controlled list; a trainee's free-text rank moves to it.

The five default ranks (with the yearly quotas of 《干部教育培训工作条例》)
are created, then each trainee's old text is mapped: a default's own name,
or a common name for one (正科 → 乡科级正职, 一级科员 → 一般干部, …, the table
below). Any other text becomes a rank of its own at the end of the list, with
the default quota, so nothing is lost: the district renames, merges (edit the
trainees, delete the rank) or sets its quota afterwards. The old column goes
in the next migration (PostgreSQL will not drop a column of rows changed in
the same transaction).
"""

from decimal import Decimal

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models

DEFAULT_RANKS = (
    ("县处级", Decimal("110"), 10),
    ("乡科级正职", Decimal("90"), 20),
    ("乡科级副职", Decimal("90"), 30),
    ("一般干部", Decimal("90"), 40),
    ("村（社区）干部", Decimal("90"), 50),
)

# Names in use for the default ranks (职务层次 and the 职级 equivalent to
# them since the 2019 职务与职级并行 rules).
ALIASES = {
    "县处级": ("县处级正职", "县处级副职", "处级", "正处", "副处", "正处级", "副处级",
              "一级调研员", "二级调研员", "三级调研员", "四级调研员"),
    "乡科级正职": ("正科", "正科级", "科级正职", "一级主任科员", "二级主任科员"),
    "乡科级副职": ("副科", "副科级", "科级副职", "三级主任科员", "四级主任科员"),
    "一般干部": ("科员", "一级科员", "二级科员", "办事员", "一般", "工作人员"),
    "村（社区）干部": ("村干部", "社区干部", "村（社区）干部", "村(社区)干部"),
}

RANK_PERMISSIONS = ("add_rank", "change_rank")


def create_and_map(apps, schema_editor):
    Rank = apps.get_model("lectures", "Rank")
    TraineeProfile = apps.get_model("lectures", "TraineeProfile")
    ranks = {}
    for name, hours, order in DEFAULT_RANKS:
        ranks[name] = Rank.objects.create(
            name=name, yearly_hours=hours, sort_order=order
        )
    for name, aliases in ALIASES.items():
        for alias in aliases:
            ranks.setdefault(alias, ranks[name])
    texts = (
        TraineeProfile.objects.exclude(rank_text="")
        .values_list("rank_text", flat=True)
        .distinct()
    )
    order = 100
    for text in sorted(texts):
        rank = ranks.get(text.strip())
        if rank is None:
            order += 1
            rank = ranks[text.strip()] = Rank.objects.create(
                name=text.strip()[:50], sort_order=order
            )
        TraineeProfile.objects.filter(rank_text=text).update(rank=rank)
    _grant_to_district(apps)


def _grant_to_district(apps):
    """The district's administrators keep the list (as `lectures.services.
    groups.DISTRICT_MODEL_PERMISSIONS` grants to forums provisioned later)."""
    from django.contrib.auth.management import create_permissions

    config = apps.get_app_config("lectures")
    # The migration's app stub has no models module; the permissions are
    # otherwise made only after every migration has run.
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    ForumPage = apps.get_model("lectures", "ForumPage")
    Group = apps.get_model("auth", "Group")
    permissions = list(
        Permission.objects.filter(
            content_type__app_label="lectures", codename__in=RANK_PERMISSIONS
        )
    )
    groups = Group.objects.filter(
        pk__in=ForumPage.objects.filter(level="district")
        .exclude(admin_group=None)
        .values("admin_group_id")
    )
    for group in groups:
        group.permissions.add(*permissions)


def unmap(apps, schema_editor):
    TraineeProfile = apps.get_model("lectures", "TraineeProfile")
    for profile in TraineeProfile.objects.exclude(rank=None).select_related("rank"):
        profile.rank_text = profile.rank.name
        profile.save(update_fields=["rank_text"])


class Migration(migrations.Migration):

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("lectures", "0011_founding_and_first_password"),
    ]

    operations = [
        migrations.CreateModel(
            name="Rank",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=50, unique=True, verbose_name="name")),
                ("sort_order", models.PositiveSmallIntegerField(default=100, verbose_name="sort order")),
                ("yearly_hours", models.DecimalField(decimal_places=1, default=Decimal("90"), help_text="How many study hours (学时) a cadre of this rank earns a year", max_digits=5, validators=[django.core.validators.MinValueValidator(0)], verbose_name="yearly study-hours quota")),
            ],
            options={
                "verbose_name": "rank",
                "verbose_name_plural": "ranks",
                "ordering": ["sort_order", "pk"],
            },
        ),
        migrations.RenameField(
            model_name="traineeprofile", old_name="rank", new_name="rank_text"
        ),
        migrations.AddField(
            model_name="traineeprofile",
            name="rank",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="trainees", to="lectures.rank", verbose_name="rank"),
        ),
        migrations.RunPython(create_and_map, unmap),
    ]
