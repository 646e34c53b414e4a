import pytest
from conftest import client_for, make_incident
from duplicate_builders import make_pair, people_pair
from kurukan.duplicates.models import Kind
pytestmark = pytest.mark.django_db
def test_render(coordinator):
    a = make_incident(coordinator, group_size=3); b = make_incident(coordinator, victim_name=("Hamadou","Maiga"))
    make_pair(Kind.INCIDENTS, a.pk, b.pk)
    p = people_pair(a, b)
    c = client_for(coordinator)
    c.post(f"/duplicates/pairs/{p.pk}/confirm/")
    html = c.get("/duplicates/?kind=incidents").content.decode()
    open("/tmp/queue.html","w").write(html)
