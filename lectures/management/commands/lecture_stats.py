import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lectures.models import ForumPage
from lectures.services.stats import network_stats, work_report_paragraph


def parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(
            _("“%(value)s” is not a date; use YYYY-MM-DD.") % {"value": value}
        ) from error


class Command(BaseCommand):
    help = _("Statistics of the lecture network for a period and subtree.")

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", help="YYYY-MM-DD")
        parser.add_argument("--to", dest="end", help="YYYY-MM-DD")
        parser.add_argument("--forum", help=_("Slug of a forum: it and all below it"))
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--output", help=_("Write to this file instead of stdout"))

    def handle(self, *args, start, end, forum, format, output, **options):
        start = parse_date(start) if start else None
        end = parse_date(end) if end else None
        if start and end and start > end:
            raise CommandError(_("--from must not be after --to."))
        scope = None
        if forum:
            scope = ForumPage.objects.live().filter(slug=forum).first()
            if scope is None:
                raise CommandError(_("There is no forum “%(slug)s”.") % {"slug": forum})
        stats = network_stats(start, end, scope)
        if format == "json":
            text = json.dumps(stats.as_dict(), ensure_ascii=False, indent=2)
        else:
            text = self._text(stats)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
        else:
            self.stdout.write(text)

    def _text(self, stats) -> str:
        lines = [
            work_report_paragraph(stats),
            "",
            _("Period: %(from)s – %(to)s") % stats.period,
            _("Sessions held: %(n)d") % {"n": stats.sessions_held},
            _("Sessions cancelled: %(n)d") % {"n": stats.sessions_cancelled},
            _("Sessions postponed: %(n)d") % {"n": stats.sessions_postponed},
            _("Person-times: %(n)d") % {"n": stats.participants},
            _("Study hours offered by held sessions: %(n)s")
            % {"n": stats.study_hours_offered},
        ]
        return "\n".join(lines)
