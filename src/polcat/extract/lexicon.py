"""Word lists the rules use, and the published dictionary that informs them.

Hand lists hold what no published lexicon has: the type nouns of policy (机制, 模式,
工程, 行动 …), the verbs that introduce a mechanism, the nouns that end a role or an
honour. docs/extract.md lists them and says why each is there. The dictionary
(jieba's, through rjieba) says whether a label is an ordinary word of the language
(组合拳, 一盘棋, 硬骨头); it informs a judgement and never rules a label out alone.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

CJK = "\u3400-\u9fff\uf900-\ufaff"
NUMERALS = "一二三四五六七八九十两双百千万"
NUMBER_VALUES = {
    "一": 1,
    "二": 2,
    "两": 2,
    "双": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}
QUOTE_OPENERS = {"“": "”", "‘": "’", "「": "」", "『": "』", "《": "》"}
QUOTE_CHARS = "“”‘’「」『』《》"
SENTENCE_END = "。！？；\n"
# What ends a phrase: punctuation (full-width after cleaning), quotation marks, the
# separator left where noise was removed, and spaces.
PUNCT = "，。．.；：！？、（）【】[]—…\n\r\t \u3000\x1f" + QUOTE_CHARS

# Nouns that say what kind of thing a label names, standing right after it (“三变”改革,
# “232”模式, “…”的工作机制), possibly after a short modifier (“十户一体”抱团发展新模式).
TYPE_NOUNS = (
    "式",
    "学习教育",
    "工作法",
    "工作方法",
    "工作导向",
    "工作作风",
    "工作取向",
    "模式",
    "机制",
    "制度",
    "体制",
    "体系",
    "活动",
    "行动",
    "工程",
    "计划",
    "措施",
    "政策",
    "改革",
    "办法",
    "方案",
    "要求",
    "战略",
    "品牌",
    "理念",
    "格局",
    "平台",
    "规划",
    "经验",
    "思路",
    "服务圈",
    "试点",
    "建设",
    "创建",
    "做法",
    "方式",
    "路径",
    "载体",
    "总门户",
    "门户",
    "小程序",
    "系统",
)
# Software a report names as a system of its own (…管理系统): a type noun both after a
# quotation and after a verb of establishing.
SOFTWARE_SYSTEMS = ("管理系统", "信息系统", "服务系统", "监测系统", "预警系统", "调度系统", "指挥系统")
# Nouns that end a name (the label itself says what it is).
NAME_ENDINGS = (
    "工程",
    "计划",
    "机制",
    "制度",
    "模式",
    "工作法",
    "办法",
    "方案",
    "行动",
    "活动",
    "改革",
    "革命",  # (厕所革命, 垃圾革命: campaigns of rural renewal)
    "政策",
    "措施",
    "负责制",
    "责任制",
    "中心",
    "基地",
    "夜校",
    "讲堂",
    "理事会",
    "委员会",
    "工作室",
    "服务站",
    "平台",
    "经验",
    "服务圈",
    "会战",
    "突击战",
    "攻坚战",
    "日",
    "月",
    "夜市",
    "超市",
    "银行",
    "长廊",
    *SOFTWARE_SYSTEMS,
    "小程序",
    "星期一",
    "星期二",
    "星期三",
    "星期四",
    "星期五",
    "星期六",
    "星期日",
    "星期天",
)
# Institutions that stand without quotation marks after a verb of establishing.
INSTITUTION_ENDINGS = (
    "负责制",
    "责任制",
    "制度",
    "机制",
    "办法",
    "中心",
    "理事会",
    "委员会",
    "党委",
    "工作法",
    "模式",
    "计划",
    "工程",
    "行动",
    "基地",
    "夜校",
    "讲堂",
    "工作室",
    "服务站",
    "平台",
    "合作社",
    "化管理",
    "服务体系",
    "管理体系",
    *SOFTWARE_SYSTEMS,
)
# Periods a campaign is named after: 冬春攻势, 百日攻坚, 秋冬会战 (a season or a span of days).
CAMPAIGN_PERIODS = (
    "春季",
    "夏季",
    "秋季",
    "冬季",
    "冬春",
    "春冬",
    "秋冬",
    "春夏",
    "夏秋",
    "春秋",
    "汛期",
    "百日",
    "百天",
    "千日",
)
# What a campaign named after its period is: an offensive, a battle, an action.
CAMPAIGN_NOUNS = ("攻势", "攻坚战", "攻坚", "会战", "大会战", "战役", "行动", "专项行动", "大行动", "清零行动")
# Battles a report fights, named after their object (碧水保卫战, 脱贫攻坚战).
# (not 攻坚战: 打赢脱贫攻坚战 is the nation's campaign named in passing by every report)
BATTLE_NOUNS = ("保卫战", "歼灭战", "阻击战")
# Generic type nouns: a phrase ending in one needs a longer qualifier to single one out.
GENERIC_ENDINGS = ("模式", "机制", "制度", "体制", "体系", "计划", "工程", "行动", "平台", "合作社", "中心")
# 《》 titles of documents that are implementing rules, not mechanisms themselves.
DOCUMENT_ENDINGS = (
    "实施办法",
    "实施方案",
    "实施意见",
    "实施细则",
    "工作方案",
    "意见",
    "规定",
    "条例",
    "细则",
    "通知",
    "决定",
    "规划",
    "纲要",
    "准则",
    "清单",
    "报告",
    "讲话",
    "公告",
    "通报",
    "批复",
    "函",
)
# 《》 titles that are mechanisms: a rule-bearing noun at the end.
MECHANISM_TITLE_ENDINGS = ("机制", "制度", "办法", "工作法", "模式", "责任制", "负责制", "计划", "工程", "行动")
# Verbs that introduce a mechanism: establishing, implementing, building.
ESTABLISH = (
    "建立",
    "推行",
    "实施",
    "实行",
    "开展",
    "成立",
    "组建",
    "设立",
    "增设",
    "推出",
    "制定",
    "出台",
    "创新",
    "创建",
    "创立",
    "构建",
    "探索",
    "启动",
    "深化",
    "推广",
    "试行",
    "印发",
    "开设",
    "落实",
    "搭建",
    "打造",
    "建成",
    "完善",
    "健全",
    "举办",
)
# An institution needs no quotation marks after these (推动 governs programmes too).
ESTABLISH_UNQUOTED = (*(v for v in ESTABLISH if v not in ("健全", "完善")), "推动", "推进", "上线", "研发", "启用")
# Words that start a clause without being part of a name that follows.
LEADING_FUNCTION = (
    "按照",
    "通过",
    "坚持",
    "围绕",
    "采取",
    "以",
    "把",
    "将",
    "对",
    "由",
    "在",
    "向",
    "为",
    "与",
    "和",
    "及",
    "从",
    "了",
    "全面",
    "大力",
    "积极",
    "着力",
    "持续",
    "不断",
    "进一步",
    "深入",
    "扎实",
    "拓展",
    "率先",
    "首次",
    "全力",
    "一系列",
    "一批",
    "一些",
    "各类",
    "多项",
)
ROLE_ENDINGS = ("人", "者", "员", "兵", "手", "长", "雁", "家", "官", "书记", "支书", "干部", "娘舅", "嫂", "姐", "哥")
# …家 that is a household or a home, not a person (政策进农家, 温暖进万家, 送法到家)
HOUSEHOLD_ENDINGS = ("农家", "万家", "千家", "百家", "人家", "户家", "回家", "到家", "进家")
# Honours, titles and designations: awarded, not run.
HONOUR_ENDINGS = (
    "勋章",
    "奖章",
    "之星",
    "标兵",
    "模范",
    "先进",
    "称号",
    "冠",
    "示范区",
    "示范村",
    "示范县",
    "示范州",
    "样板",
    "标杆",
    "奖",
    "荣誉",
    "美誉",
    "红旗",
    "文明户",
    "光荣榜",
    "实验区",
    "试验区",
    "先行区",
    "示范基地",
)
# Places and place brands: a quotation ending so names a place (“番茄小镇”, “…老街区”).
PLACE_ENDINGS = ("小镇", "古镇", "街区", "景区", "公园", "广场", "古村", "村落", "商圈", "新城")
ORGANISATION_ENDINGS = ("合作社", "有限公司", "公司", "协会", "集团", "企业", "厂", "商店", "超市")
MEASURES = "个股把条盘根张块颗口片次件套组扇份"
# Words that start with a numeral without being number codes.
# What a policy cures, written after a quotation (“三无”难题, …的突出问题, …等痛点) or at
# the end of one (“三大痛点”): a problem, not the name of its cure.
PROBLEM_NOUNS = ("痛点", "难点", "堵点", "难题", "问题", "顽疾", "顽症", "困境", "困局", "烦心事", "短板", "差距")

LEXICAL_NUMERALS = (
    "一线",
    "一些",
    "一起",
    "一样",
    "一定",
    "一般",
    "一直",
    "一致",
    "一切",
    "一同",
    "万一",
    "千万",
    "十分",
    "百姓",
    "双方",
    "一体化",
    "两委",
    "两新",  # (新经济组织、新社会组织: the bodies, like 两委)
    "一把手",
    "双向",
    "双赢",
    "一站式",
    "一盘棋",
    "一号",
    "一流",
    "一场",
    "一批",
    "第一",
    "一揽子",
)
PEOPLE = ("干部", "人员", "党员", "群众", "同志", "人才", "人", "户")
# Objects of the chief systems (河长制, 林长制, 河湖长制, 田长制): what a 长 is put in charge of.
CHIEF_OBJECTS = "河湖林田路山街巷楼网链园湾库渠塘海滩岸草矿园"
# Words that ask: a quotation that asks is a rhetorical question, not a name.
QUESTION_WORDS = ("谁来", "干什么", "怎么", "为什么", "什么", "如何", "哪里", "谁", "吗", "呢")
# Classical particles: a quotation built on them is a classical line (郡县治则天下安).
CLASSICAL = "则之乎也矣兮焉哉者"


@lru_cache(maxsize=1)
def dictionary() -> Any:
    """jieba's dictionary through rjieba, or None when rjieba is not installed."""
    try:
        import rjieba
    except ImportError:  # pragma: no cover - rjieba is a dependency
        return None
    return rjieba


@lru_cache(maxsize=4096)
def word_tag(label: str) -> str | None:
    """The dictionary's part-of-speech tag when the whole label is one word of it
    (组合拳 n, 一盘棋 n, 三心二意 i, 一岗双责 l), else None."""
    lexicon = dictionary()
    if lexicon is None or len(label) < 2:
        return None
    tagged = lexicon.tag(label, False)  # no HMM: a guessed new word (吴优办) is no word of the dictionary
    return tagged[0][1] if len(tagged) == 1 and tagged[0][0] == label else None


@lru_cache(maxsize=4096)
def word_tags(label: str) -> tuple[tuple[str, str], ...]:
    """The dictionary's words and tags for the label, without guessing new words (HMM off)."""
    lexicon = dictionary()
    if lexicon is None or not label:
        return ()
    return tuple((word, tag) for word, tag in lexicon.tag(label, False))


# Stock figures of policy writing that jieba's dictionary lacks, words of the language all
# the same (the dictionary has 牛鼻子, 硬骨头, 组合拳): 最后一公里 was quoted, and not a name,
# in nine reports of the corpus. Only the whole label: 红色引擎工程 is a name.
STOCK_FIGURES = frozenset(
    (
        "最后一公里",
        "最后一米",
        "最后一百米",
        "最后100米",
        "绣花功夫",
        "压舱石",
        "红色引擎",
        "新引擎",
        "强引擎",
        "硬支撑",
        "软实力",
        "硬实力",
        "中梗阻",
        "排头雁",
        "金名片",
        "新名片",
        "大文章",
        "后半篇文章",
    )
)


def is_ordinary_word(label: str) -> bool:
    """Whether the label is a word of the language rather than a coinage: one dictionary
    word that is not a place or organisation name (ns, nt), or a stock figure."""
    if label in STOCK_FIGURES:
        return True
    tag = word_tag(label)
    return tag is not None and tag not in ("ns", "nt")
