import getpass

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from onboarding.services.setup import SetupError, setup_network


class Command(BaseCommand):
    help = _(
        "An empty installation's first step: the district forum, the home page's "
        "network, the default fields, categories and evaluation table, and the "
        "first administrator. Nothing else."
    )

    def add_arguments(self, parser):
        parser.add_argument("--district", help=_("The district forum's name"))
        parser.add_argument("--department", help=_("The organisation department"))
        parser.add_argument("--username", help=_("The first administrator's login"))
        parser.add_argument("--name", default="", help=_("His or her real name"))
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password",
            help=_("His or her password (asked for when not given)"),
        )
        parser.add_argument("--no-input", action="store_true")

    def ask(self, options, name, prompt, *, secret=False):
        value = options.get(name)
        if value:
            return value
        if options["no_input"]:
            raise CommandError(_("--%(name)s is needed.") % {"name": name})
        reader = getpass.getpass if secret else input
        return reader(prompt + ": ").strip()

    def handle(self, *args, **options):
        try:
            done = setup_network(
                district_name=self.ask(options, "district", _("District forum's name")),
                department_name=self.ask(
                    options, "department", _("Organisation department's name")
                ),
                username=self.ask(
                    options, "username", _("First administrator's login")
                ),
                password=self.ask(options, "password", _("Password"), secret=True),
                real_name=options["name"],
                email=options["email"],
            )
        except SetupError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            self.style.SUCCESS(
                _("Created %(district)s and its administrator %(user)s.")
                % {"district": done.district.title, "user": done.administrator}
            )
        )
