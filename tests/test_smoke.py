import pytest


@pytest.mark.django_db
def test_home_answers_with_the_site_name(fan):
    response = fan.get("/")
    assert response.status_code == 200
    assert b"pcc" in response.content
