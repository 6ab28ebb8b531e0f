from app.scoring import bp  # noqa
