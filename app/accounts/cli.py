"""`flask create-admin`: the first system administrator."""
from __future__ import annotations

import click
from flask import Flask

from app.accounts.services.auth import LoginFields, create_user
from app.accounts.services.grants import grant_role
from app.accounts.services.people import PersonFields, create_person
from app.core.errors import DomainError
from app.core.permissions import Role
from app.extensions import db


@click.command("create-admin")
@click.option("--name", required=True, help="The administrator's real name.")
@click.option("--username", required=True)
@click.option("--email", default=None)
@click.password_option()
def create_admin_command(name: str, username: str, email: str | None, password: str) -> None:
    """Create a system administrator."""
    try:
        person = create_person(PersonFields(full_name=name, email=email), commit=False)
        user = create_user(person, LoginFields(username=username, email=email, password=password), commit=False)
        db.session.flush()
        grant_role(user, Role.ADMIN, None, None, actor=None)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    click.echo(f"administrator {user.login_name} created (user id {user.id})")


def register(app: Flask) -> None:
    app.cli.add_command(create_admin_command)
