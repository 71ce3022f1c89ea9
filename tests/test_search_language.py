"""What a clerk types finds what a clerk expects: folding, stemming, tags, phrases, prefixes,
every filter, date boundaries in the City's time zone, and text an edit replaced."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from archiver.archive import Archive
from archiver.errors import InvalidInput
from archiver.search import index_items, parse_query, search
from tests.conftest import actor
from tests.factories import Store

CLERK = actor("clerk")


@pytest.fixture
def corpus(archive: Archive) -> dict[str, int]:
    store = Store(archive)
    city = store.account("facebook", "RanchoVerdeCity", "City of Rancho Verde", "100000001")
    pd = store.account("x", "rvpd_official", "Rancho Verde Police")
    ids = {
        "closure": store.item(
            city,
            "Elm Street closures begin Monday for repaving. Detour via Oak Ave. #ElmStreet "
            "Questions? Ask @RanchoVerdePW",
            hashtags=["ElmStreet"],
            mentions=["RanchoVerdePW"],
            created_at=datetime(2024, 3, 4, 16, 0, tzinfo=UTC),
        ),
        "cafe": store.item(
            city,
            "CAFÉ owners on Elm: the city will reimburse lost parking. José Núñez explains.",
            created_at=datetime(2024, 3, 20, 19, 0, tzinfo=UTC),
        ),
        "council": store.item(
            city,
            "Council meeting moved to Thursday. Agenda: budget, library hours.",
            kind="post",
            created_at=datetime(2024, 5, 2, 2, 0, tzinfo=UTC),
        ),
        "police": store.item(
            pd,
            "Traffic enforcement near the Elm St closure this week.",
            author=("Rancho Verde Police", "rvpd_official"),
            created_at=datetime(2024, 3, 5, 15, 0, tzinfo=UTC),
        ),
    }
    ids["comment"] = store.item(
        city,
        "When will the street reopen? My shop is losing customers.",
        kind="comment",
        parent=ids["closure"],
        author=("María López", "maria.lopez"),
        created_at=datetime(2024, 3, 4, 18, 0, tzinfo=UTC),
    )
    ids["reply"] = store.item(
        city,
        "We expect to reopen by April 15. Thank you for your patience.",
        kind="reply",
        parent=ids["comment"],
        created_at=datetime(2024, 3, 4, 19, 0, tzinfo=UTC),
    )
    ids["edited"] = store.item(
        city,
        "Update: schedule posted on the website.",
        kind="comment",
        parent=ids["closure"],
        author=("Pat Smith", "patsmith"),
        earlier=["This closure is a disgrace and the mayor should resign"],
        created_at=datetime(2024, 3, 6, 1, 0, tzinfo=UTC),
    )
    ids["removed"] = store.item(
        city,
        "Buy cheap watches at spam.example",
        kind="comment",
        parent=ids["closure"],
        state="removed_by_city",
        author=("Spam Bot", "spambot99"),
        created_at=datetime(2024, 3, 7, 12, 0, tzinfo=UTC),
    )
    index_items(archive, ids.values())
    return ids


def found(archive: Archive, query: str, **options: object) -> set[int]:
    page = search(archive, CLERK, query, per_page=100, **options)  # type: ignore[arg-type]
    assert page.total == len(page.hits)
    return {hit.item_id for hit in page.hits}


def test_case_and_accent_folding(archive: Archive, corpus: dict[str, int]) -> None:
    assert found(archive, "cafe") == {corpus["cafe"]}
    assert found(archive, "Café") == {corpus["cafe"]}
    assert found(archive, "jose nunez") == {corpus["cafe"]}
    assert found(archive, "author:maria") == {corpus["comment"]}


def test_stemming_finds_other_forms(archive: Archive, corpus: dict[str, int]) -> None:
    assert corpus["closure"] in found(archive, "closure")  # the post says "closures"
    assert corpus["police"] in found(archive, "closures")  # the tweet says "closure"
    assert found(archive, "reopening") == {corpus["comment"], corpus["reply"]}


def test_hashtags_and_handles_are_whole_tokens(archive: Archive, corpus: dict[str, int]) -> None:
    assert found(archive, "#ElmStreet") == {corpus["closure"]}
    assert found(archive, "@ranchoverdepw") == {corpus["closure"]}
    assert found(archive, "hashtag:elmstreet") == {corpus["closure"]}
    assert found(archive, "mention:@RanchoVerdePW") == {corpus["closure"]}
    # the hashtag is not the plain words, and the plain words do not match the hashtag
    assert found(archive, "#elm") == set()
    assert corpus["closure"] in found(archive, "elm street")


def test_phrase_and_prefix(archive: Archive, corpus: dict[str, int]) -> None:
    assert found(archive, '"elm street"') == {corpus["closure"]}
    assert found(archive, '"street elm"') == set()
    assert found(archive, '"council meeting"') == {corpus["council"]}
    assert found(archive, "reimb*") == {corpus["cafe"]}
    assert found(archive, "clos*") >= {corpus["closure"], corpus["police"], corpus["edited"]}


def test_boolean_operators(archive: Archive, corpus: dict[str, int]) -> None:
    assert found(archive, "closure AND traffic") == {corpus["police"]}
    assert found(archive, "budget OR reimburse") == {corpus["council"], corpus["cafe"]}
    closures = found(archive, "closure")
    assert found(archive, "closure NOT traffic") == closures - {corpus["police"]}
    assert found(archive, "closure -traffic") == closures - {corpus["police"]}


def test_edited_text_is_still_found(archive: Archive, corpus: dict[str, int]) -> None:
    page = search(archive, CLERK, "disgrace mayor")
    assert [hit.item_id for hit in page.hits] == [corpus["edited"]]
    hit = page.hits[0]
    assert hit.matched_earlier_version
    assert "**disgrace**" in hit.snippet
    assert hit.state == "edited" and hit.state_badge == "EDITED"


def test_each_filter(archive: Archive, corpus: dict[str, int]) -> None:
    everything = set(corpus.values())
    assert found(archive, "platform:x") == {corpus["police"]}
    assert found(archive, "platform:facebook") == everything - {corpus["police"]}
    assert found(archive, "account:rvpd_official") == {corpus["police"]}
    assert found(archive, "account:x:rvpd_official") == {corpus["police"]}
    assert found(archive, "account:@RanchoVerdeCity kind:reply") == {corpus["reply"]}
    assert found(archive, "kind:comment,reply") == {
        corpus["comment"],
        corpus["reply"],
        corpus["edited"],
        corpus["removed"],
    }
    assert found(archive, "state:removed_by_city") == {corpus["removed"]}
    assert found(archive, "-state:removed_by_city") == everything - {corpus["removed"]}
    assert found(archive, "author:spambot99") == {corpus["removed"]}
    assert found(archive, 'author:"pat smith"') == {corpus["edited"]}
    assert found(archive, "author:pat*") == {corpus["edited"]}
    thread = {corpus[k] for k in ("closure", "comment", "reply", "edited", "removed")}
    assert found(archive, f"thread:{corpus['reply']}") == thread
    assert found(archive, f"thread:{corpus['closure']} reopen") == {
        corpus["comment"],
        corpus["reply"],
    }


def test_filters_also_come_as_arguments(archive: Archive, corpus: dict[str, int]) -> None:
    from archiver.search import SearchFilters

    assert found(archive, "closure", filters=SearchFilters(platform=("x",))) == {corpus["police"]}


def test_date_filters_use_the_city_time_zone(archive: Archive) -> None:
    store = Store(archive)
    account = store.account("facebook", "RanchoVerdeCity")

    def at(text: str, moment: datetime) -> int:
        return store.item(account, text, created_at=moment)

    # 2024-03-01 07:30 UTC is Feb 29, 23:30 in Rancho Verde (PST)
    late_feb = at("leap day notice", datetime(2024, 3, 1, 7, 30, tzinfo=UTC))
    # 2024-03-01 08:00 UTC is March 1, 00:00 PST
    first_march = at("march notice", datetime(2024, 3, 1, 8, 0, tzinfo=UTC))
    # 2024-06-01 06:59 UTC is May 31, 23:59 PDT; 07:00 UTC is June 1, 00:00 PDT
    last_may = at("may notice", datetime(2024, 6, 1, 6, 59, tzinfo=UTC))
    first_june = at("june notice", datetime(2024, 6, 1, 7, 0, tzinfo=UTC))
    new_year = at("year notice", datetime(2025, 1, 1, 7, 59, tzinfo=UTC))  # Dec 31, 2024 PST
    index_items(archive, [late_feb, first_march, last_may, first_june, new_year])

    assert found(archive, "notice from:2024-03-01 to:2024-05-31") == {first_march, last_may}
    assert found(archive, "notice from:2024-03 to:2024-05") == {first_march, last_may}
    assert found(archive, "notice to:2024-02-29") == {late_feb}
    assert found(archive, "notice from:2024-06-01") == {first_june, new_year}
    assert found(archive, "notice from:2024 to:2024") == {
        late_feb,
        first_march,
        last_may,
        first_june,
        new_year,
    }
    assert found(archive, "notice from:2025") == set()
    assert found(archive, "notice from:2024-05-31 to:2024-05-31") == {last_may}
    hits = search(archive, CLERK, "notice from:2024-06-01", sort="date").hits
    assert [h.item_id for h in hits] == [new_year, first_june]
    assert hits[0].created_at == "2024-12-31T23:59:00-08:00"


def test_query_errors_name_the_fix(archive: Archive, corpus: dict[str, int]) -> None:
    with pytest.raises(InvalidInput, match="state:gone is not a known state"):
        search(archive, CLERK, "closure state:gone")
    with pytest.raises(InvalidInput, match="is not a date"):
        search(archive, CLERK, "closure from:March")
    with pytest.raises(InvalidInput, match="after"):
        search(archive, CLERK, "from:2024-05 to:2024-03")
    with pytest.raises(InvalidInput, match="sort"):
        search(archive, CLERK, "closure", sort="size")


def test_parse_keeps_free_text_and_unknown_colons() -> None:
    parsed = parse_query('meeting at 12:30 "elm street" platform:facebook OR platform:x')
    assert parsed.text == 'meeting at 12:30 "elm street"'
    assert parsed.filters.platform == ("facebook", "x")


def test_results_show_what_a_clerk_needs(archive: Archive, corpus: dict[str, int]) -> None:
    page = search(archive, CLERK, "#ElmStreet")
    hit = page.hits[0]
    assert hit.account == "facebook:RanchoVerdeCity"
    assert hit.author == "City of Rancho Verde (@RanchoVerdeCity)"
    assert hit.created_at == "2024-03-04T08:00:00-08:00"
    assert hit.permalink.startswith("https://")
    assert hit.snippet.count("**#ElmStreet**") == 1
    assert hit.thread_id == corpus["closure"]


def test_pagination_and_sorting(archive: Archive, corpus: dict[str, int]) -> None:
    first = search(archive, CLERK, "platform:facebook", sort="date", per_page=3)
    second = search(archive, CLERK, "platform:facebook", sort="date", page=2, per_page=3)
    assert first.total == second.total == 7 and first.pages == 3
    dates = [h.created_at for h in first.hits + second.hits]
    assert dates == sorted(dates, reverse=True)
    oldest = search(archive, CLERK, "platform:facebook", sort="oldest", per_page=1)
    assert oldest.hits[0].item_id == corpus["closure"]
