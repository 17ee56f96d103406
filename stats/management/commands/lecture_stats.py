"""`lecture_stats`: the network report for a period and subtree, as text,
JSON or a ledger workbook — the same service as the admin's 统计 pages."""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lectures.models import Category, Field, ForumLevel, ForumPage
from stats.network import network_report
from stats.paragraph import work_report_paragraph
from stats.query import ReportQuery
from stats.tables import as_text, workbook_sheets
from training_site.spreadsheets import ledger_book

FORMATS = ("text", "json", "xlsx")


def parse_date(value: str, option: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        day = None
    if day is None or not 1900 <= day.year <= 2100:
        raise CommandError(
            _("%(option)s “%(value)s” is not a date; use YYYY-MM-DD.")
            % {"option": option, "value": value}
        )
    return day


def lookup(model, slug: str, option: str):
    found = model.objects.filter(slug=slug).first()
    if found is None:
        raise CommandError(
            _("%(option)s: there is no “%(slug)s”.") % {"option": option, "slug": slug}
        )
    return found


class Command(BaseCommand):
    help = _("Statistics of the lecture network for a period and subtree.")

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", help="YYYY-MM-DD")
        parser.add_argument("--to", dest="end", help="YYYY-MM-DD")
        parser.add_argument("--forum", help=_("Slug of a forum: it and all below it"))
        parser.add_argument("--field", help=_("Slug of a field (领域)"))
        parser.add_argument("--category", help=_("Slug of a category (类别)"))
        parser.add_argument("--level", help="district | unit | village")
        parser.add_argument("--format", default="text", help=" | ".join(FORMATS))
        parser.add_argument("--output", help=_("Write to this file instead of stdout"))

    def handle(self, *args, **options):
        query = self.query(options)
        fmt = options["format"]
        if fmt not in FORMATS:
            raise CommandError(
                _("--format must be one of: %(formats)s.")
                % {"formats": ", ".join(FORMATS)}
            )
        output = options["output"]
        if fmt == "xlsx" and not output:
            raise CommandError(_("--format xlsx needs --output FILE."))
        report = network_report(query, not_reporting_limit=None)
        labels = {
            "field": query.field.name if query.field else "",
            "category": query.category.name if query.category else "",
        }
        if fmt == "xlsx":
            self.write(output, ledger_book(workbook_sheets(report, labels)))
            return
        if fmt == "json":
            text = json.dumps(report.as_dict(), ensure_ascii=False, indent=2)
        else:
            text = "\n\n".join(
                [work_report_paragraph(report.stats, labels), as_text(report)]
            )
        if output:
            self.write(output, (text + "\n").encode("utf-8"))
        else:
            self.stdout.write(text)

    def query(self, options) -> ReportQuery:
        start = parse_date(options["start"], "--from") if options["start"] else None
        end = parse_date(options["end"], "--to") if options["end"] else None
        if start and end and start > end:
            raise CommandError(_("--from must not be after --to."))
        forum = None
        if options["forum"]:
            forum = ForumPage.objects.live().filter(slug=options["forum"]).first()
            if forum is None:
                raise CommandError(
                    _("There is no forum “%(slug)s”.") % {"slug": options["forum"]}
                )
        level = options["level"]
        if level and level not in ForumLevel.values:
            raise CommandError(
                _("--level must be one of: %(levels)s.")
                % {"levels": ", ".join(ForumLevel.values)}
            )
        return ReportQuery(
            start=start,
            end=end,
            forum=forum,
            field=lookup(Field, options["field"], "--field")
            if options["field"]
            else None,
            category=lookup(Category, options["category"], "--category")
            if options["category"]
            else None,
            level=level or None,
        )

    def write(self, path: str, body: bytes) -> None:
        try:
            with open(path, "wb") as handle:
                handle.write(body)
        except OSError as error:
            raise CommandError(
                _("Cannot write %(path)s: %(error)s")
                % {"path": path, "error": error.strerror or error}
            ) from error
