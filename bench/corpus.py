"""A varied, realistic 主动公开 catalog for benchmarks: titles, bodies and numbers from a large word pool."""
import random
import re
from datetime import date, timedelta
from pathlib import Path

THEMES_FILE = Path(__file__).resolve().parent.parent.parent / "shared" / "domain" / "主题分类.md"

# Topic words by the 主题分类 top class they usually fall under (a 街道's everyday business).
TOPICS = {
    "综合政务": "政务公开 信息公开 依申请公开 政务督查 应急管理 电子政务 文秘工作 保密工作 信访 档案管理 "
               "一网通办 一网统管 营商环境 政务服务 12345热线 接诉即办 行政效能 督查督办 人大代表建议 "
               "政协委员提案 公文处理 会议纪要 值班值守 突发事件 应急预案 应急演练 网格化管理 城运中心",
    "财政、金融、审计": "部门预算 部门决算 三公经费 政府采购 绩效评价 专项资金 财政补贴 资产管理 内部审计 "
                        "经济责任审计 预算执行 转移支付 债务管理 非税收入 国库集中支付 小额贷款 反诈宣传",
    "城乡建设、环境保护": "老旧小区 加装电梯 旧区改造 城市更新 美丽家园 垃圾分类 湿垃圾 可回收物 违法建筑 "
                          "拆违 住房保障 公租房 廉租住房 共有产权房 物业管理 业主大会 业主委员会 维修资金 "
                          "停车难 非机动车 架空线入地 雨污分流 河长制 河道整治 绿化养护 口袋公园 市容环境 "
                          "环境卫生 扬尘治理 噪声扰民 油烟污染 生活污水 海绵城市 无障碍设施 街区更新 "
                          "睦邻中心 15分钟社区生活圈 屋面防水 二次供水 燃气改造 房屋修缮 群租整治",
    "民政、扶贫、救灾": "最低生活保障 低保 特困供养 临时救助 医疗救助 养老服务 长者食堂 居家养老 助餐点 "
                        "日间照料 养老顾问 长期护理保险 高龄津贴 残疾人 助残 优抚 退役军人 双拥 社会组织 "
                        "慈善超市 志愿服务 社区基金会 婚姻登记 殡葬改革 地名管理 减灾救灾 避难场所 "
                        "困境儿童 孤寡老人 独居老人 老年助餐 适老化改造 社工站",
    "卫生、体育": "疫苗接种 家庭医生 签约服务 社区卫生服务中心 爱国卫生 控烟 病媒生物防制 健康教育 "
                 "慢性病管理 健康促进 全民健身 健身步道 体育赛事 市民运动会 心理健康 传染病防控 "
                 "卫生应急 献血 母婴设施 健康家庭",
    "劳动、人事、监察": "就业援助 创业带动就业 社会保险 城乡居民养老保险 城乡居民医保 灵活就业 职业技能培训 "
                        "公益性岗位 劳动争议 欠薪 劳动监察 人才引进 招聘 公务员考核 事业单位 干部培训 "
                        "党风廉政 廉洁教育 作风建设 纪律检查 就业困难人员 零就业家庭",
    "市场监管、安全生产监管": "食品安全 菜市场 价格监测 特种设备 计量 消费维权 安全生产 消防安全 燃气安全 "
                              "电动自行车 隐患排查 安全生产月 防汛防台 高温 有限空间 危险化学品 "
                              "建筑工地 消防通道 高层建筑 网格巡查 小餐饮 无证经营 执法检查",
    "公安、安全、司法": "人民调解 法律援助 普法 社区矫正 禁毒 平安建设 扫黑除恶 矛盾纠纷 综合治理 "
                        "治安防控 反邪教 安置帮教 公共法律服务 法治宣传 信访矛盾 群防群治 智慧安防",
    "科技、教育": "学前教育 托育服务 课后服务 科普 青少年 暑期活动 学习型社区 老年大学 社区学校 "
                 "科技创新 数字化转型 知识产权 家庭教育",
    "文化、广电、新闻出版": "文化活动 全民阅读 非物质文化遗产 社区文化活动中心 公共文化服务 文艺团队 "
                            "红色文化 历史风貌 广场舞 图书馆 文化惠民 新时代文明实践",
    "人口与计划生育、妇女儿童工作": "计划生育 奖励扶助 妇女儿童 母婴室 儿童友好 家庭发展 独生子女 生育支持 "
                                    "妇女权益 反家暴",
    "国民经济管理、国有资产监管": "统计调查 经济普查 人口普查 招商引资 楼宇经济 重点企业 营商服务 国有资产 "
                                  "重大项目 固定资产投资",
}
GENERAL = ("工作 实施 推进 落实 加强 完善 规范 提升 健全 开展 组织 部署 监督 检查 考核 评估 宣传 培训 "
           "服务 管理 保障 制度 机制 标准 流程 台账 责任 目标 任务 措施 要求 成效 问题 整改 协调 联动 "
           "居民 群众 社区 居民区 居委会 物业 单位 企业 部门 条线 街道 辖区 试点 示范 全覆盖 长效").split()
PLACES = ("石泉路街道 普陀区 长寿路街道 曹杨新村街道 甘泉路街道 宜川路街道 真如镇街道 万里街道 长征镇 桃浦镇 "
          "石泉一村 石泉二村 石泉三村 中远两湾城 宜川一村 光新路 岚皋路 铜川路 武宁路 中山北路").split()
POLICIES = ("《中华人民共和国政府信息公开条例》 《上海市生活垃圾管理条例》 《上海市养老服务条例》 "
            "《中华人民共和国安全生产法》 《上海市住宅物业管理规定》 《社会救助暂行办法》 "
            "《中华人民共和国民法典》 《上海市消防条例》 《中华人民共和国突发事件应对法》").split()
PUBLISHERS = [
    ("上海市普陀区石泉路街道办事处", "石府"), ("石泉路街道党政办公室", "石办"), ("石泉路街道社区管理办公室", "石管"),
    ("石泉路街道社区服务办公室", "石服"), ("石泉路街道社区平安办公室", "石平"), ("石泉路街道社区自治办公室", "石治"),
    ("石泉路街道营商环境办公室", "石营"), ("石泉路街道城市运行管理中心", "石运"),
]
DOC_TYPES = ["通知"] * 6 + ["公告", "通告", "意见", "报告", "方案", "函", "纪要", "决定", "通报", "批复"]
TITLES = [
    "关于做好{year}年度{t1}工作的通知", "关于印发《{place}{t1}实施方案》的通知", "{place}{year}年{t1}工作要点",
    "关于开展{t1}专项行动的通知", "{place}关于进一步加强{t1}和{t2}的实施意见", "关于{t1}有关事项的公告",
    "{year}年{place}{t1}情况的报告", "关于调整{t1}标准的通知", "{place}{year}年{t1}工作总结",
    "关于公布{year}年{t1}名单的公示", "关于做好{t1}{t2}工作的通知", "{place}{t1}管理办法",
    "关于{place}{t1}项目的批复", "关于表彰{year}年度{t1}先进集体和个人的决定", "{t1}工作会议纪要",
]
SENTENCES = [
    "为深入贯彻落实{policy}，进一步做好{t1}工作，结合{place}实际，制定本方案。",
    "到{year}年底，{place}{t1}覆盖率达到{pct}%，{t2}{g1}{g2}。",
    "各居民区要{g1}{t1}，{g1}{t2}，确保{t3}{g2}到位。",
    "{place}将{t1}纳入年度{g1}{g2}，由{publisher}牵头，相关部门配合。",
    "对{t1}中发现的{g2}，要建立{g1}台账，限期整改，整改完成率须达到{pct}%。",
    "{year}年，{place}共完成{t1}{n}件，涉及{t2}{n2}户，投入资金{money}万元。",
    "居民可通过一网通办或到社区事务受理服务中心办理{t1}相关手续，咨询电话：{phone}。",
    "本{doctype}自{date}起施行，有效期至{date2}。",
    "{t1}工作实行属地管理，{t2}和{t3}同步推进，形成{g1}{g2}。",
    "请各单位于{date}前将{t1}{g1}情况报送{publisher}。",
    "附件：{t1}{g2}一览表。",
]


def theme_categories() -> list[str]:
    """Every 主题分类 as 大类\\小类, read from the shared domain file (a short list if absent)."""
    try:
        text = THEMES_FILE.read_text(encoding="utf-8")
    except OSError:
        return [f"{top}\\其他" for top in TOPICS]
    out = []
    for top, subs in re.findall(r"^- ([^(\n]+)\(([^)]*)\)", text, re.M):
        out += [f"{top.strip()}\\{sub.strip()}" for sub in subs.split("/")]
    return out or [f"{top}\\其他" for top in TOPICS]


def all_topics() -> list[str]:
    """The whole topic-word pool."""
    return [w for words in TOPICS.values() for w in words.split()]


class Catalog:
    """Deterministic generator of catalog entries (dicts of Document fields)."""

    def __init__(self, seed: int = 20240501):
        """Prepare the pools."""
        self.rng = random.Random(seed)
        cats = theme_categories()
        self.by_top = {top: [c for c in cats if c.startswith(top + "\\")] or [f"{top}\\其他"] for top in TOPICS}
        self.topics = {top: words.split() for top, words in TOPICS.items()}
        self.serials: dict[tuple[str, int], int] = {}

    def _fill(self, template: str, top: str, year: int, publisher: str, doctype: str) -> str:
        """Fill one template with words of the entry's theme (and, sometimes, of others)."""
        rng = self.rng

        def topic():
            pool = self.topics[top] if rng.random() < 0.8 else self.topics[rng.choice(list(TOPICS))]
            return rng.choice(pool)

        day = date(year, 1, 1) + timedelta(days=rng.randrange(365))
        return template.format(
            t1=topic(), t2=topic(), t3=topic(), g1=rng.choice(GENERAL), g2=rng.choice(GENERAL),
            place=rng.choice(PLACES), policy=rng.choice(POLICIES), year=year, pct=rng.randrange(60, 100),
            n=rng.randrange(3, 400), n2=rng.randrange(10, 3000), money=rng.randrange(5, 900),
            phone=f"5{rng.randrange(1000000, 9999999)}", publisher=publisher, doctype=doctype,
            date=f"{day.year}年{day.month}月{day.day}日", date2=f"{day.year + 5}年{day.month}月{day.day}日",
        )

    def entry(self, n: int) -> dict:
        """The n-th entry."""
        rng = self.rng
        top = rng.choice(list(TOPICS))
        year = rng.randrange(2015, 2026)
        publisher, prefix = rng.choice(PUBLISHERS)
        doctype = rng.choice(DOC_TYPES)
        title = self._fill(rng.choice(TITLES), top, year, publisher, doctype)
        paragraphs = []
        for _ in range(rng.randrange(5, 14)):
            paragraphs.append("".join(self._fill(rng.choice(SENTENCES), top, year, publisher, doctype)
                                      for _ in range(rng.randrange(2, 6))))
        body = "\n".join(paragraphs)
        key = (prefix, year)
        self.serials[key] = self.serials.get(key, 0) + 1
        published = date(year, 1, 1) + timedelta(days=rng.randrange(365))
        attachment = None
        if rng.random() < 0.2:
            attachment = "\n".join(self._fill(rng.choice(SENTENCES), top, year, publisher, doctype)
                                   for _ in range(rng.randrange(5, 30)))
        return {
            "index_number": f"000014349/{year}-{n:06d}",
            "doc_number": f"{prefix}〔{year}〕{self.serials[key]}号" if rng.random() < 0.7 else None,
            "title": title,
            "publisher": publisher,
            "written_date": published - timedelta(days=rng.randrange(0, 20)),
            "published_date": published,
            "category": rng.choice(self.by_top[top]),
            "doc_type": doctype,
            "keywords": " ".join(rng.sample(self.topics[top], 3)),
            "summary": paragraphs[0][:120],
            "body": body,
            "attachment_text": attachment,
        }

    def queries(self, count: int, seed: int = 7) -> list[str]:
        """Queries residents type: 1–3 topic or general words, mostly from one theme."""
        rng = random.Random(seed)
        out = []
        for _ in range(count):
            top = rng.choice(list(TOPICS))
            k = rng.choice([1, 1, 2, 2, 2, 3])
            words = rng.sample(self.topics[top], k - 1) + [rng.choice(self.topics[top] + GENERAL)]
            out.append(" ".join(words) if rng.random() < 0.5 else "".join(words))
        return out
