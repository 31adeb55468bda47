"""The authorization matrix, generated from the URL configuration: every URL × every role × an object
of another unit → refused (403/404, or 401 / the login page for anonymous callers).

How it works
------------
* ``url_table()`` walks ``get_resolver()`` recursively, so a URL added anywhere (screens, import,
  API) is in the matrix the day it is added — no list to keep in step.
* Each path parameter is filled with an object **of another unit** (住建局, "housing"). The model of
  a parameter comes from, in order: ``OVERRIDES`` (per URL name), ``PARAM_KINDS`` (by parameter
  name: ``task_id`` …), then ``SEGMENT_KINDS`` (for ``pk``/``id``: the path segment before it, e.g.
  ``tasks/<int:pk>/`` → a task). Values that are not objects (``period``) come from ``PARAM_VALUES``.
  A parameter none of these explains FAILS ``test_every_url_parameter_is_mapped``: whoever adds a
  URL with a new kind of parameter must say here what it is.
* Views that need a query string to do anything get it from ``EXTRA_QUERY``; API write endpoints
  get a valid JSON body from ``API_BODIES`` (an empty body would stop at validation, 422, before
  the permission check we want to exercise — so a 422 counts as a failure).
* Roles refused: the reporter, leader and supervisor of 交通运输局, the reporter of 青石镇 and of
  公路建设股 (a sub-unit), and an anonymous caller. Admins (role 管理员) and the root unit's
  supervisor / leader see every unit by design (``scope.sees_everything``), so they are not
  outsiders; the admin is one of the owners in the positive control instead.
* Every URL is requested with GET and with POST (empty form body, or the JSON body for the API);
  405 counts as refused. Nothing may change in the database (checked by a snapshot).
* Positive control: for every URL with an object, some user of the owner unit (or the admin) gets
  200 on GET — otherwise the 404s above could come from a badly built URL and prove nothing.
* Pages without an object (home, lists, review queue, API lists, and the visible county-wide plan)
  must not show a word of the other unit's objects: all their texts carry the marker ``ZQX7``.

Skipped, on purpose: ``admin/`` (Django admin, staff only: checked separately below — every admin
URL sends a non-staff user to the admin login), login/logout (public by nature), ``healthz``
(public health check), ``favicon.ico`` (the icon), ``api/`` (django-ninja's placeholder root, always 404). The OpenAPI schema
and the docs page are *not* public: they are in the matrix as URLs without objects (anonymous
callers get 401 / the login page).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlparse

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern
from django.utils import timezone

from taizhang.accounts.models import Role, Unit
from taizhang.archive.models import ArchivedDocument
from taizhang.indicators import services as indicator_services
from taizhang.indicators.models import Indicator, IndicatorValue
from taizhang.ledger import services
from taizhang.ledger.models import (
    Attachment,
    ChangeRequest,
    Comment,
    CoReport,
    Milestone,
    Plan,
    ProgressReport,
    SourceDocument,
    Task,
)
from taizhang.notify.models import Channel, Delivery, Message, Once
from taizhang.rankings.models import PublishedRanking, ScoringScheme
from taizhang.supervision import instructions, notices, problems
from taizhang.supervision.models import Instruction, Notice, NoticeAttachment, NoticeItem, NoticeReply
from taizhang.supervision.problem_models import Problem, ProblemAttachment, ProblemEvent
from tests.conftest import at

pytestmark = pytest.mark.django_db

MARKER = "ZQX7"
NOW = at("2026-04-02")  # inside March 2026's reporting window
PERIOD = "2026-03"
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"
PROBLEM_TEXT = f"""住建局2025年工作总结

一、存在的主要问题

一是{MARKER}燃气管道老化问题突出。二是{MARKER}物业覆盖面不广。
"""
IMPORT_TEXT = f"""县住房和城乡建设局2026年工作计划

一、重点工作安排

（一）{MARKER}推进城镇燃气管道更新改造。一是完成老旧燃气管道改造30公里，由县住建局牵头，6月底前完成。
"""

# --- what each URL parameter means --------------------------------------------------------------

# Parameter name → kind of object.
PARAM_KINDS: dict[str, str] = {
    "task_id": "task",
    "plan_id": "plan",
    "report_id": "report",
    "attachment_id": "attachment",
    "comment_id": "comment",
    "milestone_id": "milestone",
    "source_id": "source",
    "document_id": "source",
}
# For a generic ``pk`` / ``id``: the path segment in front of it.
SEGMENT_KINDS: dict[str, str] = {
    "task": "task",
    "tasks": "task",
    "plan": "plan",
    "plans": "plan",
    "report": "report",
    "reports": "report",
    "attachment": "attachment",
    "attachments": "attachment",
    "comment": "comment",
    "comments": "comment",
    "milestone": "milestone",
    "milestones": "milestone",
    "source": "source",
    "sources": "source",
    "request": "change_request",
    "requests": "change_request",
    "notices": "notice",
    "instructions": "instruction",
    "problems": "problem",
    "problem-files": "problem_attachment",
    "messages": "message",
    "channels": "channel",
    "indicators": "indicator",
    "documents": "archived_document",
}
GENERIC_PARAMS = {"pk", "id"}
# URL name → {parameter: kind}, where the rules above would guess wrong or cannot know.
OVERRIDES: dict[str, dict[str, str]] = {
    "import:done": {"pk": "plan"},  # the summary of the plan an import created
    # a pending import: kept in the session of the supervisor who uploaded it (see ``world``)
    "import:preview": {"key": "pending_import"},
    "import:preview_row": {"key": "pending_import"},
    "import:discard": {"key": "pending_import"},
    "supervision:notice_file": {"pk": "notice_attachment"},  # files/notice/<pk>/: a reply's file
    # a pending 从文件导入问题, in the same supervisor's session
    "problems:import_preview": {"key": "pending_problem_import"},
}
# Parameters that are values, not objects.
PARAM_VALUES: dict[str, str] = {"period": PERIOD, "index": "0"}
# URL name → query string the view needs to do its work. The archive's searches look for words of
# 住建局's tasks (not for the marker itself: a page may echo its query).
EXTRA_QUERY: dict[str, str] = {"archive:search": "q=任务内容", "archive:across": "q=任务内容"}
# API write endpoints (route) → a valid body, so the request reaches the permission check.
API_BODIES: dict[str, dict[str, Any]] = {
    "api/tasks/<task_id>/reports": {"period": PERIOD, "text": "外单位试探", "percent": 5},
    "api/reports/<report_id>/review": {"approve": True, "comment": "外单位试探", "expected_version": 1},
}

SKIPPED_PREFIXES = ("admin/", "static/", "media/")
SKIPPED_NAMES = {"accounts:login", "accounts:logout", "core:healthz", "core:favicon", "api:api-root"}

OUTSIDERS = [
    "reporter",
    "bureau_leader",
    "bureau_supervisor",
    "town_reporter",
    "section_reporter",
    "office_reporter",  # the root's 办公室, which owns a plan of its own (see ``world``)
]
# The unit that leads (住建局), the plan owners (住建局 for its plan, the root's 督查 for the county
# plan), a co-operating unit's reporter (配合情况), and the admin (kept last).
OWNERS = [
    "housing_reporter",
    "housing_supervisor",
    "housing_leader",
    "supervisor",
    "finance_reporter",
    "admin",
]
# 县财政局 co-operates on every task of ``world``: it sees them, writes its 配合情况, and nothing else.
CO_UNIT_ROLES = ["finance_reporter", "finance_supervisor"]
ANONYMOUS = "anonymous"


# --- the URL table ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    route: str  # "tasks/<int:pk>/"
    name: str  # "ledger:task_detail"
    regex: bool

    @property
    def params(self) -> list[tuple[str, str]]:
        """[(converter, name)] in order."""
        return [(conv or "str", name) for conv, name in re.findall(r"<(?:(\w+):)?(\w+)>", self.route)]

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/")

    def skipped(self) -> bool:
        return self.route.startswith(SKIPPED_PREFIXES) or self.name in SKIPPED_NAMES


def url_table() -> list[Route]:
    """Every URL pattern of the project (deduplicated by route: django-ninja registers one pattern
    per operation, the first one answers every method of its path)."""
    found: dict[str, Route] = {}

    def walk(patterns: list[Any], prefix: str, namespace: tuple[str, ...], regex: bool) -> None:
        for p in patterns:
            is_regex = regex or isinstance(p.pattern, RegexPattern)
            if isinstance(p, URLResolver):
                ns = (*namespace, p.namespace) if p.namespace else namespace
                walk(p.url_patterns, prefix + str(p.pattern), ns, is_regex)
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                name = ":".join((*namespace, p.name or "?"))
                found.setdefault(route, Route(route, name, is_regex))

    walk(get_resolver().url_patterns, "", (), False)
    return list(found.values())


def kind_of(route: Route, param: str) -> str | None:
    if param in OVERRIDES.get(route.name, {}):
        return OVERRIDES[route.name][param]
    if param in PARAM_KINDS:
        return PARAM_KINDS[param]
    if param in GENERIC_PARAMS:
        return SEGMENT_KINDS.get(_segment_before(route.route, param))
    return None


def _segment_before(route: str, param: str) -> str:
    head = re.split(rf"<(?:\w+:)?{param}>", route, maxsplit=1)[0]
    segments = [s for s in head.split("/") if s and "<" not in s]
    return segments[-1] if segments else ""


def unmapped(route: Route) -> list[str]:
    problems = []
    if route.regex:
        problems.append(f"{route.name} ({route.route}): a regex route — add a way to build it to this test")
    for _, param in route.params:
        if param not in PARAM_VALUES and kind_of(route, param) is None:
            problems.append(
                f"{route.name} ({route.route}): unknown parameter <{param}> — add it to PARAM_KINDS, "
                "SEGMENT_KINDS, OVERRIDES or PARAM_VALUES in tests/test_authz_matrix.py"
            )
    return problems


def build_urls(route: Route, objects: dict[str, list[Any]]) -> Iterator[str]:
    """The route with its parameters filled, once per combination of candidate objects."""
    combos: list[dict[str, str]] = [{}]
    for _, param in route.params:
        if param in PARAM_VALUES:
            values = [PARAM_VALUES[param]]
        else:
            kind = kind_of(route, param)
            assert kind is not None, param
            values = [str(obj.pk) for obj in objects[kind]]
        combos = [{**c, param: v} for c in combos for v in values]
    for combo in combos:
        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m, c=combo: c[m.group(1)], route.route)  # type: ignore[misc]
        query = EXTRA_QUERY.get(route.name, "")
        yield "/" + path + (f"?{query}" if query else "")


# --- the world: a county plan, and 住建局's own objects -----------------------------------------


@pytest.fixture
def world(
    org: SimpleNamespace,
    people: SimpleNamespace,
    ledger: SimpleNamespace,
    make_user: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> SimpleNamespace:
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    people.housing_supervisor = make_user("zj_duchashi", Role.SUPERVISOR, org.housing)
    people.housing_leader = make_user("zj_juzhang", Role.LEADER, org.housing)
    people.office_reporter = make_user("bgs_tianbao", Role.REPORTER, org.office)
    people.office_supervisor = make_user("bgs_duchashi", Role.SUPERVISOR, org.office)
    finance = Unit.objects.create(name="县财政局", parent=org.root, code="T-CZJ")
    people.finance_reporter = make_user("cz_tianbao", Role.REPORTER, finance)
    people.finance_supervisor = make_user("cz_duchashi", Role.SUPERVISOR, finance)

    document, _ = services.store_source_document(
        f"{MARKER}住建局工作要点.txt",
        f"{MARKER} 住建局2026年工作要点".encode(),
        "",
        people.housing_supervisor,
    )
    plan = Plan.objects.create(
        year=2026, owner_unit=org.housing, title=f"{MARKER}住建局2026年工作要点", source=document
    )
    own_task = Task.objects.create(
        plan=plan,
        seq=1,
        code="1",
        title=f"{MARKER}住建局内部任务",
        content=f"{MARKER}任务内容",
        lead_unit=org.housing,
        deadline=dt.date(2026, 12, 31),
    )
    # The subtle case: 住建局's task inside the county-wide plan the outsiders can see.
    county_task = Task.objects.create(
        plan=ledger.plan,
        seq=9,
        code="9",
        title=f"{MARKER}住建局承担的全县任务",
        content=f"{MARKER}任务内容",
        lead_unit=org.housing,
        deadline=dt.date(2026, 12, 31),
    )
    # The 督查室 case: a plan owned by the root's 办公室 (not the root), its task led by 住建局.
    office_plan = Plan.objects.create(year=2026, owner_unit=org.office, title=f"{MARKER}县政府办公室督查事项")
    office_task = Task.objects.create(
        plan=office_plan,
        seq=1,
        code="1",
        title=f"{MARKER}办公室交办住建局的任务",
        lead_unit=org.housing,
        deadline=dt.date(2026, 12, 31),
    )
    milestones, reports, attachments, comments, requests = [], [], [], [], []
    notice_list, notice_files, follow_ups = [], [], []
    issuers = {
        own_task: people.housing_supervisor,
        county_task: people.supervisor,
        office_task: people.office_supervisor,
    }
    for task in (own_task, county_task, office_task):
        task.co_units.set([finance])
        milestones.append(
            Milestone.objects.create(task=task, due_on=dt.date(2026, 6, 30), description=f"{MARKER}节点")
        )
        report = services.submit_report(
            task,
            people.housing_reporter,
            period=PERIOD,
            text=f"{MARKER}本期进展",
            percent=20,
            files=[SimpleUploadedFile(f"{MARKER}现场照片.pdf", PDF, content_type="application/pdf")],
            now=NOW,
        )
        reports.append(report)
        attachments.extend(report.attachments.all())
        comments.append(services.add_comment(task, people.housing_leader, f"{MARKER}批示：加快进度"))
        requests.append(
            services.request_change(
                task,
                people.housing_reporter,
                kind="deadline",
                reason=f"{MARKER}征迁未完成",
                new_deadline=dt.date(2027, 3, 31),
            )
        )
        services.submit_co_report(
            task, people.finance_reporter, period=PERIOD, text=f"{MARKER}配合情况", now=NOW
        )
        # a 督办单 to 住建局 about the task, answered with a file; the 批示 made a 批示件
        notice = notices.issue_notice(
            issuers[task],
            kind="order",
            tasks=[task],
            subject=f"{MARKER}请说明滞后原因",
            reply_due=dt.date(2026, 4, 30),
            now=NOW,
        )
        answer = notices.reply_notice(
            notice,
            people.housing_reporter,
            text=f"{MARKER}已整改",
            files=[SimpleUploadedFile(f"{MARKER}整改说明.pdf", PDF, content_type="application/pdf")],
            expected_version=notice.version,
            now=NOW,
        )
        notice_list.append(notice)
        notice_files.extend(answer.attachments.all())
        follow_ups.append(
            instructions.require_follow_up(
                comments[-1], people.housing_leader, due_on=dt.date(2026, 4, 30), now=NOW
            )
        )
    # Problems with 住建局 responsible, one in each plan (its own, the county's, the 办公室's), each
    # waiting for verification with its evidence.
    problem_list, problem_files = [], []
    for task, manager in (
        (own_task, people.housing_supervisor),
        (county_task, people.supervisor),
        (office_task, people.supervisor),  # 住建局 lies outside the 办公室's own scope
    ):
        problem = problems.create_problem(
            task.plan,
            manager,
            problems.ProblemDraft(
                title=f"{MARKER}问题",
                unit=org.housing,
                deadline=dt.date(2026, 9, 30),
                measures=f"{MARKER}措施",
            ),
        )
        problem = problems.submit_rectification(
            problem,
            people.housing_reporter,
            text=f"{MARKER}整改情况",
            files=[SimpleUploadedFile(f"{MARKER}整改佐证.pdf", PDF, content_type="application/pdf")],
            expected_version=problem.version,
        )
        problem_list.append(problem)
        problem_files.extend(problem.attachments.all())
    # 住建局's reporter's message and 住建局's group robot (notify).
    message = Message.objects.create(
        recipient=people.housing_reporter, title=f"{MARKER}催报", body=f"{MARKER}正文", created_at=NOW
    )
    channel = Channel.objects.create(
        unit=org.housing, kind="dingtalk", name=f"{MARKER}住建局工作群", url="https://oapi.example/robot"
    )
    # An import waiting for confirmation, in the session of 住建局's supervisor.
    importer = Client(raise_request_exception=False)
    importer.force_login(people.housing_supervisor)
    pending = []
    if any(kind_of(r, p) == "pending_import" for r in url_table() for _, p in r.params):
        response = importer.post("/import/", {"text": IMPORT_TEXT})
        assert response.status_code == 302 and "/preview/" in response["Location"], response
        pending.append(SimpleNamespace(pk=response["Location"].rstrip("/").rsplit("/", 1)[1]))
    pending_problems = []
    if any(kind_of(r, p) == "pending_problem_import" for r in url_table() for _, p in r.params):
        upload = SimpleUploadedFile("问题.txt", PROBLEM_TEXT.encode(), content_type="text/plain")
        response = importer.post(f"/plans/{plan.pk}/problems/import/", {"file": upload})
        assert response.status_code == 302 and "/problems/import/" in response["Location"], response
        pending_problems.append(SimpleNamespace(pk=response["Location"].rstrip("/").rsplit("/", 1)[1]))
    # An indicator 住建局 enters in each plan, with March's value.
    indicator_list = []
    for task, manager in (
        (own_task, people.housing_supervisor),
        (county_task, people.supervisor),
        (office_task, people.supervisor),
    ):
        [indicator] = indicator_services.create_indicators(
            task.plan,
            manager,
            [
                indicator_services.IndicatorDraft(
                    name=f"{MARKER}燃气管道改造投资",
                    owner_unit=org.housing,
                    measure="亿元",
                    target=Decimal("12"),
                )
            ],
        )
        indicator_services.save_values(
            people.housing_reporter,
            PERIOD,
            [indicator_services.Entry(indicator, Decimal("2.5"), note=f"{MARKER}备注", rank=3, rank_of=12)],
            now=NOW,
        )
        indicator_list.append(indicator)
    objects: dict[str, list[Any]] = {
        "indicator": indicator_list,
        "pending_import": pending,
        "pending_problem_import": pending_problems,
        "problem": problem_list,
        "problem_attachment": problem_files,
        "task": [own_task, county_task, office_task],
        "plan": [plan, office_plan],
        "report": reports,
        "attachment": attachments,
        "comment": comments,
        "milestone": milestones,
        "source": [document],
        # the plan's document, archived when the plan was created from it (archive.signals)
        "archived_document": list(ArchivedDocument.objects.filter(source=document)),
        "change_request": requests,
        "notice": notice_list,
        "notice_attachment": notice_files,
        "instruction": follow_ups,
        "message": [message],
        "channel": [channel],
    }
    return SimpleNamespace(
        objects=objects,
        county_plan=ledger.plan,
        people=people,
        sessions={"housing_supervisor": importer},
        own_task=own_task,
        county_task=county_task,
        office_task=office_task,
    )


def clients(
    people: SimpleNamespace, roles: list[str], sessions: dict[str, Client] | None = None
) -> dict[str, Client]:
    out = {}
    for role in roles:
        if sessions and role in sessions:
            out[role] = sessions[role]
            continue
        client = Client(raise_request_exception=False)
        if role != ANONYMOUS:
            client.force_login(getattr(people, role))
        out[role] = client
    return out


def request(client: Client, method: str, route: Route, url: str) -> Any:
    if method == "GET":
        return client.get(url)
    if route.is_api:
        body = json.dumps(API_BODIES.get(route.route, {}))
        return client.post(url, body, content_type="application/json")
    return client.post(url, {})


def snapshot() -> dict[str, Any]:
    """Everything a request could have changed."""
    state: dict[str, Any] = {"audit": LogEntry.objects.count()}
    for model in (
        Plan,
        Task,
        Milestone,
        ProgressReport,
        Attachment,
        Comment,
        SourceDocument,
        CoReport,
        ChangeRequest,
        Notice,
        NoticeItem,
        NoticeReply,
        NoticeAttachment,
        Instruction,
        Problem,
        ProblemEvent,
        ProblemAttachment,
        Message,
        Channel,
        Delivery,
        Once,
        Indicator,
        IndicatorValue,
        PublishedRanking,
        ScoringScheme,
        ArchivedDocument,
    ):
        state[model.__name__] = sorted(map(repr, model.objects.order_by("pk").values()))
    return state


def is_login_redirect(response: Any) -> bool:
    if response.status_code not in (301, 302, 303):
        return False
    target = urlparse(response["Location"]).path
    return target in (resolve_url(settings.LOGIN_URL), "/admin/login/")


def outcome(response: Any) -> str:
    text = f"{response.status_code}"
    if response.status_code in (301, 302, 303):
        text += f" → {response['Location']}"
    return text


def routes() -> list[Route]:
    return [r for r in url_table() if not r.skipped()]


# --- the tests ----------------------------------------------------------------------------------


def test_every_url_parameter_is_mapped() -> None:
    problems = [p for route in routes() for p in unmapped(route)]
    assert not problems, "URLs the matrix cannot build:\n" + "\n".join(problems)


def test_other_units_objects_are_refused(world: SimpleNamespace) -> None:
    people = world.people
    callers = clients(people, [*OUTSIDERS, ANONYMOUS])
    before = snapshot()
    failures: list[str] = []
    checked = 0
    for route in routes():
        if not route.params or unmapped(route):
            continue
        urls = list(build_urls(route, world.objects))
        if not urls:
            failures.append(
                f"{route.name} ({route.route}): the world has no object for it — add one to ``world``"
            )
        for url in urls:
            for role, client in callers.items():
                for method in ("GET", "POST"):
                    response = request(client, method, route, url)
                    checked += 1
                    status = response.status_code
                    if role == ANONYMOUS:
                        ok = status in (401, 403, 405) or is_login_redirect(response)
                    else:
                        ok = status in (403, 404, 405)
                    if not ok:
                        failures.append(f"{role:<18} {method:<4} {url}  [{route.name}] → {outcome(response)}")
                    elif MARKER in response.content.decode(errors="replace"):
                        failures.append(
                            f"{role:<18} {method:<4} {url}  [{route.name}] refused but shows {MARKER}"
                        )
    after = snapshot()
    for key in before:
        if before[key] != after[key]:
            failures.append(f"the matrix changed the database: {key}")
    assert checked > 0
    assert not failures, f"{len(failures)} of {checked} requests were not refused:\n" + "\n".join(failures)


def test_owners_get_the_pages(world: SimpleNamespace) -> None:
    """Positive control: the same URLs work for the unit that owns the object — 200 on GET; for a
    POST-only view, a POST that gets past the permission check (anything but 401/403/404/405/5xx).
    Without it, the refusals above could come from badly built URLs and prove nothing."""
    owners = clients(world.people, OWNERS, world.sessions)
    before = snapshot()
    failures: list[str] = []
    post_only: list[tuple[Route, str]] = []
    checked = 0
    for route in routes():
        if not route.params or unmapped(route):
            continue
        for url in build_urls(route, world.objects):
            statuses = {
                role: request(client, "GET", route, url).status_code for role, client in owners.items()
            }
            checked += 1
            if set(statuses.values()) == {405}:
                post_only.append((route, url))
            elif 200 not in statuses.values():
                failures.append(f"GET {url}  [{route.name}]: no owner gets 200 ({statuses})")
    if snapshot() != before:
        failures.append("reading the pages changed the database")
    # Last, as these may write (a comment, a milestone done, an approval): the POST-only views.
    for route, url in post_only:
        statuses = {role: request(client, "POST", route, url).status_code for role, client in owners.items()}
        if not any(s < 500 and s not in (401, 403, 404, 405) for s in statuses.values()):
            failures.append(
                f"POST {url}  [{route.name}]: no owner gets past the permission check ({statuses})"
            )
    assert checked > 0
    assert not failures, "\n".join(failures)


def test_pages_without_an_object_show_nothing_of_other_units(world: SimpleNamespace) -> None:
    """Home, lists, queues, API lists — and the county-wide plan the outsiders share — for every
    outsider: never a 5xx, never the marker of 住建局's objects; anonymous callers are refused."""
    people = world.people
    callers = clients(people, [*OUTSIDERS, ANONYMOUS])
    owners = clients(people, OWNERS)
    before = snapshot()
    failures: list[str] = []
    owner_saw_marker = False
    targets: list[tuple[Route, str]] = [(r, u) for r in routes() if not r.params for u in build_urls(r, {})]
    county = {"plan": [world.county_plan]}
    targets += [
        (r, u)
        for r in routes()
        if r.params and not unmapped(r) and {kind_of(r, p) for _, p in r.params} == {"plan"}
        for u in build_urls(r, county)
    ]
    for route, url in targets:
        for role, client in callers.items():
            for method in ("GET", "POST"):
                response = request(client, method, route, url)
                status = response.status_code
                if status >= 500:
                    failures.append(f"{role:<18} {method:<4} {url}  [{route.name}] → {status}")
                elif role == ANONYMOUS and not (status in (401, 403, 405) or is_login_redirect(response)):
                    failures.append(f"{role:<18} {method:<4} {url}  [{route.name}] → {outcome(response)}")
                elif MARKER in response.content.decode(errors="replace"):
                    failures.append(f"{role:<18} {method:<4} {url}  [{route.name}] shows {MARKER}")
        for client in owners.values():
            response = client.get(url)
            owner_saw_marker |= response.status_code == 200 and MARKER in response.content.decode(
                errors="replace"
            )
    if snapshot() != before:
        failures.append("the requests changed the database")
    assert owner_saw_marker, "no page shows the marker even to its owners: the leak check proves nothing"
    assert not failures, f"{len(failures)} leaks or errors:\n" + "\n".join(failures)


def test_admin_urls_are_for_staff_only(world: SimpleNamespace) -> None:
    """The Django admin is skipped above; here every admin URL sends non-staff users to its login."""
    callers = clients(world.people, [*OUTSIDERS, *OWNERS[:-1], ANONYMOUS])
    failures = []
    admin_routes = [r for r in url_table() if r.route.startswith("admin/") and not r.regex]
    for route in admin_routes:
        url = "/" + re.sub(r"<(?:\w+:)?(\w+)>", "1", route.route)
        if route.name == "admin:logout":
            continue
        for role, client in callers.items():
            response = client.get(url)
            if not (
                is_login_redirect(response) or (route.name == "admin:login" and response.status_code == 200)
            ):
                failures.append(f"{role:<18} GET {url}  [{route.name}] → {outcome(response)}")
    assert admin_routes
    assert not failures, "\n".join(failures)


def _url(name: str, *args: Any) -> str:
    from django.urls import reverse

    return reverse(name, args=args)


def test_co_units_see_and_write_their_own_note_only(world: SimpleNamespace) -> None:
    """A co-operating unit's reporter and supervisor: every write of the matrix's URLs is refused
    (403/404/405) — the lead unit's report, review, milestones, edits, 批示, requests, the API —
    except the reporter's own 配合情况; nothing changes. Pages that act are refused on GET too."""
    callers = clients(world.people, CO_UNIT_ROLES)
    before = snapshot()
    failures: list[str] = []
    acting = {
        "ledger:task_edit",
        "ledger:report_submit",
        "ledger:report_review",
        "ledger:change_request_new",
        "import:done",
        "ledger:source_download",
        "supervision:instruction_new",
        "supervision:instruction_answer",
        "supervision:comment_follow_up",
    }
    # Posted, but only read: 对账 takes an uploaded summary and stores nothing (the snapshot below
    # proves it); a co-unit reconciles the tasks it sees, like anyone who sees the plan.
    reading_posts = {"reconcile:plan"}
    for route in routes():
        if not route.params or unmapped(route):
            continue
        for url in build_urls(route, world.objects):
            for role, client in callers.items():
                own_note = route.name == "ledger:co_report_submit" and role == "finance_reporter"
                for method in ("GET", "POST"):
                    status = request(client, method, route, url).status_code
                    refused = status in (403, 404, 405)
                    if own_note:
                        ok = status == 200  # the form (an empty POST: the form with its error)
                    elif route.name in reading_posts:
                        ok = status < 500
                    elif method == "POST" or route.name in acting:
                        ok = refused
                    else:
                        ok = status < 500
                    if not ok:
                        failures.append(f"{role:<18} {method:<4} {url}  [{route.name}] → {status}")
    if snapshot() != before:
        failures.append("a co-unit changed the database")
    assert not failures, "\n".join(failures)


def test_the_owner_manages_the_assignee_reports(world: SimpleNamespace) -> None:
    """Owner versus assignee. 住建局 leads three tasks: in its own plan it also owns (edits, reviews);
    in the county plan and in the 办公室's plan it only reports — the owner's 督查 edits and reviews
    there. The 办公室 (a non-root owner) sees, reviews and comments on its plan; its reporter does
    not see the task it does not lead, nor its file, nor the plan through the API."""
    people = world.people
    c = clients(people, ["housing_supervisor", "supervisor", "office_supervisor", "office_reporter"])
    report_of = {r.task_id: r for r in world.objects["report"]}
    attachment_of = {a.report.task_id: a for a in world.objects["attachment"]}

    def status(role: str, name: str, *args: Any) -> int:
        return c[role].get(_url(name, *args)).status_code

    own, county, office = world.own_task, world.county_task, world.office_task
    assert status("housing_supervisor", "ledger:task_edit", own.pk) == 200
    assert status("housing_supervisor", "ledger:report_review", report_of[own.pk].pk) == 200
    for task in (county, office):
        assert status("housing_supervisor", "ledger:task_detail", task.pk) == 200
        assert status("housing_supervisor", "ledger:task_edit", task.pk) == 403
        assert status("housing_supervisor", "ledger:report_review", report_of[task.pk].pk) == 403
        api = c["housing_supervisor"].post(
            f"/api/reports/{report_of[task.pk].pk}/review",
            json.dumps({"approve": True, "expected_version": 1}),
            content_type="application/json",
        )
        assert api.status_code == 403
    assert status("supervisor", "ledger:task_edit", county.pk) == 200
    assert status("supervisor", "ledger:report_review", report_of[county.pk].pk) == 200
    # the 办公室 owns its plan
    for name, arg in (
        ("ledger:plan_detail", office.plan_id),
        ("ledger:task_detail", office.pk),
        ("ledger:task_edit", office.pk),
        ("ledger:report_review", report_of[office.pk].pk),
        ("ledger:attachment_download", attachment_of[office.pk].pk),
        ("api:plan_detail", office.plan_id),
    ):
        assert status("office_supervisor", name, arg) == 200, name
        assert status("office_reporter", name, arg) == 404, name
    assert status("office_supervisor", "ledger:task_detail", own.pk) == 404
    response = c["office_supervisor"].post(_url("ledger:comment_add", office.pk), {"text": "请加快"})
    assert response.status_code == 302
    assert Comment.objects.filter(task=office, author=people.office_supervisor).exists()
    plans = c["office_reporter"].get("/api/plans").json()
    assert plans["count"] == 0


def test_the_cockpit_shows_nothing_of_a_plan_asked_for_out_of_scope(world: SimpleNamespace) -> None:
    """``/cockpit/?plan=`` another unit's plan: outsiders who follow plans get a cockpit of their
    own plans (the plan asked for is passed over, as on the home), reporters are refused; nothing of
    the other unit's shows. The plan's owners see it (so the check can fail)."""
    people = world.people
    outsiders = clients(people, OUTSIDERS)
    owners = {"housing_leader": world.objects["plan"][0], "office_supervisor": world.objects["plan"][1]}
    failures = []
    for plan in world.objects["plan"]:
        url = f"{_url('front:cockpit')}?plan={plan.pk}"
        for role, client in outsiders.items():
            response = client.get(url)
            text = response.content.decode(errors="replace")
            if response.status_code not in (200, 403) or MARKER in text:
                failures.append(f"{role:<18} GET {url} → {response.status_code}, marker: {MARKER in text}")
    for role, plan in owners.items():
        [client] = clients(people, [role]).values()
        response = client.get(f"{_url('front:cockpit')}?plan={plan.pk}")
        assert response.status_code == 200 and plan.title in response.content.decode(), role
    assert not failures, "\n".join(failures)
