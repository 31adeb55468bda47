"""The archive's part of the demo: three years of 示范县's year-end reports, so that search finds
something on the first start.

The texts are written for this project (never taken from the corpus): for each unit a few lines of
work, problems and plans in the genre, put together per year with figures drawn from a seeded
generator — the same demo every time. 2023 and 2024 come as the county office's compilations (汇编),
2025 as each unit's own file (交通运输局's revised once, so a document has two versions), plus a
quarterly bulletin. The 2026 plan document is archived already, by the ledger's import of it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.db import transaction

from taizhang.accounts.models import Unit, User
from taizhang.archive import services
from taizhang.archive.models import ArchivedDocument

YEARS = (2023, 2024, 2025)
COUNTY = "示范县"


@dataclass(frozen=True)
class Topic:
    heading: str  # a summary section's run-in heading
    done: tuple[str, ...]  # what was done, with {a} {b} {c} figures
    plan: str  # the next year's item: heading。body


@dataclass(frozen=True)
class UnitText:
    code: str
    name: str  # as the unit writes itself in a title
    we: str  # how it says 我局 / 我镇
    duty: str  # its year in one clause
    topics: tuple[Topic, ...]
    problems: tuple[str, ...]


UNITS: tuple[UnitText, ...] = (
    UnitText(
        "SFX-FGJ",
        "县发展和改革局",
        "我局",
        "围绕稳增长、促投资、优环境履职尽责",
        (
            Topic(
                "项目谋划储备扎实推进",
                (
                    "全年谋划储备亿元以上项目{a}个，争取中央预算内投资和专项债券资金{b}亿元",
                    "对{c}个重点在建项目实行“一项目一专班”，按月调度、按季通报",
                ),
                "抓实项目谋划。围绕产业升级和城乡基础设施谋划储备一批大项目，争取更多项目进入上级盘子",
            ),
            Topic(
                "营商环境持续优化",
                (
                    "牵头开展优化营商环境提升行动，梳理改革任务{a}项并逐项销号",
                    "建立企业诉求“直通车”机制，协调解决市场主体反映问题{b}个",
                ),
                "深化营商环境改革。对标先进地区查找短板，落实惠企政策免申即享，持续擦亮营商环境品牌",
            ),
            Topic(
                "节能降碳有序推进",
                ("完成年度能耗双控目标，单位地区生产总值能耗下降{a}.{b}%", "开展重点用能单位节能监察{c}家次"),
                "推进绿色低碳发展。加强重点用能单位管理，推动光伏等清洁能源项目落地",
            ),
        ),
        (
            "项目储备质量不高，成熟度高、带动力强的大项目偏少",
            "部分惠企政策知晓率不高，政策落地存在“最后一公里”问题",
        ),
    ),
    UnitText(
        "SFX-CZJ",
        "县财政局",
        "我局",
        "坚持过紧日子，保障重点支出",
        (
            Topic(
                "财政收入稳中有进",
                (
                    "完成一般公共预算收入{a}.{b}亿元，同比增长{c}%",
                    "加强重点税源监控，建立税收协同共治机制，清缴欠税{b}00万元",
                ),
                "抓好收入组织。强化收入征管和非税收入管理，确保一般公共预算收入完成年度目标",
            ),
            Topic(
                "惠企资金直达快享",
                (
                    "兑现各类惠企资金{a}00万元，惠及市场主体{b}0余家，助力优化营商环境",
                    "推行政府采购合同融资，为中小企业办理合同融资{c}笔",
                ),
                "服务营商环境建设。落实政府采购支持中小企业政策，提高惠企资金拨付效率",
            ),
            Topic(
                "预算绩效管理全面推开",
                (
                    "对{a}个重点项目开展绩效评价，评价结果与预算安排挂钩",
                    "压减一般性支出{b}%，统筹资金保障民生",
                ),
                "深化预算绩效管理。扩大重点绩效评价范围，把绩效结果作为安排预算的重要依据",
            ),
        ),
        ("财政收支矛盾突出，刚性支出增长较快", "部分项目资金支出进度偏慢，资金沉淀问题仍然存在"),
    ),
    UnitText(
        "SFX-ZJJ",
        "县住房和城乡建设局",
        "我局",
        "聚焦城市更新和住房保障",
        (
            Topic(
                "老旧小区改造加快实施",
                (
                    "完成老旧小区改造{a}个，惠及居民{b}00户",
                    "同步改造燃气、供水管网{c}公里，加装电梯{a}部",
                ),
                "推进城市更新。实施老旧小区改造和城市燃气管道更新，完善社区养老托育等配套设施",
            ),
            Topic(
                "工程建设项目审批提速",
                (
                    "深化工程建设项目审批制度改革，社会投资简易低风险项目审批时限压减至{a}个工作日",
                    "推行施工图联合审查和竣工联合验收，为企业节省时间约{b}0天，进一步优化营商环境",
                ),
                "提升审批服务效能。推广“拿地即开工”，持续压缩审批时限",
            ),
            Topic(
                "建筑安全形势稳定",
                ("开展建筑施工安全专项检查{a}次，排查整改隐患{b}0余处", "全年未发生较大及以上建筑安全事故"),
                "守牢安全底线。开展建筑施工和城镇燃气安全隐患排查整治，压实企业主体责任",
            ),
        ),
        ("老旧小区改造群众意见协调难度大，部分项目进度滞后", "房地产市场仍处调整期，去库存压力较大"),
    ),
    UnitText(
        "SFX-JTJ",
        "县交通运输局",
        "我局",
        "加快补齐交通短板",
        (
            Topic(
                "县道改造提升有力推进",
                ("完成县道大修和改造{a}公里，完成投资{b}.{c}亿元", "实施县道安全生命防护工程{c}0公里"),
                "推进县道改造提升。加快县道大修和改造，提升路网通行能力和安全水平",
            ),
            Topic(
                "四好农村路建设提质",
                (
                    "新改建农村公路{a}公里，改造危桥{c}座",
                    "全面推行农村公路“路长制”，落实县、镇、村三级路长{b}0余名",
                ),
                "建设四好农村路。新改建农村公路，完成危桥改造，健全农村公路管护长效机制",
            ),
            Topic(
                "城乡公交服务提升",
                ("新开通镇村公交线路{c}条，建制村通客车率保持100%", "更新新能源公交车{a}辆"),
                "优化城乡公交线网。推进城乡客运一体化，提升镇村公交服务水平",
            ),
        ),
        ("交通建设资金筹措难度大，项目推进受制约", "农村公路养护资金不足，部分路段路况下降"),
    ),
    UnitText(
        "SFX-GGJ",
        "县公共资源交易管理局",
        "我局",
        "以政务服务改革助力营商环境优化",
        (
            Topic(
                "政务服务一网通办",
                (
                    "高频事项网上可办率达到{a}%，“一件事一次办”事项增至{b}项",
                    "开设“办不成事”反映窗口，帮办代办企业事项{c}00余件",
                ),
                "深化一网通办。推动更多高频事项网上办、掌上办，打造营商环境“金字招牌”",
            ),
            Topic(
                "公共资源交易规范高效",
                (
                    "完成公共资源交易项目{a}个，交易额{b}.{c}亿元，节约资金{c}000万元",
                    "全面推行不见面开标和远程异地评标",
                ),
                "规范公共资源交易。推行全流程电子化交易，加强评标专家管理",
            ),
            Topic(
                "营商环境评价问题整改",
                ("对照营商环境评价反馈问题{a}个逐项整改", "开展政务服务“好差评”，群众满意率{b}%"),
                "抓好营商环境评价整改。对照评价指标补短板、强弱项",
            ),
        ),
        ("部分部门数据共享不够，网上办理深度不足", "基层政务服务人员业务能力有待提升"),
    ),
    UnitText(
        "SFX-SWJ",
        "县商务局",
        "我局",
        "稳外贸、促消费、抓招商",
        (
            Topic(
                "招商引资成效明显",
                ("新签约亿元以上项目{a}个，实际到位资金{b}.{c}亿元", "开展驻点招商和以商招商活动{c}0余次"),
                "深化招商引资。聚焦主导产业开展精准招商，提高项目签约落地率",
            ),
            Topic(
                "消费市场回暖向好",
                (
                    "实现社会消费品零售总额{a}.{b}亿元，同比增长{c}%",
                    "举办促消费活动{c}场，发放消费券{b}00万元",
                ),
                "激发消费活力。培育夜间经济和县域商业体系，扩大农村消费",
            ),
            Topic(
                "外贸外资稳中提质",
                ("完成外贸进出口{a}.{b}亿元", "帮助外贸企业办理出口信用保险{c}0余单，营商环境满意度持续提升"),
                "稳住外贸外资基本盘。支持企业开拓国际市场，优化涉外营商环境",
            ),
        ),
        ("招商项目落地转化率不高，部分签约项目推进缓慢", "外贸企业规模偏小，抗风险能力弱"),
    ),
    UnitText(
        "SFX-WJW",
        "县卫生健康委员会",
        "我委",
        "推进健康示范县建设",
        (
            Topic(
                "医共体建设走深走实",
                (
                    "紧密型县域医共体实现人员、财务、药品统一管理，县域内就诊率{a}%",
                    "组建专家团队下沉基层坐诊{b}00人次",
                ),
                "推进紧密型县域医共体建设。提升县级医院综合能力，做强基层医疗卫生服务",
            ),
            Topic(
                "基层医疗能力提升",
                ("改造提升村卫生室{a}所，新增家庭医生签约{b}000人", "开展基层卫生人员培训{c}期"),
                "提升基层服务能力。推进村卫生室标准化建设，做实家庭医生签约服务",
            ),
            Topic(
                "公共卫生体系完善",
                ("完成重点人群健康体检{a}000人次", "孕产妇系统管理率达到{b}%"),
                "织牢公共卫生防护网。健全疾病预防控制体系，提升应急处置能力",
            ),
        ),
        ("基层医疗人才引不进、留不住问题突出", "县级医院部分专科能力不足，群众外转就医仍较多"),
    ),
    UnitText(
        "SFX-JYJ",
        "县教育局",
        "我局",
        "办好人民满意的教育",
        (
            Topic(
                "学位供给持续扩大",
                ("新建、改扩建中小学和幼儿园{c}所，新增学位{a}00个", "城区大班额全面消除"),
                "扩大优质学位供给。加快中小学和幼儿园新建改扩建项目建设",
            ),
            Topic(
                "教师队伍建设加强",
                ("招聘中小学教师{a}名，交流轮岗教师{b}名", "开展教师全员培训{c}000人次"),
                "建强教师队伍。完善教师招聘和交流轮岗机制，提升教师专业能力",
            ),
            Topic(
                "课后服务全面覆盖",
                ("义务教育学校课后服务覆盖率100%", "建设智慧校园{c}所"),
                "提升教育质量。深化课堂教学改革，推进教育数字化",
            ),
        ),
        ("城乡教育资源不均衡，乡村学校师资偏弱", "学前教育普惠资源仍有缺口"),
    ),
    UnitText(
        "SFX-NYJ",
        "县农业农村局",
        "我局",
        "全面推进乡村振兴",
        (
            Topic(
                "粮食生产稳定",
                ("粮食播种面积稳定在{a}万亩以上，新建高标准农田{c}万亩", "推广水稻机插秧{b}万亩"),
                "稳定粮食生产。落实耕地保护和粮食安全责任，建设高标准农田",
            ),
            Topic(
                "特色产业壮大",
                ("茶叶、食用菌两大主导产业综合产值{a}.{b}亿元", "新增省级龙头企业{c}家，培育家庭农场{b}0家"),
                "做强特色产业。延伸茶叶、食用菌产业链，培育农产品区域公共品牌",
            ),
            Topic(
                "人居环境整治提升",
                ("农村卫生厕所普及率{a}%", "建成美丽乡村示范点{c}个"),
                "建设和美乡村。持续开展农村人居环境整治，推进农村生活垃圾分类",
            ),
        ),
        ("农业产业链条短，精深加工不足", "农村人居环境长效管护机制不健全"),
    ),
    UnitText(
        "SFX-CGJ",
        "县城市管理局",
        "我局",
        "推进城市精细化管理",
        (
            Topic(
                "市容秩序明显改善",
                ("开展占道经营专项整治{c}0次，拆除违法建设{a}00平方米", "规范设置便民摊点{b}处"),
                "推进城市精细化管理。常态化开展占道经营和违法建设整治",
            ),
            Topic(
                "生活垃圾分类扎实推进",
                ("城区生活垃圾分类覆盖率达到{a}%", "建成垃圾分类屋{c}座，新增分类达标小区{b}个"),
                "完善垃圾分类体系。扩大生活垃圾分类覆盖面，提升分类投放准确率",
            ),
            Topic(
                "市政设施提档升级",
                ("改造提升城市道路{c}条，新增停车泊位{a}00个", "新建改建公厕{b}座"),
                "补齐市政设施短板。推进城市道路、停车设施和公厕建设",
            ),
        ),
        ("城市管理执法力量不足，部分区域管理存在盲区", "垃圾分类居民参与度不高"),
    ),
    UnitText(
        "SFX-ZRJ",
        "县自然资源局",
        "我局",
        "保障发展、保护资源",
        (
            Topic(
                "用地保障有力",
                ("保障重点项目用地{a}00亩，盘活批而未供和闲置土地{b}00亩", "完成国土空间总体规划编制"),
                "做好要素保障。加快重点项目用地报批，盘活存量建设用地",
            ),
            Topic(
                "不动产登记便民利企",
                (
                    "一般不动产登记压缩至{c}个工作日内办结",
                    "推行“交房即交证”项目{a}个，营商环境登记财产指标提升",
                ),
                "优化不动产登记服务。推进登记、交易、缴税一窗办理，助力营商环境优化",
            ),
            Topic(
                "耕地保护严格落实",
                ("落实耕地保护目标，整改耕地“非农化”图斑{a}0个", "开展地质灾害隐患排查{b}次"),
                "严守耕地红线。落实田长制，开展耕地保护专项整治",
            ),
        ),
        ("用地指标紧张，项目落地受制约", "历史遗留不动产登记问题化解难度大"),
    ),
    UnitText(
        "SFX-RSJ",
        "县人力资源和社会保障局",
        "我局",
        "稳就业、保民生",
        (
            Topic(
                "就业形势总体稳定",
                (
                    "城镇新增就业{a}00人，城镇调查失业率控制在{c}.{b}%以内",
                    "举办招聘会{c}0场，提供岗位{b}000个",
                ),
                "稳定和扩大就业。做好高校毕业生、农民工等重点群体就业服务",
            ),
            Topic(
                "社会保障扩面提质",
                ("企业职工养老保险参保{a}000人", "发放失业保险稳岗返还{b}00万元，为企业纾困减负"),
                "完善社会保障体系。推进全民参保，落实惠企稳岗政策",
            ),
            Topic(
                "技能人才培养加强",
                ("开展职业技能培训{a}00人次", "新增技能人才{b}00人"),
                "加强技能人才培养。实施职业技能提升行动",
            ),
        ),
        ("结构性就业矛盾突出，企业招工难与求职难并存", "部分灵活就业人员参保意愿不强"),
    ),
    UnitText(
        "SFX-QSZ",
        "青石镇",
        "我镇",
        "聚焦产业发展和乡村振兴",
        (
            Topic(
                "镇域经济稳步发展",
                ("完成固定资产投资{a}.{b}亿元，新引进企业{c}家", "茶叶加工园区新建标准厂房{b}000平方米"),
                "壮大镇域经济。做强茶叶加工园区，抓好项目招引和企业服务",
            ),
            Topic(
                "美丽乡村建设见效",
                ("打造美丽乡村示范点{c}个，整治农村人居环境{a}处", "新改建通村道路{b}公里"),
                "建设美丽乡村。推进示范点建设和人居环境整治",
            ),
            Topic(
                "基层治理有序",
                ("化解矛盾纠纷{a}0起，调处成功率{b}%", "建成村级综治中心{c}个"),
                "提升基层治理水平。深化网格化管理，做好矛盾纠纷排查化解",
            ),
        ),
        ("镇村集体经济薄弱，增收渠道少", "项目建设要素保障不足"),
    ),
    UnitText(
        "SFX-LTZ",
        "柳塘镇",
        "我镇",
        "推进农文旅融合发展",
        (
            Topic(
                "农文旅融合发展",
                ("接待游客{a}万人次，实现旅游收入{b}00万元", "举办柳塘荷花节等节庆活动{c}场"),
                "做活农文旅融合。完善景区配套设施，培育民宿和乡村旅游精品线路",
            ),
            Topic(
                "特色种养做大",
                ("新发展莲藕、小龙虾种养{a}00亩", "培育农民专业合作社{c}家"),
                "发展特色种养。扩大莲藕和稻虾共作规模，带动农户增收",
            ),
            Topic(
                "人居环境整治",
                ("清理河塘沟渠{a}0公里", "农村生活垃圾分类覆盖{c}个村"),
                "改善人居环境。推进河塘清淤和垃圾分类，建设宜居村庄",
            ),
        ),
        ("旅游基础设施薄弱，接待能力不足", "特色产业品牌影响力不强"),
    ),
)

OPENING = "{year}年，{unit}在县委、县政府的坚强领导下，{duty}，各项工作取得新进展。现将有关情况报告如下。"
PLAN_OPENING = "{next}年，{we}将继续{duty}，重点抓好以下工作。"
NUMERALS = "一二三四五六七八九十"


def _figures(rng: random.Random) -> dict[str, int]:
    return {"a": rng.randint(3, 60), "b": rng.randint(2, 9), "c": rng.randint(2, 9)}


def unit_report(text: UnitText, year: int, revision: int = 0) -> str:
    """One unit's year-end report: the year's work, its problems, next year's plan."""
    rng = random.Random(f"archive-demo-{text.code}-{year}-{revision}")
    lines = [f"{text.name}{year}年工作总结及{year + 1}年工作计划", ""]
    lines.append(OPENING.format(year=year, unit=text.name, duty=text.duty))
    lines += ["", f"一、{year}年工作总结", ""]
    for i, topic in enumerate(text.topics):
        done = "；".join(sentence.format(**_figures(rng)) for sentence in topic.done)
        lines.append(f"（{NUMERALS[i]}）{topic.heading}。{done}。")
    lines += ["", "二、存在的问题", ""]
    lines.append("".join(f"{NUMERALS[i]}是{p}。" for i, p in enumerate(text.problems)))
    lines += ["", f"三、{year + 1}年工作计划", ""]
    lines.append(PLAN_OPENING.format(next=year + 1, we=text.we, duty=text.duty))
    for i, topic in enumerate(text.topics):
        lines.append(f"（{NUMERALS[i]}）{topic.plan}。")
    if revision:
        lines.append(
            f"（{NUMERALS[len(text.topics)]}）抓好督查问题整改。对照县委、县政府督查反馈问题建立清单，逐项整改销号。"
        )
    return "\n".join(lines) + "\n"


def compilation(year: int) -> str:
    head = f"{COUNTY}各部门{year}年工作总结及{year + 1}年工作计划汇编"
    return "\n\n".join([head, *(unit_report(text, year) for text in UNITS)])


def bulletin(year: int) -> str:
    rng = random.Random(f"archive-demo-bulletin-{year}")
    lines = [f"{COUNTY}{year}年第三季度重点工作推进情况通报", ""]
    lines.append(
        f"今年以来，全县各责任单位按照“一月一通报，一季一调度”的要求推进重点工作。"
        f"截至9月底，{rng.randint(40, 60)}项重点任务中已完成{rng.randint(8, 15)}项，"
        f"序时推进{rng.randint(20, 30)}项，滞后{rng.randint(2, 6)}项。"
    )
    lines += ["", "一、总体进展", ""]
    lines.append(
        "项目建设、营商环境、民生实事等重点工作总体有序推进。县发展和改革局牵头的重大项目谋划储备进展较快，"
        "县公共资源交易管理局高频事项网上可办率提前达到年度目标。"
    )
    lines += ["", "二、存在的问题", ""]
    lines.append(
        "一是部分项目前期手续办理滞后，影响开工进度。二是个别单位报送进展不及时、内容不具体。"
        "三是老旧小区改造、农村公路建设等任务序时进度偏慢。"
    )
    lines += ["", "三、下一步工作要求", ""]
    lines.append("（一）倒排工期。各责任单位要对照年度目标倒排工期、挂图作战，确保滞后任务在年底前赶上进度。")
    lines.append("（二）强化督办。督查室对滞后任务发出督办通知，实行红黄绿三色管理，按月通报。")
    return "\n".join(lines) + "\n"


def load_demo() -> list[str]:
    """Archive the demo county's reports (once: bytes archived before are skipped)."""
    units = {u.code: u for u in Unit.objects.filter(code__startswith="SFX")}
    office = User.objects.filter(username="duchashi").first()
    root = units.get("SFX")
    files: list[tuple[str, str, Unit | None]] = []
    for year in YEARS[:-1]:
        files.append(
            (f"{COUNTY}各部门{year}年工作总结及{year + 1}年工作计划汇编.txt", compilation(year), root)
        )
    last = YEARS[-1]
    for text in UNITS:
        files.append((f"{text.name}{last}年工作总结.txt", unit_report(text, last), units.get(text.code)))
    files.append((f"{COUNTY}{last}年第三季度重点工作推进情况通报.txt", bulletin(last), root))
    # A revised report: the same title, unit and year — its second version.
    transport = UNITS[3]
    files.append(
        (
            f"{transport.name}{last}年工作总结（修改稿）.txt",
            unit_report(transport, last, 1),
            units.get(transport.code),
        )
    )
    candidates = list(units.values())
    added = 0
    with transaction.atomic():
        for name, content, unit in files:
            try:
                result = services.add_file(
                    content.encode("utf-8"), name, user=office, unit=unit, units=candidates, origin="demo"
                )
            except services.Duplicate:
                continue
            added += len(result.reports)
    total = ArchivedDocument.objects.filter(current=True).exclude(kind="compilation").count()
    return [f"档案：新增报告 {added} 篇，现行文档共 {total} 篇，可在“档案检索”中检索"]
