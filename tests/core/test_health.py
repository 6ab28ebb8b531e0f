def test_healthz_says_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_readyz_says_migrations_are_at_head(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json["migrations"] == "head"
