"""Quotations and the evidence around each that it is a name (or is not).

Works on the clean text (:mod:`polcat.extract.text`): ASCII quotes are “” there, and
the quotation marks are “”, ‘’, 「」, 『』 and the title marks 《》.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from polcat.extract.lexicon import (
    CJK,
    DOCUMENT_ENDINGS,
    ESTABLISH,
    MECHANISM_TITLE_ENDINGS,
    NAME_ENDINGS,
    PEOPLE,
    PROBLEM_NOUNS,
    QUOTE_OPENERS,
    TYPE_NOUNS,
    is_ordinary_word,
)
from polcat.extract.shapes import (
    MAX_QUOTED,
    SPEECH,
    clauses,
    count_value,
    form_veto,
    has_sentence_marks,
    is_campaign,
    is_number_code,
    is_numeral_idiom,
    is_parallel,
    is_plain_list,
    is_plus_model,
    leading_count,
)
from polcat.extract.text import normalise

_CLOSERS = {close: open_ for open_, close in QUOTE_OPENERS.items()}

_ESTABLISH_RE = "(?:" + "|".join(ESTABLISH) + ")"
# Bodies of people a quality describes (“团结好、服务好、作风好”的党支部).
_BODIES = ("党支部", "支部", "党组织", "班子", "队伍", "团队")
_TYPE_RE = "(?:" + "|".join(sorted(TYPE_NOUNS, key=len, reverse=True)) + ")"
_NOT_DE = rf"(?:(?!的)[{CJK}])"  # a CJK character other than 的 (which ends a name phrase)
TYPE_AFTER = re.compile(rf"^\s*(?:的|等)?\s*({_NOT_DE}{{0,6}}?{_TYPE_RE})")
_VERB_BEFORE = re.compile(rf"{_ESTABLISH_RE}(?![成为])了?{_NOT_DE}{{0,6}}$")
_COUNT_AFTER = re.compile(r"^\s*(?:等)?\s*([一二三四五六七八九十两双]|\d+)(?:大|个|项|种|类|条|支|张)")
_PRAISE_AFTER = re.compile(r"^\s*(?:之|的)?(?:美誉|美称|称号|之称|雅称|称誉|美名)")
_PRAISE_BEFORE = re.compile(r"(?:誉为|被评为|荣获|获评|素有|号称|誉称|评为|授予|认定为|荣膺|命名为)\s*$")
_SPEECH_BEFORE = re.compile(r"(?:说|道|讲|表示|指出|强调|问|称|介绍|感慨|坦言)\s*[：:]?\s*$")
_METAPHOR_AFTER = re.compile(rf"^\s*[{CJK}]{{0,2}}作用|^\s*(?:一样|似的|一般|文章)|^\s*中的")
_METAPHOR_BEFORE = re.compile(
    r"(?:这|那)[个块一条把根张]\s*$|(?:当好|成为|变成|打造成|打造为|做好|像|打好|拧成|吹响|下好|唱好|跑出|激活|点亮|照亮)\s*$"
    r"|(?:筑牢|筑起|织密|织牢|守牢|守住|扛起|答好|交出|种好)[^，。；“”]{0,6}$"  # 筑牢治理“硬支撑”
    r"|以[^，。；“”]{1,8}为\s*$"  # 以党建为“红色引擎”: what something serves as
)
# A quotation that qualifies the noun after it (“…”的党支部), not a type noun (“…”的工作机制).
_DESCRIBES_NOUN = re.compile(rf"^\s*的(?!{_TYPE_RE})")
# Honours a place or body receives (先后荣获湖南省“文明社区”“…”等荣誉称号, 被命名为“枫桥式”基层单位):
# a verb of receiving earlier in the sentence, or the word honour after the quotation.
_HONOUR_VERB = re.compile(r"荣获|获评|被评为|评为|被授予|授予|被命名为|命名为|入选|获批|荣膺|被确定为")
_HONOUR_AFTER = re.compile(r"^[^。；！？\n]*?(?:荣誉称号|称号|殊荣|荣誉|奖项)")
# Problems a report lists (存在…“专综失衡”…等痛点): every item of the list is a problem.
_PROBLEM_RE = "(?:" + "|".join(PROBLEM_NOUNS) + ")"
_PROBLEMS_LISTED = re.compile(rf"^[^。；！？\n]*?等(?:突出)?{_PROBLEM_RE}")
# Examples of a kind of thing (兴办“农夫集市”“…基地”等产业项目): not mechanisms.
_EXAMPLES_AFTER = re.compile(r"^\s*等(?:[^，。；“”]{0,4}?)(?:项目|产品|企业|基地|景点|场所|奖项)")
# A place described (曾是…的“三不管”地带): the quotation qualifies a place.
_AREA_AFTER = re.compile(r"^\s*(?:地带|地段|区域|角落|盲区|死角|真空)")
# 以“X”为抓手: the report makes X the vehicle of its work (not 为目标, 为宗旨: aims)
_VEHICLE_BEFORE = re.compile(r"以\s*$")
_VEHICLE_AFTER = re.compile(r"^\s*为(?:重要|主要|总|有力)?(?:抓手|载体|突破口|切入点|牵引|统领|主线|依托|特色)")
# A result the policy reaches (实现“支部有作为、党员起作用…”): for a slogan or a number code
# whose use says nothing else, what is achieved rather than the name of the way there.
_RESULT_BEFORE = re.compile(r"(?:实现|达到|达成)了?\s*$")
# A goal or task the policy sets (“加快发展、加快脱贫”两大关键任务, “…”的目标): an aim, not
# the name of how it is pursued.
_GOAL_AFTER = re.compile(
    r"^\s*(?:的|等)?\s*(?:(?:[一二两三四五六七八九十]|\d+)(?:大|个|项))?\s*"
    r"(?:关键|重点|主要|总体|核心|重大|奋斗|发展|防控|工作)?(?:目标|愿景|任务|目的|效果|成效|局面)"
    rf"|^\s*的(?:(?!的)[{CJK}]){{1,4}}?(?:目标|愿景|任务|目的|效果|成效|局面)"
)
# A kind named right before the quotation (社区精康品牌“禺爱家”, 政务服务小程序“粤省事”): the
# quotation is the name of that brand, platform or programme (apposition).
_KIND_BEFORE = re.compile(r"(?:品牌|平台|小程序|APP|App|app|专项行动|工程)\s*$")
# An event it names (“西湖论剑”数字安全大会): a meeting, not a mechanism.
_EVENT_AFTER = re.compile(rf"^\s*(?:(?!的)[{CJK}]){{0,6}}?(?:大会|论坛|峰会|博览会|展会|研讨会|年会|晚会)")
# A period (“十三五”期间, “十四五”时期): a span of time, not a mechanism.
_PERIOD_AFTER = re.compile(r"^\s*(?:期间|时期|以来|规划期|末期|初期)")
# A column, programme or account of a publication (开设“…”专栏): a medium, not a mechanism.
_MEDIUM_AFTER = re.compile(r"^\s*(?:专栏|栏目|专刊|专版|节目|公众号|微信号|客户端|频道)")
# What the report leaves behind (跳出“被动处警”传统模式, 摆脱“…”): the old way, not a name.
_LEFT_BEHIND_BEFORE = re.compile(r"(?:跳出|摆脱|告别|打破|破除|改变|走出)了?\s*$")
_OLD_TYPE = ("传统", "旧", "老", "以往", "过去")
# A problem the policy cures (“上班没空办、下班没处办”痛点, “三无”难题), an instruction it
# follows (“…”的指示要求): not names of mechanisms.
_PROBLEM_AFTER = re.compile(
    rf"^\s*(?:等)?\s*(?:的(?:(?!的)[{CJK}]){{0,3}}?)?{_PROBLEM_RE}"
)  # (“审批难、审批多”的突出问题)
_INSTRUCTION_AFTER = re.compile(r"^\s*的?\s*(?:重要)?(?:指示|讲话|批示|论述)")
_PEOPLE_AFTER = re.compile(rf"^\s*的(?:(?!的)[{CJK}]){{0,2}}?(?:" + "|".join((*PEOPLE, *_BODIES)) + ")")
_PEOPLE_NAMED = re.compile(r"称[^，。；]{1,8}(?:员|人|者|干部|党员|群众)为\s*$")
_CONTRAST = re.compile(r"^\s*(?:到|向|走向|变成|变为|转变为|转变成|转向|变成了|到了)\s*$")
_RUN_GAP = re.compile(rf"^\s*(?:[、和及与]|以及)?\s*$|^\s*、[{CJK}A-Za-z0-9]{{1,8}}\s*$")


@dataclass
class Quote:
    """One quotation (or 《》 title) in the text: where its content stands."""

    start: int  # first character inside the marks
    end: int  # the closing mark
    opener: str
    depth: int  # 0 for an outermost quotation
    in_title: bool = False  # inside a 《》 title

    @property
    def is_title(self) -> bool:
        return self.opener == "《"


# Weak evidence that is not enough alone (round 8): on reports nobody had read, quoted
# labels with only this for them were names about one time in five (a coinage: 11 of 48
# in batches 8 to 10) or never (an X式 alone: 闭环式, 造血式, 0 of 4 in batch 9, a manner,
# not a method's name). They count beside other weak evidence.
COINAGE = "a quoted coinage"
MANNER = "an X式 method"
HINTS = (COINAGE, MANNER)


@dataclass
class Evidence:
    strong: list[str] = field(default_factory=list)
    weak: list[str] = field(default_factory=list)  # enough when nothing speaks against it, but see HINTS
    against: list[str] = field(default_factory=list)  # uses that outweigh weak evidence
    aliases: list[str] = field(default_factory=list)
    marks: list[str] = field(default_factory=list)  # how the use is written (quoted, in a title …): features only


def quote_veto(simple: str, quote: Quote) -> str | None:
    """Why a quotation's form rules it out (:func:`form_veto`), or None. Its use may lift
    two vetoes: a role-like ending, when a kind stands right before it (精康品牌“禺爱家”: a
    brand) or a system noun after it (“民间林长”机制); a pronoun, in a campaign a verb of
    establishing introduces or a type noun follows (开展“我为群众办实事”实践活动)."""
    label = simple[quote.start : quote.end].strip()
    veto = form_veto(label, title=quote.is_title)
    role = bool(veto and veto.startswith("a role"))
    speech = veto == SPEECH and not has_sentence_marks(label)
    if not (role or speech):
        return veto
    before = _before(simple, quote.start - 1)
    after = _LATER_QUOTES.sub("", simple[quote.end + 1 : quote.end + 61], count=1)[:14]
    if role and (_KIND_BEFORE.search(before) or _typed(after, _ROLE_SYSTEMS)):
        return None  # (“一把手”工程 stays out: a priority, not a scheme)
    if speech and (_VERB_BEFORE.search(before) or _typed(after)):
        return None
    return veto


# the quotations listed right after one (“A”“B”机制: the type noun after B is A's too)
_LATER_QUOTES = re.compile(r"^(?:\s*[、和与及]?\s*[“‘「『][^“”‘’「」『』\n]{1,12}[”’」』])+")


_ROLE_SYSTEMS = ("机制", "制度", "模式", "体系", "工作法")


def _typed(after: str, nouns: tuple[str, ...] = TYPE_NOUNS) -> bool:
    """Written as one name with one of ``nouns`` right after it (“…”活动)."""
    return _direct(TYPE_AFTER.match(after), nouns)


def _direct(tail: re.Match[str] | None, nouns: tuple[str, ...] = TYPE_NOUNS) -> bool:
    """Whether a :data:`TYPE_AFTER` match is one of ``nouns`` itself, right after the mark."""
    return bool(tail and tail.group().lstrip() == tail.group(1) and tail.group(1) in nouns)


def quotations(text: str) -> list[Quote]:
    """Every balanced quotation, innermost ones included, in order of opening.

    Quotations do not run across lines; an unbalanced mark is ignored. Linear: each
    opening mark is pushed and popped once.
    """
    found: list[Quote] = []
    stack: list[tuple[str, int]] = []
    open_count: dict[str, int] = {}
    titles: list[tuple[int, int]] = []
    for index, char in enumerate(text):
        if char == "\n":
            stack.clear()
            open_count.clear()
        elif char in _CLOSERS and open_count.get(_CLOSERS[char]):
            while stack:
                open_, at = stack.pop()
                open_count[open_] -= 1
                if open_ == _CLOSERS[char]:
                    found.append(Quote(at + 1, index, open_, len(stack)))
                    if open_ == "《":
                        titles.append((at + 1, index))
                    break
        elif char in QUOTE_OPENERS:
            stack.append((char, index))
            open_count[char] = open_count.get(char, 0) + 1
    found.sort(key=lambda q: q.start)
    titles.sort()
    at = 0
    for quote in found:  # mark the quotations inside titles (one sweep)
        while at < len(titles) and titles[at][1] < quote.start:
            at += 1
        if not quote.is_title and at < len(titles) and titles[at][0] <= quote.start < titles[at][1]:
            quote.in_title = True
    return found


def _before(simple: str, at: int, width: int = 12) -> str:
    line_start = simple.rfind("\n", max(0, at - width), at) + 1
    return simple[max(line_start, at - width) : at]


def _after(simple: str, at: int, width: int = 14) -> str:
    line_end = simple.find("\n", at, at + width)
    return simple[at : line_end if line_end != -1 else at + width]


def context_evidence(label: str, before: str, after: str, ev: Evidence) -> None:
    """Evidence from the words around one use of a label (shared by the members of a list)."""
    ordinary = bool(label) and is_ordinary_word(normalise(label)) and not is_number_code(label)
    tail = TYPE_AFTER.match(after)
    if tail:
        modifier = tail.group(1)
        direct = _direct(tail)
        # an ordinary word before a noun phrase modifies it (“一站式”解纷服务体系)
        (ev.weak if ordinary and not direct else ev.strong).append(f"followed by: {modifier}")
        if label and tail.group().lstrip() == modifier:  # written as one name: “三定”工作机制
            ev.aliases.append(normalise(label + modifier))
            noun = next((t for t in TYPE_NOUNS if modifier.endswith(t)), "")
            if 1 <= len(modifier) - len(noun) <= 2:  # “五星”支部创建 -> 五星支部
                ev.aliases.append(normalise(label + modifier[: -len(noun)]))
    verb = _VERB_BEFORE.search(before)
    if verb:  # (打造“终点站”: an ordinary word after a verb of building is a metaphor)
        established = re.match(_ESTABLISH_RE, verb.group())
        assert established is not None  # _VERB_BEFORE starts with one
        (ev.weak if ordinary else ev.strong).append(f"introduced by: {established.group()}")
    if _METAPHOR_AFTER.match(after) or _METAPHOR_BEFORE.search(before):
        ev.against.append("used as a metaphor (…作用, 这个…, 打好…)")
    if _PRAISE_AFTER.match(after) or _PRAISE_BEFORE.search(before):
        ev.against.append("praise or an honour")
    if _LEFT_BEHIND_BEFORE.search(before) or (tail and tail.group(1).startswith(_OLD_TYPE)):
        ev.against.append("the old way the report leaves behind")
        ev.strong = [r for r in ev.strong if not r.startswith("followed by")]
    if _PROBLEM_AFTER.match(after):
        ev.against.append("a problem (…痛点, …难题)")
    if _INSTRUCTION_AFTER.match(after):
        ev.against.append("an instruction quoted (…的指示)")
        ev.strong = [r for r in ev.strong if not r.startswith("followed by")]
    if _MEDIUM_AFTER.match(after):
        ev.against.append("a column or programme of a publication")
        ev.strong.clear()  # (开设“…”专栏: the verb opened a column)
    if _GOAL_AFTER.match(after):
        ev.against.append("a goal or task (…目标, …任务)")
    if _VEHICLE_BEFORE.search(before) and _VEHICLE_AFTER.match(after):
        ev.weak.append("the vehicle of the work (以“…”为抓手)")
    kind = _KIND_BEFORE.search(before)
    if kind:
        ev.strong.append(f"named after its kind: {kind.group().strip()}")
    if _EVENT_AFTER.match(after):
        ev.against.append("an event (…大会, …论坛)")
    if _PERIOD_AFTER.match(after):
        ev.against.append("a period (…期间)")
    if _speech_before(before):
        ev.against.append("quoted speech")
    if _PEOPLE_AFTER.match(after) or _PEOPLE_NAMED.search(before):
        ev.against.append("describes people")
    if _AREA_AFTER.match(after):
        ev.against.append("describes a place (…地带)")
    if _EXAMPLES_AFTER.match(after):
        ev.against.append("examples of a kind of thing (…等项目)")
    if label and "、" in label and after.lstrip().startswith("等"):
        ev.against.append("examples of a list (…等)")
        ev.strong = [r for r in ev.strong if not r.startswith("followed by")]


def _slogan_use(label: str, before: str, after: str, ev: Evidence) -> None:
    """A slogan or number code with nothing but its shape for it: a result reached
    (实现“…”), or what a noun is to be (打造“团结好、服务好、作风好”的党支部), is no name."""
    if ev.strong or not (is_parallel(label) or is_number_code(label)):
        return
    if _RESULT_BEFORE.search(before) or (is_parallel(label) and before.rstrip().endswith(("做到", "确保"))):
        ev.against.append("a result reached (实现“…”)")
    elif is_parallel(label) and _DESCRIBES_NOUN.match(after):
        ev.against.append("describes what something is to be (“…”的党支部)")


# One part of a code the report spells out (“1”指“一示范”).
_PART_OF_CODE_BEFORE = re.compile(r"[“‘「『][^”’」』]{1,8}[”’」』]\s*(?:指|是指|即|代表)\s*$")
_QUOTE_AFTER_DE = re.compile(r"^\s*的\s*[“‘「『]")
_BECOMES_QUOTED = re.compile(r"^\s*(?:转变为|转化为|转变成|变为|变成)\s*[“‘「『]")
_AS_QUOTED = re.compile(r"^\s*为\s*[“‘「『]")


def _overruled(simple: str, quote: Quote, label: str, ev: Evidence) -> None:
    """Uses whose words take away what the label's form or a verb said for it."""
    if any(a.startswith("examples of a kind") for a in ev.against):
        ev.strong = [r for r in ev.strong if not r.startswith(("followed by", "ends in", "in a list"))]
    _sentence_evidence(simple, quote, ev)
    if _PART_OF_CODE_BEFORE.search(simple[max(0, quote.start - 16) : quote.start - 1]):
        # “1”指“一示范”,即…: one part of a code the report spells out, not a name of its own
        ev.against.append("a part of a code spelled out (“1”指“…”)")
        ev.weak += ev.strong
        ev.strong = []
    if _QUOTE_AFTER_DE.match(_after(simple, quote.end + 1)) and is_parallel(label):
        # “党建引领为核、…为翼”的“1+3”机制: a slogan qualifying the quoted name after it
        ev.against.append("qualifies the quotation after it (“…”的“…”)")
        ev.strong = [r for r in ev.strong if not r.startswith("introduced by")]
    if "describes people" in ev.against:
        # 打造“团结好、服务好、作风好”的党支部: the verb builds the body, not the quotation
        ev.strong = [r for r in ev.strong if not r.startswith("introduced by")]


def _sentence_evidence(simple: str, quote: Quote, ev: Evidence) -> None:
    """What the whole sentence says of a quotation: honours received (荣获…称号) or a list
    of problems (存在…等痛点). Looks only within the sentence, so linear overall."""
    reach = max(0, quote.start - 80)  # (a sentence longer than that is cut: linear overall)
    start = max(reach - 1, *(simple.rfind(mark, reach, quote.start) for mark in "。；！？\n")) + 1
    before = simple[start : max(start, quote.start - 1)]
    after = simple[quote.end + 1 : quote.end + 81]
    if _HONOUR_VERB.search(before) or _HONOUR_AFTER.match(after):
        ev.against.append("an honour received (荣获…称号)")
        ev.strong = [r for r in ev.strong if not r.startswith(("ends in", "introduced by", "in a list"))]
    elif "存在" in before and _PROBLEMS_LISTED.match(after):
        ev.against.append("one of the problems listed (存在…等痛点)")


def _speech_before(before: str) -> bool:
    """A verb of saying right before the quotation; a one-character verb only when it ends
    no longer word (全渠道“一网通办”: 渠道, not 道 "said"; 街道, 知道, 频道)."""
    verb = _SPEECH_BEFORE.search(before)
    if verb is None:
        return False
    at = verb.start()
    return len(verb.group().strip("：: ")) > 1 or at == 0 or not is_ordinary_word(before[at - 1 : at + 1])


def _runs(quotes: list[Quote], simple: str) -> list[list[Quote]]:
    """Quotations listed together (“A”“B”, “A”、“B”, “A”和“B”, “A”、第一书记“B”)."""
    runs: list[list[Quote]] = []
    for quote in quotes:
        if (
            runs
            and _RUN_GAP.match(simple[runs[-1][-1].end + 1 : quote.start - 1])
            and runs[-1][-1].depth == quote.depth
        ):
            runs[-1].append(quote)
        else:
            runs.append([quote])
    return runs


def title_evidence(label: str) -> Evidence:
    """A 《》 title is a candidate only when it is itself a mechanism: it ends in a
    mechanism noun (…监督机制, …考核办法), not in a document noun (…实施方案, …意见)."""
    ev = Evidence()
    plain = normalise(label)
    if plain.endswith(DOCUMENT_ENDINGS) or plain.startswith(("关于", "中共")) or "关于" in plain:
        return ev
    ending = next((e for e in MECHANISM_TITLE_ENDINGS if plain.endswith(e)), None)
    if ending:
        ev.strong.append(f"a title that is a mechanism (《…{ending}》)")
    return ev


def quote_evidence(simple: str, quotes: list[Quote]) -> list[tuple[Quote, Evidence]]:
    """Each quotation with the evidence for and against it being a name.

    Members of a list share the evidence around the list (a verb before it, a type noun
    or a count after it); the type noun after the list names only the last member's alias.
    """
    out: list[tuple[Quote, Evidence]] = []
    plain = [q for q in quotes if not q.is_title and not quote_veto(simple, q)]
    for run in _runs(plain, simple):
        shared = _run_evidence(run, simple)
        for quote in run:
            label = simple[quote.start : quote.end].strip()
            ev = Evidence(list(shared.strong), list(shared.weak), list(shared.against))
            context_evidence(label, _before(simple, quote.start - 1), _after(simple, quote.end + 1), ev)
            shape_evidence(label, ev)
            _slogan_use(label, _before(simple, quote.start - 1), _after(simple, quote.end + 1), ev)
            _ordinary(label, ev)
            _counted(simple, quote, label, ev)
            _defined(simple, quote, ev)
            if any(a.startswith("a problem") for a in ev.against):
                ev.strong = []  # (无人干事、无钱办事、无力理事的“三无”难题: a problem's parts are a problem)
            _contrast(simple, quote, ev)
            _overruled(simple, quote, label, ev)
            out.append((quote, ev))
    out.extend((quote, title_evidence(simple[quote.start : quote.end].strip())) for quote in quotes if quote.is_title)
    return sorted(out, key=lambda item: item[0].start)


def _run_evidence(run: list[Quote], simple: str) -> Evidence:
    first, last = run[0], run[-1]
    shared = Evidence()
    context_evidence("", _before(simple, first.start - 1), "", shared)
    if len(run) == 1:
        return shared
    after_last = _after(simple, last.end + 1)
    listed = Evidence()
    context_evidence("", "", after_last, listed)
    shared.strong += [f"in a list of quotations {r}" for r in listed.strong]
    shared.against += listed.against
    count = _COUNT_AFTER.match(after_last)
    if count and count_value(count.group(1)) == len(run):
        shared.strong.append(f"in a list of quotations counted as: {count.group().strip()}")
    labels = [normalise(simple[q.start : q.end]) for q in run]
    if len(run) == 2 and after_last.lstrip().startswith("等") and not shared.against:
        shared.weak.append("in a list of quotations: 2 (…等)")
    if len(run) >= 3:
        if (
            len({lab[:1] for lab in labels}) == 1
            and len({len(lab) for lab in labels}) == 1
            and not is_number_code(labels[0])
        ):
            shared.against.append("parallel descriptors (高颜值、高价值、高品质)")
        else:
            shared.weak.append(f"in a list of quotations: {len(run)}")
    return shared


_LIST_BEFORE = re.compile(
    rf"((?:[{CJK}]{{1,8}}[、，])+[{CJK}]{{1,8}}?(?:[和及与][{CJK}]{{1,8}})?)(?:的|等)?\s*[“‘「『]$"
)


# A quotation that opens its sentence and is defined there (“晾晒台”是…, “X”即…): the
# report introduces a term of its own.
_DEFINED_AFTER = re.compile(r"^\s*(?:是|即|就是|指的是)")


def _defined(simple: str, quote: Quote, ev: Evidence) -> None:
    """Also a quotation that is a heading of its own: the whole of its line."""
    opens = quote.start < 2 or simple[quote.start - 2] in "。！？；\n：:"
    if opens and _DEFINED_AFTER.match(simple[quote.end + 1 : quote.end + 5]):
        ev.weak.append("defined where it opens a sentence")
    line_start = quote.start < 2 or simple[quote.start - 2] == "\n"
    if line_start and simple[quote.end + 1 : quote.end + 2].strip() in ("", "\n"):
        ev.weak.append("a heading of its own")


def _counted(simple: str, quote: Quote, label: str, ev: Evidence) -> None:
    """A label whose parts stand counted: “督、战、帮”三项举措 (its clauses, counted after
    it), 品牌化、标准化、模版化和规范化“四化” (a list of as many items before a count)."""
    items = clauses(label)
    count = _COUNT_AFTER.match(_after(simple, quote.end + 1))
    goal = _GOAL_AFTER.match(_after(simple, quote.end + 1))
    if len(items) >= 2 and count and count_value(count.group(1)) == len(items) and not goal:
        ev.strong.append(f"its parts counted after it: {count.group().strip()}")
    if listed_parts(simple, quote):
        ev.strong.append("its parts listed before it")


def listed_parts(simple: str, quote: Quote) -> list[str]:
    """The parts a count lists right before it (品牌化、标准化、模版化和规范化“四化”), as
    many as it counts; else none. The first part may carry the verb before the list."""
    label = simple[quote.start : quote.end].strip()
    n = leading_count(label) if is_number_code(label) else None
    listed = _LIST_BEFORE.search(simple[max(0, quote.start - 60) : quote.start]) if n else None
    if not (n and listed):
        return []
    parts = re.split("[、，和及与]", listed.group(1))
    return parts if len(parts) == n >= 2 else []


def _contrast(simple: str, quote: Quote, ev: Evidence) -> None:
    """从“A”到“B”, 由“A”向“B”转变: two states, not names."""
    before = simple[max(0, quote.start - 3) : quote.start - 1]
    after_close = simple[quote.end + 1 : quote.end + 8]
    if before.endswith(("从", "由")) and re.match(r"^\s*(?:到|向|走向|变成|变为|转变为|转向)\s*[“‘「『]", after_close):
        ev.against.append("a change of state (从“A”到“B”)")
        return
    if _BECOMES_QUOTED.match(after_close):
        ev.against.append("a change of state (“A”转变为“B”)")  # 让“被积分约束”转变为“行动的自觉”
        return
    if before.endswith(("变", "化")) and _AS_QUOTED.match(after_close):
        ev.against.append("a change of state (变“A”为“B”)")  # 变“多枚公章”为“一枚公章”
        return
    if re.search(
        r"(?:变|化)\s*[“‘「『][^”’」』]{1,12}[”’」』]\s*为\s*$", simple[max(0, quote.start - 24) : quote.start - 1]
    ):
        ev.against.append("a change of state (变“A”为“B”)")
        return
    gap = re.search(
        r"(?:从|由)\s*[“‘「『][^”’」』]{1,12}[”’」』]\s*(?:到|向|走向|变成|变为|转变为|转向|变成了)\s*$",
        simple[max(0, quote.start - 24) : quote.start - 1] + "",
    )
    if gap:
        ev.against.append("a change of state (从“A”到“B”)")


def _ordinary(label: str, ev: Evidence) -> None:
    """An ordinary word after a verb of building, or before a noun phrase, is a metaphor or
    a modifier (打造“终点站”, “一站式”解纷服务): that evidence counts as weak only."""
    plain = normalise(label)
    if not is_ordinary_word(plain) or is_number_code(plain):
        return
    direct = [f"followed by: {t}" for t in TYPE_NOUNS] + [r for r in ev.strong if r.startswith("followed by: 式")]
    moved = [
        r
        for r in ev.strong
        if r.startswith(("introduced by", "in a list of quotations introduced"))
        or (r.startswith("followed by") and r not in direct)
    ]
    ev.strong = [r for r in ev.strong if r not in moved]
    ev.weak += moved


def shape_evidence(label: str, ev: Evidence) -> None:
    plain = normalise(label)
    if is_plus_model(plain):
        ev.strong.append("an X+Y shape")
    elif _name_ending(plain) and len(plain) >= 3 and not re.search("[、，,]", plain):
        # (a list's last item ending in 办法 does not make the list a 办法)
        ev.strong.append(f"ends in: {_name_ending(plain)}")
    if is_campaign(plain):
        ev.strong.append("a campaign named after its period")
    if is_number_code(plain):
        ev.weak.append("number-coded")
    if is_parallel(plain):
        ev.weak.append("parallel clauses (a slogan)")
    elif is_plain_list(plain) and not any(r.startswith("followed by") for r in ev.strong):
        ev.against.append("a list of tasks or services, not a name")
        ev.strong = [r for r in ev.strong if not r.startswith("introduced by")]
    if len(plain) > MAX_QUOTED and not ev.strong:
        ev.against.append("a long list without a type noun")
    if plain.endswith("式") and len(plain) >= 3:
        ev.weak.append(MANNER)
    if 3 <= len(plain) <= 5 and plain.endswith(("通", "易", "办", "办理")) and not is_parallel(plain):
        ev.weak.append("the shape of a service's name (…通, …办)")
    if is_ordinary_word(plain) and (not is_number_code(plain) or is_numeral_idiom(plain)):
        ev.against.append("an ordinary word (in the dictionary, or a stock figure)")


def _name_ending(plain: str) -> str | None:
    ending = next((e for e in NAME_ENDINGS if plain.endswith(e)), None)
    if (
        ending is None
        and plain.endswith("制")
        and len(plain) >= 3
        and not plain.endswith(("体制", "编制", "控制", "限制"))
    ):
        return "制"
    return ending


def components_of_count(simple: str, quotes: list[Quote]) -> set[int]:
    """Starts of quotations that spell out a neighbouring count: “前端治根、中端治本、
    末端治症”…的“三端”; their clauses are the count's parts, not a name."""
    parts: set[int] = set()
    for first, second in itertools.pairwise(quotes):
        gap = simple[first.end + 1 : second.start - 1]
        if len(gap) > 10 or re.search("[。；！？\n]", gap):
            continue
        for listed, counted in ((first, second), (second, first)):
            n = leading_count(simple[counted.start : counted.end])
            items = clauses(simple[listed.start : listed.end])
            if n and n == len(items) >= 2 and is_number_code(simple[counted.start : counted.end]):
                parts.add(listed.start)
    return parts
