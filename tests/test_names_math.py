"""TeX math in paper text spelled as plain text without changing any number it states."""

from __future__ import annotations

import pytest

from schemas.names import clean
from schemas.survey import paper_numbers, sentence_numbers


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("A$^2$ATS: Retrieval", "A²ATS: Retrieval"),
        ("x^{2} and W_{1}", "x² and W₁"),
        ("mm^2 of silicon", "mm² of silicon"),
        ("$O(n)$ attention", "O(n) attention"),
        ("our upper bound increases to 10^264.", "our upper bound increases to 10^264."),
        ("a 2^16 vocabulary and 10^{12} tokens", "a 2^16 vocabulary and 10¹² tokens"),
    ],
)
def test_short_scripts_become_characters_and_longer_ones_stay(text: str, plain: str) -> None:
    assert clean(text) == plain


def test_a_quoted_power_of_ten_states_only_the_paper_s_numbers() -> None:
    """A 100,000-paper build failed its number check: '10^264' was quoted as '10²64'."""
    abstract = "To match a validation accuracy of 39.4%, our Lipschitz bound increases to 10^264."
    assert set(sentence_numbers(clean(abstract))) <= paper_numbers(abstract)
