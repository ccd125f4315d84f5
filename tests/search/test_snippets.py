"""Snippets: the matched words highlighted, in a fragment of the right direction."""

from __future__ import annotations

from lang.chains import analyze
from search.query import parse
from search.snippets import Matcher, make_snippet


def test_a_match_deep_in_a_long_paragraph_is_found_and_highlighted() -> None:
    words = [f"كلمة{i}" for i in range(400)]
    words[300] = "الإنارة"
    text = "المملكة المغربية\n" + " ".join(words)
    for folded in (None, analyze(text).exact):  # folded at query time, or stored by the index
        snip = make_snippet(text, Matcher.for_query(parse("الانارة")), folded=folded)
        frag = snip.fragments[0]
        assert [frag.text[s:e] for s, e in frag.highlights] == ["الإنارة"]
        assert frag.direction == "rtl" and len(frag.text) <= 182


def test_without_a_match_the_first_line_is_shown() -> None:
    snip = make_snippet("Royaume du Maroc\nObjet : facture", Matcher.for_query(parse("zzz")))
    assert snip.fragments[0].text == "Royaume du Maroc" and snip.fragments[0].highlights == ()


def test_a_name_typed_with_a_typo_is_highlighted_where_it_stands() -> None:
    text = "Royaume du Maroc\nObjet : réclamation\nDe la part de Mme Benjelloun Samira, commerçante"
    snip = make_snippet(text, Matcher.for_query(parse("Benjeloun")))
    frag = snip.fragments[0]
    assert [frag.text[s:e] for s, e in frag.highlights] == ["Benjelloun"]


def test_the_line_with_the_most_query_words_is_shown_first_and_typo_pieces_do_not_pull() -> None:
    # «minist» and «ere» are everywhere as pieces of other words; the line with both words wins.
    text = "\n".join(
        [
            "Royaume du Maroc - Ministère de l'Intérieur",
            "Objet : autorisation d'occuper le domaine public",
            "La présente demande d'autorisation est adressée au ministère compétent",
            "Veuillez agréer l'expression de nos salutations distinguées",
        ]
    )
    snip = make_snippet(text, Matcher.for_query(parse("autorisation ministère")), max_fragments=1)
    frag = snip.fragments[0]
    assert frag.text.startswith("La présente demande")
    assert [frag.text[s:e] for s, e in frag.highlights] == ["d'autorisation", "ministère"]
