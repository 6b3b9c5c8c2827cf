"""Sentence spans: where news copy ends a sentence and where a dot is an abbreviation's."""

from __future__ import annotations

import pytest

from eventwatch.extract.sentences import split_sentences


@pytest.mark.parametrize("text, expected", [
    # rule sen-vowelless: street words and ranks without a vowel are abbreviations (sentences written for it)
    ("Officers searched a house on Jl. Sudirman in the city centre. Two men were held.",
     ["Officers searched a house on Jl. Sudirman in the city centre.", "Two men were held."]),
    ("The convoy was ambushed on Airport Rd. Kandahar police said four died.",
     ["The convoy was ambushed on Airport Rd. Kandahar police said four died."]),
    ("Protesters marched down Hollywood Blvd. Police watched.", ["Protesters marched down Hollywood Blvd. Police watched."]),
    # a short word with a vowel, or in capitals, still ends its sentence
    ("The victim was named as Kim. He was 34.", ["The victim was named as Kim.", "He was 34."]),
    ("The attack was claimed by the PKK. Nobody else spoke.", ["The attack was claimed by the PKK.", "Nobody else spoke."]),
])
def test_sentences_end_at_a_dot_that_is_no_abbreviation(text, expected):
    assert [s.text for s in split_sentences(text)] == expected
