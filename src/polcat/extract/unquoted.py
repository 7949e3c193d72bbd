"""Names that stand without quotation marks: X+Y models, number codes before a type
noun or standing alone, chief systems (河长制), and institutions after a verb of
establishing. Every scan is linear in the text (bounded patterns, no nested repeats).
"""

from __future__ import annotations

import re

from polcat.extract.lexicon import (
    BATTLE_NOUNS,
    CAMPAIGN_PERIODS,
    CHIEF_OBJECTS,
    CJK,
    ESTABLISH_UNQUOTED,
    GENERIC_ENDINGS,
    INSTITUTION_ENDINGS,
    LEADING_FUNCTION,
    MEASURES,
    NUMERALS,
    PUNCT,
    TYPE_NOUNS,
    is_ordinary_word,
)
from polcat.extract.quotes import Quote
from polcat.extract.shapes import CAMPAIGN, count_value, form_veto, is_number_code, is_plus_model
from polcat.extract.text import normalise

Found = tuple[int, int, str]  # start, end (in the clean text), reason

_NOT_DE = rf"(?:(?!的)[{CJK}])"
# a named action's campaign may follow it directly (实施村庄清洁行动春夏秋冬战役)
_CAMPAIGN_PERIOD = "(?:" + "|".join(sorted(CAMPAIGN_PERIODS, key=len, reverse=True)) + ")"
_TYPE_NOUNS = tuple(t for t in TYPE_NOUNS if len(t) > 1)  # (式 alone would cut 模式 in two)
_TYPE_RE = "(?:" + "|".join(sorted(_TYPE_NOUNS, key=len, reverse=True)) + ")"
_INSTITUTION_RE = re.compile(
    "(?:"
    + "|".join(ESTABLISH_UNQUOTED)
    + rf")(?:了|起)?((?:{_NOT_DE}|[（）]){{1,18}}?(?:"
    + "|".join(sorted(INSTITUTION_ENDINGS, key=len, reverse=True))
    + rf"))(?=[^{CJK}]|的|和|与|及|等|为|中|期间|以来|{_CAMPAIGN_PERIOD}|$)"
)
_NUMBER_GROUP = rf"[{NUMERALS}](?:[^\W\d{NUMERALS}{MEASURES}级户亩人名次年天项类种批元万亿件所大的阶等]){{1,3}}"
_NUMBER_CODE_RE = re.compile(rf"(?<![{CJK}\d])((?:{_NUMBER_GROUP}){{2,4}})(?![{CJK}\d])")
_NUMBER_CODE_TYPED_RE = re.compile(rf"(?<![{NUMERALS}\d第这那每各])((?:{_NUMBER_GROUP}){{1,4}})({_TYPE_RE})")
_DIGIT_CODE_RE = re.compile(
    rf"(?<![\d.%])([1-9]\d{{2,4}})(?![年月日号个名万元亿人户家项次多余起件宗例条])({_NOT_DE}{{0,4}}?)({_TYPE_RE}|自治|治理|热线|服务)"
)
# 河长制, 林长制, 河湖长制, 河（湖）长制 (the object it extends to in brackets); a chief's order, 总河长令
_CHIEF_RE = re.compile(rf"(总?(?:[{CHIEF_OBJECTS}]){{1,3}}(?:（[{CHIEF_OBJECTS}]{{1,2}}）)?长[制令])")
# A battle the report fights, named after what it defends or takes (打好碧水保卫战, 打赢脱贫攻坚战)
_BATTLE_RE = re.compile(
    rf"(?:打好|打赢|打响|决战)((?:{_NOT_DE}){{2,8}}?(?:{'|'.join(BATTLE_NOUNS)}))(?=[^{CJK}]|和|与|及|等|$)"
)
_NAME_CHAR = re.compile(rf"[{CJK}A-Za-z0-9（）]")
_MAX_PART = 20
_MODEL_NOUNS = ("模式", "机制", "体系", "格局", "工作法", "路径")
_PART_ENDS = ("的", *ESTABLISH_UNQUOTED, "组建", "组成")


def masked(simple: str, quotes: list[Quote]) -> str:
    """The text with every quotation's content blanked out (offsets kept). Linear: the
    quotations are merged into disjoint spans first."""
    spans = sorted((q.start - 1, q.end + 1) for q in quotes)
    chars = list(simple)
    reach = 0
    for start, end in spans:
        for i in range(max(start, reach), end):
            chars[i] = "\x00"
        reach = max(reach, end)
    return "".join(chars)


def unquoted_labels(hidden: str) -> list[Found]:
    """(start, end, reason) for names standing without quotation marks in the masked text."""
    found = (
        plus_models(hidden)
        + institutions(hidden)
        + codes(hidden)
        + chiefs(hidden)
        + battles(hidden)
        + rounds(hidden)
        + party_forms(hidden)
        + recurring_institutions(hidden)
    )
    # (a campaign's form is its evidence: a period and an offensive, a heading of quoted
    # targets may make it long; a listed item may be a quotation, blank here: judged by
    # its text in judge.candidates_in)
    return (
        [item for item in found if not form_veto(hidden[item[0] : item[1]])] + campaigns(hidden) + listed_models(hidden)
    )


def plus_models(hidden: str) -> list[Found]:
    """X+Y chains: runs of name characters joined by +. One pass over the text."""
    found: list[Found] = []
    reach = 0
    for plus in re.finditer(r"[+＋]", hidden):
        at = plus.start()
        if at < reach:
            continue  # inside a chain already taken: each character is walked once
        left = at
        while left > 0 and at - left < _MAX_PART and _NAME_CHAR.match(hidden[left - 1]):
            left -= 1
        if left == at:
            continue
        right, chain_end = at, at
        while right < len(hidden) and hidden[right] in "+＋":
            part_end = right + 1
            while (
                part_end < len(hidden)
                and part_end - right <= _MAX_PART
                and _NAME_CHAR.match(hidden[part_end])
                and not hidden.startswith(_MODEL_NOUNS, part_end)  # 甲+乙模式: the model ends at its type noun
                and not hidden.startswith(_PART_ENDS, part_end)  # 社区+业委会+党员组建的…: a verb ends it
            ):
                if hidden[part_end] == "（":  # a parenthesis inside a part: 党代表（人大代表、政协委员）工作室
                    close = hidden.find("）", part_end, part_end + _MAX_PART)
                    part_end = close if close != -1 else part_end
                part_end += 1
            chain_end = part_end
            right = part_end
        reach = chain_end
        if left > 0 and _NAME_CHAR.match(hidden[left - 1]):
            continue  # a longer run than a name part: not a model
        start, end = trim_leading(hidden, left, chain_end)
        label = hidden[start:end]
        if is_plus_model(label) and "+" in normalise(label).rstrip("+") and not _spelled_count(label):
            if found and hidden[found[-1][1] : start] == "、":  # 白天+夜间、巡查+定点: one name
                start = found.pop()[0]
            found.append((start, end, "unquoted X+Y shape"))
    return found


def _spelled_count(label: str) -> bool:
    """一个中心+两条主线+三个平台: an A+B+C code spelled out, its parts are components."""
    parts = [p for p in re.split("[+＋]", label) if p]
    return len(parts) >= 2 and all(p[0] in NUMERALS and len(p) >= 2 and p[1] in MEASURES for p in parts)


_NEXT_ITEM = re.compile(
    rf"、((?:{_NOT_DE}|[（）]){{1,18}}?(?:"
    + "|".join(sorted(INSTITUTION_ENDINGS, key=len, reverse=True))
    + rf"))(?=[^{CJK}]|的|和|与|及|等|$)"
)


# After a verb of establishing, a base or a platform without quotation marks is described,
# not named (建成特色产业基地), and so is a mechanism or model whose qualifier is short
# (建立动态监测机制, 探索产业扶贫模式); a long one singles it out (建立快速反应交办机制,
# 推行万名党员干部结对帮扶机制). Without the length, batch 11 (measured as it came) lost
# two names for seven wrong candidates and the seeds two; with it, the dev split (182
# reports) drops 15 wrong candidates and no name.
_DESCRIBED_ENDINGS = ("基地", "平台")
_DESCRIBED_IF_SHORT = ("机制", "模式")
_SPECIFIC_QUALIFIER = 6


def _described(label: str) -> bool:
    """Whether an unquoted institution is a description of what it does, not a name."""
    label = normalise(label)
    if label.endswith(_DESCRIBED_ENDINGS):
        return True
    return label.endswith(_DESCRIBED_IF_SHORT) and len(label) - 2 < _SPECIFIC_QUALIFIER


def institutions(hidden: str) -> list[Found]:
    found = []
    for match in _INSTITUTION_RE.finditer(hidden):
        verb = hidden[match.start() : match.start(1)].rstrip("了")
        spans = _coordinated(hidden, *match.span(1))
        at = match.end(1)
        while (following := _NEXT_ITEM.match(hidden, at)) is not None:  # 开展甲行动、乙行动
            spans.append(following.span(1))
            at = following.end(1)
        for start, end in spans:
            if hidden.startswith(("健全", "完善"), start):
                continue  # 建立健全生态文明机制: strengthening a generic mechanism, not naming one
            if is_specific_institution(hidden[start:end]) and not _described(hidden[start:end]):
                found.append((start, end, f"unquoted institution introduced by: {verb}"))
    return found


_INSTITUTION_TAIL = re.compile("(?:" + "|".join(("中心", "平台", "机制", "工作法")) + ")")
_RECURRING = 3  # uses that make an unquoted institution the report's subject
_RECURRING_LENGTH = 8


def recurring_institutions(hidden: str) -> list[Found]:
    """An unquoted institution the report keeps naming (three times or more, eight
    characters or more: 矛盾纠纷多元化解中心): the subject of the report. One pass."""
    uses: dict[str, list[tuple[int, int]]] = {}
    for match in _INSTITUTION_TAIL.finditer(hidden):
        end = match.end()
        start = end
        while start > 0 and end - start < 14 and re.match(f"[{CJK}]", hidden[start - 1]) and hidden[start - 1] != "的":
            start -= 1
        start, end = trim_leading(hidden, start, end)
        if end - start >= _RECURRING_LENGTH:
            uses.setdefault(hidden[start:end], []).append((start, end))
    return [
        (s, e, "an unquoted institution the report keeps naming")
        for spans in uses.values()
        if len(spans) >= _RECURRING
        for s, e in spans
    ]


def _coordinated(hidden: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split ``乙和丙`` / ``乙、丙`` when every part ends in an institution noun; else keep it whole."""
    parts, at = [], start
    for match in re.finditer("和|与|及|、", hidden[start:end]):
        parts.append((at, start + match.start()))
        at = start + match.end()
    parts.append((at, end))
    if len(parts) > 1 and all(hidden[s:e].endswith(INSTITUTION_ENDINGS) for s, e in parts):
        return [trim_leading(hidden, s, e) for s, e in parts]
    if hidden.startswith(_PREPOSITIONS, start):
        return []  # 建立与农户利益联结机制: a relation with someone, not a named body
    if re.search("[和与及]", hidden[start:end]):
        return []  # 驻村帮扶和结对帮扶制度: two practices coordinated, no one name
    start, end = trim_leading(hidden, start, end)
    return [(start, end)]


_ADVERBIAL_OK = ("网格化", "项目化", "积分化", "清单化")  # (…化 of a named method: 网格化管理机制)
_PREPOSITIONS = ("与", "和", "及", "对", "向", "为", "在", "由", "从", "把", "将", "以", "同", "跟")


_COUNTERS = MEASURES + "项大种类支批"  # (三项机制: so many mechanisms, counted)


def is_specific_institution(label: str) -> bool:
    """Ends in an institution noun, with a qualifier long enough to single one out: 乡镇党委负责制,
    联村党委, but not 党建模式 (a generic type noun needs three characters before it), nor
    a concrete body named after its village (新安源村旅游合作社), nor …工作制度."""
    label = normalise(label)
    ending = next((e for e in sorted(INSTITUTION_ENDINGS, key=len, reverse=True) if label.endswith(e)), None)
    if (
        ending is None
        or re.search("[（）]", label[:1])
        or (label.endswith(("工作制度", "工作机制")) and len(label) < 9)
    ):
        return False
    if re.match(rf"[{CJK}]{{2,5}}[村镇乡县市区]", label) and ending in ("合作社", "中心", "基地", "工作室", "服务站"):
        return False
    if ending in GENERIC_ENDINGS and re.match(f"[{CJK}]{{2}}化", label) and not label.startswith(_ADVERBIAL_OK):
        return False  # 常态化协作机制, 规范化管理制度: a description (…化 + a generic noun), not a name
    if label[: -len(ending)].endswith(("新", "重点", "重大", "各项", "长效")):
        return False  # 全民治水新模式, 脱贫重点工程, 河道治理长效机制: a description, not a name
    qualifier = label[: -len(ending)]
    # (a number code is specific however short, 双联行动, but not a count, 三项机制)
    coded = is_number_code(qualifier) and qualifier[-1] not in _COUNTERS
    return len(qualifier) >= (3 if ending in GENERIC_ENDINGS and not coded else 2)


_SCHEDULE = re.compile("一[日天周旬月季年]一")
_NUMBER_CODE_LED_RE = re.compile(
    "(?:"
    + "|".join((*ESTABLISH_UNQUOTED, "通过", "采取", "坚持", "依托"))
    + rf")((?:{_NUMBER_GROUP}){{1,4}})(?=[、，。；])"
)


def codes(hidden: str) -> list[Found]:
    shapes = (
        (_NUMBER_CODE_RE, "unquoted number code standing alone"),
        (_NUMBER_CODE_LED_RE, "unquoted number code standing alone"),
        (_NUMBER_CODE_TYPED_RE, "unquoted number code before a type noun"),
        (_DIGIT_CODE_RE, "unquoted number code before a type noun"),
    )
    found = []
    for pattern, reason in shapes:
        for match in pattern.finditer(hidden):
            if pattern is _NUMBER_CODE_RE and not bounded(hidden, match.start(), match.end()):
                continue
            if pattern in (_NUMBER_CODE_TYPED_RE, _NUMBER_CODE_LED_RE) and len(match.group(1)) < (
                3 if pattern is _NUMBER_CODE_TYPED_RE else 4
            ):
                continue
            start, end = match.span(1)
            if start and hidden[start - 1] == "\x00":  # (masked() blanks quotations with NUL)
                continue  # “云端哨兵+网格铁脚”双轨预警机制: the count describes the quotation before it
            if pattern in (_NUMBER_CODE_RE, _NUMBER_CODE_LED_RE) and _SCHEDULE.match(hidden, start):
                continue  # 一周一小结、一月一公示, 坚持一季一督导: a routine's schedule, not a name
            if pattern is _NUMBER_CODE_TYPED_RE and match.group(1)[0] == "一" and is_ordinary_word(match.group(1)):
                continue  # 一系列规划, 一揽子措施: a quantity of the dictionary, not a code (两步走 is one)
            if start and is_ordinary_word(hidden[start - 1 : start + 1]):
                continue  # 多员多长合一管护制度: the numeral ends a word (合一), no count starts there
            if pattern is _DIGIT_CODE_RE and match.group(3) in ("自治", "治理", "热线", "服务"):
                end = match.end(3)  # 131院落自治, 12345热线: the number and what it governs or serves
                if hidden.startswith("热线", end):
                    end += 2  # (12348法律服务热线: the line, not the service)
            found.append((start, end, reason))
    return found


def chiefs(hidden: str) -> list[Found]:
    """Chief systems, 河长制, 林长制, 河湖长制: a 长 put in charge of a natural object; and
    the orders such a chief issues (总河长令)."""
    return [
        (m.start(1), m.end(1), "a chief system (…长制)" if m.group(1).endswith("制") else "a chief's order (…长令)")
        for m in _CHIEF_RE.finditer(hidden)
    ]


# A programme run in rounds (接续开展的第二轮回天行动计划, 新一轮农村改革试点): the round
# marks what follows as one programme's name.
_ROUND_RE = re.compile(
    rf"(?:第[一二三四五六七八九十\d]{{1,2}}[轮期]|新一轮)((?:{_NOT_DE}){{2,12}}?(?:行动计划|计划|行动|工程|试点))"
    rf"(?=[^{CJK}]|的|和|与|及|等|为|中|$)"
)


def rounds(hidden: str) -> list[Found]:
    """A programme the report counts in rounds (第二轮回天行动计划): its name."""
    return [(m.start(1), m.end(1), "a programme run in rounds (第二轮…计划)") for m in _ROUND_RE.finditer(hidden)]


# A form of party organisation the report builds (以建设基层服务型党组织为主题, 创建区域性联合型党组织):
# …型党组织 names a kind the party sets up, after any verb of building.
_PARTY_FORM_RE = re.compile(
    rf"(?:建设|创建|打造|争创|培育|组建|建立)((?:{_NOT_DE}){{2,8}}?型党(?:组织|支部|小组))"
    rf"(?=[^{CJK}]|为|的|和|与|及|等|$)"
)


def party_forms(hidden: str) -> list[Found]:
    """Kinds of party organisation built (服务型党组织, 联合型党组织)."""
    return [(m.start(1), m.end(1), "a form of party organisation (…型党组织)") for m in _PARTY_FORM_RE.finditer(hidden)]


def battles(hidden: str) -> list[Found]:
    """Battles a report fights (打好碧水保卫战, 打赢脱贫攻坚战): named campaigns."""
    return [(m.start(1), m.end(1), "a battle named after its object (…保卫战)") for m in _BATTLE_RE.finditer(hidden)]


def trim_leading(hidden: str, start: int, end: int) -> tuple[int, int]:
    """Drop verbs and prepositions stuck to the front of a label (推行, 通过, 全面 …)."""
    changed = True
    while changed:
        changed = False
        for word in (*ESTABLISH_UNQUOTED, *LEADING_FUNCTION):
            if hidden.startswith(word, start) and end - start > len(word) + 2:
                start += len(word)
                changed = True
    return start, end


def bounded(hidden: str, start: int, end: int) -> bool:
    """Whether a match stands alone between punctuation (not inside a longer phrase)."""
    left = hidden[start - 1] if start else "\n"
    right = hidden[end] if end < len(hidden) else "\n"
    return (left in PUNCT or left == "\x00") and (right in PUNCT or right == "\x00")


# A campaign named after its period (shapes.CAMPAIGN) starts the name: after punctuation,
# a year, a verb or a scope such as 全县, and ends a phrase.
_CAMPAIGN_RE = re.compile(CAMPAIGN + rf"(?=[^{CJK}]|的|和|与|及|等|中|期间|以来|$)")
_CAMPAIGN_LEFT = (
    "年",
    "了",
    "县",
    "市",
    "区",
    "省",
    "镇",
    "乡",
    "全",
    "和",
    "与",
    "及",
    *ESTABLISH_UNQUOTED,
    "打好",
    "打赢",
    "打响",
    "发起",
    "掀起",
)


def campaigns(hidden: str) -> list[Found]:
    """Campaigns named after their period (冬春攻势, 百日攻坚): a season or a span of days
    followed by an offensive, a battle or an action names one campaign, quoted or not."""
    found: list[Found] = []
    for match in _CAMPAIGN_RE.finditer(hidden):
        start = match.start()
        left = hidden[start - 1] if start else "\n"
        if left == "\x00":  # 治“六乱”、抓“五拆”百日攻坚行动: the quoted targets head its name
            start = _quoted_heading(hidden, start)
        if (
            left in PUNCT
            or left == "\x00"
            or hidden.endswith(_CAMPAIGN_LEFT, 0, start)
            or not re.match(f"[{CJK}]", left)
        ):
            found.append((start, match.end(), "a campaign named after its period"))
    return found


_HEADING_CHAR = re.compile(f"[{CJK}\x00、]")
_MAX_HEADING = 40


def _quoted_heading(hidden: str, start: int) -> int:
    """Where a campaign's name starts when quoted targets stand before its period: back
    over the phrase (quotations, 、, no 的), the lead-in verb dropped. Bounded."""
    at = start
    while at > 0 and start - at < _MAX_HEADING and _HEADING_CHAR.match(hidden[at - 1]) and hidden[at - 1] != "的":
        at -= 1
    while at < start and hidden[at] == "、":
        at += 1
    return trim_leading(hidden, at, start)[0]


# Items of a 、-list right before 等…模式 / 等…机制 / 等制度 or a count of them (土地托管、
# 订单收购、股份合作等经营模式; 甲协调、乙联动、丙协同三项机制; not 等相关制度 or 等方式:
# lists of rules and of activities):
# the report names each item as a model of that kind. At least two items, each of two to
# ten characters, none with 的; the first is cut after the lead-in verb or punctuation.
_LIST_ITEM = rf"[{CJK}A-Za-z0-9+＋（）\x00]{{2,16}}"
_LISTED_MODELS_RE = re.compile(
    rf"((?:{_LIST_ITEM}、){{1,7}}{_LIST_ITEM})(等|[{NUMERALS}\d][项个大种条])"
    rf"(?:((?:{_NOT_DE}){{0,4}}?)(?:模式|机制|工作法|载体|平台)|制度)"
)
_LIST_LEAD_INS = (
    *ESTABLISH_UNQUOTED,
    *LEADING_FUNCTION,
    *("探索出", "形成", "总结出", "采用", "出", "利用", "依托", "借助", "运用", "用好", "发挥"),
)
_MAX_LIST_ITEM = 10


def listed_models(hidden: str) -> list[Found]:
    found: list[Found] = []
    for match in _LISTED_MODELS_RE.finditer(hidden):
        spans: list[tuple[int, int]] = []
        at = match.start(1)
        for item in match.group(1).split("、"):
            spans.append((at, at + len(item)))
            at += len(item) + 1
        if re.search("活动|服务|功能", match.group(3) or ""):
            continue  # 技术推广、销售指导等活动平台: activities and services a platform offers
        count = count_value(match.group(2)[0])
        if count is not None and count != len(spans):
            continue  # 甲、乙三项机制: a count must number the items
        spans[0] = _first_item(hidden, *spans[0])
        spans = [_quoted_item(hidden, s, e) for s, e in spans]
        if any("的" in hidden[s:e] or e - s > _MAX_LIST_ITEM for s, e in spans):
            continue  # (a clause, not a list of names)
        # an ordinary word of the dictionary (股份合作) is a kind, not a name
        found.extend(
            (s, e, "an item of a list before 等…模式/机制")
            for s, e in spans
            if e > s and not is_ordinary_word(normalise(hidden[s:e]))
        )
    return found


def _quoted_item(hidden: str, start: int, end: int) -> tuple[int, int]:
    """An item holding one quotation (“红蓝章”审批, 双休日“不打烊”) is named by it: the
    quotation's content (in ``hidden`` its marks and content are blanked)."""
    runs = list(_BLANK_RUN.finditer(hidden, start, end))
    if not runs:
        return start, end
    if len(runs) > 1 or runs[0].end() - runs[0].start() < 3:
        return start, start  # (two quotations: no one name)
    return runs[0].start() + 1, runs[0].end() - 1


_BLANK_RUN = re.compile("\x00+")


def _first_item(hidden: str, start: int, end: int) -> tuple[int, int]:
    """The first item of a list without its clause's lead-in: from the start of the phrase
    (the pattern may have started inside a word), cut after the last lead-in verb."""
    phrase = start
    while phrase > 0 and start - phrase < 20 and re.match(f"[{CJK}]", hidden[phrase - 1]):
        phrase -= 1
    cut = max(
        (at + len(word) for word in _LIST_LEAD_INS if (at := hidden.rfind(word, phrase, end - 2)) != -1),
        default=phrase,
    )
    return cut, end
