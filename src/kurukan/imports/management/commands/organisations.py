from django.core.management.base import BaseCommand, CommandError

from kurukan.accounts.models import Organisation
from kurukan.audit import log as audit
from kurukan.audit.models import Action


class Command(BaseCommand):
    help = (
        "Add or list organisations (a fresh database has none; an import needs one): add CODE --name NAME "
        "[--un] | list | un CODE yes|no (a UN entity: identities shared with it need the consent to share "
        "with the United Nations)"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="add an organisation")
        add.add_argument("code", help="short code, e.g. cndh")
        add.add_argument("--name", required=True, help="full name")
        add.add_argument("--short-name", default="", help="acronym shown in lists (default: the code)")
        add.add_argument(
            "--un", action="store_true", help="a United Nations entity (OHCHR, UNICEF, a mission)"
        )
        sub.add_parser("list", help="list the organisations")
        un = sub.add_parser("un", help="say whether an organisation is a United Nations entity")
        un.add_argument("code")
        un.add_argument("answer", choices=["yes", "no"])

    def handle(self, *args, **options):
        if options["action"] == "list":
            for org in Organisation.objects.order_by("code"):
                self.stdout.write(f"{org.code}\t{org.name}" + ("\tUN" if org.un_entity else ""))
            return
        if options["action"] == "un":
            found = Organisation.objects.filter(code=options["code"]).first()
            if found is None:
                raise CommandError(
                    f"no organisation with the code {options['code']} (kurukan organisations list)."
                )
            found.un_entity = options["answer"] == "yes"
            found.save(update_fields=["un_entity"])
            audit.record(Action.CHANGE, obj=found, un_entity=found.un_entity)
            self.stdout.write(f"organisation {found.code}: UN entity {options['answer']}")
            return
        code = options["code"].strip()
        if not code or not code.replace("_", "").replace("-", "").isalnum():
            raise CommandError(f"'{code}' is not a valid code: use letters, digits, - or _ (e.g. cndh).")
        if Organisation.objects.filter(code=code).exists():
            raise CommandError(
                f"an organisation with the code {code} exists already (kurukan organisations list)."
            )
        org = Organisation.objects.create(
            code=code,
            name=options["name"],
            short_name=options["short_name"] or code.upper(),
            un_entity=options["un"],
        )
        audit.record(Action.CREATE, obj=org, event="organisation_added")
        self.stdout.write(f"organisation {org.code} added: {org.name}")
