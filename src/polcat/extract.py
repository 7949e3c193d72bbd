"""Finding the named mechanisms a report mentions: candidates for a curator to judge.

A report names its mechanisms in a few recognisable ways, and this module looks for
exactly those (docs/extract.md explains each rule with examples):

1. **Quoted labels** in any of the quotation marks Chinese texts use (“”, "", 「」,
   ‘’, 『』; nested ones too) and document titles in 《》. A quotation is taken as a
   name only with positive evidence:

   - *strong*: an ``X+Y`` shape; the label ends in a type noun (…工程, …计划, …机制,
     …制度, …中心, …日); a type noun follows the quotation (“232”模式, “三变”改革,
     “…”的工作机制); a verb of establishing precedes it (建立, 推行, 实施, 开展 …); it
     stands in a list of quotations that shares such evidence or is counted (“A”和“B”
     两大…); a 《》 title ends in a document noun (…办法, …方案, …意见);
   - *weak*: a number-coded shape (三定, 四个一, 1233, 两个80%); a list of three or more
     quotations.

   and without contrary evidence. What disqualifies a quotation outright (its *form*):
   sentence punctuation, a personal pronoun or a quotation inside it (quoted speech),
   more than :data:`MAX_QUOTED` characters (a long quotation), a role noun at the end
   (第一书记, 领头雁, 排头兵), a reduplication or idiom (一对一, 一股绳), a date (七一).
   What outweighs weak evidence (its *use*, anywhere in the report): 作用 after it or
   这个 before it (a metaphor: 发挥“压舱石”作用), praise (“金庐陵”之美誉), a description
   of people (“有担当”的干部).

2. **Unquoted labels** of shapes that do not need quotation marks: ``X+Y`` models
   (农村家庭党校+党员活动室), number codes followed by a type noun (三会一课制度), and
   institutions introduced by a verb of establishing (推行乡镇党委负责制).

Everything here is a pure function of the text, except the last section, which matches
candidates against a catalogue (:func:`annotate`: locality guess and already-catalogued
entries).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

MAX_QUOTED = 24  # characters; longer quotations are quotations, not names
MAX_TITLE = 60  # 《》 document titles are long

_CJK = "\u3400-\u9fff\uf900-\ufaff"
_NUMERALS = "一二三四五六七八九十两双百千万"
_NUMBER_VALUES = {"一": 1, "二": 2, "两": 2, "双": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_OPENERS = {"“": "”", "‘": "’", "「": "」", "『": "』", '"': '"', "《": "》"}
_CLOSERS = {close: open_ for open_, close in _OPENERS.items()}
_QUOTE_CHARS = "“”‘’「」『』\"《》"
_PUNCT = "，,。．.；;：:！!？?、（）()【】[]—…\n\r\t " + _QUOTE_CHARS

# Nouns that say what kind of thing a label names. After a quotation they may follow a
# modifier (“1233”激励措施, “十户一体”抱团发展新模式).
_TYPE_NOUNS = (
    "学习教育", "工作法", "工作方法", "工作导向", "工作作风", "模式", "机制", "制度", "体制", "体系", "活动", "行动", "工程", "计划",
    "措施", "政策", "改革", "办法", "方案", "要求", "战略", "品牌",
)
# ... and nouns that end a name (the label itself says what it is).
_NAME_ENDINGS = (
    "工程", "计划", "机制", "制度", "模式", "工作法", "办法", "方案", "行动", "活动", "改革", "政策",
    "措施", "负责制", "责任制", "中心", "基地", "夜校", "讲堂", "理事会", "工作室", "服务站",
    "会战", "突击战", "攻坚战", "日", "月",
)
# Institutions that stand without quotation marks after a verb of establishing.
_INSTITUTION_ENDINGS = (
    "负责制", "责任制", "制度", "机制", "办法", "方案", "中心", "理事会", "委员会", "党委",
    "工作法", "模式", "计划", "工程", "行动", "基地", "夜校", "讲堂", "工作室", "服务站",
)
_DOCUMENT_ENDINGS = ("办法", "方案", "意见", "规定", "条例", "细则", "通知", "决定", "规划", "计划", "制度", "措施", "纲要", "准则")
_ESTABLISH = (
    "建立", "推行", "实施", "实行", "开展", "成立", "组建", "设立", "增设", "推出", "制定", "出台",
    "创新", "创建", "创立", "构建", "探索", "启动", "深化", "推广", "试行", "印发", "开设",
)
# An institution needs no quotation marks after these (推动 governs programmes too: 推动大扶贫战略行动).
_ESTABLISH_UNQUOTED = (*_ESTABLISH, "推动")
# Words that start a clause without being part of a name that follows.
_LEADING_FUNCTION = ("按照", "通过", "坚持", "围绕", "采取", "以", "把", "将", "对", "由", "在", "向", "为", "与", "和", "及", "从", "了")
_ROLE_ENDINGS = ("人", "者", "员", "兵", "手", "长", "雁", "家", "官", "书记", "支书", "干部")
_MEASURES = "个股把条盘根张块颗口片"
_LEXICAL_NUMERALS = ("一线", "一些", "一起", "一样", "一定", "一般", "一直", "一致", "一切", "一同", "万一", "千万", "十分", "百姓", "双方", "一体化")
_PEOPLE = ("干部", "人员", "党员", "群众", "同志", "人才", "人")

_ESTABLISH_RE = "(?:" + "|".join(_ESTABLISH) + ")"
_TYPE_RE = "(?:" + "|".join(_TYPE_NOUNS) + ")"
_NOT_DE = rf"(?:(?!的)[{_CJK}])"  # a CJK character other than 的 (which ends a name phrase)
# After a quotation: optional 的 or 等, a short modifier, then a type noun.
_TYPE_AFTER = re.compile(rf"^\s*(?:的|等)?\s*({_NOT_DE}{{0,6}}?{_TYPE_RE})")
_VERB_BEFORE = re.compile(rf"{_ESTABLISH_RE}了?{_NOT_DE}{{0,6}}$")
_COUNT_AFTER = re.compile(rf"^\s*(?:等)?\s*([{_NUMERALS}]|\d+)(?:大|个|项|种|类|条|支)")
_PRAISE_AFTER = re.compile(r"^\s*(?:之|的)?(?:美誉|美称|称号|之称|雅称|称誉|美名)")
_PRAISE_BEFORE = re.compile(r"(?:誉为|称为|被评为|荣获|获评|素有|号称|誉称)\s*$")
_SPEECH_BEFORE = re.compile(r"(?:说|道|讲|表示|指出|强调|问|称|介绍|感慨)\s*[：:]?\s*$")
_METAPHOR_AFTER = re.compile(r"^\s*[" + _CJK + r"]{0,2}作用")
_METAPHOR_BEFORE = re.compile(r"这[个块一条把根张]\s*$")
_PEOPLE_AFTER = re.compile(r"^\s*的(?:" + "|".join(_PEOPLE) + ")")
_RUN_GAP = re.compile(rf"^\s*(?:[、和及与]|以及)?\s*$|^\s*、[{_CJK}A-Za-z0-9]{{1,8}}\s*$")
_SPEECH_CHARS = re.compile(r"[。！？!?；;…]|[我你您咱俺]")
_SENTENCE_END = "。！？!?；;\n"


@dataclass
class Quote:
    """One quotation (or 《》 title) in the text: where its content stands."""

    start: int  # first character inside the marks
    end: int  # the closing mark
    opener: str
    depth: int  # 0 for an outermost quotation

    @property
    def is_title(self) -> bool:
        return self.opener == "《"


@dataclass
class Candidate:
    """A label the text probably uses as a mechanism's name, with what supports it."""

    label: str
    start: int  # where it first stands (accepted use)
    spans: list[tuple[int, int]] = field(default_factory=list)  # every accepted use
    sentence: str = ""
    components: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)  # the label with the type noun after it
    kind: str | None = None  # numeric-code or model when the shape says so
    count: int = 1
    locality: str | None = None
    known: str | None = None

    @property
    def reason(self) -> str:
        """The reasons in words, details of one rule together: "followed by: 机制/工作机制"."""
        grouped: dict[str, list[str]] = {}
        for reason in self.reasons:
            rule, _, detail = reason.partition(": ")
            grouped.setdefault(rule, [])
            if detail and detail not in grouped[rule]:
                grouped[rule].append(detail)
        return "; ".join(f"{rule}: {'/'.join(details)}" if details else rule for rule, details in grouped.items())

    def to_dict(self) -> dict:
        return {
            "label": self.label, "sentence": self.sentence, "components": self.components,
            "locality": self.locality, "known": self.known, "reason": self.reason,
            "aliases": self.aliases, "kind": self.kind, "count": self.count,
        }


# --- text helpers ------------------------------------------------------------------------


def normalise(text: str) -> str:
    """NFKC (full-width ＋ and digits to ASCII) without whitespace: the form labels compare in."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def simplified(text: str) -> str:
    """The text in simplified characters, character for character (offsets unchanged)."""
    from polcat.chinese import simplify_chars

    return simplify_chars(text)


def has_cjk(text: str) -> bool:
    return re.search(f"[{_CJK}]", text) is not None


def sentence_at(text: str, start: int, end: int, limit: int = 160) -> str:
    """The sentence around ``text[start:end]``; a long one is cut to the clauses around it."""
    left = max(text.rfind(c, 0, start) for c in _SENTENCE_END) + 1
    rights = [i for i in (text.find(c, end) for c in _SENTENCE_END) if i != -1]
    right = min(rights) + 1 if rights else len(text)
    if right - left > limit:
        room = max(0, (limit - (end - start)) // 2)
        clause_left = [text.rfind(c, left, max(left, start - room)) for c in "，,、"]
        clause_right = [i for i in (text.find(c, min(right, end + room), right) for c in "，,、") if i != -1]
        left = max([left] + [i + 1 for i in clause_left if i != -1])
        right = min(clause_right + [right])
    return text[left:right].strip()


# --- quotations --------------------------------------------------------------------------


def quotations(text: str) -> list[Quote]:
    """Every balanced quotation, innermost ones included, in order of opening.

    Quotations do not run across lines; an unbalanced mark is ignored.
    """
    found: list[Quote] = []
    stack: list[tuple[str, int]] = []
    for index, char in enumerate(text):
        if char == "\n":
            stack.clear()
        elif char in _CLOSERS and any(open_ == _CLOSERS[char] for open_, _ in stack):
            while stack:
                open_, at = stack.pop()
                if open_ == _CLOSERS[char]:
                    found.append(Quote(at + 1, index, open_, len(stack)))
                    break
        elif char in _OPENERS:
            stack.append((char, index))
    return sorted(found, key=lambda q: q.start)


def baseline_labels(text: str) -> list[str]:
    """The bare-regex baseline: whatever stands between quotation marks."""
    pattern = re.compile(r"[“\"「‘『]([^“”\"「」‘’『』\n]{1,40})[”\"」’』]")
    return list(dict.fromkeys(m.group(1).strip() for m in pattern.finditer(text) if m.group(1).strip()))


# --- shapes of a label -------------------------------------------------------------------


def is_plus_model(label: str) -> bool:
    """``X+Y`` or ``X+``: 支部+合作社+农户, 党员+, 1+X, 4+ (each part Chinese, a number or X)."""
    parts = [p for p in normalise(label).split("+") if p]
    if "+" not in label.replace("＋", "+") or not parts:
        return False
    return all(has_cjk(p) or re.fullmatch(r"\d+|[xXnN]", p) for p in parts)


def is_number_code(label: str) -> bool:
    """A label built on a number: 三定, 四个一, 五必查五抽查, 1233, 两个80%, 决战决胜60天."""
    label = normalise(label)
    if not label or len(label) > 12 or label.startswith(_LEXICAL_NUMERALS):
        return False
    if label[0] in _NUMERALS or label[0].isdigit():
        return True
    return any(c.isdigit() for c in label) and has_cjk(label)


def is_parallel(label: str) -> bool:
    """Parallel clauses of one length sharing a character in one place (排比): 抓基层、打基础,
    急事难事见干部、政策宣传见干部、…, 重心下移、权力下放、业绩下评."""
    clauses = re.split("[、，,]", normalise(label))
    if len(clauses) < 2 or len({len(c) for c in clauses}) != 1 or not 2 <= len(clauses[0]) <= 8:
        return False
    return any(len({c[i] for c in clauses}) == 1 for i in range(len(clauses[0])))


def leading_count(label: str) -> int | None:
    """The number a label starts with when it counts parts: 四个工程 -> 4, 4+ -> 4, 双推进 -> 2."""
    label = normalise(label)
    digits = re.match(r"\d+", label)
    if digits:
        return int(digits.group()) if label[digits.end() : digits.end() + 1] == "+" or len(digits.group()) == 1 else None
    return _NUMBER_VALUES.get(label[:1])


def form_veto(label: str, *, title: bool = False) -> str | None:
    """Why the label's form rules it out as a name, or None."""
    plain = normalise(label)
    if not plain:
        return "empty"
    if len(plain) > (MAX_TITLE if title else MAX_QUOTED) and not is_parallel(plain):
        return "a long quotation"
    if not title and _SPEECH_CHARS.search(plain):
        return "quoted speech (sentence punctuation or a personal pronoun)"
    if re.search("[“”‘’「」『』\"]", plain) and not title:
        return "a quotation within a quotation"
    if plain.count(",") + plain.count("，") > 1:
        return "a sentence, not a name"
    if not has_cjk(plain) and not re.search(r"\d", plain):
        return "no Chinese and no number"
    if len(plain) == 1:
        return "a single character"
    if len(plain) <= 7 and not is_plus_model(plain) and plain.endswith(_ROLE_ENDINGS) and not plain.endswith(_NAME_ENDINGS):
        return "a role or person, not a mechanism"
    if len(plain) == 3 and plain[0] == plain[2] and has_cjk(plain):
        return "a reduplication (一对一, 点对点)"
    if len(plain) == 3 and plain[0] == "一" and plain[1] in _MEASURES:
        return "an idiom (一股绳, 一把手)"
    if len(plain) == 2 and all(c in _NUMERALS for c in plain):
        return "a date (七一)"
    return None


# --- evidence around a quotation ---------------------------------------------------------


@dataclass
class Evidence:
    strong: list[str] = field(default_factory=list)
    weak: list[str] = field(default_factory=list)
    against: list[str] = field(default_factory=list)  # uses that outweigh weak evidence
    aliases: list[str] = field(default_factory=list)


def _before(simple: str, at: int, width: int = 12) -> str:
    line_start = simple.rfind("\n", 0, at) + 1
    return simple[max(line_start, at - width) : at]


def _after(simple: str, at: int, width: int = 14) -> str:
    line_end = simple.find("\n", at)
    return simple[at : min(line_end if line_end != -1 else len(simple), at + width)]


def _context_evidence(label: str, before: str, after: str, ev: Evidence) -> None:
    """Evidence from the words around one use of a label (shared by the members of a list)."""
    tail = _TYPE_AFTER.match(after)
    if tail:
        ev.strong.append(f"followed by: {tail.group(1)}")
        if label and tail.group().lstrip() == tail.group(1):  # written as one name: “三定”工作机制
            ev.aliases.append(normalise(label + tail.group(1)))
    verb = _VERB_BEFORE.search(before)
    if verb:
        ev.strong.append(f"introduced by: {re.match(_ESTABLISH_RE, verb.group()).group()}")
    if _METAPHOR_AFTER.match(after) or _METAPHOR_BEFORE.search(before):
        ev.against.append("used as a metaphor (…作用, 这个…)")
    if _PRAISE_AFTER.match(after) or _PRAISE_BEFORE.search(before):
        ev.against.append("praise")
    if _SPEECH_BEFORE.search(before):
        ev.against.append("quoted speech")
    if _PEOPLE_AFTER.match(after):
        ev.against.append("describes people")


def _runs(quotes: list[Quote], simple: str) -> list[list[Quote]]:
    """Quotations listed together (“A”“B”, “A”、“B”, “A”和“B”, “A”、第一书记“B”)."""
    runs: list[list[Quote]] = []
    for quote in quotes:
        if runs and _RUN_GAP.match(simple[runs[-1][-1].end + 1 : quote.start - 1]) and runs[-1][-1].depth == quote.depth:
            runs[-1].append(quote)
        else:
            runs.append([quote])
    return runs


def quote_evidence(text: str, simple: str, quotes: list[Quote]) -> list[tuple[Quote, str, Evidence]]:
    """Each quotation with its label and the evidence for and against it being a name.

    Members of a list share the evidence around the list (a verb before it, a type noun
    or a count after it); the type noun after the list names only the last member's alias.
    """
    out: list[tuple[Quote, str, Evidence]] = []
    titles = [q for q in quotes if q.is_title]
    plain = [
        q for q in quotes
        if not q.is_title and not form_veto(text[q.start : q.end])
        and not any(t.start <= q.start < t.end for t in titles)  # part of a title
    ]
    for run in _runs(plain, simple):
        first, last = run[0], run[-1]
        shared = Evidence()
        _context_evidence("", _before(simple, first.start - 1), "", shared)
        after_last = _after(simple, last.end + 1)
        if len(run) > 1:
            listed = Evidence()
            _context_evidence("", "", after_last, listed)
            shared.strong += [f"in a list of quotations {r}" for r in listed.strong]
            shared.against += listed.against
            count = _COUNT_AFTER.match(after_last)
            if count and _count_value(count.group(1)) == len(run):
                shared.strong.append(f"in a list of quotations counted as: {count.group().strip()}")
            if len(run) >= 3:
                shared.weak.append(f"in a list of quotations: {len(run)}")
        for quote in run:
            label = text[quote.start : quote.end].strip()
            ev = Evidence(list(shared.strong), list(shared.weak), list(shared.against))
            _context_evidence(label, _before(simple, quote.start - 1), _after(simple, quote.end + 1), ev)
            _shape_evidence(simple[quote.start : quote.end].strip(), ev)
            out.append((quote, label, ev))
    for quote in titles:
        label = text[quote.start : quote.end].strip()
        ev = Evidence()
        if normalise(simplified(label)).endswith(_DOCUMENT_ENDINGS):
            ev.strong.append("a document title (《…》 ending in a document noun)")
        out.append((quote, label, ev))
    return sorted(out, key=lambda item: item[0].start)


def _shape_evidence(label: str, ev: Evidence) -> None:
    if is_plus_model(label):
        ev.strong.append("an X+Y shape")
    elif normalise(label).endswith(_NAME_ENDINGS) and len(normalise(label)) >= 3 and not re.search("[、，,]", label):
        # (a list's last item ending in 办法 does not make the list a 办法)
        ev.strong.append(f"ends in: {next(e for e in _NAME_ENDINGS if normalise(label).endswith(e))}")
    if is_number_code(label):
        ev.weak.append("number-coded")
    if is_parallel(label):
        ev.weak.append("parallel clauses (a slogan)")


def _count_value(token: str) -> int | None:
    return int(token) if token.isdigit() else _NUMBER_VALUES.get(token)


# --- unquoted labels ---------------------------------------------------------------------


def _masked(simple: str, quotes: list[Quote]) -> str:
    """The text with every quotation's content blanked out (offsets kept)."""
    chars = list(simple)
    for quote in quotes:
        for i in range(quote.start - 1, quote.end + 1):
            chars[i] = "\x00"
    return "".join(chars)


_NAME_PART = rf"[{_CJK}A-Za-z0-9]+(?:[（(][^（）()\x00\n]{{1,20}}[）)][{_CJK}]*)?"
_PLUS_RE = re.compile(rf"{_NAME_PART}(?:\s*[+＋]\s*(?:{_NAME_PART})?)+")
_INSTITUTION_RE = re.compile(
    "(?:" + "|".join(_ESTABLISH_UNQUOTED) + rf")了?((?:{_NOT_DE}|[（）()]){{1,18}}?(?:"
    + "|".join(_INSTITUTION_ENDINGS) + rf"))(?=[^{_CJK}]|的|和|与|及|$)"
)
_NUMBER_GROUP = rf"[{_NUMERALS}](?:[^\W\d{_NUMERALS}{_MEASURES}级户亩人名次年天项类种批元万亿件所]){{1,3}}"
_NUMBER_CODE_RE = re.compile(rf"(?<![{_CJK}\d])((?:{_NUMBER_GROUP}){{2,4}})(?![{_CJK}\d])")
_NUMBER_CODE_TYPED_RE = re.compile(rf"(?<![{_NUMERALS}\d])((?:{_NUMBER_GROUP}){{2,4}})({_TYPE_RE})")
_DIGIT_CODE_RE = re.compile(rf"(?<![\d.%])([1-9]\d{{2,4}})({_TYPE_RE})")


def unquoted_labels(text: str, simple: str, quotes: list[Quote]) -> list[tuple[int, int, str, str]]:
    """(start, end, label, reason) for names standing without quotation marks."""
    masked = _masked(simple, quotes)
    found = _unquoted_models(text, masked) + _unquoted_institutions(text, masked) + _unquoted_codes(text, masked)
    return [item for item in found if not form_veto(item[2])]


def _unquoted_models(text: str, masked: str) -> list[tuple[int, int, str, str]]:
    found = []
    for match in _PLUS_RE.finditer(masked):
        start, end = _trim_leading_function(masked, match.start(), match.end())
        label = text[start:end].strip()
        if is_plus_model(label) and "+" in normalise(label).rstrip("+"):
            found.append((start, end, label, "unquoted X+Y shape"))
    return found


def _unquoted_institutions(text: str, masked: str) -> list[tuple[int, int, str, str]]:
    found = []
    for match in _INSTITUTION_RE.finditer(masked):
        verb = masked[match.start() : match.start(1)].rstrip("了")
        for start, end in _coordinated(masked, *match.span(1)):
            if is_specific_institution(masked[start:end]):
                found.append((start, end, text[start:end], f"unquoted institution introduced by: {verb}"))
    return found


def is_specific_institution(label: str) -> bool:
    """Ends in an institution noun, with a qualifier long enough to single one out: 乡镇党委负责制,
    联村党委, but not 党建模式 (a generic type noun needs three characters before it)."""
    label = normalise(label)
    ending = next((e for e in _INSTITUTION_ENDINGS if label.endswith(e)), None)
    if ending is None:
        return False
    return len(label) - len(ending) >= (3 if ending in _TYPE_NOUNS else 2)


def _unquoted_codes(text: str, masked: str) -> list[tuple[int, int, str, str]]:
    shapes = (
        (_NUMBER_CODE_RE, "unquoted number code standing alone"),
        (_NUMBER_CODE_TYPED_RE, "unquoted number code before a type noun"),
        (_DIGIT_CODE_RE, "unquoted number code before a type noun"),
    )
    found = []
    for pattern, reason in shapes:
        for match in pattern.finditer(masked):
            if pattern is _NUMBER_CODE_RE and not _bounded(masked, match.start(), match.end()):
                continue
            found.append((match.start(1), match.end(1), text[match.start(1) : match.end(1)], reason))
    return found


def _trim_leading_function(masked: str, start: int, end: int) -> tuple[int, int]:
    """Drop a verb of establishing or a preposition stuck to the front of an X+Y label."""
    changed = True
    while changed:
        changed = False
        for word in (*_ESTABLISH, *_LEADING_FUNCTION):
            if masked.startswith(word, start) and end - start > len(word) + 2:
                start += len(word)
                changed = True
    return start, end


def _coordinated(masked: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split "A中心和B委员会" into its parts when each is an institution; else keep it whole."""
    parts, at = [], start
    for match in re.finditer("和|与|及", masked[start:end]):
        parts.append((at, start + match.start()))
        at = start + match.end()
    parts.append((at, end))
    if len(parts) > 1 and all(masked[s:e].endswith(_INSTITUTION_ENDINGS) for s, e in parts):
        return parts
    return [(start, end)] if not masked.startswith(_LEADING_FUNCTION, start) else []


def _bounded(masked: str, start: int, end: int) -> bool:
    """Whether a match stands alone between punctuation (not inside a longer phrase)."""
    left = masked[start - 1] if start else "\n"
    right = masked[end] if end < len(masked) else "\n"
    return (left in _PUNCT or left == "\x00") and (right in _PUNCT or right == "\x00")


# --- components ----------------------------------------------------------------------------


_LIST_SPLIT = re.compile(r"[、；;，,]")
_ITEM_MARKERS = re.compile(r"^\s*(?:([一二三四五六七八九十])是|第([一二三四五六七八九十])[，,、]|[（(]([一二三四五六七八九十])[）)])")


def components_near(text: str, simple: str, start: int, end: int, label: str, only_in_sentence: bool) -> list[str]:
    """The parts the text enumerates for the label at ``text[start:end]``, or []."""
    for finder in (_parenthesis_after, _namely_after, _list_before, _items_after):
        parts = finder(text, simple, start, end, label, only_in_sentence)
        if len(parts) >= 2:
            return parts
    return []


def _split_list(text: str) -> list[str]:
    parts = [p.strip(" “”‘’「」『』\"") for p in _LIST_SPLIT.split(text)]
    return [p for p in parts if p]


def _tail_end(simple: str, end: int) -> int:
    """Where the type noun after a quotation ends (“…”产业发展模式(…) keeps its parenthesis)."""
    tail = _TYPE_AFTER.match(simple[end + 1 : end + 16])
    return end + 1 + (tail.end() if tail else 0)


def _parenthesis_after(text, simple, start, end, label, _only) -> list[str]:
    at = _tail_end(simple, end)
    match = re.match(r"\s*[（(]([^（）()\n]{3,120})[）)]", text[at:])
    return _split_list(match.group(1)) if match else []


def _namely_after(text, simple, start, end, label, _only) -> list[str]:
    at = _tail_end(simple, end)
    match = re.match(r"[^。；;\n]{0,3}?[，,]?\s*即([^。\n]{4,300})", text[at:])
    if not match:
        return []
    body = match.group(1)
    framed = re.search(r"由(.+?)(?:组成|构成)$", simplified(body))
    if framed:
        body = body[framed.start(1) : framed.end(1)]
    parts = _split_list(body)
    return parts if all(len(p) <= 40 for p in parts) else []


def _list_before(text, simple, start, end, label, _only) -> list[str]:
    left = start - 1 if start and text[start - 1] in _QUOTE_CHARS else start
    connector = re.search(r"(?:的|按照|等|之)?\s*$", simple[max(0, left - 4) : left])
    at = left - (len(connector.group()) if connector else 0)
    clause_start = max(simple.rfind(c, 0, at) for c in "，,。；;：:！？\n“”‘’「」『』") + 1
    clause = text[clause_start:at]
    if "、" not in clause:
        return []
    parts = [p.strip() for p in clause.split("、")]
    parts = [_strip_lead_in(parts[0], parts[1:])] + parts[1:]
    if len(parts) < 2 or not all(2 <= len(p) <= 14 and "的" not in p and not _has_verb(p) for p in parts):
        return []  # (a clause that goes on after the list: 在甲、乙开展了以“…”)
    count = leading_count(simplified(label))
    return parts if count in (None, len(parts)) else []


def _has_verb(part: str) -> bool:
    return re.search("|".join(_ESTABLISH), simplified(part)) is not None


def _strip_lead_in(first: str, rest: list[str]) -> str:
    """The first item of a list without the clause's lead-in: when the other items have one
    length, the first has it too (着力破解…无人干事、无钱办事、无力理事 -> 无人干事)."""
    lengths = {len(p) for p in rest}
    if len(lengths) == 1 and len(first) > (n := lengths.pop()):
        return first[-n:]
    simple = simplified(first)
    cut = max((simple.rfind(w) + len(w) for w in (*_ESTABLISH, *_LEADING_FUNCTION) if simple.rfind(w) != -1), default=0)
    return first[cut:] if len(first) - cut >= 2 else first


def _strip_leading(part: str) -> str:
    part = part.strip()
    changed = True
    while changed:
        changed = False
        for word in (*_ESTABLISH, *_LEADING_FUNCTION):
            if simplified(part).startswith(word) and len(part) > len(word) + 1:
                part = part[len(word) :]
                changed = True
    return part


def _items_after(text, simple, start, end, label, only_in_sentence) -> list[str]:
    """一是…。二是…。 right after the label's sentence (a heading and its items)."""
    sentence_end = min([i for i in (simple.find(c, end) for c in "。！？；;\n") if i != -1] or [len(simple)])
    at, items, expected = sentence_end + 1, [], 1
    while True:
        marker = _ITEM_MARKERS.match(simple[at:])
        number = marker and _NUMBER_VALUES.get(next(g for g in marker.groups() if g))
        if not marker or number != expected:
            break
        item_end = min([i for i in (simple.find(c, at + marker.end()) for c in "。；;\n") if i != -1] or [len(simple)])
        items.append(_strip_leading(text[at + marker.end() : item_end]).strip(" “”‘’「」『』\"，,"))
        at, expected = item_end + 1, expected + 1
    count = leading_count(simplified(label))
    if len(items) >= 2 and (count == len(items) or (count is None and only_in_sentence)):
        return [i for i in items if i]
    return []


# --- candidates ------------------------------------------------------------------------------


def label_key(label: str) -> str:
    """How labels are told apart: simplified, NFKC, no whitespace."""
    return normalise(simplified(label))


def find_candidates(text: str) -> list[Candidate]:
    """The candidate names in ``text``, in order of first accepted use."""
    simple = simplified(text)
    uses: dict[str, list[tuple[int, int, str, Evidence]]] = {}
    quotes = quotations(text)
    for quote, label, ev in quote_evidence(text, simple, quotes):
        veto = form_veto(label, title=quote.is_title)
        if veto and not (quote.is_title and ev.strong):
            continue
        uses.setdefault(label_key(label), []).append((quote.start, quote.end, label, ev))
    for start, end, label, reason in unquoted_labels(text, simple, quotes):
        ev = Evidence(strong=[reason]) if "standing alone" not in reason else Evidence(weak=[reason])
        uses.setdefault(label_key(label), []).append((start, end, label, ev))
    candidates = [c for c in (_judge(text, simple, key, items) for key, items in uses.items()) if c]
    _fill_components(text, simple, candidates)
    return sorted(candidates, key=lambda c: c.start)


def _judge(text: str, simple: str, key: str, uses: list[tuple[int, int, str, Evidence]]) -> Candidate | None:
    """Accept a label on strong evidence, or on weak evidence that no use contradicts."""
    against = [a for *_, ev in uses for a in ev.against]
    accepted = [(s, e, label, ev) for s, e, label, ev in uses if ev.strong or (ev.weak and not against)]
    if not accepted:
        return None
    start, end, label, _ = accepted[0]
    reasons = list(dict.fromkeys(r for *_, ev in accepted for r in ev.strong + ev.weak))
    aliases = list(dict.fromkeys(a for *_, ev in uses for a in ev.aliases if a != key))
    return Candidate(
        label=label, start=start, spans=[(s, e) for s, e, *_ in accepted], sentence=sentence_at(text, start, end),
        reasons=reasons, aliases=aliases, kind=_kind(label), count=len(uses),
    )


def _kind(label: str) -> str | None:
    if is_number_code(label) and not is_plus_model(label):
        return "numeric-code"
    if is_plus_model(label):
        return "numeric-code" if normalise(label)[0].isdigit() else "model"
    return None


def _fill_components(text: str, simple: str, candidates: list[Candidate]) -> None:
    """Components from the first use of each candidate next to which the text enumerates some."""
    per_sentence = Counter(_sentence_start(simple, s) for c in candidates for s in {_sentence_start(simple, a) for a, _ in c.spans})
    for candidate in candidates:
        for start, end in candidate.spans:
            alone = per_sentence[_sentence_start(simple, start)] == 1
            candidate.components = components_near(text, simple, start, end, candidate.label, only_in_sentence=alone)
            if candidate.components:
                break


def _sentence_start(simple: str, at: int) -> int:
    return max(simple.rfind(c, 0, at) for c in _SENTENCE_END) + 1


# --- against a catalogue -------------------------------------------------------------------

_VARIANT_SUFFIXES = (
    "工作机制", "工作模式", "工作制度", "机制", "模式", "制度", "活动", "措施", "政策", "改革", "要求",
    "体系", "计划", "工程", "行动",
)


def variant_key(key: str) -> str:
    """A label without a generic type noun at the end: 三定工作机制 ~ 三定, 三变改革 ~ 三变."""
    for suffix in _VARIANT_SUFFIXES:
        if key.endswith(suffix) and len(key) - len(suffix) >= 2:
            return key[: -len(suffix)]
    return key


def name_index(records: Iterable) -> tuple[dict[str, list], dict[str, list]]:
    """Entries by the exact keys of their names and aliases, and by their variant keys."""
    exact: dict[str, list] = {}
    variants: dict[str, list] = {}
    for record in records:
        name = record.get("name") if isinstance(record.get("name"), dict) else {}
        aliases = record.get("aliases") if isinstance(record.get("aliases"), list) else []
        for value in (name.get("zh"), name.get("original"), *aliases):
            if isinstance(value, str) and value.strip():
                key = label_key(value)
                exact.setdefault(key, []).append(record)
                variants.setdefault(variant_key(key), []).append(record)
    return exact, variants


def match_known(cat, candidate: Candidate, index) -> str | None:
    """The id of the catalogued entry the candidate names (same name in either script, an
    alias, or the same name give or take a type noun), preferring the candidate's locality."""
    exact, variants = index
    keys = [label_key(candidate.label), *candidate.aliases]
    for table, transform in ((exact, lambda k: k), (variants, variant_key)):
        records = [r for key in keys for r in table.get(transform(key), [])]
        if records:
            return _closest(cat, records, candidate.locality).id
    return None


def _closest(cat, records: list, locality: str | None):
    records = list({r.id: r for r in records}.values())
    if locality:
        chain = [r.id for r in cat.ancestors(locality)]
        ranked = sorted(records, key=lambda r: (chain.index(r.get("locality")) if r.get("locality") in chain else len(chain), r.id))
        return ranked[0]
    return sorted(records, key=lambda r: r.id)[0]


@dataclass
class PlaceIndex:
    """Where the text names places of the locality registry."""

    mentions: list[tuple[int, str]]  # (offset, locality id), in order
    document: str | None  # the locality the text is mostly about


def place_index(cat, simple: str) -> PlaceIndex:
    """Find the registry's places in the (simplified) text; guess the report's locality:
    the place named most, longer names weighing more (赤水市 over 赤水), then the lowest level."""
    from polcat.catalogue import LEVELS
    from polcat.chinese import has_cjk as cjk
    from polcat.places import locality_keys

    names: dict[str, str] = {}
    for place in cat.all_localities():
        if place.level == "national":
            continue  # 全国 is not a place a report is about
        for key in sorted(locality_keys(place)):
            if cjk(key) and len(key) >= 2:
                names.setdefault(key, place.id)
    if not names:
        return PlaceIndex([], None)
    pattern = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))
    mentions, score = [], Counter()
    for match in pattern.finditer(simple):
        mentions.append((match.start(), names[match.group()]))
        score[names[match.group()]] += len(match.group())
    if not score:
        return PlaceIndex([], None)

    def rank(ident: str):
        level = cat.localities[ident].get("level")
        return (score[ident], LEVELS.index(level) if level in LEVELS else 0, ident)

    return PlaceIndex(mentions, max(score, key=rank))


_LEVEL_MARKERS = (
    (re.compile(r"(?:中央|中组部|国务院|党中央|国家)[^，,。；;]{0,6}$"), "national"),
    (re.compile(r"省委[^，,。；;]{0,6}$"), "省"),
    (re.compile(r"市委[^，,。；;]{0,6}$"), "市"),
    (re.compile(r"县委[^，,。；;]{0,6}$"), "县"),
)


def guess_locality(cat, simple: str, places: PlaceIndex, start: int) -> str | None:
    """The place a label belongs to: the nearest place named before it in its sentence, a
    level named just before it (省委 …, 中组部 …), or the place the report is about."""
    sentence_start = max(simple.rfind(c, 0, start) for c in "。！？!?\n") + 1
    near = [ident for at, ident in places.mentions if sentence_start <= at < start]
    if near:
        return near[-1]
    before = simple[max(sentence_start, start - 12) : max(sentence_start, start - 1)]
    for pattern, level in _LEVEL_MARKERS:
        if pattern.search(before):
            if level == "national":
                return "national" if "national" in cat.localities else None
            for record in cat.ancestors(places.document or ""):
                if str((record.get("name") or {}).get("zh", "")).endswith(level):
                    return record.id
    return places.document


def annotate(cat, candidates: list[Candidate], text: str) -> list[Candidate]:
    """Fill in each candidate's locality guess and the catalogued entry it names, if any."""
    simple = simplified(text)
    places = place_index(cat, simple)
    index = name_index(list(cat.mechanisms.values()))
    for candidate in candidates:
        candidate.locality = guess_locality(cat, simple, places, candidate.start)
        candidate.known = match_known(cat, candidate, index)
    return candidates


def extract(text: str, cat=None) -> list[Candidate]:
    """Candidates in ``text``; with a catalogue, annotated with locality and known entry."""
    candidates = find_candidates(text)
    return annotate(cat, candidates, text) if cat is not None else candidates


def identify_source(cat, text: str, threshold: float = 0.5):
    """The catalogue source whose stored text this report is (most of its sentences occur
    in it, whitespace and script ignored), or None."""
    from polcat.chinese import fold_for_quote
    from polcat.problems import LoadError

    sentences = [fold_for_quote(s) for s in re.split(r"[。！？!?；;\n]", text)]
    sentences = [s for s in sentences if len(s) >= 8]
    if not sentences:
        return None
    best, best_share = None, 0.0
    for record in cat.sources.values():
        try:
            stored = fold_for_quote(cat.read_source_text(record))
        except LoadError:
            continue
        share = sum(1 for s in sentences if s in stored) / len(sentences)
        if share > best_share:
            best, best_share = record, share
    return best if best_share >= threshold else None
