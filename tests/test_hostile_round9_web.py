"""The web app under round 9's documentation check (/tmp/hostile9c): each test is one bug.

The refusals happen before any analysis, so the app runs with a stand-in model; only the app
in process is talked to.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from propscope.web import create_app

BASE = "http://127.0.0.1:8000"


@pytest.fixture
def client(tmp_path):
    app = create_app(db_url=str(tmp_path / "web.db"), model_loader=lambda: object())
    with TestClient(app, base_url=BASE) as test_client:
        app.state.models.wait(10)
        yield test_client


def test_a_body_with_seven_bad_fields_shows_five_and_says_how_many_more(client):
    # docs/web.md: "The reply lists at most five errors ("and N more")"; the body's errors
    # were cut to five before the message counted them, so the "and N more" never came
    body = {"text": 5, "title": 1, "source": 2, "published": "x", "language": "zz"}
    body |= {"page_url": 3, "url": 4}
    response = client.post("/api/v1/analyze", json=body)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail.startswith("text: Input should be a valid string; url: "), detail
    assert detail.endswith("; and 2 more errors"), detail
