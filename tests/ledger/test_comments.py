from __future__ import annotations

from types import SimpleNamespace

import pytest

from taizhang.ledger import services
from taizhang.ledger.errors import DomainError, PermissionDenied

pytestmark = pytest.mark.django_db


def test_leader_comments(ledger: SimpleNamespace, people: SimpleNamespace) -> None:
    comment = services.add_comment(ledger.housing, people.leader, "  请加快进度  ")
    assert comment.text == "请加快进度" and comment.author == people.leader


def test_empty_comment_is_refused(ledger: SimpleNamespace, people: SimpleNamespace) -> None:
    for empty in ("", "   "):
        with pytest.raises(DomainError, match="批示内容不能为空"):
            services.add_comment(ledger.housing, people.leader, empty)


def test_reporters_and_out_of_scope_leaders_cannot_comment(
    ledger: SimpleNamespace, people: SimpleNamespace
) -> None:
    with pytest.raises(PermissionDenied):
        services.add_comment(ledger.transport, people.reporter, "x")
    with pytest.raises(PermissionDenied):
        services.add_comment(ledger.housing, people.bureau_leader, "x")
