"""Judging: every use of a label, quoted or not, weighed together.

A label is a candidate on strong evidence at any use, or on weak evidence when no use
speaks against it (docs/extract.md has the rules); or, when asked, when the learned
model (:mod:`~polcat.extract.learned`) gives it a high enough probability.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter

from polcat import gazetteer
from polcat.extract import learned
from polcat.extract.candidate import Candidate
from polcat.extract.counted import Context, components_near
from polcat.extract.learned import Judgement, Use
from polcat.extract.lexicon import CJK, ESTABLISH_UNQUOTED, NAME_ENDINGS, is_ordinary_word, word_tags
from polcat.extract.quotes import (
    COINAGE,
    HINTS,
    Evidence,
    Quote,
    components_of_count,
    listed_parts,
    quotations,
    quote_evidence,
    quote_veto,
)
from polcat.extract.shapes import form_veto, is_number_code, is_plus_model, leading_count
from polcat.extract.text import Cleaned, clean, label_key, normalise, sentence_at
from polcat.extract.unquoted import masked, unquoted_labels

_COMPONENT_TRIES = 20  # uses of a label tried for components (a label used a thousand times)
_SHORT_PART = 6  # a quoted fragment this short inside a count's parts is a part
TYPE_NOUN_RE = re.compile(
    "|".join(
        sorted(
            ("模式", "机制", "制度", "工作法", "改革", "工程", "行动", "活动", "品牌", "平台"), key=len, reverse=True
        )
    )
)


def find_candidates(text: str, judgement: Judgement = None) -> list[Candidate]:
    """The candidate names in ``text``, in order of first accepted use."""
    return candidates_in(clean(text), judgement)


def candidates_in(cleaned: Cleaned, judgement: Judgement = None) -> list[Candidate]:
    """The candidates of a cleaned report. ``judgement`` weighs each label's uses: the
    shipped default (None), ``"rules"`` (the hand rules), ``"learned"`` (the shipped
    model) or a :class:`~polcat.extract.learned.Model` (benchmarks/train_judge.py)."""
    uses, unjudged = collect_uses(cleaned)
    return _judged(cleaned, uses, unjudged, judgement)[0]  # (the set-aside list only when asked)


_SET_ASIDE_LENGTH = (2, 24)  # a quotation longer than a name is speech, not a label to review


def judged_and_set_aside(cleaned: Cleaned, judgement: Judgement = None) -> tuple[list[Candidate], list[Candidate]]:
    """The candidates, and the quoted labels the judgement set aside, each with why (the
    uses that speak against it, the form that rules it out, or no evidence for it): what
    a curator reviews so that no quoted label is lost unseen. Set-aside labels are not
    parts of a count a candidate spells out, nor quoted speech."""
    uses, unjudged = collect_uses(cleaned)
    kept, regions = _judged(cleaned, uses, unjudged, judgement)
    taken = {c.key for c in kept} | {a for c in kept for a in c.aliases}
    shortest, longest = _SET_ASIDE_LENGTH
    aside = []
    for key in dict.fromkeys([*uses, *unjudged]):
        if key in taken or not shortest <= len(key) <= longest:
            continue
        mine = [
            u for u in [*uses.get(key, []), *unjudged.get(key, [])] if any(m.startswith("quoted") for m in u[2].marks)
        ]
        why = list(dict.fromkeys(a for *_, ev in mine for a in ev.against))
        if not mine or any("speech" in a for a in why):
            continue
        candidate = _candidate(cleaned, key, mine, mine)
        hinted = next((w for *_, ev in mine for w in ev.weak if w in HINTS), None)
        candidate.reasons = why or (
            [f"{hinted}, and nothing else for it"] if hinted else ["no evidence that it is a name"]
        )
        aside.append(candidate)
    aside = [c for c in aside if not any(_covered(regions, s, e) for s, e in c.spans)]
    return kept, sorted(aside, key=lambda c: c.start)


def _covered(regions: list[tuple[int, int, str]], start: int, end: int) -> bool:
    """Whether the span lies inside one of the regions (sorted by start; a binary search
    and a short walk back, so that a report with thousands of counts stays fast)."""
    at = bisect.bisect_right(regions, (start, float("inf"), ""))
    return any(a <= start and end <= b for a, b, _ in regions[max(0, at - _REGION_LOOKBACK) : at])


_REGION_LOOKBACK = 8  # regions are the parts after one count each: few overlap


def _judged(
    cleaned: Cleaned, uses: dict[str, list[Use]], unjudged: dict[str, list[Use]], judgement: Judgement
) -> tuple[list[Candidate], list[tuple[int, int, str]]]:
    """The accepted candidates (components filled, parts of counts and digit prefixes
    merged) and the regions the parts of counted candidates cover."""
    model = learned.resolve(judgement)
    if model is None:
        judged = [c for c in (_judge(cleaned, key, items) for key, items in uses.items()) if c]
    else:
        judged = _judge_learned(cleaned, model, uses, unjudged)
    ctx = Context(cleaned.text, cleaned.simple)
    regions = _fill_components(cleaned, ctx, judged)
    kept = _merge_number_prefixes([c for c in judged if not _inside_parts(c, regions)])
    return sorted(kept, key=lambda c: c.start), sorted(regions)


def collect_uses(cleaned: Cleaned) -> tuple[dict[str, list[Use]], dict[str, list[Use]]]:
    """Every use of every label with its evidence (quoted or not), and apart the uses the
    rules never judge (``unjudged``: quotations the form rules out; only the learned
    judgement weighs them), by clean key."""
    simple = cleaned.simple
    uses: dict[str, list[Use]] = {}
    unjudged: dict[str, list[Use]] = {}
    quotes = quotations(simple)
    parts_of_count = components_of_count(simple, [q for q in quotes if not q.is_title])
    for quote in quotes:
        veto = quote_veto(simple, quote)
        start, end = _stripped(simple, quote)
        if veto and start < end:
            ev = Evidence(against=[f"ruled out by its form: {veto}"], marks=_marks(quote))
            unjudged.setdefault(label_key(simple[start:end]), []).append((start, end, ev))
    for quote, ev in quote_evidence(simple, quotes):
        label = simple[quote.start : quote.end].strip()
        if quote_veto(simple, quote):
            continue
        start, end = _stripped(simple, quote)
        ev.marks += _marks(quote)
        if quote.start in parts_of_count:
            ev.against.append("the parts of a count next to it")
            ev.weak += ev.strong
            ev.strong = []
        uses.setdefault(label_key(label), []).append((start, end, ev))
        for item_start, item_end in _named_items(simple, start, end):  # “甲工程、乙工程”
            item = simple[item_start:item_end]
            uses.setdefault(label_key(item), []).append(
                (
                    item_start,
                    item_end,
                    Evidence(
                        strong=[f"an item ending in a type noun, in a quoted list: {_ending(item)}"],
                        marks=["an item of a quoted list"],
                    ),
                )
            )
    _abbreviations(simple, uses)
    _repeated(uses, {label_key(simple[q.start : q.end].strip()) for q in quotes if q.is_title})
    _typed_elsewhere(simple, quotes, uses)
    _introduced_elsewhere(simple, quotes, uses)
    hidden = masked(simple, quotes)
    for start, end, reason in unquoted_labels(hidden):
        if reason.startswith("an item of a list") and form_veto(simple[start:end]):
            continue
        ev = Evidence(strong=[reason]) if "standing alone" not in reason else Evidence(weak=[reason])
        ev.marks.append("unquoted")
        uses.setdefault(label_key(simple[start:end]), []).append((start, end, ev))
    _split_paired_slogans(simple, uses)
    _parts_named_again(simple, quotes, uses)
    _quoted_coinages(simple, uses)
    return uses, unjudged


_COUNT_HEAD = re.compile(r"^(?:[一二三四五六七八九十两双]|\d+)(?:大|个|项|种|类|条|支|张)?")


def _parts_named_again(simple: str, quotes: list[Quote], uses: dict[str, list[Use]]) -> None:
    """A part of a count its list names (督查追究、考核考评、党员审核、三函工作“四项机制”),
    written again with the count's type noun (——建立督查追究机制): a part, not a name of its own."""
    for quote in quotes:
        if quote.is_title or not (parts := listed_parts(simple, quote)):
            continue
        label = simple[quote.start : quote.end].strip()
        noun = _COUNT_HEAD.sub("", label)
        if not noun or not TYPE_NOUN_RE.fullmatch(noun):
            continue
        # each part's endings of two characters or more, with the noun: a few keys a part
        # (the first part may carry the verb before the list: 建立督查追究)
        named = {part[at:] + noun for part in parts for at in range(len(part) - 1)}
        for key in named & uses.keys():
            for *_, ev in uses[key]:
                ev.against.append(f"a part of a count listed before it: {label}")
                ev.weak += ev.strong
                ev.strong = []


_COINAGE_LENGTH = (3, 12)  # a coinage is a short phrase; two characters are mostly a word stressed
# What a use of a quotation says about it when nothing else does: the quoted phrase
# describes a noun (“小而美”的公共空间), is a result reached (实现“零投诉”), what something is
# made into or compared to (打造成群众满意的“矛盾终点站”, 基层治理是…的“最后一公里”), an
# account to follow (添加“学习大国”, “…”微信公众号), a spirit or an awareness (“弱鸟先飞”意识),
# or one thing or person of a kind (一位“特殊来客”, 一份“回天年刊”).
_NOT_COINED_AFTER = re.compile(
    rf"^(?:的(?!{TYPE_NOUN_RE.pattern})|精神|意识|作风|风尚|状态|现象|氛围|效应|微信|公众号|账号|窗口|标识|字样|牌子"
    r"|为(?:导向|目标|引领|指引|宗旨|方向)|\d+(?:家|个|座|所|处|间))"
)
_NOT_COINED_BEFORE = re.compile(
    r"(?:实现|达到|做到|确保|力争|成为|变成|变为|转化为|化为|作为|称为|视为|当作|打造成|打造为|当好|"
    r"打通|疏通|锻造|激活|夯实|擦亮|下好|摘了|摘掉|摘下|出现|添加|关注|荣膺|认定为|评为|誉为|坚持|聚焦|引导|推动|"
    r"助力|一位|一名|一个|一份|一座|一条|一种|一句|一则|一封|一次|一场|一段)"
    r"[^，。；！？\n“”]{0,12}$"
    r"|的$"
    r"|(?:干部|书记|党员|群众|领导|人员|居民|村民|市民|者)(?![^“”]*(?:对|向|为|和|与|让|使|以|用|通过))[^，。；！？\n“”]{0,4}$"  # people: 省领导“挂帅出征”
    r"|是[^，。；！？\n]{0,16}的$"
)
_QUOTED_BEFORE = re.compile("“[^“”]{0,24}”$")
_NOT_COINED_CHARS = re.compile("[、，,\\-—→的不没]|第一")


def _quoted_coinages(simple: str, uses: dict[str, list[Use]]) -> None:
    """A quoted phrase of a few characters that no use says anything about (“邻里汇”, “以购代扶”)
    is most often a name the report coins: weak evidence, so that any use speaking against it
    outweighs it. Not an ordinary word of the dictionary, a list, a number code (their
    own rules judge them), a phrase with 的 or a negation (党的光辉, 上不到顶), nor a use
    whose words say it describes, compares or reaches something
    (:data:`_NOT_COINED_BEFORE`, :data:`_NOT_COINED_AFTER`)."""
    shortest, longest = _COINAGE_LENGTH
    for key, items in uses.items():
        if not shortest <= len(key) <= longest or _NOT_COINED_CHARS.search(key) or is_ordinary_word(key):
            continue
        if is_number_code(key) or _verb_and_object(key):
            continue
        for start, end, ev in items:
            if ev.strong or ev.weak or not any(m.startswith("quoted") for m in ev.marks):
                continue
            before = simple[max(0, start - 41) : max(0, start - 1)]
            while (listed := _QUOTED_BEFORE.search(before)) is not None:  # “甲”“乙”: what stands before the list
                before = before[: listed.start()].rstrip("、和与及")
            before = re.split("[，。；！？\n：]", before)[-1]
            after = simple[end + 1 : end + 5]
            made_into = before.endswith(("让", "使", "把")) and after.startswith("成为")  # 让“党建红”成为…底色
            if (
                _NOT_COINED_BEFORE.search(before)
                or _NOT_COINED_AFTER.match(after)
                or made_into
                or _opposed(simple, start, end)
            ):
                ev.against.append("describes, compares or reaches something (…的, 实现…, 打造成…)")
                continue
            ev.weak.append(COINAGE)


# Pairs of opposites a report sets quotations against each other with (党建“软服务”与脱贫“硬目标”)
_OPPOSITES = {
    frozenset(pair) for pair in ("软硬", "大小", "上下", "内外", "虚实", "冷热", "长短", "新旧", "高低", "快慢", "强弱")
}
_NEAR_QUOTE = re.compile("“([^“”]{2,12})”")
_PAIR_REACH = 30  # characters either side where the other half of a pair stands


def _opposed(simple: str, start: int, end: int) -> bool:
    """One half of an antithesis: a quotation of the same length nearby, in the same
    sentence, starting with the opposite character (“软服务” … “硬目标”): a figure of speech."""
    label = simple[start:end]
    window_start = max(0, start - _PAIR_REACH)
    window = simple[window_start : end + _PAIR_REACH]
    for match in _NEAR_QUOTE.finditer(window):
        other = match.group(1)
        if window_start + match.start(1) == start or len(other) != len(label):
            continue
        between = simple[min(start, window_start + match.start()) : max(end, window_start + match.end())]
        if frozenset(label[0] + other[0]) in _OPPOSITES and not re.search("[。！？；\n]", between):
            return True
    return False


def _verb_and_object(key: str) -> bool:
    """获租金, 拔穷根, 当先锋: a one-character verb and its object, an action rather than a name."""
    tagged = word_tags(key)
    return (
        len(tagged) == 2
        and len(tagged[0][0]) == 1
        and tagged[0][1] in ("v", "vg", "p", "t")
        and tagged[1][1].startswith(("n", "v"))
    )


def _marks(quote: Quote) -> list[str]:
    """How a quotation is written: its mark, inside a title, nested."""
    marks = ["title" if quote.is_title else f"quoted {quote.opener}"]
    if quote.in_title:
        marks.append("inside a title")
    if quote.depth:
        marks.append("nested quotation")
    return marks


def rules_accept(uses: list[Use]) -> list[Use]:
    """The uses the hand rules accept: strong evidence, or weak evidence no use
    contradicts (a hint, :data:`~polcat.extract.quotes.HINTS`, only beside other weak
    evidence: alone it is set aside for the curator)."""
    against = [a for *_, ev in uses for a in ev.against]
    return [(s, e, ev) for s, e, ev in uses if ev.strong or (not against and any(w not in HINTS for w in ev.weak))]


def _judge_learned(
    cleaned: Cleaned, model: learned.Model, uses: dict[str, list[Use]], unjudged: dict[str, list[Use]]
) -> list[Candidate]:
    """Every label, unjudged or not, weighed by the model over the features of its uses."""
    out = []
    first_line = cleaned.simple.find("\n")
    for key in dict.fromkeys([*uses, *unjudged]):
        mine, ruled_out = uses.get(key, []), unjudged.get(key, [])
        feats = learned.features(key, mine, ruled_out, bool(rules_accept(mine)), first_line)
        probability = model.probability(feats)
        if probability < model.threshold:
            continue
        candidate = _candidate(cleaned, key, mine or ruled_out, mine or ruled_out)
        if not candidate.reasons:  # (a quotation the rules rule out: why they do)
            candidate.reasons = list(dict.fromkeys(a for *_, ev in ruled_out for a in ev.against))
        candidate.reasons.append(f"learned judgement: {probability:.2f}")
        out.append(candidate)
    return out


def _merge_number_prefixes(candidates: list[Candidate]) -> list[Candidate]:
    """A bare digit code (“131”) that starts a longer candidate (131院落自治) is that name.
    Linear: each candidate is indexed under every prefix of the digits it starts with."""
    by_prefix: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        digits = re.match(r"\d+", candidate.key)
        for n in range(1, len(digits.group()) + 1 if digits else 1):
            by_prefix.setdefault(candidate.key[:n], []).append(candidate)
    out = []
    for candidate in candidates:
        if candidate.key.isdigit():
            longer = [c for c in by_prefix.get(candidate.key, []) if c.key != candidate.key]
            if len(longer) == 1:
                longer[0].aliases.append(candidate.key)
                longer[0].reasons += [r for r in candidate.reasons if r not in longer[0].reasons]
                continue
        out.append(candidate)
    return out


def _ending(item: str) -> str:
    return next((e for e in NAME_ENDINGS if item.endswith(e)), "")


def _named_items(simple: str, start: int, end: int) -> list[tuple[int, int]]:
    """The items of a quoted 、-list when each ends in a name noun (“千村…工程、千亿…工程”)."""
    if "、" not in simple[start:end] or simple[start:end].count("、") > 9:
        return []
    spans, at = [], start
    for index in range(start, end + 1):
        if index == end or simple[index] == "、":
            spans.append((at, index))
            at = index + 1
    if all(e - s >= 4 and _ending(simple[s:e]) for s, e in spans):
        return spans
    return []


_BEFORE_A_NAME = "在由对向将把经是为和与及的了从"
_ABBREVIATION = re.compile(rf"([{CJK}]{{4,30}})（\s*(?:以下简称|以下称|下称|简称)\s*[“「]([^”」\n]{{2,12}})[”」]\s*）")


def _abbreviations(simple: str, uses: dict[str, list[Use]]) -> None:
    """A full name the report shortens (…调处化解中心（下称“矛调中心”）): the short name is
    a name, its full form an alias (one candidate, not two), when the full name ends in a
    name noun or follows a verb of establishing."""
    for match in _ABBREVIATION.finditer(simple):
        full = match.group(1)
        cut = max((full.rfind(w) + len(w) for w in ESTABLISH_UNQUOTED if w in full), default=0)
        short = label_key(match.group(2))
        named = cut > 0 or full.endswith(NAME_ENDINGS)  # (not 县人民政府办公室（下称“县政府办”）: an office)
        while cut < len(full) and full[cut] in _BEFORE_A_NAME:  # (在横峰县…中心（以下简称…）)
            cut += 1
        if short in uses and len(full) - cut >= 4 and named:
            ev = Evidence(strong=["an abbreviation the report defines"], aliases=[label_key(full[cut:])])
            uses[short].append((match.start(2), match.end(2), ev))


_REPEATED = 3  # quoted uses that make a label the report's own term


def _repeated(uses: dict[str, list[Use]], titles: set[str]) -> None:
    """A coinage the report quotes again and again (“红黄榜” six times) is the name of
    something it describes: weak evidence (a metaphor or an honour near any use outweighs
    it; an ordinary word of the dictionary is not a coinage, a 《》 title a document)."""
    for key, items in uses.items():
        if len(items) >= _REPEATED and key not in titles and not is_ordinary_word(key) and not is_number_code(key):
            for *_, ev in items:
                ev.weak.append(f"quoted again and again: {len(items)} times")


def _typed_elsewhere(simple: str, quotes: list[Quote], uses: dict[str, list[Use]]) -> None:
    """A quoted label that the report also writes unquoted with a type noun right after it
    (“红色物业” … 红色物业模式): the report treats it as a name. One pass over the type nouns."""
    keys = {key for key in uses if 2 <= len(key) <= 12 and not (len(key) == 2 and is_ordinary_word(key))}
    hidden = masked(simple, quotes)
    for match in TYPE_NOUN_RE.finditer(hidden):
        for length in range(2, 13):
            key = hidden[max(0, match.start() - length) : match.start()]
            if len(key) == length and key in keys:
                uses[key].append(
                    (
                        match.start() - length,
                        match.start(),
                        Evidence(strong=[f"also written with a type noun: {match.group()}"]),
                    )
                )
                break


_ESTABLISH_UNQUOTED_RE = re.compile("|".join((*ESTABLISH_UNQUOTED, "举办")))


def _introduced_elsewhere(simple: str, quotes: list[Quote], uses: dict[str, list[Use]]) -> None:
    """A quoted coinage the report also writes unquoted right after a verb of establishing
    (开展夜校集市 … “夜校集市”): the report treats it as something set up. One pass over
    the verbs; an ordinary word of the dictionary is not enough (开展“调研”)."""
    keys = {key for key in uses if 3 <= len(key) <= 12 and not is_ordinary_word(key)}
    hidden = masked(simple, quotes)
    for match in _ESTABLISH_UNQUOTED_RE.finditer(hidden):
        at = match.end()
        for length in range(3, 13):
            key = hidden[at : at + length]
            if len(key) == length and key in keys and not re.match(f"[{CJK}]", hidden[at + length : at + length + 1]):
                uses[key].append((at, at + length, Evidence(strong=[f"also written after: {match.group()}"])))
                break


def _stripped(simple: str, quote: Quote) -> tuple[int, int]:
    start, end = quote.start, quote.end
    while start < end and simple[start].isspace():
        start += 1
    while end > start and simple[end - 1].isspace():
        end -= 1
    return start, end


def _split_paired_slogans(simple: str, uses: dict[str, list[Use]]) -> None:
    """A slogan whose clauses are each quoted on their own elsewhere (「琴事澳办、澳事琴办」
    and 「琴事澳办」, 「澳事琴办」) pairs two names: the clauses carry its evidence."""
    for key in list(uses):
        parts = [p for p in key.replace("，", "、").replace(",", "、").split("、") if p]
        if len(parts) < 2 or not all(p in uses for p in parts):
            continue
        for start, end, ev in uses.pop(key):
            for part in parts:
                uses[part].append(
                    (start, end, Evidence(weak=["one of a pair of quoted slogans", *ev.weak], against=list(ev.against)))
                )


def _judge(cleaned: Cleaned, key: str, uses: list[Use]) -> Candidate | None:
    """Accept a label on strong evidence, or on weak evidence that no use contradicts."""
    accepted = rules_accept(uses)
    return _candidate(cleaned, key, accepted, uses) if accepted else None


def _candidate(cleaned: Cleaned, key: str, accepted: list[Use], uses: list[Use]) -> Candidate:
    """The candidate named by ``key``, standing where its accepted uses stand."""
    start, end, _ = accepted[0]
    label = cleaned.original_of(start, end).strip()
    plain = cleaned.simple[start:end]
    if key != label_key(plain):  # a pair's clause stands inside its slogan: name the clause
        at = cleaned.simple.find(key, start, end)
        if at != -1:
            start, end = at, at + len(key)
            label = cleaned.original_of(start, end)
    reasons = list(dict.fromkeys(r for *_, ev in accepted for r in ev.strong + ev.weak))
    aliases = list(dict.fromkeys(a for *_, ev in uses for a in ev.aliases if a != key))
    unplaced = without_place(key)
    if unplaced and unplaced not in aliases:
        aliases.append(unplaced)
    left, right = cleaned.span(start, end)
    return Candidate(
        label=label,
        start=left,
        spans=[cleaned.span(s, e) for s, e, _ in accepted],
        sentence=sentence_at(cleaned.original, left, right),
        reasons=reasons,
        aliases=aliases,
        kind=_kind(key),
        count=len(uses),
        key=key,
    )


def without_place(key: str) -> str | None:
    """The name without the full name of a division it starts with (湟源县组织体系年行动计划:
    组织体系年行动计划): the catalogue files the place in the entry's locality."""
    gaz = gazetteer.load()
    for length in range(min(8, len(key) - 4), 1, -1):
        if gaz.is_full_name(key[:length]):
            return key[length:]
    return None


def _kind(label: str) -> str | None:
    if is_plus_model(label):
        return "numeric-code" if normalise(label)[0].isdigit() else "model"
    if is_number_code(label):
        return "numeric-code"
    return None


def _fill_components(cleaned: Cleaned, ctx: Context, candidates: list[Candidate]) -> list[tuple[int, int, str]]:
    """Components from the first use of each candidate next to which the text enumerates
    some; returns the regions (original offsets) the parts of counted labels cover."""
    original = cleaned.original
    from polcat.extract.text import Sentences

    sentences = Sentences(original, "。！？；\n!?;")
    per_sentence = Counter(sentences.start(a) for c in candidates for a in {s for s, _ in c.spans})
    regions: list[tuple[int, int, str]] = []
    back = _clean_index(cleaned)
    for candidate in candidates:
        for start, end in candidate.spans[:_COMPONENT_TRIES]:
            alone = per_sentence[sentences.start(start)] == 1
            clean_start, clean_end = back.get(start, start), back.get(end, end)
            parts, reach = components_near(ctx, clean_start, clean_end, candidate.label, only_in_sentence=alone)
            if parts:
                candidate.components = parts
                if leading_count(candidate.key) is not None:
                    regions.append((end, cleaned.span(reach, reach)[0] if reach > clean_end else end, candidate.key))
                break
    return regions


def _clean_index(cleaned: Cleaned) -> dict[int, int]:
    """Original offset -> clean offset, for the starts and ends of clean characters."""
    back: dict[int, int] = {}
    # starts holds one more offset (the end of the text), which is not a character
    for index, (start, end) in enumerate(zip(cleaned.starts, cleaned.ends, strict=False)):
        back.setdefault(start, index)
        back[end] = index + 1
    return back


def _inside_parts(candidate: Candidate, regions: list[tuple[int, int, str]]) -> bool:
    """A short label with weak evidence only, every use inside the parts of a counted label
    (四个一: 一是建好“一个支部”…): a part, not a name."""
    if any(
        not r.startswith(("number-coded", "parallel", "in a list of quotations: ", "learned judgement"))
        for r in candidate.reasons
    ):
        return False
    if len(candidate.key) > _SHORT_PART:
        return False
    return all(any(a < s and e <= b and key != candidate.key for a, b, key in regions) for s, e in candidate.spans)
