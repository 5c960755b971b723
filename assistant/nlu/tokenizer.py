"""The Rasa tokenizer for mixed Chinese/English messages: `BilingualTokenizer`.

Before tokenising, the tokenizer rewrites the message text with `normalise` (traditional to
simplified, full-width to half-width, length preserving), then corrects Chinese key words
typed in a homophone (`homophones`: 社宝 -> 社保, also length preserving) and English place
names typed one letter wrong (`spelling.place_names_corrected`: Dailan -> dalian). It does so in
`process` and `process_training_data`, so training, `rasa test nlu` and live parsing all see
the same text, and entity offsets (annotated or predicted) stay valid on the original text
too. It has to live inside the tokenizer because Rasa accepts only one tokenizer in a pipeline
and runs nothing before it.

The text is split into runs of Han characters and the rest:
- Han runs are cut by jieba (precise mode, HMM on) with a user dictionary built at load time
  from `policies.vocabulary.jieba_terms()` (places, glossary terms, document names) and the
  Chinese keywords of fact_values.yml, so that 瓦房店 or 合法稳定住所 stay one token;
- the rest goes through the tokenizer of a blank spaCy English pipeline; tokens are further split
  between letters and digits, punctuation and whitespace are dropped, and each word becomes its
  lower-cased lemma (spaCy lookup lemmatizer, spacy-lookups-data), so "rented" and "rent" are the
  same feature.
A token that is a place name gets a place lemma instead of its own (see
`BilingualTokenizer.tokenize`).

Rasa's own JiebaTokenizer is not used: it keeps whitespace as tokens and lowers nothing.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, cast

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.constants import ACTION_TEXT, ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from policies import vocabulary

from . import homophones, jieba_dictionary, spelling
from .facts import fact_keywords, keywords_pattern
from .homophones import corrected
from .normalise import CJK_CHARS, normalise
from .sources import nlu_sources_fingerprint
from .spelling import place_names_corrected

__all__ = ["BilingualTokenizer", "Segmenter", "WordSpan", "segmenter"]

logger = logging.getLogger(__name__)

_CJK_RUN = re.compile(f"[{CJK_CHARS}]+")
# Pieces of a spaCy token: numbers (1.5, 3,000) and letter runs.
_PIECE = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+")
# A pinyin name with a syllable apostrophe (Tai'an, Xi'an) is one word; spaCy would cut it
# into "tai" and "an" (lemmatised to the article "a"). English contractions are not names.
_APOSTROPHE_NAME = re.compile(r"[^\W\d_]+['’](?!(?:s|t|m|d|re|ve|ll)\b)[^\W\d_]+", re.IGNORECASE)
# Where the lookup table is wrong for words this domain needs.
_LEMMA_OVERRIDES = {"taxes": "tax", "does": "do", "'s": "'s", "’s": "'s"}
# The lemmas of tokens that are place names: the count-vector features the intent classifiers
# read see that a place of the two provinces, or one outside them, is named, not which one
# (see `BilingualTokenizer.tokenize`).
PLACE_LEMMA = "__place__"
OUTSIDE_PLACE_LEMMA = "__outside_place__"
# Attributes holding user text (RESPONSE is a bot's text and stays as written).
_TEXT_ATTRIBUTES = (TEXT, ACTION_TEXT)


@dataclass(frozen=True)
class WordSpan:
    """One token: ``text`` (the lemma for English words) at ``start:end`` of the message."""

    text: str
    start: int
    end: int


class Segmenter:
    """jieba for Han runs, spaCy for the rest; built once per process (see `segmenter`)."""

    def __init__(self, dictionary: list[str], phrases: re.Pattern[str] | None = None) -> None:
        import spacy  # slow to import (thinc loads TensorFlow), so only when needed
        from spacy.pipeline import Lemmatizer

        # A private instance: jieba's global one would be shared with (and altered by) anyone
        # else in the process. Its cache goes to the temp directory, never into the repo.
        self._jieba = jieba_dictionary.with_words(dictionary)
        self._phrases = phrases
        nlp = spacy.blank("en")
        lemmatizer = cast(Lemmatizer, nlp.add_pipe("lemmatizer", config={"mode": "lookup"}))
        nlp.initialize()
        self._spacy_tokenizer = nlp.tokenizer
        self._lemmas = lemmatizer.lookups.get_table("lemma_lookup")

    def split(self, text: str) -> list[WordSpan]:
        """The tokens of ``text``, which should already be normalised."""
        spans: list[WordSpan] = []
        position = 0
        for run in _CJK_RUN.finditer(text):
            spans.extend(self._latin(text[position : run.start()], position))
            spans.extend(self._han(run.group(), run.start()))
            position = run.end()
        spans.extend(self._latin(text[position:], position))
        return spans

    def _han(self, run: str, offset: int) -> Iterator[WordSpan]:
        cuts = self._phrase_edges(run)
        for word, start, end in self._jieba.tokenize(run, mode="default", HMM=True):
            inner = (
                sorted(c for c in cuts if start < c < end) if not self._jieba.FREQ.get(word) else []
            )
            for a, b in zip([start, *inner], [*inner, end], strict=True):
                yield WordSpan(run[a:b], offset + a, offset + b)

    def _phrase_edges(self, run: str) -> set[int]:
        """Where the fact phrases in ``run`` start and end: a word jieba's HMM guessed from
        characters it does not know ("想迁" of "想迁到农村") is cut there, so that the phrase
        (迁到农村) is made of whole tokens. Dictionary words (a positive frequency: jieba also
        lists every prefix of a word, with frequency 0) are never cut."""
        if self._phrases is None:
            return set()
        return {edge for match in self._phrases.finditer(run) for edge in match.span()}

    def _latin(self, chunk: str, offset: int) -> Iterator[WordSpan]:
        position = 0
        for name in _APOSTROPHE_NAME.finditer(chunk):
            yield from self._spacy(chunk[position : name.start()], offset + position)
            yield WordSpan(
                name.group().lower().replace("’", "'"), offset + name.start(), offset + name.end()
            )
            position = name.end()
        yield from self._spacy(chunk[position:], offset + position)

    def _spacy(self, chunk: str, offset: int) -> Iterator[WordSpan]:
        if not chunk or chunk.isspace():
            return
        for token in self._spacy_tokenizer(chunk):
            start = offset + token.idx
            if token.text.startswith(("'", "’")) or token.norm_ != token.lower_:
                # a contraction or a tokenizer exception: n't -> not, ca -> can
                if any(char.isalnum() for char in token.norm_):
                    yield WordSpan(self._lemma(token.norm_), start, start + len(token.text))
                continue
            pieces = list(_PIECE.finditer(token.text))
            for piece in pieces:
                yield WordSpan(
                    self._lemma(piece.group().lower()), start + piece.start(), start + piece.end()
                )
            if not pieces and _is_symbol(token.text):
                yield WordSpan(token.text, start, start + len(token.text))

    def _lemma(self, word: str) -> str:
        if word in _LEMMA_OVERRIDES:
            return _LEMMA_OVERRIDES[word]
        lemma: str = self._lemmas.get(word, word)
        return lemma.lower()


def _is_symbol(text: str) -> bool:
    """Emoji and other pictographs carry meaning ("👍"); punctuation does not."""
    return any(unicodedata.category(char) == "So" for char in text)


def dictionary_words() -> list[str]:
    """The jieba user dictionary: the policy vocabulary, and those fact keywords that contain
    no other dictionary word.

    Only words of two or more Han characters count (single characters are in jieba's own
    dictionary). A phrase keyword such as 投靠父母 or 没交社保 is left out because it contains
    父母 or 社保: as one token it would not align with an annotation of the shorter word
    ("投靠[父母](relation)"), while the phrase itself still aligns with two tokens.
    """
    terms = {normalise(term) for term in vocabulary.jieba_terms()}
    words = _han_words(terms | _fact_keywords())
    return sorted(
        word
        for word in words
        if word in terms or not any(other != word and other in word for other in words)
    )


def fact_phrases() -> re.Pattern[str]:
    """The Chinese fact keywords of two or more characters (see `Segmenter._phrase_edges`)."""
    return keywords_pattern(_han_words(_fact_keywords()))


def _fact_keywords() -> set[str]:
    return {normalise(keyword) for _, _, keyword in fact_keywords().all_keywords()}


def _han_words(words: set[str]) -> set[str]:
    """The words of two or more Han characters and nothing else."""
    return {word for word in words if len(word) >= 2 and _CJK_RUN.fullmatch(word)}


@lru_cache(maxsize=1)
def place_lemmas() -> dict[str, str]:
    """Place name as a token reads it (Chinese simplified, English lower case) -> its lemma."""
    index = vocabulary.place_index()
    lemmas = {}
    for name, place_id in vocabulary.place_surface_forms().items():
        place = index.get(place_id)
        lemmas[name] = OUTSIDE_PLACE_LEMMA if place is not None and place.outside else PLACE_LEMMA
    return lemmas


@lru_cache(maxsize=1)
def segmenter() -> Segmenter:
    """The process-wide segmenter (loading jieba and spaCy takes about a second)."""
    return Segmenter(dictionary_words(), fact_phrases())


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False)
class BilingualTokenizer(Tokenizer):
    """Normalises the text, then tokenises Chinese with jieba and English with spaCy."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Same options as Rasa's tokenizers."""
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
        }

    @staticmethod
    def required_packages() -> list[str]:
        """Python packages the component needs."""
        return ["jieba", "spacy", "spacy_lookups_data", "opencc", "pypinyin"]

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """The NLU's code and word lists (`sources`): edited, every component trains anew
        rather than being restored from Rasa's cache."""
        return nlu_sources_fingerprint()

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> BilingualTokenizer:
        """Create the component and load the segmenter, the homophone index and the place
        names now, not on the first message."""
        segmenter()
        homophones.load()
        spelling.load()
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Normalise, then tokenise, every training example."""
        for example in training_data.training_examples:
            normalise_message(example)
        return super().process_training_data(training_data)

    def process(self, messages: list[Message]) -> list[Message]:
        """Normalise, then tokenise, incoming messages."""
        for message in messages:
            normalise_message(message)
        return super().process(messages)

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        """Tokens of a message attribute; English tokens carry their lemma as text.

        The lemma of a place name is `PLACE_LEMMA` (Liaoning, Shandong and their places) or
        `OUTSIDE_PLACE_LEMMA`. The count vectors, the only features of the intent classifiers,
        are built from lemmas, and which city is named says nothing about the question: with
        the names as features, DIET read "鞍山能落户吗" as talent_settlement (鞍山 is named in
        several talent examples) while "本溪能落户吗" was settlement_eligibility. On the dev
        split this took intent macro-F1 from 0.835 to 0.854. The CRF and the lexical features
        read the token text and still see the name. Ambiguous names (东港, 铁西) keep their own
        lemma: they may name a place outside.
        """
        text = message.get(attribute)
        places = place_lemmas()
        tokens = [
            Token(span.text, span.start, span.end, lemma=places.get(span.text, span.text))
            for span in segmenter().split(normalise(text))
        ]
        if not tokens and text.strip():
            # nothing but punctuation ("？？"): one token, as Rasa's WhitespaceTokenizer does
            stripped = text.strip()
            tokens = [Token(stripped, text.index(stripped))]
        return self._apply_token_pattern(tokens)


def normalise_message(message: Message) -> None:
    """Rewrite a message's text attributes with `normalise`, Chinese homophones and
    mistyped English place names corrected, in place.

    Annotated entity values that were copied from the text are normalised with it, so that
    "[臺北](city)" does not become a synonym 台北 -> 臺北.
    """
    original = message.get(TEXT)
    for attribute in _TEXT_ATTRIBUTES:
        value = message.get(attribute)
        if isinstance(value, str):
            message.set(attribute, place_names_corrected(corrected(normalise(value))))
    if not isinstance(original, str):
        return
    normalised = message.get(TEXT)
    for entity in message.get(ENTITIES) or []:
        start, end = entity.get("start"), entity.get("end")
        if start is None or end is None:
            continue
        if entity.get("value") == original[start:end]:
            entity["value"] = normalised[start:end]
