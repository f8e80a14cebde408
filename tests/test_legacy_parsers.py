"""The pure readers of legacy shapes: timelines, action items, durations, zones, front-matter
blocks and the mapping of foreign metadata. Structure is recovered, never invented."""

from __future__ import annotations

import datetime as dt

import pytest

from pmctl.domain.config import FieldMap, Transform
from pmctl.domain.legacy import actions, durations, front, mapping, timeline, zones
from pmctl.domain.model import ActionStatus, ActionType, Priority

# --- timeline ---------------------------------------------------------------------------


def test_a_timeline_table_is_read_row_by_row_with_the_zone_of_its_note() -> None:
    lines = [
        "All times in CET.",
        "",
        "| Time | Event |",
        "|------|-------|",
        "| 2023-02-14  9:05 | Alert |",
        "| 09:12 | Failover starts |",
        "| ~09:10 | Support reports errors |",
        "| later that morning | Tenant moved |",
        "| 09:52 | Recovered |",
    ]
    parsed = timeline.parse(lines)
    assert [entry.written for entry in parsed.entries] == [
        "2023-02-14  9:05",
        "09:12",
        "~09:10",
        "09:52",
    ]
    assert [entry.day for entry in parsed.entries] == [dt.date(2023, 2, 14)] * 4
    assert parsed.entries[2].approximate
    assert parsed.unread == (7,)
    assert parsed.zone == zones.Zone("CET", 60)
    (late,) = timeline.out_of_order(parsed.entries)
    assert (late[0].written, late[1].written) == ("~09:10", "09:12")


def test_entries_are_never_reordered_and_a_date_line_crosses_midnight() -> None:
    lines = ["2026-11-20 (all times UTC)", "- 23:50 Deploy", "2026-11-21", "- 00:10 Errors"]
    parsed = timeline.parse(lines)
    assert [entry.row for entry in parsed.entries] == [1, 3]
    assert timeline.out_of_order(parsed.entries) == []
    assert parsed.zone == zones.Zone("UTC", 0)
    assert timeline.out_of_order(timeline.parse([lines[1], lines[3]]).entries) != []


@pytest.mark.parametrize(
    ("row", "written", "time"),
    [
        ("- 14:51 Traffic grows", "14:51", dt.time(14, 51)),
        ("* **2015-10-21 14:51** Traffic grows", "2015-10-21 14:51", dt.time(14, 51)),
        ("1. 9:05:30 Alert", "9:05:30", dt.time(9, 5, 30)),
        ("- 2:51 pm Alert", "2:51 pm", dt.time(14, 51)),
        ("- ~10:45 Someone notices", "~10:45", dt.time(10, 45)),
        ("- 2023/02/14 11:07 CET Alert", "2023/02/14 11:07", dt.time(11, 7)),
        ("11:07 a line without a bullet", "11:07", dt.time(11, 7)),
    ],
)
def test_times_as_legacy_timelines_write_them(row: str, written: str, time: dt.time) -> None:
    (entry,) = timeline.parse([row]).entries
    assert (entry.written, entry.time) == (written, time)


def test_a_row_whose_time_cannot_be_read_is_listed_not_timed() -> None:
    parsed = timeline.parse(["- 25:10 impossible", "- around noon: rollback", "  - 10:00 nested"])
    assert [entry.row for entry in parsed.entries] == [2]
    assert parsed.unread == (0, 1)


def test_the_zone_of_a_table_header_and_a_separate_date_column() -> None:
    lines = ["| Date | Time (UTC) | What |", "|---|---|---|", "| 2022-11-02 | 09:14 | Purge |"]
    parsed = timeline.parse(lines)
    assert parsed.zone == zones.Zone("UTC", 0)
    (entry,) = parsed.entries
    assert entry.moment(parsed.zone) == dt.datetime(2022, 11, 2, 9, 14, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("note", "name", "offset"),
    [
        ("All times in CET.", "CET", 60),
        ("(all times UTC)", "UTC", 0),
        ("Times are JST", "JST", 540),
        ("All times are UTC+9", "UTC+9", 540),
        ("時刻はすべて JST", "JST", 540),
        ("Times in PT", "PT", None),
    ],
)
def test_zone_notes(note: str, name: str, offset: int | None) -> None:
    assert zones.zone_of_note(note) == zones.Zone(name, offset)


def test_a_line_that_names_no_time_is_not_a_zone_note() -> None:
    assert zones.zone_of_note("The EST team was paged.") is None


# --- action items -----------------------------------------------------------------------


def test_action_bullets_with_done_markers_lead_ins_and_nested_bullets() -> None:
    lines = [
        "- [x] **Monitoring:** Alert on disk queue depth",
        "- [ ] Give the script a timeout",
        "  - shorter than the retry budget",
        "- ~~Move db-01 to its own host~~",
        "- ✅ Add the runbook",
        "- Review tenant placement (done)",
        "- **Process** — Run a drill every quarter",
        "- Add a second provider (won't fix)",
        "- 再試行の上限を設定する（対応中）",
        "- Split the long",
        "  title over two lines",
    ]
    items = actions.parse(lines)
    assert [(item.title, item.status) for item in items] == [
        ("Alert on disk queue depth", ActionStatus.DONE),
        ("Give the script a timeout", ActionStatus.TODO),
        ("Move db-01 to its own host", ActionStatus.DONE),
        ("Add the runbook", ActionStatus.DONE),
        ("Review tenant placement", ActionStatus.DONE),
        ("Run a drill every quarter", ActionStatus.TODO),
        ("Add a second provider", ActionStatus.WONTFIX),
        ("再試行の上限を設定する", ActionStatus.IN_PROGRESS),
        ("Split the long title over two lines", ActionStatus.TODO),
    ]
    assert all(item.owner is None and item.type is None for item in items)


def test_an_owner_named_in_a_sentence_is_not_taken_as_the_owner() -> None:
    (item,) = actions.parse(["- Alice will add an alert (owner: alice)"])
    assert item.owner is None
    assert item.title == "Alice will add an alert (owner: alice)"


def test_an_action_table_gives_its_columns_when_they_hold_pmctl_values() -> None:
    lines = [
        "| Action Item | Type | Owner | Priority | Status | Bug | Due |",
        "|---|---|---|---|---|---|---|",
        "| Add a canary stage | prevent | olu | P1 | in progress | SEARCH-1 | 2019-04-01 |",
        "| ~~Document the restore~~ | process | maria | P3 | | | |",
        "| Investigate headroom | somehow | TBD | high | done | n/a | soon |",
    ]
    first, second, third = actions.parse(lines)
    assert first == actions.LegacyAction(
        2,
        "Add a canary stage",
        ActionStatus.IN_PROGRESS,
        owner="olu",
        type=ActionType.PREVENT,
        priority=Priority.P1,
        tracker="SEARCH-1",
        due=dt.date(2019, 4, 1),
    )
    assert (second.title, second.status) == ("Document the restore", ActionStatus.DONE)
    assert (third.owner, third.type, third.priority, third.tracker, third.due) == (
        None,
        None,
        None,
        None,
        None,
    )
    assert third.status is ActionStatus.DONE


# --- durations --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("1 hour 20 minutes", 80),
        ("1 hour and 20 minutes", 80),
        ("2h 5m", 125),
        ("2h5m", 125),
        ("90 seconds", 1.5),
        ("1:20", 80),
        ("~15 min", 15),
        ("1時間20分", 80),
        ("2 days", 2880),
        ("12", None),
        ("soon", None),
    ],
)
def test_duration_texts(text: str, minutes: float | None) -> None:
    assert durations.parse_minutes(text) == minutes


def test_durations_are_found_stated_and_unknown_values_are_unknown() -> None:
    lines = [
        "# Stats",
        "- Time to detection: 1 hour 20 minutes",
        "- **Time to mitigate:** N/A",
        "| Time to recovery | ? |",
        "TTR: 2h",
        "復旧までの時間：1時間57分",
        "Time to detection is a metric we care about.",
    ]
    found = [(s.kind, s.row, s.minutes) for s in durations.find(lines)]
    assert found == [
        (durations.Kind.DETECT, 1, 80),
        (durations.Kind.MITIGATE, 2, None),
        (durations.Kind.RESOLVE, 3, None),
        (durations.Kind.RESOLVE, 4, 120),
        (durations.Kind.RESOLVE, 5, 117),
    ]


# --- front-matter blocks ------------------------------------------------------------------


def test_yaml_toml_and_json_blocks_are_cut_exactly() -> None:
    yaml = front.split("---\ntitle: x\n---\n\n# Body\n")
    assert yaml is not None
    assert (yaml.fence, yaml.content, yaml.body, yaml.body_line) == (
        front.Fence.YAML,
        "title: x\n",
        "\n# Body\n",
        4,
    )
    toml = front.split('+++\ntitle = "x"\n+++\nBody')
    assert toml is not None
    assert (toml.fence, toml.raw, toml.body) == (front.Fence.TOML, '+++\ntitle = "x"\n+++', "Body")
    json_block = front.split('{\n  "a": {"b": "}"}\n}\n\nBody\n')
    assert json_block is not None
    assert (json_block.fence, json_block.body, json_block.body_line) == (
        front.Fence.JSON,
        "\nBody\n",
        4,
    )


def test_an_unclosed_fence_is_no_front_matter_and_bad_json_is_an_error() -> None:
    assert front.split("---\n\nA thematic break, then prose.\n") is None
    assert front.split("# Title\n---\n") is None
    with pytest.raises(front.FrontMatterError) as error:
        front.split('{\n  "a": 1,\n}\nBody')
    assert error.value.line == 3


# --- mapping ------------------------------------------------------------------------------


def test_mapping_converts_dates_lists_slugs_and_minutes_and_keeps_offsets() -> None:
    rules = mapping.rules(
        mapping.DEFAULT_MAP,
        {
            "params.severity": FieldMap(field="severity", values={"high": "SEV2"}),
            "params.start": FieldMap(field="timestamps.started", transform=Transform.DATETIME),
            "ttd": FieldMap(field="durations.detect_minutes"),
            "categories": FieldMap(field="tags", transform=Transform.SLUG),
        },
    )
    cet = dt.timezone(dt.timedelta(hours=1))
    data = {
        "title": "CDN purge",
        "date": dt.datetime(2022, 11, 2, 0, 0, tzinfo=cet),
        "authors": "lena, tomás",
        "categories": ["CDN", "Storefront Outage"],
        "params": {"severity": "HIGH", "start": dt.datetime(2022, 11, 2, 9, 14, tzinfo=cet)},
        "ttd": "1 hour 20 minutes",
        "draft": False,
    }
    mapped = mapping.apply(data, {}, rules)
    assert mapped.values == {
        "title": "CDN purge",
        "date": dt.date(2022, 11, 2),
        "authors": ["lena", "tomás"],
        "severity": "SEV2",
        "timestamps.started": dt.datetime(2022, 11, 2, 9, 14, tzinfo=cet),
        "durations.detect_minutes": 80,
        "tags": ["cdn", "storefront-outage"],
    }
    assert mapped.unmapped == ("draft",)
    assert any("at midnight: taken as a date only" in note for note in mapped.notes)


def test_a_midnight_start_is_a_date_only_and_a_naive_time_takes_the_notes_zone() -> None:
    rules = mapping.rules(
        {
            "start": FieldMap(field="timestamps.started", transform=Transform.DATETIME),
            "seen": FieldMap(field="timestamps.detected", transform=Transform.DATETIME),
            "fixed": FieldMap(field="timestamps.resolved", transform=Transform.DATETIME),
        }
    )
    data = {"start": "2023-02-14T00:00:00+01:00", "seen": "2023-02-14T09:05", "fixed": "when"}
    mapped = mapping.apply(data, {}, rules, zone=zones.Zone("CET", 60))
    cet = dt.timezone(dt.timedelta(hours=1))
    assert mapped.values == {"timestamps.detected": dt.datetime(2023, 2, 14, 9, 5, tzinfo=cet)}
    assert mapped.days == (dt.date(2023, 2, 14),)
    assert len(mapped.notes) == 3
    assert not mapping.apply(data, {}, rules).values


def test_header_lines_are_mapped_and_the_front_matter_wins() -> None:
    header = mapping.header_fields(["# Title", "**Date:** 2019-03-04", "- Owner: maria", "日付: x"])
    assert header == {
        "date": mapping.HeaderField(1, "2019-03-04"),
        "owner": mapping.HeaderField(2, "maria"),
        "日付": mapping.HeaderField(3, "x"),
    }
    rules = mapping.rules(mapping.DEFAULT_MAP)
    mapped = mapping.apply({"owner": "ines"}, header, rules, header_line=10)
    assert mapped.values == {"owner": "ines", "date": dt.date(2019, 3, 4)}
    assert [field.source for field in mapped.fields] == ["front matter `owner`", "line 11: `date`"]


def test_a_header_line_given_again_with_another_value_is_noted() -> None:
    """`Owner: alice` ... `Owner: bob` (a merge that kept both): the first was taken
    without a word about the second."""
    header = mapping.header_fields(
        ["Owner: alice", "Date: 2024-03-01", "Owner: bob", "Owner: alice"]
    )
    mapped = mapping.apply(None, header, mapping.rules(mapping.DEFAULT_MAP), header_line=3)
    assert mapped.values["owner"] == "alice"
    assert mapped.notes == ("line 5: `owner` is given again ('bob'); line 3's is taken",)


def test_values_that_do_not_convert_are_left_empty_and_said_so() -> None:
    rules = mapping.rules(
        {
            "a": FieldMap(field="impact.affected_users"),
            "b": FieldMap(field="impact.data_loss"),
            "c": FieldMap(field="authors"),
            "d": FieldMap(field="date"),
        }
    )
    mapped = mapping.apply(
        {"a": "many", "b": "perhaps", "c": [{"x": 1}], "d": "someday"}, {}, rules
    )
    assert mapped.values == {}
    assert len(mapped.notes) == 4
