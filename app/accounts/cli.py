"""`flask create-admin`: the first system administrator, created by the system."""
from __future__ import annotations

import click

from app.accounts.services.auth import LoginFields, create_user
from app.accounts.services.grants import grant_role
from app.accounts.services.people import PersonFields, create_person
from app.core.audit import SYSTEM
from app.core.cli import system_command
from app.core.permissions import Role


@click.command("create-admin")
@click.option("--name", required=True, help="The administrator's real name.")
@click.option("--username", required=True)
@click.option("--email", default=None)
@click.password_option()
@system_command
def create_admin_command(name: str, username: str, email: str | None, password: str) -> None:
    """Create a system administrator."""
    person = create_person(PersonFields(full_name=name, email=email), actor=SYSTEM)
    user = create_user(person, LoginFields(username=username, email=email, password=password), actor=SYSTEM)
    grant_role(user, Role.ADMIN, None, None, actor=SYSTEM)
    click.echo(f"administrator {user.login_name} created (user id {user.id})")


COMMANDS = [create_admin_command]
