from __future__ import annotations

import pytest
from django.db import IntegrityError

from taizhang.accounts.models import Unit

pytestmark = pytest.mark.django_db


def test_aliases_split_on_lines_commas_and_enumeration_commas() -> None:
    unit = Unit(
        name="县公共资源交易管理局", short_name="公管局", aliases="县公管局\n县交易中心，交易中心、公管"
    )
    assert unit.alias_list() == ["县公管局", "县交易中心", "交易中心", "公管"]
    assert unit.all_names()[0] == "县公共资源交易管理局"
    assert "公管局" in unit.all_names()


def test_code_unique_only_when_set() -> None:
    Unit.objects.create(name="甲", code="")
    Unit.objects.create(name="乙", code="")
    Unit.objects.create(name="丙", code="X1")
    with pytest.raises(IntegrityError):
        Unit.objects.create(name="丁", code="X1")
