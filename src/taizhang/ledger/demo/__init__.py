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
    Comment,
    Milestone,
    Plan,
    ProgressReport,
    SourceDocument,
    Task,
    TaskStatus,
)
from taizhang.ledger.obligations import planned_periods
from taizhang.ledger.periods import period_bounds, plan_window, today

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

# Reasons for a 零报告 that fit the month they are given for (month -> reasons).
ZERO_REASONS: dict[int, list[str]] = {
    1: [
        "临近春节，施工队伍陆续返乡，本月现场暂停施工。",
        "本月正值冬季低温，室外施工暂停，重点做好开春复工准备。",
    ],
    2: ["春节假期期间，本月无新增实物工作量。", "春节后施工队伍尚未全部返岗，本月以复工准备为主。"],
    3: ["项目处于前期审批阶段，本月等待上级批复。"],
    4: ["项目初步设计正在省级部门审查，本月无新增进展。"],
    5: ["本月等待用地预审批复，暂未形成新的实物工作量。"],
    6: ["受持续降雨影响，本月现场施工暂停。", "进入主汛期，本月集中开展防汛值守，项目现场停工。"],
    7: [
        "主汛期防汛任务重，本月现场停工，未形成新的实物工作量。",
        "持续高温天气，本月按规定调整作业时间，进展不明显。",
    ],
    8: ["受台风强降雨影响，本月现场停工。", "持续高温天气，本月暂停露天作业。"],
    9: ["本月等待专项债券资金下达，暂未开工。"],
    10: ["国庆假期及秋收农忙，本月无新增进展。"],
    11: ["本月招标文件正在复核，暂未形成新的实物工作量。"],
    12: ["本月进入冬季低温期，室外施工暂停。"],
}

# Varied progress texts: what was done, the figures, what is in the way, what comes next.
DONE_PHRASES = [
    "召开专题推进会{n}次，逐项明确责任人和完成时限",
    "组织相关单位现场踏勘{n}次，协调解决用地、资金等问题{m}个",
    "完成{n}个子项目的方案编制和评审",
    "对照年度目标开展进度核查，梳理出需协调事项{m}项",
    "争取上级资金{n}00万元，已全部拨付到位",
    "完成{n}批次招标采购，签订合同{m}份",
    "深入{m}个镇（街道）开展督导，现场解决问题{n}个",
    "印发工作方案和任务分解表，建立周调度、月通报机制",
    "完成阶段性验收{n}项，形成验收报告",
    "组织业务培训{n}场，参训人员{m}0余人次",
    "开展入户走访和问卷调查，收集意见建议{m}条",
    "与{n}家市场主体签订合作协议，落实配套资金",
]
FIGURE_PHRASES = [
    "累计完成年度任务的{p}%",
    "累计完成投资约占年度计划的{p}%",
    "年度目标完成率达到{p}%",
    "总体进度{p}%",
    "按工作量测算，累计完成{p}%",
]
ISSUE_PHRASES = [
    "存在的问题：部分子项目前期手续办理较慢。",
    "存在的问题：配套资金到位不及时。",
    "存在的问题：个别点位群众诉求较多，协调难度大。",
    "存在的问题：施工力量不足，需增加作业面。",
    "",
    "",
]
NEXT_PHRASES = [
    "下步将加快手续办理，确保按节点推进。",
    "下一步继续加强调度，倒排工期，挂图作战。",
    "下月重点抓好质量安全监管和资金拨付。",
    "下步将加强与上级部门对接，争取更多政策支持。",
    "下一步将做好总结评估，形成可复制经验。",
    "下月计划完成剩余点位建设并组织自查。",
]
CORRECTION_NOTE = "（已按审核意见补充：本期完成工程量和投资额见附表，现场照片已补充上传。）"

# What each task shows on the supervisor's screens (assigned in plan order, see _profile):
# on time, behind 序时进度, reports missing, reports late, returned (not yet corrected), returned
# and corrected, paused; tasks whose deadline has passed are mostly done (as in a real county in
# late November), one in three overdue unfinished.
PROFILES_RUNNING = ["on_time", "behind", "missing", "late", "returned", "corrected", "on_time", "paused"]
PROFILES_PAST_DEADLINE = ["done", "overdue", "done"]


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


class Clock:
    """Timestamps of the demo's past: never later than the moment the demo is loaded."""

    def __init__(self, as_of: dt.date) -> None:
        self.as_of = as_of
        self.latest = timezone.now() - dt.timedelta(minutes=1)

    def at(self, day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
        moment = timezone.make_aware(dt.datetime.combine(min(day, self.as_of), dt.time(hour, minute)))
        return min(moment, self.latest)


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
        clock = Clock(as_of)
        profiles = _profiles(tasks, as_of)
        for index, task in enumerate(tasks):
            _progress(task, index, profiles[task.pk], clock, reporters, supervisor)
            task.refresh_from_db()
            _milestones(task, clock, supervisor)
        _comments(tasks, users, clock)
        return DemoSummary(
            units=Unit.objects.filter(pk__in=[u.pk for u in units.values()]).count(),
            users=len(users),
            tasks=len(tasks),
            reports=ProgressReport.objects.filter(task__plan=plan).count(),
            comments=sum(t.comments.count() for t in tasks),
            as_of=as_of,
        )


def _profiles(tasks: list[Task], as_of: dt.date) -> dict[int, str]:
    out: dict[int, str] = {}
    running = past = 0
    for task in tasks:
        if task.deadline is not None and task.deadline < as_of:
            out[task.pk] = PROFILES_PAST_DEADLINE[past % len(PROFILES_PAST_DEADLINE)]
            past += 1
        else:
            out[task.pk] = PROFILES_RUNNING[running % len(PROFILES_RUNNING)]
            running += 1
    return out


# Milestones at a quarter, half and all of the task's span; each done once the approved progress
# reaches its share (so done milestones and progress always agree).
MILESTONE_STEPS = [
    (25, "制定实施方案，明确责任人和时间节点", "印发实施方案"),
    (50, "完成年度任务量的一半", "形成阶段性成果并报送督查室"),
    (100, "全面完成年度任务", "通过验收并形成总结材料"),
]


def _milestones(task: Task, clock: Clock, supervisor: User) -> None:
    deadline = task.deadline or task.plan.ends_on
    start = task.plan.starts_on
    span = (deadline - start).days
    with set_actor(supervisor):
        for share, description, expected in MILESTONE_STEPS:
            due_on = start + dt.timedelta(days=span * share // 100)
            done = task.progress >= share
            Milestone.objects.create(
                task=task,
                due_on=due_on,
                description=description,
                expected_result=expected,
                done=done,
                done_on=min(due_on, clock.as_of) if done else None,
            )


def _periods_of(task: Task) -> list[str]:
    return planned_periods(task, task.plan)


def _time_share(task: Task, period: str) -> float:
    """The share of the task's time that has passed at the end of ``period`` (its 序时进度)."""
    start = task.plan.starts_on
    deadline = task.deadline or task.plan.ends_on
    end = min(period_bounds(period)[1], deadline)
    return max(0.0, min(1.0, ((end - start).days + 1) / max((deadline - start).days + 1, 1)))


def _progress(
    task: Task,
    index: int,
    profile: str,
    clock: Clock,
    reporters: dict[int | None, User],
    supervisor: User,
) -> None:
    reporter = reporters.get(task.lead_unit_id)
    if reporter is None:
        return
    as_of = clock.as_of
    rng = random.Random(f"demo-{task.code}-{task.seq}")
    plan = task.plan
    periods = [p for p in _periods_of(task) if plan_window(plan, p).opens <= as_of]
    closed = [p for p in periods if plan_window(plan, p).closes < as_of]
    skip = set(closed[-2:]) if profile == "missing" else set()
    late_ones = set(closed[-4::2]) if profile == "late" else set()
    paused_from = closed[len(closed) * 2 // 3] if profile == "paused" and closed else None
    # the period still open for reporting: about half the units have reported already
    if periods and periods[-1] not in closed and index % 2 == 0:
        periods = periods[:-1]
    percent = 0
    for number, period in enumerate(periods, start=1):
        if period in skip:
            continue
        if paused_from is not None and period >= paused_from:
            break
        window = plan_window(plan, period)
        is_open = window.closes >= as_of
        period_end = period_bounds(period)[1]
        if period in late_ones:
            day = window.closes + dt.timedelta(days=rng.randint(2, 9))
        elif is_open:
            day = max(window.opens, min(as_of, period_end - dt.timedelta(days=rng.randint(0, 3))))
        else:
            day = period_end + dt.timedelta(days=rng.randint(1, max(1, (window.closes - period_end).days)))
        day = max(window.opens, min(day, as_of))
        month = period_bounds(period)[0].month
        share = _time_share(task, period)
        zero = (
            profile in ("on_time", "behind", "late")
            and month in (2, 7)
            and number > 1
            and index % 3 != 2
            and not is_open
        )
        if not zero:
            factor = {"behind": 0.55, "overdue": 0.85, "paused": 0.8}.get(profile, 1.0)
            target = round(100 * share * factor) + rng.randint(-2, 2)
            cap = 100 if profile == "done" else 97
            percent = max(percent, min(cap, max(3, target)))
            if profile == "done" and share >= 1.0:
                percent = 100
        reasons = ZERO_REASONS[month]
        report = services.submit_report(
            task,
            reporter,
            period=period,
            text="" if zero else _report_text(rng, percent),
            percent=None if zero else percent,
            is_zero_report=zero,
            zero_reason=reasons[rng.randrange(len(reasons))] if zero else "",
            now=clock.at(day, 9 + rng.randint(0, 7), rng.randint(0, 59)),
        )
        if is_open and profile != "done":
            continue  # the current period stays 待审核 (a finished task's last report is approved)
        review_day = min(as_of, day + dt.timedelta(days=rng.randint(1, 3)))
        last = period == closed[-1]
        if (profile == "returned" and last) or (profile == "corrected" and period in closed[-2:]):
            report = services.review_report(
                report,
                supervisor,
                approve=False,
                comment=RETURN_COMMENTS[index % len(RETURN_COMMENTS)],
                expected_version=report.version,
                now=clock.at(review_day, 15),
            )
            if profile != "corrected":
                continue
            fixed_day = min(as_of, review_day + dt.timedelta(days=rng.randint(1, 2)))
            report = services.submit_report(
                task,
                reporter,
                period=period,
                text=(report.text or _report_text(rng, percent)) + CORRECTION_NOTE,
                percent=None if zero else percent,
                is_zero_report=zero,
                zero_reason=report.zero_reason,
                expected_version=report.version,
                now=clock.at(fixed_day, 11),
            )
            if last:
                continue  # the correction awaits review
            review_day = min(as_of, fixed_day + dt.timedelta(days=1))
        elif last and index % 3 == 0 and profile != "done":
            continue  # awaiting review
        services.review_report(
            report,
            supervisor,
            approve=True,
            expected_version=report.version,
            now=clock.at(review_day, 15, 30),
        )
    task.refresh_from_db()
    if profile == "paused":
        services.update_task(task, {"status": TaskStatus.PAUSED}, task.version, supervisor)
    elif profile == "missing" and task.status != TaskStatus.DONE:
        # the supervisor has marked it 滞后 after two months without a report
        services.update_task(task, {"status": TaskStatus.DELAYED}, task.version, supervisor)


def _report_text(rng: random.Random, percent: int) -> str:
    n, m = rng.randint(1, 6), rng.randint(2, 9)
    done = rng.sample(DONE_PHRASES, 2)
    text = (
        f"本期{done[0].format(n=n, m=m)}，{done[1].format(n=m, m=n)}，"
        f"{rng.choice(FIGURE_PHRASES).format(p=percent)}。"
        f"{rng.choice(ISSUE_PHRASES)}{rng.choice(NEXT_PHRASES)}"
    )
    return text


def _comments(tasks: list[Task], users: dict[str, User], clock: Clock) -> None:
    if not tasks:
        return
    lagging = [t for t in tasks if t.status == TaskStatus.DELAYED] or tasks[:1]
    said = [
        (
            lagging[0],
            "xianzhang",
            "该项工作进度滞后，请牵头单位主要负责同志亲自调度，倒排工期，确保年底前完成。",
            6,
        ),
        (tasks[0], "xianzhang", "项目建设是全年工作的重中之重，请发改局每月专题汇报一次。", 20),
        (tasks[-1], "duchashi", "请牵头单位于下月5日前报送阶段性成果，督查室将开展实地核查。", 3),
    ]
    transport = [t for t in tasks if t.lead_unit and t.lead_unit.code == "SFX-JTJ"]
    if transport:
        said.append((transport[0], "jt_juzhang", "请公路建设股加强质量安全监管，按月报送进度。", 12))
    for task, username, text, days_ago in said:
        comment = services.add_comment(task, users[username], text)
        # dated in the demo's past, as the reports are
        Comment.objects.filter(pk=comment.pk).update(
            created_at=clock.at(clock.as_of - dt.timedelta(days=days_ago), 16)
        )
