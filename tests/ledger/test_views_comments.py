"""批示: leaders and supervisors comment on tasks they see; a double post saves one comment."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from taizhang.ledger.models import Comment

pytestmark = pytest.mark.django_db

Login = Callable[[Any], Client]


def comment_url(task: Any) -> str:
    return reverse("ledger:comment_add", args=[task.pk])


@pytest.mark.parametrize("who", ["leader", "supervisor", "bureau_leader"])
def test_leaders_and_supervisors_comment(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, who: str
) -> None:
    user = getattr(people, who)
    client = login(user)
    response = client.post(comment_url(ledger.transport), {"text": "请倒排工期，确保年底前完成。"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/tasks/{ledger.transport.pk}/#comments")
    comment = Comment.objects.get()
    assert comment.author == user and comment.task == ledger.transport
    page = client.get(response["Location"]).content.decode()
    assert "批示已提交" in page and "请倒排工期，确保年底前完成。" in page


def test_the_comment_form_shows_for_leaders_only(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    url = reverse("ledger:task_detail", args=[ledger.transport.pk])
    assert "提交批示" in login(people.leader).get(url).content.decode()
    assert "提交批示" not in login(people.reporter).get(url).content.decode()


def test_empty_comment_is_a_form_error(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    response = login(people.leader).post(comment_url(ledger.transport), {"text": "  "})
    assert response.status_code == 200
    assert response.context["comment_form"].errors["text"]
    assert "这个字段是必填项" in response.content.decode()
    assert not Comment.objects.exists()


def test_double_post_saves_one_comment(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace
) -> None:
    client = login(people.leader)
    client.post(comment_url(ledger.transport), {"text": "请加快进度"})
    second = client.post(comment_url(ledger.transport), {"text": "请加快进度"}, follow=True)
    assert Comment.objects.count() == 1
    assert "未重复保存" in second.content.decode()
    client.post(comment_url(ledger.transport), {"text": "另一条批示"})
    assert Comment.objects.count() == 2


@pytest.mark.parametrize("who", ["reporter", "housing_reporter", "admin"])
def test_others_who_see_the_task_get_403(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, who: str
) -> None:
    assert login(getattr(people, who)).post(comment_url(ledger.transport), {"text": "x"}).status_code == 403
    assert not Comment.objects.exists()


@pytest.mark.parametrize("who", ["bureau_leader", "bureau_supervisor", "town_reporter"])
def test_tasks_of_other_units_are_404(
    login: Login, people: SimpleNamespace, ledger: SimpleNamespace, who: str
) -> None:
    assert login(getattr(people, who)).post(comment_url(ledger.housing), {"text": "x"}).status_code == 404
    assert not Comment.objects.exists()


def test_get_is_not_allowed(login: Login, people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    assert login(people.leader).get(comment_url(ledger.transport)).status_code == 405


def test_the_service_refuses_a_double_post_itself(people: SimpleNamespace, ledger: SimpleNamespace) -> None:
    from taizhang.ledger import services
    from taizhang.ledger.errors import AlreadyPosted

    services.add_comment(ledger.transport, people.leader, "请加快进度")
    with pytest.raises(AlreadyPosted):
        services.add_comment(ledger.transport, people.leader, " 请加快进度 ")
    services.add_comment(ledger.transport, people.supervisor, "请加快进度")  # someone else may say it too
    assert Comment.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_double_click_saves_one_comment_even_when_both_posts_overlap(
    people: SimpleNamespace, ledger: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two posts of one form arriving together: both pass any check made before the first one is
    saved unless the check and the insert sit in one transaction under a lock."""
    import threading
    import time

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs row locks between two connections (run by the PostgreSQL pass)")
    original_save = Comment.save

    def slow_save(self: Comment, *args: Any, **kwargs: Any) -> None:
        time.sleep(0.4)  # widen the window between the duplicate check and the insert
        original_save(self, *args, **kwargs)

    monkeypatch.setattr(Comment, "save", slow_save)
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def post() -> None:
        client = Client()
        client.force_login(people.leader)
        barrier.wait()
        try:
            statuses.append(client.post(comment_url(ledger.transport), {"text": "请倒排工期"}).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302, 302]
    assert Comment.objects.filter(text="请倒排工期").count() == 1
