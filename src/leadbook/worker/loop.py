"""The worker's loop: beat, turn new events into deliveries, send what is due, and run the
scheduled jobs now and then. Any number of workers may run against PostgreSQL; on SQLite
one runs inside `leadbook serve` (``start_in_process``)."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import httpx
from sqlalchemy.orm import Session, sessionmaker

from leadbook.config import Settings
from leadbook.db import make_engine, make_sessionmaker, transaction
from leadbook.domain import clock
from leadbook.domain.workflow import breaches
from leadbook.webhooks import fanout, queue, sending
from leadbook.webhooks.clock import precise_now
from leadbook.worker import heartbeat, jobs, mailer

log = logging.getLogger("leadbook.worker")
SENDERS = 8  # deliveries sent at once by one worker (each of another lead)


class Worker:
    """One worker over the database of ``sessions``."""

    def __init__(self, sessions: sessionmaker[Session], settings: Settings):
        self.sessions, self.settings = sessions, settings
        self.policy = queue.Policy.of(settings)
        self.id = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.started = precise_now()
        # no Nagle delay between a request's head and its body (40 ms per delivery)
        nodelay = [(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]
        self.client = httpx.Client(
            follow_redirects=False, transport=httpx.HTTPTransport(socket_options=nodelay)
        )
        self.pool = ThreadPoolExecutor(SENDERS, thread_name_prefix="webhook")
        self._beaten = self._jobs_run = 0.0
        self._rescored_on: date | None = None

    def run(self, stop: threading.Event) -> None:
        """Works until ``stop`` is set; a failed round is logged and retried."""
        log.info("worker %s started", self.id)
        try:
            while not stop.is_set():
                try:
                    busy = self.round()
                except Exception:
                    log.exception("worker round failed")
                    busy = False
                if not busy:
                    stop.wait(self.settings.worker_poll_seconds)
        finally:
            self.pool.shutdown(wait=True)
            self.client.close()

    def round(self) -> bool:
        """Does one round of work; returns whether there was any."""
        clock = time.monotonic()
        if clock - self._beaten >= heartbeat.INTERVAL:
            with transaction(self.sessions) as db:
                heartbeat.beat(db, self.id, self.started)
            self._beaten = clock
        if clock - self._jobs_run >= self.settings.worker_jobs_seconds:
            self.scheduled()
            self._jobs_run = clock
        with transaction(self.sessions) as db:
            made = fanout.fan_out(db)
        with transaction(self.sessions) as db:
            claimed = queue.claim(db, self.policy, precise_now())
        results = list(self.pool.map(self._send, claimed))
        if claimed:
            with transaction(self.sessions) as db:
                outcomes = list(zip(claimed, results, strict=True))
                queue.record(db, outcomes, self.policy, precise_now())
        return bool(made or claimed)

    def scheduled(self) -> None:
        """Runs the scheduled jobs, each in its own transaction."""
        with transaction(self.sessions) as db:
            jobs.due_events(db, self.settings.close_to_completion_days)
        with transaction(self.sessions) as db:
            jobs.purge_tokens(db)
        with transaction(self.sessions) as db:
            jobs.purge_deliveries(db, self.settings.webhook_log_retention_days)
        with transaction(self.sessions) as db:
            breaches.run(db)
        with transaction(self.sessions) as db:
            mailer.send_due(db, self.settings)
        now = clock.now()  # once a day, from the hour on (a worker started later: at once)
        if now.hour >= self.settings.score_recompute_hour and self._rescored_on != now.date():
            jobs.rescore(self.sessions, now.date())
            self._rescored_on = now.date()

    def _send(self, job: sending.Job) -> sending.Result:
        return sending.send(
            self.client, job, timeout=self.policy.timeout, max_bytes=self.policy.max_bytes
        )


def sessions_for(settings: Settings) -> sessionmaker[Session]:
    """Returns a session factory on the configured database (a few connections)."""
    engine = make_engine(
        settings.database_url, busy_timeout=settings.busy_timeout_seconds, pool_size=3
    )
    return make_sessionmaker(engine)


def start_in_process(settings: Settings) -> threading.Thread | None:
    """Starts a worker thread inside this process when the settings ask for one
    (``auto``: on SQLite, where `leadbook serve` alone is the whole product)."""
    wanted = settings.in_process_worker
    if wanted == "off" or wanted == "auto" and not settings.database_url.startswith("sqlite"):
        return None
    worker = Worker(sessions_for(settings), settings)
    thread = threading.Thread(
        target=worker.run, args=(threading.Event(),), name="leadbook-worker", daemon=True
    )
    thread.start()
    return thread
