"""``desist manage create_api_token USERNAME --name N``: issue an API token, shown once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from desist.accounts.models import User
from desist.api.tokens import DEFAULT_DAYS, TokenError, issue_token


class Command(BaseCommand):
    help = (
        "Create an API token for a user and print it once (only its hash is kept). "
        "Use it as 'Authorization: Bearer TOKEN' on /api/."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="Who the token acts for (their role applies).")
        parser.add_argument("--name", required=True, help="What the token is for, e.g. 'nightly'.")
        parser.add_argument(
            "--days",
            type=int,
            default=DEFAULT_DAYS,
            help=f"Days until the token expires (default {DEFAULT_DAYS}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        owner = User.objects.filter(username=options["username"]).first()
        if owner is None:
            raise CommandError(f"No user named {options['username']!r}")
        if not owner.is_active:
            raise CommandError(f"User {owner.username!r} is not active")
        try:
            row, token = issue_token(owner, options["name"], options["days"])
        except TokenError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(token)
        self.stderr.write(
            f"Token {row.name!r} for {owner.username}, expires {row.expires_on:%Y-%m-%d %H:%M} "
            "UTC. It is shown only now: keep it somewhere safe."
        )
