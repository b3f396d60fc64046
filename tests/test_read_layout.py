"""Reference lists whose references are told apart by their layout, not by blank lines."""

from __future__ import annotations

from citekit.readers import loads
from citekit.readers.refsplit import split_references

MLA = [
    "Achebe, Chinua. Things Fall Apart. Anchor Books, 1994.",
    "Butler, Judith. Gender Trouble: Feminism and the Subversion of Identity. Routledge,",
    "1990.",
    "Gilroy, Paul. The Black Atlantic: Modernity and Double Consciousness. Harvard UP, 1993.",
    "hooks, bell. \u201cPostmodern Blackness.\u201d Postmodern Culture, vol. 1, no. 1, 1990,",
    "https://doi.org/10.1353/pmc.1990.0004.",
    "Spivak, Gayatri Chakravorty. \u201cCan the Subaltern Speak?\u201d Marxism and the "
    "Interpretation of",
    "Culture, edited by Cary Nelson and Lawrence Grossberg, U of Illinois P, 1988, pp. 271\u2013313.",
]
# Which of the lines above start a reference.
STARTS = [True, True, False, True, True, False, True, False]


def _blocks(lines):
    return [[n for n, _ in b.lines] for b in split_references(list(enumerate(lines, 1)))]


def _expected(starts):
    blocks: list[list[int]] = []
    for n, start in enumerate(starts, 1):
        if start or not blocks:
            blocks.append([n])
        else:
            blocks[-1].append(n)
    return blocks


def test_hanging_indent_decides_where_references_start():
    lines = [t if s else "    " + t for t, s in zip(MLA, STARTS)]
    assert _blocks(lines) == _expected(STARTS)
    # The indented line "Culture, edited by …, 1988, …" has the author-and-year shape, and the
    # flush line "hooks, bell." a lower-case start: the layout wins over both.
    bib = loads("\n".join(lines), "text")
    assert [e.title for e in bib.entries] == [
        "Things Fall Apart", "Gender Trouble: Feminism and the Subversion of Identity",
        "The Black Atlantic: Modernity and Double Consciousness", "Postmodern Blackness",
        "Can the Subaltern Speak?"]
    assert bib.entries[4].container_title == "Marxism and the Interpretation of Culture"
    assert bib.entries[3].doi == "10.1353/pmc.1990.0004"
    assert [(e.source.line, e.source.end_line) for e in bib.entries] == [
        (1, 1), (2, 3), (4, 4), (5, 6), (7, 8)]


def test_tabs_count_as_indentation():
    lines = [t if s else "\t" + t for t, s in zip(MLA, STARTS)]
    assert _blocks(lines) == _expected(STARTS)


def test_first_line_indent_is_read_the_other_way_round():
    lines = ["  " + t if s else t for t, s in zip(MLA, STARTS)]
    assert _blocks(lines) == _expected(STARTS)


def test_unindented_list_is_split_by_sentence_ends_and_inverted_names():
    assert _blocks(MLA) == _expected(STARTS)


def test_line_after_an_open_end_continues_even_with_a_year():
    lines = ["Kim, Ji-young. 2020. \u201cOn Trade and",
             "Security, 1990\u20132020.\u201d Korea Review 3 (1): 1\u201320.",
             "Lee, Min. 2021. \u201cSecond.\u201d Korea Review 4 (2): 5\u20139."]
    assert _blocks(lines) == [[1, 2], [3]]


def test_cue_words_after_a_comma_are_not_a_given_name():
    # The first line is the longest, so the width rule cannot tell; the words decide.
    lines = ["Park, Su. 2019. \u201cA Study of Alliances, Trade and Security in Northeast "
             "Asia.\u201d Asian Survey.",
             "Contemporary Security Policy, Vol. 3, pp. 1\u20139.",
             "Cho, Han. 2020. \u201cAnother.\u201d Asian Survey 60 (2): 1\u201310."]
    assert _blocks(lines) == [[1, 2], [3]]


def test_numbered_lines_start_references_at_any_indent():
    lines = [" [9] A. Author, \u201cOne,\u201d J. Things, vol. 1, pp. 1\u20132, 2001.",
             "[10] B. Author, \u201cTwo,\u201d J. Things, vol. 2, pp. 3\u20134,",
             "     2002.",
             "[11] C. Author, \u201cThree,\u201d J. Things, vol. 3, pp. 5\u20136, 2003."]
    assert _blocks(lines) == [[1], [2, 3], [4]]


def test_flush_line_after_an_open_end_continues_in_a_hanging_indent():
    # A paste that lost one line's indentation: "to wrap." follows an open end, so it continues.
    lines = ["Smith, John. 2020. \u201cFirst, with a title long enough",
             "to wrap.\u201d Journal A, 1(2): 3-4.",
             "Jones, Kate. 2021. \u201cSecond.\u201d Journal B, 5(6):",
             "    7-8."]
    assert _blocks(lines) == [[1, 2], [3, 4]]


def test_one_reference_per_line_is_told_from_wrapping_by_line_lengths():
    # No year near the start, a lower-case particle, a script without capitals: each line was
    # ended (its next line's first word would have fitted on it), so each starts a reference.
    lines = ["Said, Edward W. Orientalism. New York: Pantheon Books, 1978.",
             "van Bueren J, Larkin DP, Simpson RA. Inactivation of human immunodeficiency virus "
             "type 1 by alcohols. J Hosp Infect. 1994;28(2):137-48.",
             "\uc774\uc591\ubcf5(2019). \ubca4\ucc98\uae30\uc5c5. \uad6d\uc81c\uacbd\uc601\ub9ac\ubdf0, 23(3), 179-200.",
             "Morrison, Toni. Beloved. New York: Alfred A. Knopf, 1987."]
    assert _blocks(lines) == [[1], [2], [3], [4]]
    # Wrapped at a width, the same words continue the reference before them.
    wrapped = ["Said, Edward W. 1978. Orientalism: Western Conceptions of the",
               "Orient. New York: Pantheon Books. Reprinted with a new afterword,",
               "Penguin Classics, 2003.",
               "Morrison, Toni. 1987. Beloved. New York: Alfred A. Knopf."]
    assert _blocks(wrapped) == [[1, 2, 3], [4]]


def test_a_link_piece_on_a_short_line_is_not_a_reference():
    lines = ["Kim, Ji-young. 2020. \u201cOn Trade.\u201d Korea Review 3 (1): 1\u201320. https://www.",
             "example.org/a/b"]
    assert _blocks(lines) == [[1, 2]]


def test_bulleted_references_start_at_each_bullet_and_lose_the_bullet():
    text = ("\u2022 Said, Edward W. Orientalism. New York: Pantheon Books, 1978.\n"
            "\u2022 Morrison, Toni. Beloved. New York: Alfred A. Knopf, 1987.\n")
    bib = loads(text, "text")
    assert [e.title for e in bib.entries] == ["Orientalism", "Beloved"]
    assert bib.entries[0].author[0].family == "Said"


def test_blank_line_separated_references_without_a_year_near_the_start():
    text = ("References\n\nD. Lovelock, Commun. Math. Phys. 5, 205 (1967)\n\n"
            "R. Janko, Equivalent Formulae in the Greek Epos, Mnemosyne 34 (1981), pp. 251-264.\n\n"
            "J. Smith and K. Lee, Nucl. Phys. B 12, 1 (1990)\n")
    bib = loads(text, "text")
    assert [e.source.line for e in bib.entries] == [3, 5, 7]
    assert not any(e.extra.get("stray-text") for e in bib.entries)


ONE_PER_LINE = ["Kim, Ji-young. 2020. \u201cOn Trade.\u201d Korea Review 3 (1): 1\u201320.",
                "Lee, Min. 2021. \u201cOn Security.\u201d Korea Review 4 (2): 5\u20139.",
                "Park, Su. 2019. \u201cA Study.\u201d Asian Survey 59 (3): 1\u201310.",
                "Cho, Han. 2020. \u201cAnother.\u201d Asian Survey 60 (2): 1\u201310."]


def test_an_indented_first_line_alone_is_not_a_first_line_indent():
    lines = ["  " + ONE_PER_LINE[0]] + ONE_PER_LINE[1:]
    assert _blocks(lines) == [[1], [2], [3], [4]]


def test_a_stray_space_is_not_a_hanging_indent():
    lines = [(" " + t) if k % 2 else t for k, t in enumerate(ONE_PER_LINE)]
    assert _blocks(lines) == [[1], [2], [3], [4]]


def test_right_aligned_numbers_start_references_whatever_their_indent():
    lines = []
    for n in range(1, 13):
        lines.append(f"{n:>2}. A. Author, \u201cTitle {n},\u201d J. Things, vol. {n}, pp. 1\u20132,")
        lines.append(f"    {1990 + n}.")
    assert _blocks(lines) == [[k, k + 1] for k in range(1, 25, 2)]


def test_a_number_out_of_sequence_does_not_start_a_reference():
    lines = ["1. Braun, K. Die Stadt. Berlin: Springer, 1991.",
             "2. Meyer, H. Geschichte der Stadt. Berlin:",
             "9. Aufl. Springer, 1990.",
             "3. Weber, M. Die Stadt. Tübingen: Mohr, 1921."]
    assert _blocks(lines) == [[1], [2, 3], [4]]


def test_apa_lines_ending_in_a_doi_or_in_press_end_their_reference():
    lines = ["Kim, J. (2020). On trade. Korea Review, 3(1), 1\u201320. https://doi.org/10.1000/abc",
             "Lee, M. (2021). On security. Korea Review, 4(2), 5\u20139. https://doi.org/10.1000/def",
             "Park, S. (in press). A study. Asian Survey, 59(3), in press",
             "Cho, H. (2020). Another. Asian Survey, 60(2), 1\u201310."]
    assert _blocks(lines) == [[1], [2], [3], [4]]


def test_a_long_line_without_spaces_does_not_swallow_the_next_reference():
    lines = ["A" + "b" * 100_000 + "Z", "Smith, J. 2020. Title. Journal 3: 4-5."]
    assert _blocks(lines) == [[1], [2]]


def test_a_long_link_on_its_own_line_does_not_widen_the_paragraph():
    lines = ["Said, Edward W. 1978. Orientalism: Western Conceptions of the Orient. New",
             "York: Pantheon Books. Reprinted with a new afterword by Penguin Classics.",
             "https://example.org/" + "a" * 120,
             "Morrison, Toni. 1987. Beloved. New York: Alfred A. Knopf. Later reprinted",
             "in a new edition by Vintage International with an introduction in 2004."]
    assert _blocks(lines) == [[1, 2, 3], [4, 5]]


def _numbered(numbers):
    return [f"{n}. Author{n}, A. {2000 + k}. Title {n}. Journal {n}: 1-2." for k, n in
            enumerate(numbers)]


def test_numbered_lists_that_count_down_skip_or_start_again():
    assert _blocks(_numbered([12, 11, 10, 9])) == [[1], [2], [3], [4]]
    assert _blocks(_numbered([1, 2, 7, 8, 9])) == [[1], [2], [3], [4], [5]]
    assert _blocks(_numbered([1, 2, 1, 2])) == [[1], [2], [3], [4]]
    # 300 references numbered down to 1 are 300 references, not one too long to parse.
    assert len(_blocks(_numbered(range(300, 0, -1)))) == 300


def test_a_dash_or_bullet_inside_a_reference_does_not_start_one():
    lines = ["Smith, J. A. (2019). Cities of tomorrow: planning, design and governance",
             "    - a study of three European capitals. Urban Studies, 56(3), 345-360.",
             "Brown, K. (2020). Learning in context. Oxford University Press."]
    assert _blocks(lines) == [[1, 2], [3]]
    lines = ["Smith J. Falls in elderly patients",
             "\u00b7 N Engl J Med \u00b7 2019 \u00b7 380(5):412-20",
             "Brown K. Sleep in elderly patients. Lancet. 2020;395:1-9."]
    assert _blocks(lines) == [[1, 2], [3]]


def test_a_bulleted_list_starts_at_each_of_its_bullets():
    lines = ["- Smith, J. A. (2019). Cities of tomorrow: planning, design and governance",
             "  - a study of three capitals. Urban Studies, 56(3), 345-360.",
             "- Brown, K. (2020). Learning in context. Oxford University Press."]
    assert _blocks(lines) == [[1, 2], [3]]


def test_one_per_line_without_names_or_years_near_the_start():
    lines = ["Augustine. Confessions. Translated by Henry Chadwick. Oxford: Oxford University "
             "Press, 1991.",
             "Aristotle. Nicomachean Ethics. Translated by Terence Irwin. Indianapolis: Hackett, "
             "1999.",
             "Plato. Republic. Translated by G. M. A. Grube. Indianapolis: Hackett, 1992.",
             "Kant, Immanuel. Critique of Pure Reason. Cambridge: Cambridge University Press, "
             "1998."]
    assert _blocks(lines) == [[1], [2], [3], [4]]


def test_a_reference_broken_by_hand_stays_whole():
    text = ("Smith, J. (2019).\nThe psychology of habits.\n"
            "Journal of Applied Psychology, 104(3), 345-360.\n\n"
            "Brown, K., & Lee, M. (2020).\nLearning in context.\nOxford University Press.\n")
    bib = loads(text, "text")
    assert [(e.source.line, e.source.end_line) for e in bib.entries] == [(1, 3), (5, 7)]


def test_bracketed_numbers_always_start_references():
    lines = ["[1] A. Author, \u201cOne,\u201d J. Things, 2001.", "[2] B. Author, \u201cTwo,\u201d J. Things,",
             "2002.", "[10] C. Author, \u201cTen,\u201d J. Things, 2010."]
    assert _blocks(lines) == [[1], [2, 3], [4]]


def test_a_bulleted_reference_after_a_blank_line_is_no_fragment() -> None:
    """A paragraph that is one bulleted reference starts its own entry (it was joined to the
    reference above as a stray fragment when its text did not open like a reference)."""
    from citekit.readers import loads

    text = ("Good chemistry. (1996, September). Wake Forest University Magazine, 44(1), p. 8\n\n"
            "- V. GISCARD D'ESTAING, \u00ab Le giscardisme \u00bb, Pouvoirs, 1979, n\u00b09.\n")
    bib = loads(text, "text")
    assert len(bib.entries) == 2 and bib.entries[1].source.line == 3
