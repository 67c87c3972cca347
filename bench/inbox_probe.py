"""One measured GUI process: started cold by bench_inbox.py, it shows the real main window
offscreen on the given database, then drives filters, search and sort through the UI and
times each query twice: raw (the use case alone) and as the clerk sees it (UI)."""

from __future__ import annotations

import json
import os
import sys
import time

STARTED = time.perf_counter()  # as early as Python lets us: the parent adds interpreter start-up

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from dataclasses import replace  # noqa: E402

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.domain.cases import OPEN_STATUSES, CaseStatus, Channel  # noqa: E402
from app.domain.inbox import InboxQuery, SortKey  # noqa: E402
from app.integrations.settings import Settings  # noqa: E402
from app.wiring import build_core  # noqa: E402
from ui.main import build_window  # noqa: E402
from ui.tasks import TaskRunner  # noqa: E402

REPEATS = int(os.environ.get("BENCH_REPEATS", "15"))


def wait(signal: object, timeout_ms: int = 60_000) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)  # type: ignore[attr-defined]
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()


def main() -> None:
    url, login = sys.argv[1], sys.argv[2]
    application = QApplication(sys.argv)
    settings = Settings(database_url=url, login=login)
    core = build_core(settings)
    runner = TaskRunner()
    window = build_window(settings, core, runner)  # as `buergerbuero gui` builds it
    window.show()
    window.begin()
    wait(window.ready)
    ready_after = time.perf_counter() - STARTED
    print(json.dumps({"event": "ready", "seconds_in_process": ready_after}), flush=True)

    offices = core.users.offices()
    week_ago = core.desk.received_before(older_than_days=7)
    scenarios: dict[str, InboxQuery] = {
        "open cases, oldest first": InboxQuery(statuses=OPEN_STATUSES),
        "status = closed": InboxQuery(statuses=frozenset({CaseStatus.CLOSED})),
        "service + office": InboxQuery(service_id="bewohnerparkausweis", office_id=offices[1].id),
        "online, older than 7 days": InboxQuery(channel=Channel.ONLINE, received_before=week_ago),
        "search common name 'müller'": InboxQuery(search="müller"),
        "search two words 'schmidt anna'": InboxQuery(search="schmidt anna"),
        "search reference 'si-2026-0012'": InboxQuery(search="SI-2026-0012"),
        "search no hit 'xyzzy'": InboxQuery(search="xyzzy"),
        "all, sort applicant": InboxQuery(sort=SortKey.APPLICANT),
        "all, sort applicant desc": InboxQuery(sort=SortKey.APPLICANT, descending=True),
        "open, sort due": InboxQuery(statuses=OPEN_STATUSES, sort=SortKey.DUE),
        "all, newest first": InboxQuery(descending=True),
    }
    size = core.settings.page_size
    cap = window.inbox.model.count_cap
    results = []
    for name, query in scenarios.items():
        raw, raw_count, ui, ui_count = [], [], [], []
        for _ in range(REPEATS):
            start = time.perf_counter()
            core.desk.inbox_page(query, offset=0, limit=size)
            raw.append(time.perf_counter() - start)
            start = time.perf_counter()
            core.desk.inbox_count(query, cap=cap)
            raw_count.append(time.perf_counter() - start)
            start = time.perf_counter()
            window.inbox.model.set_query(replace(query))
            wait(window.inbox.model.loaded)
            application.processEvents()  # the view lays out the new rows
            ui.append(time.perf_counter() - start)
            if window.inbox.model.total is None:
                wait(window.inbox.model.counted)
            application.processEvents()
            ui_count.append(time.perf_counter() - start)
        results.append(
            {"scenario": name, "raw": raw, "raw_count": raw_count, "ui": ui, "ui_count": ui_count}
        )
    # scrolling: the next page of a large result
    raw, ui = [], []
    window.inbox.model.set_query(InboxQuery())
    wait(window.inbox.model.counted)
    for page in range(1, REPEATS + 1):
        start = time.perf_counter()
        core.desk.inbox_page(InboxQuery(), offset=page * size, limit=size)
        raw.append(time.perf_counter() - start)
        start = time.perf_counter()
        window.inbox.model.fetchMore()
        wait(window.inbox.model.loaded)
        application.processEvents()
        ui.append(time.perf_counter() - start)
    results.append(
        {"scenario": "scroll: next page", "raw": raw, "raw_count": [0.0], "ui": ui, "ui_count": ui}
    )
    # VmHWM, not ru_maxrss: the latter survives exec and would report the parent's peak.
    with open("/proc/self/status", encoding="ascii") as status:
        peak_kib = next(int(line.split()[1]) for line in status if line.startswith("VmHWM"))
    print(
        json.dumps({"event": "done", "results": results, "peak_rss_mib": peak_kib / 1024}),
        flush=True,
    )
    window.close()
    runner.shutdown()
    core.close()
    sys.stdout.flush()
    os._exit(0)  # skip interpreter teardown of Qt objects: measured, nothing left to save


if __name__ == "__main__":
    main()
