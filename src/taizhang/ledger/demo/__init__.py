"""The demo: 示范县, a small county with its units, users of every role, and its 2026 plan.

The plan is read from ``plan_2026.txt`` (written for this project, in the genre) by the document
engine, exactly as an imported plan; then months of progress, reviews, milestones and 批示 are
generated deterministically up to the "as of" date (default: today in Asia/Shanghai), going
through ``taizhang.ledger.services`` so that permissions, validation and the audit log apply.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass
from pathlib import Path

from auditlog.context import set_actor
from django.db import transaction
from django.utils import timezone

from taizhang import reports
from taizhang.accounts.models import Role, Unit, User
from taizhang.ledger import services
from taizhang.ledger.drafts import drafts_from_parse
from taizhang.ledger.models import (
    Milestone,
    Plan,
    ProgressReport,
    SourceDocument,
    Task,
    TaskStatus,
)
from taizhang.ledger.periods import plan_window, task_periods, today

PLAN_FILE = Path(__file__).with_name("plan_2026.txt")
PLAN_YEAR = 2026
DEMO_PASSWORD = "demo12345"
ROOT_CODE = "SFX"

# (code, name, short name, aliases, reporter username or "", children [(code, name)])
UNITS: list[tuple[str, str, str, str, str, list[tuple[str, str]]]] = [
    ("SFX-BGS", "县政府办公室", "县政府办", "督查室、县政府督查室、县政府办公室（督查室）", "", []),
    ("SFX-FGJ", "县发展和改革局", "发改局", "县发改局", "fagai", []),
    ("SFX-CZJ", "县财政局", "财政局", "", "caizheng", []),
    ("SFX-ZJJ", "县住房和城乡建设局", "住建局", "县住建局", "zhujian", []),
    (
        "SFX-JTJ",
        "县交通运输局",
        "交通局",
        "县交通局",
        "jiaotong",
        [("SFX-JTJ-BGS", "办公室"), ("SFX-JTJ-GLG", "公路建设股")],
    ),
    ("SFX-GGJ", "县公共资源交易管理局", "公管局", "县公管局、县公共资源交易中心", "gongguan", []),
    ("SFX-SWJ", "县商务局", "商务局", "", "shangwu", []),
    ("SFX-WJW", "县卫生健康委员会", "卫健委", "县卫健委、县卫健局", "weijian", []),
    ("SFX-JYJ", "县教育局", "教育局", "", "jiaoyu", []),
    ("SFX-NYJ", "县农业农村局", "农业农村局", "县农业局", "nongye", []),
    ("SFX-CGJ", "县城市管理局", "城管局", "县城管局、县城市管理综合执法局", "chengguan", []),
    ("SFX-ZRJ", "县自然资源局", "自然资源局", "县自然资源和规划局", "ziran", []),
    ("SFX-RSJ", "县人力资源和社会保障局", "人社局", "县人社局", "renshe", []),
    (
        "SFX-QSZ",
        "青石镇",
        "",
        "青石镇人民政府",
        "qingshi",
        [("SFX-QSZ-DZB", "党政办公室"), ("SFX-QSZ-JFB", "经济发展办公室")],
    ),
    ("SFX-LTZ", "柳塘镇", "", "柳塘镇人民政府", "liutang", [("SFX-LTZ-DZB", "党政办公室")]),
]

# Fictional deputies in charge (分管副县长), by lead unit code.
LEADERS = {
    "SFX-FGJ": "王建军",
    "SFX-CZJ": "王建军",
    "SFX-SWJ": "王建军",
    "SFX-ZJJ": "陈志强",
    "SFX-JTJ": "陈志强",
    "SFX-GGJ": "陈志强",
    "SFX-CGJ": "陈志强",
    "SFX-ZRJ": "陈志强",
    "SFX-WJW": "刘芳",
    "SFX-JYJ": "刘芳",
    "SFX-RSJ": "刘芳",
    "SFX-NYJ": "赵国庆",
    "SFX-QSZ": "赵国庆",
    "SFX-LTZ": "赵国庆",
}


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    unit_code: str
    full_name: str
    note: str


# The accounts printed by `taizhang serve --demo` (all with DEMO_PASSWORD).
ACCOUNTS = [
    DemoAccount("admin", Role.ADMIN, ROOT_CODE, "系统管理员", "管理员：用户、单位、后台"),
    DemoAccount("duchashi", Role.SUPERVISOR, ROOT_CODE, "周督查", "县政府督查室：导入计划、审核进展（全县）"),
    DemoAccount("xianzhang", Role.LEADER, ROOT_CODE, "李县长", "县领导：查看全县、批示"),
    DemoAccount("jiaotong", Role.REPORTER, "SFX-JTJ", "孙填报", "交通运输局填报员：报送进展"),
    DemoAccount("jt_duchashi", Role.SUPERVISOR, "SFX-JTJ", "吴主任", "交通运输局办公室：审核本局任务"),
    DemoAccount("jt_juzhang", Role.LEADER, "SFX-JTJ", "郑局长", "交通运输局局长：查看本局、批示"),
]

RETURN_COMMENTS = [
    "进展表述过于笼统，请补充本月完成的具体工程量和投资额。",
    "完成进度与上月相比没有变化，请说明原因并补充佐证材料。",
    "请补充节点完成情况，并附现场照片。",
]
ZERO_REASONS = [
    "受雨季影响，本月现场施工暂停，未形成新的实物工作量。",
    "项目处于前期审批阶段，本月等待上级批复。",
    "春节假期期间，本月无新增进展。",
]


@dataclass
class DemoSummary:
    units: int
    users: int
    tasks: int
    reports: int
    comments: int
    as_of: dt.date


def database_is_empty() -> bool:
    return not (Unit.objects.exists() or User.objects.exists() or Plan.objects.exists())


def _unit(code: str, name: str, parent: Unit | None, order: int, short: str = "", aliases: str = "") -> Unit:
    unit, _ = Unit.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "parent": parent,
            "sort_order": order,
            "short_name": short,
            "aliases": aliases,
        },
    )
    return unit


def _user(username: str, role: str, unit: Unit, full_name: str, *, admin: bool = False) -> User:
    user, _ = User.objects.update_or_create(
        username=username,
        defaults={
            "role": role,
            "unit": unit,
            "full_name": full_name,
            "is_active": True,
            "is_staff": admin,
            "is_superuser": admin,
        },
    )
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    return user


def _build_units_and_users() -> tuple[dict[str, Unit], dict[str, User]]:
    units: dict[str, Unit] = {}
    root = _unit(ROOT_CODE, "示范县人民政府", None, 0, "县政府", "示范县政府、县政府")
    units[ROOT_CODE] = root
    users: dict[str, User] = {}
    for order, (code, name, short, aliases, reporter, children) in enumerate(UNITS, start=1):
        unit = _unit(code, name, root, order, short, aliases)
        units[code] = unit
        for child_order, (child_code, child_name) in enumerate(children, start=1):
            units[child_code] = _unit(child_code, child_name, unit, child_order)
        if reporter:
            label = short or name
            users[reporter] = _user(reporter, Role.REPORTER, unit, f"{label}填报员")
    for account in ACCOUNTS:
        users[account.username] = _user(
            account.username,
            account.role,
            units[account.unit_code],
            account.full_name,
            admin=account.role == Role.ADMIN,
        )
    return units, users


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def load_demo(as_of: dt.date | None = None) -> DemoSummary:
    """Create (or re-create) the demo; idempotent: units and users are updated in place, the demo
    plan (identified by its document's hash) is replaced."""
    as_of = as_of or today()
    with transaction.atomic():
        units, users = _build_units_and_users()
        supervisor = users["duchashi"]
        data = PLAN_FILE.read_bytes()
        text = data.decode("utf-8")
        digest = hashlib.sha256(data).hexdigest()
        with set_actor(supervisor):  # re-running replaces the demo plan, nothing else
            Plan.objects.filter(source__sha256=digest).delete()
            SourceDocument.objects.filter(sha256=digest).delete()
        source, _ = services.store_source_document(PLAN_FILE.name, data, text, supervisor, "text/plain")
        result = reports.parse_text(text, source=PLAN_FILE.name)
        title = result.documents[0].title if result.documents else text.splitlines()[0].strip()
        drafts = drafts_from_parse(result, [u for u in units.values() if u.parent_id is not None], PLAN_YEAR)
        code_of = {u.pk: code for code, u in units.items()}
        for draft in drafts:
            if not draft.leader_name and draft.lead_unit is not None:
                draft.leader_name = LEADERS.get(code_of.get(draft.lead_unit.pk, ""), "")
        plan = services.create_plan_with_tasks(
            owner_unit=units[ROOT_CODE],
            year=PLAN_YEAR,
            title=title,
            user=supervisor,
            drafts=drafts,
            source=source,
        )
        reporters = {u.unit_id: u for u in users.values() if u.role == Role.REPORTER}
        tasks = list(plan.tasks.select_related("plan", "lead_unit").order_by("seq"))
        for index, task in enumerate(tasks):
            _milestones(task, as_of, supervisor)
            _progress(task, index, as_of, reporters, supervisor)
        _comments(tasks, users, as_of)
        return DemoSummary(
            units=Unit.objects.filter(pk__in=[u.pk for u in units.values()]).count(),
            users=len(users),
            tasks=len(tasks),
            reports=ProgressReport.objects.filter(task__plan=plan).count(),
            comments=sum(t.comments.count() for t in tasks),
            as_of=as_of,
        )


def _milestones(task: Task, as_of: dt.date, supervisor: User) -> None:
    deadline = task.deadline or task.plan.ends_on
    start = task.plan.starts_on
    span = (deadline - start).days
    steps = [
        (start + dt.timedelta(days=span // 4), "制定实施方案，明确责任人和时间节点", "印发实施方案"),
        (start + dt.timedelta(days=span // 2), "完成年度任务量的一半", "形成阶段性成果并报送督查室"),
        (deadline, "全面完成年度任务", "通过验收并形成总结材料"),
    ]
    with set_actor(supervisor):
        for due_on, description, expected in steps:
            done = due_on < as_of and (task.seq % 7 != 3 or due_on == steps[0][0])
            Milestone.objects.create(
                task=task,
                due_on=due_on,
                description=description,
                expected_result=expected,
                done=done,
                done_on=due_on if done else None,
            )


def _progress(
    task: Task, index: int, as_of: dt.date, reporters: dict[int | None, User], supervisor: User
) -> None:
    reporter = reporters.get(task.lead_unit_id)
    if reporter is None:
        return
    rng = random.Random(f"demo-{task.code}-{task.seq}")
    periods = [p for p in task_periods(task) if plan_window(task.plan, p).opens <= as_of]
    lagging = index % 7 == 3  # stops reporting: its last two closed periods are missing
    closed = [p for p in periods if plan_window(task.plan, p).closes < as_of]
    skip = set(closed[-2:]) if lagging else set()
    total = max(len(task_periods(task)), 1)
    percent = 0
    for number, period in enumerate(periods, start=1):
        if period in skip:
            continue
        window = plan_window(task.plan, period)
        is_open = window.closes >= as_of
        late = index % 5 == 2 and number % 4 == 0 and not is_open
        day = (
            window.closes + dt.timedelta(days=rng.randint(1, 6))
            if late
            else window.closes - dt.timedelta(days=rng.randint(0, 4))
        )
        day = min(max(day, window.opens), as_of)
        zero = index % 6 == 4 and number % 3 == 2
        if not zero:
            target = round(100 * number / total) - (15 if lagging else 0)
            percent = max(percent, min(100, max(5, target + rng.randint(-3, 3))))
        report = services.submit_report(
            task,
            reporter,
            period=period,
            text="" if zero else _report_text(task, number, percent),
            percent=None if zero else percent,
            is_zero_report=zero,
            zero_reason=ZERO_REASONS[number % len(ZERO_REASONS)] if zero else "",
            now=_at(day),
        )
        if is_open:
            continue  # the current period stays 待审核
        review_day = min(as_of, day + dt.timedelta(days=2))
        if index % 4 == 1 and period == closed[-1]:
            services.review_report(
                report,
                supervisor,
                approve=False,
                comment=RETURN_COMMENTS[index % len(RETURN_COMMENTS)],
                expected_version=report.version,
                now=_at(review_day, 15),
            )
        elif period == closed[-1] and index % 3 == 0:
            continue  # awaiting review
        else:
            services.review_report(
                report, supervisor, approve=True, expected_version=report.version, now=_at(review_day, 15)
            )
    task.refresh_from_db()
    if lagging and task.status != TaskStatus.DONE:
        services.update_task(task, {"status": TaskStatus.DELAYED}, task.version, supervisor)
    elif index == 11:
        services.update_task(task, {"status": TaskStatus.PAUSED}, task.version, supervisor)


def _report_text(task: Task, number: int, percent: int) -> str:
    subject = task.title.rstrip("。")
    phrases = [
        f"本期围绕“{subject}”召开专题推进会1次，细化分解任务，落实专人负责。",
        f"“{subject}”按节点有序推进，本期完成阶段工作量，累计完成年度任务的{percent}%。",
        f"本期开展现场调度，协调解决用地、资金等问题{number % 3 + 1}个，“{subject}”累计完成{percent}%。",
    ]
    return phrases[number % len(phrases)]


def _comments(tasks: list[Task], users: dict[str, User], as_of: dt.date) -> None:
    if not tasks:
        return
    lagging = [t for t in tasks if t.status == TaskStatus.DELAYED] or tasks[:1]
    services.add_comment(
        lagging[0],
        users["xianzhang"],
        "该项工作进度滞后，请牵头单位主要负责同志亲自调度，倒排工期，确保年底前完成。",
    )
    services.add_comment(
        tasks[0], users["xianzhang"], "项目建设是全年工作的重中之重，请发改局每月专题汇报一次。"
    )
    services.add_comment(
        tasks[-1], users["duchashi"], "请牵头单位于下月5日前报送阶段性成果，督查室将开展实地核查。"
    )
    transport = [t for t in tasks if t.lead_unit and t.lead_unit.code == "SFX-JTJ"]
    if transport:
        services.add_comment(
            transport[0], users["jt_juzhang"], "请公路建设股加强质量安全监管，按月报送进度。"
        )
