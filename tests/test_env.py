"""The environment readers of taizhang.env, in process."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from taizhang import env

pytestmark = pytest.mark.nodb


def test_bool_words(monkeypatch: pytest.MonkeyPatch) -> None:
    for word, expected in [
        ("1", True),
        ("Yes", True),
        ("on", True),
        ("0", False),
        ("false", False),
        ("", False),
    ]:
        monkeypatch.setenv("TZ_TEST", word)
        assert env.env_bool("TZ_TEST", not expected) is expected
    monkeypatch.delenv("TZ_TEST")
    assert env.env_bool("TZ_TEST", True) is True


def test_int_range(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ_TEST", " 42 ")
    assert env.env_int("TZ_TEST", 1, minimum=1, maximum=100) == 42
    monkeypatch.setenv("TZ_TEST", "101")
    with pytest.raises(ImproperlyConfigured, match="TZ_TEST"):
        env.env_int("TZ_TEST", 1, minimum=1, maximum=100)


def test_list_strips_blanks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ_TEST", "a.example, b.example ,")
    assert env.env_list("TZ_TEST", []) == ["a.example", "b.example"]


def test_a_bad_value_carries_its_chinese_line_and_english_for_logs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ_TEST", "maybe")
    with pytest.raises(env.SettingError) as caught:
        env.env_bool("TZ_TEST", False)
    assert (
        caught.value.chinese == "环境变量 TZ_TEST 的值 'maybe' 无效：应为 1/0、true/false、yes/no 或 on/off。"
    )
    assert str(caught.value).startswith(caught.value.chinese) and "Invalid TZ_TEST" in str(caught.value)
    assert isinstance(caught.value, ImproperlyConfigured)
