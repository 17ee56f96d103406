import pytest

from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def test_explore(client, tree, people, home):
    s = SessionFactory(parent=tree["village"])
    print(
        "lecturer groups",
        list(people["lecturer"].groups.values_list("name", flat=True)),
    )
    targets = {"home": home, **tree, "vsession": s}
    for role, user in people.items():
        client.force_login(user)
        row = {}
        for name, page in targets.items():
            r = client.get(f"/admin/pages/{page.pk}/edit/")
            row[name] = (r.status_code, r.get("Location", ""))
        print(role, row)
    client.force_login(people["trainee"])
    r = client.get("/admin/")
    print("trainee admin", r.status_code, r.get("Location"))
    client.force_login(people["lecturer"])
    for model, parent in [
        ("villageforumpage", tree["town"]),
        ("sessionpage", tree["town"]),
        ("sessionpage", tree["village"]),
        ("sessionpage", tree["sibling"]),
    ]:
        r = client.get(f"/admin/pages/add/lectures/{model}/{parent.pk}/")
        print("lecturer add", model, parent.slug, r.status_code, r.get("Location"))
    client.force_login(people["village_admin"])
    for model, parent in [
        ("villageforumpage", tree["town"]),
        ("villageforumpage", tree["sibling"]),
        ("sessionpage", tree["town"]),
        ("unitforumpage", tree["district"]),
    ]:
        r = client.get(f"/admin/pages/add/lectures/{model}/{parent.pk}/")
        print("vadmin add", model, parent.slug, r.status_code, r.get("Location"))


@pytest.mark.parametrize(
    "params",
    [
        {"end": "9999-12-31"},
        {"start": "0001-01-01"},
        {"end": "0001-01-01"},
        {"start": "9999-12-31"},
        {"start": "2020-01-01", "level": "galaxy"},
        {"q": "x" * 200},
        {"page": "999999"},
    ],
)
def test_dates(client, tree, params):
    SessionFactory(parent=tree["village"])
    for url in ("/schedule/", "/schedule.ics"):
        try:
            r = client.get(url, params)
            print(url, params, r.status_code)
            if url == "/schedule/":
                print(
                    dict(r.context["filter"].form.errors),
                    r.context["page_obj"].number,
                    len(r.context["sessions"]),
                )
        except Exception as e:
            print(url, params, "EXC", type(e), e)
