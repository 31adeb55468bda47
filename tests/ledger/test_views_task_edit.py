"""Task edit: supervisors save through update_task with the version they loaded; a stale save is
refused with a clear message and nothing is saved."""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from taizhang.ledger.models import Task, TaskStatus

pytestmark = pytest.mark.django_db

Login = Callable[[Any], Client]


def edit_url(task: Task) -> str:
    return reverse("ledger:task_edit", args=[task.pk])


class _FormReader(HTMLParser):
    """Reads a rendered form's fields the way a browser would post them back."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, Any] = {}
        self._select: tuple[str, bool] | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        name = a.get("name") or ""
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            if a.get("type") == "checkbox":  # a checklist posts every ticked box under one name
                self.data.setdefault(name, [])
                if "checked" in a:
                    self.data[name].append(a.get("value") or "")
            elif a.get("type") != "radio" or "checked" in a:
                self.data[name] = a.get("value") or ""
        elif tag == "select":
            multiple = "multiple" in a
            self._select = (name, multiple)
            self.data[name] = [] if multiple else ""
        elif tag == "option" and self._select and "selected" in a:
            select, multiple = self._select
            if multiple:
                self.data[select].append(a.get("value") or "")
            else:
                self.data[select] = a.get("value") or ""
        elif tag == "textarea":
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea] += data.lstrip("\n") if not self.data[self._textarea] else data


def form_data(client: Client, task: Task) -> dict[str, Any]:
    """What the edit form posts back unchanged, read from its HTML as a browser would."""
    reader = _FormReader()
    html = client.get(edit_url(task)).content.decode()
    reader.feed(html[html.index('<form method="post" class="panel task-form"') :])
    return reader.data


def test_an_unchanged_form_posts_back_what_was_saved(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    """The date input shows ISO dates (a locale format would blank it in the browser and clear the
    deadline on the next save)."""
    data = form_data(login(people.supervisor), ledger.transport)
    assert data["deadline"] == "2026-12-31"
    assert data["lead_unit"] == str(ledger.transport.lead_unit_id)
    assert data["co_units"] == [str(u.pk) for u in ledger.transport.co_units.all()]
    assert data["title"] == "推进县道改造" and data["progress"] == "0" and data["status"] == "not_started"


def test_form_carries_the_version(login: Login, people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    response = login(people.supervisor).get(edit_url(ledger.transport))
    body = response.content.decode()
    assert response.status_code == 200
    assert f'name="version" value="{ledger.transport.version}"' in body
    assert "推进县道改造" in body and "牵头单位" in body and "配合单位" in body


def test_supervisor_edits_a_task(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, org: Any
) -> None:
    client = login(people.supervisor)
    data = form_data(client, ledger.transport)
    data.update(
        title="推进县道改造提升",
        deadline="2026-11-30",
        status=TaskStatus.IN_PROGRESS,
        progress=45,
        co_units=[org.housing.pk, org.town.pk],
        leader="陈志强",
    )
    response = client.post(edit_url(ledger.transport), data)
    assert response.status_code == 302
    task = Task.objects.get(pk=ledger.transport.pk)
    assert task.title == "推进县道改造提升" and str(task.deadline) == "2026-11-30"
    assert task.progress == 45 and task.status == TaskStatus.IN_PROGRESS and task.leader_name == "陈志强"
    assert set(task.co_units.all()) == {org.housing, org.town}
    assert task.version == ledger.transport.version + 1
    assert "任务已保存" in client.get(response["Location"]).content.decode()


def test_two_editors_cannot_overwrite_each_other(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, colleague: Any
) -> None:
    alice, bob = login(people.supervisor), login(colleague)
    alice_form, bob_form = form_data(alice, ledger.transport), form_data(bob, ledger.transport)
    alice_form.update(progress=40)
    assert alice.post(edit_url(ledger.transport), alice_form).status_code == 302
    bob_form.update(title="被覆盖的标题")
    response = bob.post(edit_url(ledger.transport), bob_form)
    assert response.status_code == 200
    body = response.content.decode()
    assert "该记录已被他人修改" in body and "您的修改未保存" in body and "进度 40%" in body
    task = Task.objects.get(pk=ledger.transport.pk)
    assert task.title == "推进县道改造" and task.progress == 40


def test_posting_the_same_stale_form_again_is_still_refused(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    client = login(people.supervisor)
    data = form_data(client, ledger.transport)
    Task.objects.filter(pk=ledger.transport.pk).update(version=ledger.transport.version + 1)
    data.update(progress=50)
    for _ in range(2):
        assert "该记录已被他人修改" in client.post(edit_url(ledger.transport), data).content.decode()
    assert Task.objects.get(pk=ledger.transport.pk).progress == 0


def test_no_change_saves_nothing(login: Login, people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    client = login(people.supervisor)
    response = client.post(edit_url(ledger.transport), form_data(client, ledger.transport))
    assert response.status_code == 302
    assert Task.objects.get(pk=ledger.transport.pk).version == ledger.transport.version


def test_invalid_values_show_chinese_errors(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    client = login(people.supervisor)
    data = form_data(client, ledger.transport)
    data.update(progress=150, title="", deadline="明年")
    response = client.post(edit_url(ledger.transport), data)
    errors = response.context["form"].errors
    assert response.status_code == 200 and set(errors) >= {"progress", "title", "deadline"}
    assert "100" in errors["progress"][0]
    assert Task.objects.get(pk=ledger.transport.pk).progress == 0


def test_a_bureau_supervisor_cannot_assign_outside_their_subtree(
    login: Login, people: SimpleNamespace, bureau_plan: SimpleNamespace, org: Any
) -> None:
    client = login(people.bureau_supervisor)
    data = form_data(client, bureau_plan.task)
    data.update(lead_unit=org.housing.pk)
    response = client.post(edit_url(bureau_plan.task), data)
    assert response.status_code == 200
    assert Task.objects.get(pk=bureau_plan.task.pk).lead_unit == org.section


def test_a_bureau_supervisor_may_edit_other_fields_of_a_shared_task(
    login: Login, people: SimpleNamespace, bureau_plan: SimpleNamespace, org: Any
) -> None:
    """The bureau's task has 青石镇 co-operating, outside the editor's subtree: it stays as it is,
    so saving the progress works."""
    client = login(people.bureau_supervisor)
    task = bureau_plan.task
    data = form_data(client, task)
    data.update(progress=20)
    assert client.post(edit_url(task), data).status_code == 302
    task = Task.objects.get(pk=task.pk)
    assert task.progress == 20 and task.lead_unit == org.section and set(task.co_units.all()) == {org.town}


@pytest.mark.parametrize("who", ["reporter", "leader", "admin", "bureau_leader"])
def test_non_supervisors_get_403(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, who: str
) -> None:
    client = login(getattr(people, who))
    assert client.get(edit_url(ledger.transport)).status_code == 403
    assert client.post(edit_url(ledger.transport), {"title": "x", "version": 1}).status_code == 403
    assert Task.objects.get(pk=ledger.transport.pk).title == "推进县道改造"


def test_other_units_tasks_are_404(login: Login, people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    client = login(people.bureau_supervisor)
    assert client.get(edit_url(ledger.housing)).status_code == 404
    assert client.post(edit_url(ledger.housing), {"title": "x", "version": 1}).status_code == 404


# --- one 责任领导 choice; unit pickers ---------------------------------------------------------------


def test_the_leader_is_one_field(login: Login, people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    body = login(people.supervisor).get(edit_url(ledger.transport)).content.decode()
    assert body.count('name="leader"') == 1 and 'name="leader_name"' not in body
    assert '<datalist id="leader-options">' in body and '<option value="李县长">' in body


def test_picking_a_leader_with_an_account_links_the_user(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    client = login(people.supervisor)
    data = form_data(client, ledger.transport)
    data["leader"] = "李县长"
    assert client.post(edit_url(ledger.transport), data).status_code == 302
    task = Task.objects.get(pk=ledger.transport.pk)
    assert task.leader == people.leader and task.leader_name == "李县长"
    assert form_data(client, task)["leader"] == "李县长"


def test_a_name_without_an_account_replaces_a_linked_leader(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    """Before, a typed name and a picked user were two fields, and the user silently won."""
    Task.objects.filter(pk=ledger.transport.pk).update(leader=people.leader, leader_name="李县长")
    client = login(people.supervisor)
    data = form_data(client, ledger.transport)
    assert data["leader"] == "李县长"
    data["leader"] = "王副县长"
    assert client.post(edit_url(ledger.transport), data).status_code == 302
    task = Task.objects.get(pk=ledger.transport.pk)
    assert task.leader is None and task.leader_name == "王副县长"
    detail = client.get(reverse("ledger:task_detail", args=[task.pk])).content.decode()
    assert "王副县长" in detail


def test_clearing_the_leader_clears_both(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    Task.objects.filter(pk=ledger.transport.pk).update(leader=people.leader, leader_name="李县长")
    client = login(people.supervisor)
    data = form_data(client, ledger.transport)
    data["leader"] = ""
    assert client.post(edit_url(ledger.transport), data).status_code == 302
    task = Task.objects.get(pk=ledger.transport.pk)
    assert task.leader is None and task.leader_name == ""


def test_two_leaders_of_one_name_are_told_apart_by_unit(
    people: SimpleNamespace, make_user: Any, org: Any
) -> None:
    from taizhang.accounts.models import Role
    from taizhang.ledger.forms import leader_options, resolve_leader

    twin = make_user("lixz2", Role.LEADER, org.transport, full_name="李县长")
    options = leader_options([people.leader, twin])
    assert set(options) == {"李县长（测试县人民政府）", "李县长（县交通运输局）"}
    assert resolve_leader("李县长（县交通运输局）", options) == (twin, "李县长")
    assert resolve_leader("  李县长 ", options) == (None, "李县长")  # ambiguous: kept as a name
    assert resolve_leader("", options) == (None, "")


def test_unit_choices_are_grouped_by_the_unit_tree(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    body = login(people.supervisor).get(edit_url(ledger.transport)).content.decode()
    select = body[
        body.index('<select id="id_lead_unit"') : body.index("</select>", body.index('name="lead_unit"'))
    ]
    assert '<optgroup label="测试县人民政府">' in select and '<optgroup label="县交通运输局">' in select
    group = select[select.index('<optgroup label="县交通运输局">') :]
    assert "公路建设股" in group[: group.index("</optgroup>")]
    assert 'data-unit-filter="id_lead_unit"' in body


def test_co_units_are_a_checklist_with_a_filter(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, org: Any
) -> None:
    body = login(people.supervisor).get(edit_url(ledger.transport)).content.decode()
    assert 'name="co_units"' in body and '<select name="co_units"' not in body and "multiple" not in body
    assert f'<input type="checkbox" name="co_units" value="{org.housing.pk}" checked>' in body
    assert f'<input type="checkbox" name="co_units" value="{org.town.pk}">' in body
    assert 'data-unit-filter="id_co_units"' in body and "Ctrl" not in body
