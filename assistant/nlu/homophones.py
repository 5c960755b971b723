"""Chinese key words typed with a character of the same sound, read as the key word.

Chinese is typed with pinyin input methods, so a wrong character usually sounds like the
right one: 社宝 for 社保, 落护 for 落户, 居住正 for 居住证, 积份 for 积分. The key words are
the policy vocabulary (place names, glossary terms, document types) and the Chinese words of
fact_values.yml (with `sound_alike`: words a one-character key word begins, 祖了 for 租了).
A stretch of a message is replaced by a key word only when

- both have the same pinyin, tones left out (积份 jī fèn is typed for 积分 jī fēn), and no
  other key word of that pinyin is one character off the stretch too (锦洲 is 锦州, not 金州,
  which sounds the same but is two characters off);
- exactly one character differs, and that character is no function word (frequency under
  `COMMON` in jieba's dictionary: "材料与城市" holds no 禹城市), unless three characters of a
  four-character key word stand right around it (劳动和同 is 劳动合同); in a two-character stretch
  it must be a rare one (under `RARE`), or a less common one (under `UNCOMMON`) typed with
  the right tone: "网上办" (bàn) holds no 上班 (bān), "本上还" no 上海, while 社宝 and 沈杨
  are read as 社保 and 沈阳;
- the stretch is no word of jieba's dictionary (卖房 is not 买房, 纪念 not 几年), and none
  of its characters is part of a word reaching outside it ("有方法" holds no 有房, "材料与城市"
  no 禹城), but for a place named, a word begun inside it over the place suffixes after it
  (付新市区: 阜新).

Where the words around a stretch say a place is named (a one-character suffix of place names,
省, 市, 县 or 区, right after it, 在, 到, 去, 来 or 回 right before it, a place's name right
after it, or no other character of its run: a name standing alone), a stretch that sounds
like the name of a place is read as that place under looser rules: any character but a
function word may differ, the stretch may be a rare word of jieba's dictionary (under
`PLACE_WORD`: 安山 is 鞍山 in "安山市里"), and the sounds may differ as input methods' fuzzy
sounds do (zh/z, ch/c, sh/s, -ng/-n: 铁林 tiě lín is 铁岭 tiě lǐng in "铁林市里").

The replacement has the length of what it replaces, so that offsets stay valid (see
`normalise`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from pypinyin import Style, lazy_pinyin, pinyin

from policies import vocabulary
from policies.places import SUFFIXES

from . import jieba_dictionary
from .facts import fact_keywords
from .normalise import CJK_CHARS, normalise

__all__ = ["corrected", "load"]

MAX_LENGTH = 4
RARE = 5_000
UNCOMMON = 20_000
COMMON = 100_000
#: a stretch named as a place may be a word of jieba's dictionary this rare
PLACE_WORD = 100
#: the characters right after a stretch that make it a place's name, and right before it
_PLACE_AFTER = frozenset(suffix for suffix in SUFFIXES if len(suffix) == 1)
_PLACE_BEFORE = frozenset("在到去来回")
#: input methods' fuzzy sounds: a syllable's initial and final as typed loosely
_FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"))
_FUZZY_FINALS = (("ing", "in"), ("eng", "en"), ("ang", "an"))
_CJK_RUN = re.compile(f"[{CJK_CHARS}]+")


@cache
def _sound(char: str) -> str:
    return lazy_pinyin(char)[0]


@cache
def _tone(char: str) -> str:
    return pinyin(char, style=Style.TONE3)[0][0]


def _key_words() -> set[str]:
    keywords = fact_keywords()
    words = {normalise(w) for w in [*vocabulary.jieba_terms(), *keywords.vocabulary(),
                                    *keywords.sound_alike]}
    return {w for w in words if 2 <= len(w) <= MAX_LENGTH and _CJK_RUN.fullmatch(w)}


@cache
def _by_sound() -> dict[tuple[str, ...], tuple[str, ...]]:
    """Pinyin -> the key words that sound so."""
    index: dict[tuple[str, ...], tuple[str, ...]] = {}
    for word in sorted(_key_words()):
        sound = tuple(_sound(c) for c in word)
        index[sound] = (*index.get(sound, ()), word)
    return index


def _fuzzy(sound: str) -> str:
    for typed, loose in _FUZZY_INITIALS:
        if sound.startswith(typed):
            sound = loose + sound[len(typed):]
            break
    for typed, loose in _FUZZY_FINALS:
        if sound.endswith(typed):
            return sound[: -len(typed)] + loose
    return sound


@cache
def _place_names() -> frozenset[str]:
    names = {normalise(name) for name in vocabulary.place_surface_forms()}
    return frozenset(n for n in names if 2 <= len(n) <= MAX_LENGTH and _CJK_RUN.fullmatch(n))


@cache
def _places_by_fuzzy_sound() -> dict[tuple[str, ...], tuple[str, ...]]:
    """Fuzzy pinyin -> the Chinese place names that sound so."""
    index: dict[tuple[str, ...], tuple[str, ...]] = {}
    for name in sorted(_place_names()):
        sound = tuple(_fuzzy(_sound(c)) for c in name)
        index[sound] = (*index.get(sound, ()), name)
    return index


def _place_named(run: str, i: int, n: int) -> bool:
    """Whether the words around ``run[i:i+n]`` say it names a place: a place suffix after
    it, a word of going or being somewhere before it, a place's name right after it (a city
    before its district: "盘金兴隆台区"), or nothing around it (a name standing alone, as
    the head of a message: "聊成 退伍了想回老家")."""
    after = run[i + n:]
    return (bool(after) and after[0] in _PLACE_AFTER) or (i > 0 and run[i - 1] in _PLACE_BEFORE) \
        or (i == 0 and not after) \
        or any(after[:k] in _place_names() for k in range(2, min(MAX_LENGTH, len(after)) + 1))


def _place_mistyped(run: str, i: int, n: int,
                    stands_alone: Callable[[int, int, bool], bool]) -> str | None:
    """The place ``run[i:i+n]``, named as a place, stands for (see the module's rules): one
    character off, sounding alike but for that character's fuzzy sound, holding no place
    named right, and no part of a word of jieba's reaching outside it but over the place
    suffixes after it (`stands_alone`)."""
    window = run[i : i + n]
    if _frequency(window) >= PLACE_WORD:
        return None
    name = _one_off(window, _places_by_fuzzy_sound().get(tuple(_fuzzy(_sound(c)) for c in window),
                                                         ()))
    if name is None or not _place_named(run, i, n) or not stands_alone(i, n, True) \
            or any(window[a:b] in _place_names() for a in range(n) for b in range(a + 2, n + 1)):
        return None
    exact = [_sound(a) == _sound(b) for a, b in zip(window, name, strict=True) if a == b]
    wrong = next(a for a, b in zip(window, name, strict=True) if a != b)
    return name if all(exact) and _frequency(wrong) < COMMON else None


def _one_off(window: str, words: tuple[str, ...]) -> str | None:
    """The one key word among `words` that differs from `window` in one character."""
    near = [w for w in words if sum(a != b for a, b in zip(window, w, strict=True)) == 1]
    return near[0] if len(near) == 1 else None


def _frequency(text: str) -> int:
    # jieba lists every prefix of a word with frequency 0: only a positive one is a word
    return int(jieba_dictionary.plain().FREQ.get(text) or 0)


def _likely_typo(typed: str, meant: str) -> bool:
    """Whether `typed`, one character off `meant` and sounding like it, is that word
    mistyped (see the module's rules)."""
    if _frequency(typed):
        return False
    if len(typed) >= MAX_LENGTH:
        return True
    wrong, right = next((a, b) for a, b in zip(typed, meant, strict=True) if a != b)
    frequency = _frequency(wrong)
    if len(typed) > 2:
        return frequency < COMMON
    return frequency < RARE or (frequency < UNCOMMON and _tone(wrong) == _tone(right))


def _word_spans(run: str) -> list[tuple[int, int]]:
    """For each character of `run`, the span of the jieba word it belongs to."""
    spans: list[tuple[int, int]] = []
    for _, start, end in jieba_dictionary.plain().tokenize(run, mode="default", HMM=False):
        spans += [(start, end)] * (end - start)
    return spans


def _correct_run(run: str) -> str:
    index = _by_sound()
    sounds = [_sound(c) for c in run]
    spans: list[tuple[int, int]] = []

    def stands_alone(i: int, n: int, suffixed: bool = False) -> bool:
        """Whether no word of jieba's reaches outside ``run[i:i+n]`` (the run is segmented
        once, the first time a stretch may be a typing error); ``suffixed``: but a word
        begun inside it reaching out only over the place suffixes after it (新市区 in 付新市区;
        not 主城区, a word of the whole stretch)."""
        if not spans:
            spans.extend(_word_spans(run))
        start, end = spans[i + n - 1]
        return spans[i][0] >= i and (end <= i + n or (
            suffixed and start > i and all(c in _PLACE_AFTER for c in run[i + n : end])))

    out = list(run)
    i = 0
    while i < len(run):
        step = 1
        for n in range(min(MAX_LENGTH, len(run) - i), 1, -1):
            window = run[i : i + n]
            words = index.get(tuple(sounds[i : i + n]), ())
            if window in words:
                step = n
                break
            word = _one_off(window, words)
            if word is None or not _likely_typo(window, word) or not stands_alone(i, n):
                word = _place_mistyped(run, i, n, stands_alone)
            if word is None:
                continue
            out[i : i + n] = word
            step = n
            break
        i += step
    return "".join(out)


def load() -> None:
    """Build the sound index and load jieba's dictionary now, not on the first message."""
    _by_sound()
    _places_by_fuzzy_sound()
    jieba_dictionary.plain()


def corrected(text: str) -> str:
    """``text`` with key words typed in a homophone corrected; the length never changes."""
    return _CJK_RUN.sub(lambda match: _correct_run(match.group()), text)
