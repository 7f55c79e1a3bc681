"""The OpenAPI schema partners code against is committed (api/openapi.json): a change to the
API that changes it fails here until the file is regenerated on purpose, `make api-schema`."""

import json
from pathlib import Path

import pytest

from api.endpoints import api

COMMITTED = Path(__file__).resolve().parents[2] / "api" / "openapi.json"


def test_the_api_is_the_one_the_committed_schema_describes():
    generated = json.loads(json.dumps(api.get_openapi_schema(), sort_keys=True))
    assert generated == json.loads(COMMITTED.read_text()), (
        "The API changed its schema. If that is meant, run `make api-schema` and commit "
        "api/openapi.json; if partners rely on what changed, it is a breaking change."
    )


@pytest.mark.django_db
def test_the_schema_and_the_docs_page_are_served_at_stable_addresses(client):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "Newsroom API"
    assert schema["Cache-Control"] == "public, max-age=30"
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    # Swagger UI from this site's static files, never a CDN, and no inline script.
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
