"""The parts of a bot run that need no wiki: exclusion, journal, throttle, budget, report."""

from __future__ import annotations

import itertools
import json
import multiprocessing
import time
from pathlib import Path

import pytest

from wikitools.bot.exclusion import bot_names, exclusion
from wikitools.bot.journal import Journal
from wikitools.bot.outcome import PageOutcome, Status
from wikitools.bot.report import OutcomeLog
from wikitools.bot.stats import RunStats, reason_kind
from wikitools.errors import ConfigError, InputError
from wikitools.mediawiki.save import EditBudget
from wikitools.mediawiki.throttle import Throttle, default_interval, is_loopback_url

NAMES = bot_names("FixBot@wikitools")


@pytest.mark.parametrize(
    ("text", "banned"),
    [
        ("plain text", False),
        ("{{nobots}}", True),
        ("{{Nobots}} text", True),
        ("{{Template:Nobots}}", True),
        ("{{bots}}", False),
        ("{{bots|allow=all}}", False),
        ("{{bots|allow=none}}", True),
        ("{{bots|allow=OtherBot}}", True),
        ("{{bots|allow=OtherBot, fixbot}}", False),
        ("{{bots|allow=wikitools}}", False),
        ("{{bots|deny=all}}", True),
        ("{{bots|deny=none}}", False),
        ("{{bots|deny=OtherBot}}", False),
        ("{{bots|deny=OtherBot,FixBot}}", True),
        ("{{bots|deny=WikiTools}}", True),
        ("<!-- {{nobots}} -->", False),
        ("<nowiki>{{nobots}}</nowiki>", False),
        ("{{tl|nobots}}", False),
    ],
)
def test_bots_and_nobots_follow_the_standard_syntax(text: str, banned: bool) -> None:
    assert NAMES == ("FixBot", "wikitools")
    assert (exclusion(text, NAMES) is not None) is banned


def test_journal_records_survive_reopening_and_belong_to_one_wiki(tmp_path: Path) -> None:
    path = tmp_path / "run.journal"
    with Journal(path, "https://a.example/w/api.php") as journal:
        first = journal.run_id
        journal.record_intent("A", pageid=1, base_revid=10, text_hash="ab", summary="s")
        journal.record_intent("B", pageid=2, base_revid=20, text_hash="cd", summary="s")
        journal.record_done("B", "changed", revid=21)
        journal.record_done("C", "skipped", reason="{{nobots}} excludes all bots")
    with Journal(path, "https://a.example/w/api.php") as journal:
        assert journal.run_id != first and journal.run_id.split("/")[0] == first.split("/")[0]
        intent = journal.intent("A")
        assert intent is not None and (intent.base_revid, intent.text_hash) == (10, "ab")
        assert journal.done("A") is None and journal.intent("B") is None
        done = journal.done("B")
        assert done is not None and (done.status, done.revid) == ("changed", 21)
        assert journal.counts() == {"intent": 1, "changed": 1, "skipped": 1}
    with pytest.raises(ConfigError, match=r"belongs to a run on https://a\.example"):
        Journal(path, "https://b.example/w/api.php")
    bad = tmp_path / "bad.journal"
    bad.write_bytes(b"not a database at all, clearly" * 10)
    with pytest.raises(InputError, match="not a wikitools journal"):
        Journal(bad, "https://a.example/w/api.php")


def test_budget_counts_only_saves() -> None:
    budget = EditBudget(2)
    assert not budget.exhausted
    budget.spend()
    budget.spend()
    assert budget.exhausted and budget.spent == 2
    with pytest.raises(InputError):
        EditBudget(-1)


def test_default_pace_is_ten_seconds_except_on_this_machine() -> None:
    assert default_interval("https://en.wikipedia.org/w/api.php") == 10.0
    assert default_interval("http://127.0.0.1:8080/api.php") == 0.0
    assert default_interval("http://localhost/api.php") == 0.0
    assert default_interval("http://[::1]:80/api.php") == 0.0
    assert not is_loopback_url("http://10.0.0.1/api.php")


def test_throttle_waits_for_the_last_save_of_any_process(tmp_path: Path) -> None:
    now = [1000.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    url = "https://wiki.example/w/api.php"
    one = Throttle(url, 10, directory=tmp_path, sleep=sleep, clock=lambda: now[0])
    other = Throttle(url, 10, directory=tmp_path, sleep=sleep, clock=lambda: now[0])
    assert one.wait() == 0.0  # nobody saved yet
    now[0] += 3
    assert other.wait() == pytest.approx(7.0)  # shares the first one's last save
    assert one.wait() == pytest.approx(10.0)
    elsewhere = Throttle("https://other.example/w/api.php", 10, directory=tmp_path, sleep=sleep)
    assert elsewhere.wait() == 0.0  # another wiki has its own pace
    assert waits == [pytest.approx(7.0), pytest.approx(10.0)]


def _claim(directory: str, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    throttle = Throttle("https://shared.example/w/api.php", 0.4, directory=Path(directory))
    for _ in range(3):
        throttle.wait()
        out.put(time.time())


def test_throttle_is_shared_by_real_processes(tmp_path: Path) -> None:
    queue: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    workers = [
        multiprocessing.Process(target=_claim, args=(str(tmp_path), queue)) for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    stamps = sorted(queue.get(timeout=5) for _ in range(6))
    gaps = [b - a for a, b in itertools.pairwise(stamps)]
    assert min(gaps) >= 0.39, gaps  # six saves of two processes, one every 0.4 s


def test_report_lines_are_appended_and_a_torn_line_is_cut(tmp_path: Path) -> None:
    path = tmp_path / "report.jsonl"
    with OutcomeLog(path, run_id="abc/1") as log:
        log.add(PageOutcome("A", Status.CHANGED, "1 fix", revid=5, fixes=("B001",)))
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"title": "tor')  # a kill in the middle of a line
    with OutcomeLog(path) as log:
        log.add(PageOutcome("B", Status.SKIPPED, "{{nobots}} excludes all bots"))
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [(r["title"], r["status"]) for r in records] == [("A", "changed"), ("B", "skipped")]
    assert records[0]["run"] == "abc/1" and records[0]["revid"] == 5


def test_stats_group_skips_by_reason_and_count_edits() -> None:
    now = [0.0]
    stats = RunStats(clock=lambda: now[0])
    stats.add(PageOutcome("A", Status.CHANGED))
    stats.add(PageOutcome("B", Status.CHANGED))
    stats.add(PageOutcome("C", Status.SKIPPED, "{{nobots}} excludes all bots"))
    stats.add(PageOutcome("D", Status.SKIPPED, "not fixed: something (here)"))
    stats.add(PageOutcome("E", Status.DONE_BEFORE, "changed in an earlier run"))
    now[0] = 60.0
    data = stats.as_dict()
    assert data["read"] == 4 and data["changed"] == 2 and data["already_done"] == 1
    assert data["edits_per_minute"] == 2.0
    assert data["skipped"] == {"{{nobots}} excludes all bots": 1, "not fixed": 1}
    assert reason_kind("verify: worse") == "verify"
    assert "edits per minute: 2.0" in stats.lines()[-1]


class _StubWiki:
    """Answers the stop check's one request from a scripted state."""

    def __init__(self) -> None:
        self.text: str | None = "true"
        self.messages = False
        self.requests = 0

    def request(self, params: dict[str, object]) -> dict[str, object]:
        self.requests += 1
        page: dict[str, object] = {"title": params.get("titles")}
        if self.text is None:
            page["missing"] = True
        else:
            page["revisions"] = [{"slots": {"main": {"content": self.text}}}]
        return {
            "query": {
                "general": {"readonly": False},
                "userinfo": {"name": "Bot", "messages": self.messages},
                "pages": [page],
            }
        }


def test_stop_check_cadence_and_fail_closed_reasons() -> None:
    from wikitools.bot.stopcheck import StopCheck
    from wikitools.errors import RunStoppedError

    now = [0.0]
    wiki = _StubWiki()
    check = StopCheck(
        wiki,  # type: ignore[arg-type]
        stop_page="User:Bot/stop",
        every=3,
        interval=60,
        clock=lambda: now[0],
    )
    assert check.due()
    check.check_if_due()
    assert wiki.requests == 1 and not check.due()
    check.saved()
    check.saved()
    check.check_if_due()
    assert wiki.requests == 1  # 2 saves of 3, and 0 of 60 seconds
    check.saved()
    check.check_if_due()
    assert wiki.requests == 2
    now[0] = 61.0
    assert check.due()
    wiki.text = " stop "
    with pytest.raises(RunStoppedError, match="says 'stop', not 'true'"):
        check.check()
    wiki.text = None
    with pytest.raises(RunStoppedError, match="does not exist"):
        check.check()
    wiki.text = "\n true \n"
    check.check()
    wiki.messages = True
    with pytest.raises(RunStoppedError, match="new message on its talk page"):
        check.check()
    StopCheck(wiki, stop_page="User:Bot/stop", hasmsg=False).check()  # type: ignore[arg-type]
