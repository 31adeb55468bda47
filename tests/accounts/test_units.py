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


def test_one_label_rule_sections_show_their_bureau() -> None:
    """A unit is shown by its name; a section below a bureau after the bureau's short name, so two
    bureaus' 办公室 differ. ``unit_labels`` gives the same labels for many units at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from taizhang.accounts.units import unit_labels

    county = Unit.objects.create(name="测试县人民政府", short_name="县政府")
    transport = Unit.objects.create(name="县交通运输局", short_name="交通局", parent=county)
    housing = Unit.objects.create(name="县住房和城乡建设局", parent=county)
    offices = [Unit.objects.create(name="办公室", parent=bureau) for bureau in (transport, housing)]
    assert [county.label, transport.label] == ["测试县人民政府", "县交通运输局"]
    assert [u.label for u in offices] == ["交通局·办公室", "县住房和城乡建设局·办公室"]
    fresh = list(Unit.objects.filter(pk__in=[u.pk for u in offices]))  # parents not loaded
    with CaptureQueriesContext(connection) as queries:
        labels = unit_labels(fresh)
    assert labels == {u.pk: u.label for u in offices} and len(queries) == 1
