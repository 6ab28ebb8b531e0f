"""Keeping an upload from its preview to its confirmation: in the database, once, by its
owner, for an hour, on whichever host the confirmation lands."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_login import login_user
from sqlalchemy import func, select, update

from app import create_app
from app.core import uploads
from app.core.errors import InvalidInput
from tests import support
from tests.factories import UserFactory


def kept(db) -> int:
    return db.session.scalar(select(func.count()).select_from(uploads.KeptUpload))


def age(db, token: str, by: timedelta) -> None:
    """Make an upload `by` older than it is."""
    row = uploads.KeptUpload
    with db.engine.begin() as connection:
        created, expires = connection.execute(select(row.created_at, row.expires_at)
                                              .where(row.token_hash == uploads._hash(token))).one()
        connection.execute(update(row).where(row.token_hash == uploads._hash(token))
                           .values(created_at=created - by, expires_at=expires - by))


def test_a_kept_upload_can_be_taken_once(db):
    token = uploads.keep_upload(b"contents")
    assert uploads.take_upload(token) == b"contents"
    with pytest.raises(InvalidInput, match="no longer available"):
        uploads.take_upload(token)
    assert kept(db) == 0


def test_the_table_holds_a_hash_of_the_token_not_the_token(db):
    token = uploads.keep_upload(b"contents")
    (row,) = db.session.scalars(select(uploads.KeptUpload)).all()
    assert row.token_hash != token and token not in row.token_hash and len(row.token_hash) == 64
    assert row.expires_at - row.created_at == uploads.UPLOAD_MAX_AGE


@pytest.mark.parametrize("token", ["", "nope", "../../etc/passwd", "a" * 43, "a/" * 20, None])
def test_an_unknown_or_malformed_token_is_refused(db, token):
    uploads.keep_upload(b"contents")
    with pytest.raises(InvalidInput, match="upload"):
        uploads.take_upload(token)
    assert kept(db) == 1


def test_an_upload_older_than_an_hour_is_refused_and_removed(db):
    token = uploads.keep_upload(b"contents")
    age(db, token, uploads.UPLOAD_MAX_AGE + timedelta(seconds=5))
    with pytest.raises(InvalidInput):
        uploads.take_upload(token)
    assert kept(db) == 0


def test_keeping_an_upload_deletes_expired_ones_and_no_other(db):
    stale, recent = uploads.keep_upload(b"old"), uploads.keep_upload(b"recent")
    age(db, stale, uploads.UPLOAD_MAX_AGE + timedelta(seconds=5))
    age(db, recent, uploads.UPLOAD_MAX_AGE - timedelta(minutes=5))
    fresh = uploads.keep_upload(b"new")
    assert kept(db) == 2
    assert uploads.take_upload(recent) == b"recent" and uploads.take_upload(fresh) == b"new"


def test_the_clean_up_job_deletes_every_expired_upload_and_says_how_many(db):
    tokens = [uploads.keep_upload(bytes([n])) for n in range(3)]
    for token in tokens[:2]:
        age(db, token, uploads.UPLOAD_MAX_AGE)
    assert uploads.delete_expired() == 2
    assert kept(db) == 1 and uploads.take_upload(tokens[2]) == b"\x02"


def test_only_the_user_who_kept_an_upload_can_take_it(app, db):
    owner, other = UserFactory(), UserFactory()
    with app.test_request_context():
        login_user(owner)
        token = uploads.keep_upload(b"contents")
    for stranger in (other, None):
        with app.test_request_context():
            if stranger is not None:
                login_user(stranger)
            with pytest.raises(InvalidInput):
                uploads.take_upload(token)
    with app.test_request_context():
        login_user(owner)
        assert uploads.take_upload(token) == b"contents"


def test_an_upload_kept_on_one_host_is_taken_on_another(app, db):
    token = uploads.keep_upload(b"contents")
    other_host = create_app(support.test_settings(app.config["SQLALCHEMY_DATABASE_URI"]))
    try:
        with other_host.app_context():
            assert uploads.take_upload(token) == b"contents"
    finally:
        with other_host.app_context():
            from app.extensions import db as other_db
            other_db.engine.dispose()
    assert kept(db) == 0


def test_the_migration_builds_the_table_the_model_describes(db):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = [d for d in compare_metadata(context, db.metadata) if "kept_uploads" in repr(d)]
    assert differences == []


@pytest.mark.postgres_only
def test_of_many_confirmations_of_one_upload_at_once_exactly_one_gets_it(app, db):
    token = uploads.keep_upload(b"contents")
    db.session.remove()
    racers = 8
    barrier = threading.Barrier(racers)
    outcomes: list = [None] * racers

    def confirm(index: int) -> None:
        with app.app_context():
            barrier.wait()
            try:
                outcomes[index] = uploads.take_upload(token)
            except InvalidInput as refused:
                outcomes[index] = refused

    threads = [threading.Thread(target=confirm, args=(n,)) for n in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count(b"contents") == 1
    assert sum(isinstance(outcome, InvalidInput) for outcome in outcomes) == racers - 1
