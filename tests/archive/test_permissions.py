"""Who finds what in the archive, one rule at a time (``archive.permissions``, called through the
module so that tools/mutate.py's mutants reach it): the command line and those who see everything
find every unit's entries and open every document; a unit's reporter only its own unit's."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from taizhang.accounts.models import Role
from taizhang.archive import permissions as rules
from taizhang.archive.models import SearchEntry

pytestmark = pytest.mark.django_db


def test_the_command_line_and_a_unitless_admin_find_every_unit(
    docs: SimpleNamespace,
    people: SimpleNamespace,
    make_user: Callable[..., Any],
    login: Callable[[Any], Client],
) -> None:
    every = SearchEntry.objects.count()
    assert every > 0
    assert rules.entries_in_scope(None).count() == every  # taizhang search: no user, no scope
    it = make_user("it_admin", Role.ADMIN, None)  # sees everything without a unit of its own
    assert rules.entries_in_scope(it).count() == every
    assert rules.may_view(it, docs.housing_2024)
    assert login(it).get(reverse("archive:document", args=[docs.housing_2024.pk])).status_code == 200
    # a unit's reporter: its own unit's paragraphs only
    own = rules.entries_in_scope(people.reporter)
    assert 0 < own.count() < every
    assert set(own.values_list("unit_id", flat=True)) <= {people.reporter.unit_id}
    assert not rules.may_view(people.reporter, docs.housing_2024)
