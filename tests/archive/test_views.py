"""The archive's screens: search (a plain GET form, and the htmx partial), a report's outline beside
its text, the file, the documents list, the upload, and a theme across units."""

from __future__ import annotations

import re
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from taizhang.archive import services
from taizhang.archive.models import ArchivedDocument
from tests.archive.conftest import HOUSING_2024, TOWN_2023, TRANSPORT_2024

pytestmark = pytest.mark.django_db
Login = Callable[[Any], Client]


def page(client: Client, name: str, *args: Any, **query: str) -> str:
    response = client.get(reverse(name, args=args), query)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_search_page_lists_hits_with_marked_snippets_linking_to_the_line(
    docs: SimpleNamespace, people: SimpleNamespace, login: Login
) -> None:
    html = page(login(people.supervisor), "archive:search", q="营商环境")
    assert "共 2 条" in html
    assert f'href="/archive/documents/{docs.transport_2024.pk}/#L17"' in html
    assert "持续优化<mark>营商</mark><mark>环境</mark>" in html
    assert 'role="search"' in html and 'hx-get="/archive/"' in html  # results as you type
    assert "delay:300ms" in html


def test_htmx_gets_only_the_results(docs: SimpleNamespace, people: SimpleNamespace, login: Login) -> None:
    response = login(people.supervisor).get("/archive/", {"q": "燃气"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="results"') and "<html" not in html
    assert "共 1 条" in html


def test_a_text_with_markup_is_escaped_in_the_snippet(
    org: SimpleNamespace, people: SimpleNamespace, login: Login
) -> None:
    text = TOWN_2023.replace("打造美丽乡村示范点2个。", "打造<script>alert(1)</script>示范点2个。")
    services.add_file(text.encode(), "x.txt", unit=org.town)
    html = page(login(people.supervisor), "archive:search", q="示范点")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<mark>示范点</mark>" in html


@pytest.mark.parametrize("query", ["", "营" * 10_000, '"*:-'])
def test_bad_queries_get_a_message_not_an_error(
    docs: SimpleNamespace, people: SimpleNamespace, login: Login, query: str
) -> None:
    html = page(login(people.supervisor), "archive:search", q=query)
    assert re.search(r"请输入要检索的词语|检索词过长|没有可检索的文字", html)


def test_the_filters_narrow_the_hits(
    docs: SimpleNamespace, org: SimpleNamespace, people: SimpleNamespace, login: Login
) -> None:
    client = login(people.supervisor)
    assert "共 2 条" in page(client, "archive:search", q="营商环境")
    assert "共 1 条" in page(client, "archive:search", q="营商环境", unit=str(org.housing.pk))
    assert "共 1 条" in page(client, "archive:search", q="营商环境", role="plan")
    assert "共 0 条" in page(client, "archive:search", q="营商环境", year="2023")
    # a filter value that is not one is ignored, not an error
    assert "共 2 条" in page(client, "archive:search", q="营商环境", unit="x", year="1999", role="nope")


def test_a_report_is_shown_as_its_outline_beside_its_text(
    docs: SimpleNamespace, people: SimpleNamespace, login: Login
) -> None:
    html = page(login(people.reporter), "archive:document", docs.transport_2024.pk)
    outline = html[html.index('class="outline-pane"') : html.index('class="source-pane"')]
    assert re.findall(
        r'<a href="#L(\d+)">([^<]+)</a> <span class="badge role-badge role-(\w+)">(\w+)</span>', outline
    ) == [
        ("5", "一、2024年工作总结", "summary", "总结"),
        ("7", "（一）县道改造提升有力推进", "summary", "总结"),
        ("8", "（二）城乡公交服务提升", "summary", "总结"),
        ("10", "二、存在的问题", "problem", "问题"),
        ("14", "三、2025年工作计划", "plan", "计划"),
        ("16", "（一）推进县道改造提升", "plan", "计划"),
        ("17", "（二）服务企业发展", "plan", "计划"),
    ]
    assert 'id="L12"' in html and '<a class="ln" href="#L12"' in html
    assert "一是交通建设资金筹措难度大。二是农村公路养护资金不足。" in html
    assert reverse("archive:file", args=[docs.transport_2024.pk]) in html


def test_another_units_document_is_not_found(
    docs: SimpleNamespace, people: SimpleNamespace, login: Login
) -> None:
    client = login(people.reporter)
    for name in ("archive:document", "archive:file"):
        assert client.get(reverse(name, args=[docs.housing_2024.pk])).status_code == 404
        assert client.get(reverse(name, args=[999999])).status_code == 404
    listing = page(client, "archive:documents")
    assert "县交通运输局2024年" in listing and "县住房和城乡建设局2024年" not in listing


def test_the_file_is_downloaded_as_uploaded(
    docs: SimpleNamespace, people: SimpleNamespace, login: Login
) -> None:
    response = login(people.reporter).get(reverse("archive:file", args=[docs.transport_2024.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == TRANSPORT_2024.encode()  # type: ignore[attr-defined]


def test_a_supervisor_uploads_several_files_and_a_compilation_is_split(
    org: SimpleNamespace, people: SimpleNamespace, login: Login
) -> None:
    client = login(people.supervisor)
    book = "测试县2024年工作总结汇编\n\n" + TRANSPORT_2024 + "\n\n" + HOUSING_2024
    response = client.post(
        reverse("archive:upload"),
        {
            "files": [
                SimpleUploadedFile("汇编.txt", book.encode()),
                SimpleUploadedFile("青石镇.txt", TOWN_2023.encode()),
                SimpleUploadedFile("坏文件.pdf", b"%PDF-1.4"),
            ]
        },
    )
    assert response.status_code == 302 and response.url == reverse("archive:documents")
    shown = client.get(response.url).content.decode()
    assert "已存档 2 个文件，共 3 篇报告。" in shown and "坏文件.pdf：" in shown
    assert ArchivedDocument.objects.filter(kind="compilation").count() == 1
    assert set(ArchivedDocument.objects.exclude(kind="compilation").values_list("unit__name", flat=True)) == {
        "县交通运输局",
        "县住房和城乡建设局",
        "青石镇",
    }


def test_a_bureau_supervisor_archives_within_the_bureau_only(
    org: SimpleNamespace, people: SimpleNamespace, login: Login
) -> None:
    client = login(people.bureau_supervisor)
    assert (
        client.post(
            reverse("archive:upload"),
            {"unit": org.housing.pk, "files": [SimpleUploadedFile("a.txt", TOWN_2023.encode())]},
        ).status_code
        == 200
    )
    assert not ArchivedDocument.objects.exists()  # 住建局 is no choice of theirs
    # a report naming another unit falls back to the bureau itself
    client.post(reverse("archive:upload"), {"files": [SimpleUploadedFile("a.txt", TOWN_2023.encode())]})
    assert ArchivedDocument.objects.get().unit == org.transport


def test_reporters_and_leaders_do_not_upload(people: SimpleNamespace, login: Login) -> None:
    for who in (people.reporter, people.leader):
        client = login(who)
        assert client.get(reverse("archive:upload")).status_code == 403
        assert "添加文档" not in page(client, "archive:search")


def test_across_units_puts_each_units_plan_work_side_by_side(
    docs: SimpleNamespace, ledger: SimpleNamespace, people: SimpleNamespace, login: Login
) -> None:
    services.add_file(
        "县住房和城乡建设局2025年工作要点\n\n（一）深化审批改革。持续优化营商环境。\n".encode(), "要点.txt"
    )
    html = page(login(people.supervisor), "archive:across", q="营商环境")
    columns = re.findall(r'<h3 id="col-\d+">([^<]+) <span class="count">(\d+)</span></h3>', html)
    assert sorted(columns) == [("县交通运输局", "1"), ("县住房和城乡建设局", "1")]
    # counts by section role: 住建局 mentions it in a summary and in a plan, 交通局 in its plan
    rows = dict(re.findall(r'<tr><th scope="row">([^<]+)</th>((?:<td class="num">\d*</td>)+)</tr>', html))
    numbers = {k: re.findall(r'<td class="num">(\d*)</td>', v) for k, v in rows.items()}
    assert numbers["县住房和城乡建设局"] == ["1", "0", "0", "1", "0", "1"]
    assert numbers["县交通运输局"] == ["0", "0", "0", "1", "0", "1"]


def test_a_units_report_in_a_county_compilation_does_not_give_away_the_whole_file(
    org: SimpleNamespace, people: SimpleNamespace, login: Login
) -> None:
    book = "测试县2024年工作总结汇编\n\n" + TRANSPORT_2024 + "\n\n" + HOUSING_2024
    added = services.add_file(book.encode(), "汇编.txt", unit=org.root)
    compilation, transport, _ = added.documents
    client = login(people.reporter)
    html = page(client, "archive:document", transport.pk)
    assert "交通建设资金筹措难度大" in html and "燃气管道" not in html  # its own lines only
    assert reverse("archive:file", args=[transport.pk]) not in html
    assert reverse("archive:document", args=[compilation.pk]) not in html
    assert client.get(reverse("archive:file", args=[transport.pk])).status_code == 404
    assert client.get(reverse("archive:document", args=[compilation.pk])).status_code == 404
    assert login(people.supervisor).get(reverse("archive:file", args=[transport.pk])).status_code == 200
