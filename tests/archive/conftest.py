"""The archive's fixtures: a few short reports of the test county (``org``), written for these tests.

``docs`` archives, through the service every way in uses:
- ``transport_2024``: 县交通运输局's 2024 summary with its 2025 plan (its plan part names 优化营商环境);
- ``housing_2024``: 县住房和城乡建设局's 2024 summary (its problem part names 燃气管道);
- ``town_2023``: 青石镇's 2023 summary.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

TRANSPORT_2024 = """县交通运输局2024年工作总结及2025年工作计划

2024年，县交通运输局在县委、县政府的坚强领导下，加快补齐交通短板，各项工作取得新进展。

一、2024年工作总结

（一）县道改造提升有力推进。完成县道大修和改造48公里，完成投资3.2亿元。
（二）城乡公交服务提升。新开通镇村公交线路3条，建制村通客车率保持100%。

二、存在的问题

一是交通建设资金筹措难度大。二是农村公路养护资金不足。

三、2025年工作计划

（一）推进县道改造提升。加快县道大修和改造，提升路网通行能力。
（二）服务企业发展。简化道路运输许可办理流程，持续优化营商环境。
"""

HOUSING_2024 = """县住房和城乡建设局2024年工作总结

2024年，县住房和城乡建设局聚焦城市更新和住房保障，各项工作稳步推进。

一、2024年工作总结

（一）老旧小区改造加快实施。完成老旧小区改造12个，惠及居民2100户。
（二）工程建设项目审批提速。推行施工图联合审查，营商环境持续改善。

二、存在的问题

一是城镇燃气管道老化问题突出。二是老旧小区改造群众意见协调难度大。
"""

TOWN_2023 = """青石镇2023年工作总结

2023年，青石镇聚焦产业发展和乡村振兴，镇域经济稳步发展。

一、2023年工作总结

（一）镇域经济稳步发展。茶叶加工园区新建标准厂房5000平方米。
（二）美丽乡村建设见效。打造美丽乡村示范点2个。
"""


@pytest.fixture
def docs(org: SimpleNamespace, people: SimpleNamespace) -> SimpleNamespace:
    from taizhang.archive import services

    def add(text: str, name: str, unit: object) -> object:
        return services.add_file(text.encode(), name, user=people.supervisor, unit=unit).file_row

    return SimpleNamespace(
        transport_2024=add(TRANSPORT_2024, "交通2024.txt", org.transport),
        housing_2024=add(HOUSING_2024, "住建2024.txt", org.housing),
        town_2023=add(TOWN_2023, "青石2023.txt", org.town),
    )
