"""Natural-language understanding of hukou-assistant.

- `normalise`: length-preserving traditional -> simplified and full-width -> half-width;
- `language.detect_lang`: the reply language of a message;
- `numbers.parse_years`: durations ("两年半", "18 months") in years;
- `facts.interpret_entities`: extracted entities -> typed facts (docs/contract/facts.md);
- `tokenizer.BilingualTokenizer`: the Rasa tokenizer (imports rasa; the others do not);
- `generate`: lookup tables and synonyms from the policy data (nlu_data/generated/).
"""
