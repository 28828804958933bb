"""Pairing a report with its agency's report of the year before: the index finds exactly the
reports the definition of "the same agency" names (equal once folded, or one the other with its
place prefix), however many agencies a province's batch holds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from govlint.engine.runner import Dated, PairIndex, _same_folded

PLACES = ["淮安市", "洪泽区", "淮安市洪泽区", "济源市", "克井镇", ""]
BODIES = ["人民政府", "人民政府办公室", "自然资源和规划局", "政府", "街道办事处", "局"]


def _by_definition(index: PairIndex, entry: Dated) -> Dated | None:
    same = [e for e in index.entries if e.year == entry.year - 1 and _same_folded(e.agency, entry.agency)]
    return same[0] if len(same) == 1 else None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(PLACES), st.sampled_from(BODIES), st.integers(2022, 2024)),
                min_size=1, max_size=30))
def test_the_index_pairs_what_the_definition_pairs(reports: list[tuple[str, str, int]]) -> None:
    entries = [Dated(place, year, prefix + body, "2021")
               for place, (prefix, body, year) in enumerate(reports)]
    index = PairIndex(entries)
    for entry in entries:
        assert index.previous(entry) == _by_definition(index, entry)


def test_a_place_prefixed_name_pairs_with_the_bare_one_and_two_candidates_pair_with_none() -> None:
    later = Dated(0, 2024, "淮安市洪泽区人民政府", "2021")
    earlier = Dated(1, 2023, "洪泽区人民政府", "2021")
    assert PairIndex([later, earlier]).previous(later) == earlier
    assert PairIndex([later, earlier]).pairs() == [(later, earlier)]
    other = Dated(2, 2023, "淮安市洪泽区人民政府", "2021")
    assert PairIndex([later, earlier, other]).previous(later) is None  # which of the two is last year's?
