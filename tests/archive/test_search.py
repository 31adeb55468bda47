"""Search on the database in use (SQLite FTS5, or PostgreSQL's full text in the PostgreSQL pass):
matching by words, filters, permissions, the ledger's tasks and reports, the index kept current,
and reindex."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from taizhang.archive.models import SearchEntry
from taizhang.archive.search import Filters, QueryError, search
from taizhang.archive.search.index import reindex
from taizhang.ledger import services as ledger_services
from tests.conftest import at

pytestmark = pytest.mark.django_db


def found(query: str, **kwargs: object) -> list[tuple[str, int | None]]:
    return [(h.title[:6], h.line) for h in search(query, **kwargs).hits]  # type: ignore[arg-type]


def test_a_query_finds_the_paragraphs_holding_its_words(docs: SimpleNamespace) -> None:
    results = search("营商环境")
    # 优化营商环境 (交通, plan part, line 17) and 营商环境持续改善 (住建, summary part, line 8)
    assert sorted((h.title[:6], h.line, h.role) for h in results.hits) == [
        ("县交通运输局", 17, "plan"),
        ("县住房和城乡", 8, "summary"),
    ]
    assert results.total == 2 and results.terms == ["营商", "环境"]
    hit = next(h for h in results.hits if h.line == 17)
    assert hit.unit == "县交通运输局" and hit.year == 2024
    assert hit.url.endswith(f"/archive/documents/{docs.transport_2024.pk}/#L17")
    assert "<mark>营商</mark><mark>环境</mark>" in str(hit.snip.html)


def test_every_word_must_be_there(docs: SimpleNamespace) -> None:
    assert found("燃气管道") == [("县住房和城乡", 12)]
    assert found("燃气 公交") == []  # no paragraph holds both


def test_filters_by_unit_year_role_and_kind(docs: SimpleNamespace, org: SimpleNamespace) -> None:
    assert {h for h, _ in found("改造")} == {"县交通运输局", "县住房和城乡"}
    assert {h for h, _ in found("改造", filters=Filters(unit_id=org.housing.pk))} == {"县住房和城乡"}
    assert found("改造", filters=Filters(year=2023)) == []
    assert found("发展", filters=Filters(year=2023)) == [("青石镇202", 3), ("青石镇202", 7)]
    plan_only = found("改造", filters=Filters(role="plan"))
    assert plan_only and all(line in (16, 17) for _, line in plan_only)
    assert found("燃气", filters=Filters(role="summary")) == []
    assert found("改造", filters=Filters(kind="plan")) == []  # both are summaries
    assert len(found("改造", filters=Filters(kind="summary"))) == len(found("改造"))


def test_a_user_finds_only_what_their_scope_holds(docs: SimpleNamespace, people: SimpleNamespace) -> None:
    def units(user: object) -> set[str]:
        return {h.unit for h in search("工作", user=user).hits}  # type: ignore[arg-type]

    assert units(people.supervisor) == {"县交通运输局", "县住房和城乡建设局", "青石镇"}
    assert units(people.leader) == {"县交通运输局", "县住房和城乡建设局", "青石镇"}
    assert units(people.reporter) == {"县交通运输局"}  # a unit's reporter: its own unit's documents
    assert units(people.bureau_supervisor) == {"县交通运输局"}
    assert units(people.housing_reporter) == {"县住房和城乡建设局"}
    assert units(people.section_reporter) == set()  # a section below the bureau does not see the bureau's
    assert search("燃气", user=people.reporter).total == 0


def test_tasks_and_progress_reports_are_found_within_scope(
    ledger: SimpleNamespace, people: SimpleNamespace
) -> None:
    ledger_services.submit_report(
        ledger.housing,
        people.housing_reporter,
        period="2026-03",
        text="完成燃气管道更新3公里",
        percent=20,
        now=at("2026-04-02"),
    )
    results = search("燃气管道")
    assert [(h.kind, h.heading) for h in results.hits] == [("report", "实施老旧小区改造 · 2026-03")]
    assert search("县道改造").hits[0].kind == "task"
    assert search("县道改造", filters=Filters(kind="task")).total == 1
    assert search("燃气管道", user=people.housing_reporter).total == 1
    assert search("燃气管道", user=people.reporter).total == 0  # 交通局 neither leads nor co-operates
    assert search("县道改造", user=people.housing_reporter).total == 1  # 住建局 co-operates on it


def test_the_index_follows_task_edits_and_deletions(ledger: SimpleNamespace) -> None:
    task = ledger.town
    task.title = "打造乡村振兴示范带"
    task.save()
    assert search("示范带").total == 1 and search("美丽乡村").total == 0
    task.delete()
    assert search("示范带").total == 0
    assert not SearchEntry.objects.filter(task_id=task.pk).exists()


def test_a_deleted_document_leaves_the_index(docs: SimpleNamespace) -> None:
    docs.housing_2024.delete()
    assert search("燃气").total == 0
    assert search("营商环境").total == 1


@pytest.mark.parametrize(
    "query", ["", "营" * 10_000, '"*:-', 'NEAR("营商" "环境")', "营商 -环境", "title:营商*"]
)
def test_bad_queries_are_answered_cleanly(docs: SimpleNamespace, query: str) -> None:
    try:
        results = search(query)
    except QueryError as err:
        assert str(err)  # a Chinese message
    else:  # syntax characters are no syntax: the words are searched as words
        assert results.total >= 0


def test_reindex_rebuilds_everything(docs: SimpleNamespace, ledger: SimpleNamespace) -> None:
    before = sorted(SearchEntry.objects.values_list("kind", "line", "words"))
    SearchEntry.objects.all().delete()
    assert search("营商环境").total == 0
    done = reindex()
    assert (done.tasks, done.reports) == (3, 0)
    assert done.paragraphs == sum(d.paragraphs.count() for d in vars(docs).values())
    assert sorted(SearchEntry.objects.values_list("kind", "line", "words")) == before
    assert search("营商环境").total == 2


def test_paging(docs: SimpleNamespace) -> None:
    everything = search("年", per_page=100).total
    assert everything > 3
    first, second = search("年", per_page=3), search("年", per_page=3, page=2)
    assert first.pages == -(-everything // 3) and first.has_next and not first.has_previous
    assert not {h.entry.pk for h in first.hits} & {h.entry.pk for h in second.hits}
    assert search("年", per_page=3, page=999).page == first.pages  # a page past the end: the last


def test_past_the_count_cap_the_newest_come_first(
    docs: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    import taizhang.archive.search as search_module

    ranked = search("改造")
    assert ranked.ranked and not ranked.capped
    monkeypatch.setattr(search_module, "COUNT_CAP", 2)
    newest = search("改造", per_page=50)
    assert newest.capped and not newest.ranked and newest.total == 2  # counted up to the cap only
    ids = [h.entry.pk for h in newest.hits]
    assert ids == sorted(ids, reverse=True) and len(ids) == len(ranked.hits)
