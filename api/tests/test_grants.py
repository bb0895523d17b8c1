"""Grant amounts in the API are the web pages' amounts: computed from the lines' inputs each time, never stored."""

from grants.applications import totals_by_application


def test_the_amount_follows_the_municipalitys_centrality(full_records, api_as, vest_user, world):
    application = full_records.vest_application
    api = api_as(vest_user)

    before = api.get(f"/api/v1/grant-applications/{application.pk}/").json()
    listed = api.get("/api/v1/grant-applications/").json()["data"]
    expected = totals_by_application([application.pk])[application.pk]
    assert before["amount"] == f"{expected.value:.2f}"
    assert [row["amount"] for row in listed if row["id"] == application.pk] == [before["amount"]]
    line = before["lines"][0]
    assert line["amount"] == line["computed_amount"] == before["amount"]  # one line, no override
    assert line["typed_inputs"] == ["months", "position_share", "position_type", "productivity_months"]

    world.bergen.centrality = 6  # the least central class gets the centrality supplement
    world.bergen.save()

    after = api.get(f"/api/v1/grant-applications/{application.pk}/").json()
    assert float(after["amount"]) > float(before["amount"])
    assert after["amount"] == f"{totals_by_application([application.pk])[application.pk].value:.2f}"
    assert after["amount_complete"] is True


def test_unknown_centrality_is_said_not_hidden(full_records, api_as, vest_user, world):
    world.bergen.centrality = None
    world.bergen.save()

    data = api_as(vest_user).get(f"/api/v1/grant-applications/{full_records.vest_application.pk}/").json()

    assert data["amount_complete"] is False
    assert data["lines"][0]["amount_complete"] is False
