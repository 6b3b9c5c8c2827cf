"""Alerts as data: rules that pick fused events (the filters of the events API) and a destination
(a webhook, an email, a local command, a JSON Lines file), from `eventwatch alerts add` or alerts.yaml:

    alerts:
      - name: daraa-deadly
        filters: {country: Syria, admin1: "Dar'a", min_fatalities: 5}
        on: [new, toll_up]            # new (always), toll_up, new_source, new_claim
        to: {type: webhook, url: https://hooks.example.org/x, secret_env: HOOK_SECRET}

Every rule alerts once on an event that newly matches it; `toll_up` alerts again each time the event's
toll rises above the last one alerted, `new_source` each time another source reports it, `new_claim`
each time the claims ledger gains a figure or a responsibility claim. Alerts go
through a delivery ledger (store/watch_schema.alert_deliveries): queued once per (rule, event, change)
by a unique key, delivered at least once, retried with back-off until a destination accepts them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import shlex
import smtplib
import subprocess
import time
from collections.abc import Callable, Iterable
from email.message import EmailMessage
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field, field_validator, model_validator

from eventwatch.records import Event
from eventwatch.store import watch_store as ws

Trigger = Literal["new", "toll_up", "new_source", "new_claim"]
SIGNATURE_HEADER = "X-Eventwatch-Signature"
RETRY_CAP = 3600.0  # seconds: an undelivered alert is tried at least once an hour, for ever


class AlertFilter(BaseModel):
    """Which fused events a rule follows (the same meaning as GET /api/events)."""

    country: str | None = None
    admin1: str | None = None
    event_type: str | None = None  # an event type or a sub-event type
    actor: str | None = None  # canonical name or alias, a case-insensitive part of actor1/actor2/associates
    bbox: tuple[float, float, float, float] | None = None  # min_lon, min_lat, max_lon, max_lat
    min_fatalities: int | None = Field(default=None, ge=0)
    background: bool = False  # also events an article only recalls

    @field_validator("bbox", mode="before")
    @classmethod
    def bbox_text(cls, v):
        if isinstance(v, str):
            v = [float(x) for x in v.split(",")]
        if v is not None and (len(v) != 4 or v[0] > v[2] or v[1] > v[3]):
            raise ValueError("bbox is min_lon,min_lat,max_lon,max_lat")
        return v


class Destination(BaseModel):
    type: Literal["webhook", "email", "command", "jsonl"]
    url: str | None = None  # webhook
    secret: str | None = None  # webhook HMAC key (or secret_env: the variable that holds it)
    secret_env: str | None = None
    to: str | None = None  # email: recipients, comma-separated
    sender: str = "eventwatch@localhost"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password_env: str | None = None
    starttls: bool = False
    command: list[str] | str | None = None  # run without a shell; the alert as JSON on standard input
    path: str | None = None  # jsonl
    timeout: float = 10.0

    @model_validator(mode="after")
    def complete(self):
        need = {"webhook": "url", "email": "to", "command": "command", "jsonl": "path"}[self.type]
        if not getattr(self, need):
            raise ValueError(f"a {self.type} destination needs `{need}`")
        if self.type == "webhook" and not self.url.startswith(("http://", "https://")):
            raise ValueError("a webhook url is http(s)")
        return self

    def describe(self) -> str:
        target = {"webhook": self.url, "email": self.to, "jsonl": self.path,
                  "command": " ".join(self.command) if isinstance(self.command, list) else self.command}[self.type]
        return f"{self.type} {target}"


class AlertRule(BaseModel):
    name: str = Field(pattern=r"^[\w.-]{1,100}$")
    filters: AlertFilter = Field(default_factory=AlertFilter)
    on: list[Trigger] = Field(default_factory=lambda: ["new", "toll_up"])
    to: Destination

    @field_validator("on")
    @classmethod
    def with_new(cls, v: list[str]) -> list[str]:
        return list(dict.fromkeys(["new", *v]))


def load_alerts_yaml(path: Path) -> list[AlertRule]:
    """The rules of an alerts.yaml (a list under `alerts:`). ValueError naming the file and the rule."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: cannot read ({exc})") from None
    entries = data.get("alerts") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise ValueError(f"{path}: expected a list of rules under `alerts:`")
    out = []
    for i, entry in enumerate(entries, start=1):
        if isinstance(entry, dict) and True in entry:  # YAML 1.1 reads a bare `on:` key as the boolean true
            entry["on"] = entry.pop(True)
        try:
            out.append(AlertRule.model_validate(entry))
        except Exception as exc:
            raise ValueError(f"{path}: rule {i}: {exc}") from None
    return out


def stored_rules(store) -> list[AlertRule]:
    return [AlertRule.model_validate_json(text) for _, text in ws.load_rules(store)]


# --- matching -----------------------------------------------------------------------------------------

def same(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a.strip().lower() == b.strip().lower()


def matches(f: AlertFilter, e: Event, actor_name: Callable[[str], str] = lambda s: s) -> bool:
    """Whether a fused event passes a rule's filters. `actor_name` maps an alias to its canonical name."""
    if e.background and not f.background:
        return False
    if f.country and not (same(f.country, e.country) or same(f.country, e.iso3)):
        return False
    if f.admin1 and not same(f.admin1, e.admin1):
        return False
    if f.event_type and not (same(f.event_type, e.event_type) or same(f.event_type, e.sub_event_type)):
        return False
    if f.actor:
        wanted = actor_name(f.actor).lower()
        if not any(wanted in (a or "").lower() for a in (e.actor1, e.actor2, e.assoc_actor_1, e.assoc_actor_2)):
            return False
    if f.bbox:
        if e.latitude is None or e.longitude is None:
            return False
        min_lon, min_lat, max_lon, max_lat = f.bbox
        if not (min_lon <= e.longitude <= max_lon and min_lat <= e.latitude <= max_lat):
            return False
    return not (f.min_fatalities is not None and e.fatalities < f.min_fatalities)


def event_summary(e: Event) -> dict:
    out = e.model_dump(mode="json", exclude={"evidence"})
    out["n_sources"] = len(e.sources)
    return out


def queue_alerts(store, rules: Iterable[AlertRule], fused: Iterable[Event], now: dt.datetime,
                 actor_name: Callable[[str], str] = lambda s: s) -> int:
    """Queue the alerts these fused events call for, under each rule, in the delivery ledger: a new
    match, a higher toll (toll_up), more sources (new_source). Re-running adds nothing. Returns how many
    alerts were queued."""
    fused = list(fused)
    queued = 0
    for rule in rules:
        hits = [e for e in fused if matches(rule.filters, e, actor_name)]
        if not hits:
            continue
        state = ws.alert_state(store, rule.name, (e.event_id for e in hits))
        for e in hits:
            n, k = len(e.sources), len(e.claims)
            before = state.get(e.event_id)
            if before is None:
                trigger, fingerprint = "new", "new"
            elif "toll_up" in rule.on and e.fatalities > before[0]:
                trigger, fingerprint = "toll_up", f"toll:{e.fatalities}"
            elif "new_source" in rule.on and n > before[1]:
                trigger, fingerprint = "new_source", f"sources:{n}"
            elif "new_claim" in rule.on and k > before[2]:
                trigger, fingerprint = "new_claim", f"claims:{k}"
            else:
                continue
            payload = {"rule": rule.name, "trigger": trigger, "event_id": e.event_id,
                       "previous": None if before is None else {"fatalities": before[0], "n_sources": before[1],
                                                                "n_claims": before[2]},
                       "queued_at": now.isoformat() + "Z", "event": event_summary(e)}
            queued += ws.add_delivery(store, rule=rule.name, event_id=e.event_id, trigger=trigger,
                                      fingerprint=fingerprint, fatalities=e.fatalities, n_sources=n, n_claims=k,
                                      payload=json.dumps(payload, ensure_ascii=False), now=now)
    return queued


# --- delivery -----------------------------------------------------------------------------------------

class DeliveryError(Exception):
    pass


def signature(secret: str, body: bytes) -> str:
    """The webhook signature header's value: sha256=HEX of HMAC-SHA256(secret, body)."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def subject_of(payload: dict) -> str:
    e = payload["event"]
    what = {"new": "new event", "toll_up": "toll revised upward", "new_source": "new source",
            "new_claim": "new claim"}[payload["trigger"]]
    place = e.get("location") or e.get("admin1") or e.get("country") or "unknown place"
    return (f"[eventwatch {payload['rule']}] {what}: {e.get('sub_event_type')} in {place}, "
            f"{e.get('fatalities')} killed ({e.get('event_date') or 'date unknown'})")


def send(dest: Destination, body: bytes, delivery_id: int, env: dict[str, str] | None = None) -> None:
    """Hand one alert (JSON bytes) to its destination; raises DeliveryError if it was not accepted."""
    env = os.environ if env is None else env
    try:
        if dest.type == "webhook":
            import httpx

            headers = {"Content-Type": "application/json", "User-Agent": "eventwatch-alerts",
                       "X-Eventwatch-Delivery": str(delivery_id)}
            secret = dest.secret or (env.get(dest.secret_env) if dest.secret_env else None)
            if secret:
                headers[SIGNATURE_HEADER] = signature(secret, body)
            r = httpx.post(dest.url, content=body, headers=headers, timeout=dest.timeout)
            if not 200 <= r.status_code < 300:
                raise DeliveryError(f"webhook answered HTTP {r.status_code}")
        elif dest.type == "email":
            payload = json.loads(body)
            msg = EmailMessage()
            msg["Subject"], msg["From"], msg["To"] = subject_of(payload), dest.sender, dest.to
            e = payload["event"]
            lines = [subject_of(payload), "", e.get("notes") or "", "",
                     *(f"source: {s.get('outlet') or ''} {s.get('url') or s.get('article_id')}"
                       for s in e.get("sources", [])), "", json.dumps(payload, indent=2, ensure_ascii=False)]
            msg.set_content("\n".join(lines))
            with smtplib.SMTP(dest.smtp_host, dest.smtp_port, timeout=dest.timeout) as smtp:
                if dest.starttls:
                    smtp.starttls()
                if dest.smtp_user:
                    smtp.login(dest.smtp_user, env.get(dest.smtp_password_env or "", ""))
                smtp.send_message(msg)
        elif dest.type == "command":
            argv = shlex.split(dest.command) if isinstance(dest.command, str) else list(dest.command)
            done = subprocess.run(argv, input=body, capture_output=True, timeout=dest.timeout * 3, check=False)
            if done.returncode != 0:
                tail = done.stderr.decode("utf-8", "replace").strip()[-200:]
                raise DeliveryError(f"command exited with {done.returncode}" + (f": {tail}" if tail else ""))
        else:  # jsonl: one line, flushed to disk before it counts as delivered
            path = Path(dest.path).expanduser()
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("ab") as fh:
                fh.write(body.replace(b"\n", b" ") + b"\n")
                fh.flush()
                os.fsync(fh.fileno())
    except DeliveryError:
        raise
    except Exception as exc:  # the network, the SMTP server, the command: all are the destination's failure
        raise DeliveryError(f"{type(exc).__name__}: {exc}") from None


def deliver_due(store, rules: Iterable[AlertRule], now: dt.datetime | None = None, *, retries: int = 2,
                backoff: float = 1.0, retry_after: float = 60.0, sleep: Callable[[float], None] = time.sleep,
                env: dict[str, str] | None = None) -> tuple[int, int]:
    """Try every alert that is due: each up to 1 + `retries` times now (waiting `backoff`, doubled), then,
    if still refused, again after `retry_after` seconds doubled per attempt (at most an hour), for ever.
    Returns (delivered, still pending)."""
    now = now or ws.utcnow()
    by_name = {r.name: r for r in rules}
    delivered = failed = 0
    for d in ws.due_deliveries(store, now):
        rule = by_name.get(d.rule)
        if rule is None:
            ws.mark_delivery(store, d.delivery_id, ok=False, attempts=d.attempts, now=now,
                             error="the rule was removed: kept until it is added again",
                             next_attempt=now + dt.timedelta(seconds=RETRY_CAP))
            failed += 1
            continue
        body = d.payload.encode("utf-8")
        attempts, error, delay = d.attempts, None, backoff
        for i in range(retries + 1):
            attempts += 1
            try:
                send(rule.to, body, d.delivery_id, env)
                error = None
                break
            except DeliveryError as exc:
                error = str(exc)
                if i < retries:
                    sleep(delay)
                    delay *= 2
        if error is None:
            ws.mark_delivery(store, d.delivery_id, ok=True, attempts=attempts, now=ws.utcnow())
            delivered += 1
        else:
            wait = min(retry_after * 2 ** max(0, attempts // (retries + 1) - 1), RETRY_CAP)
            ws.mark_delivery(store, d.delivery_id, ok=False, attempts=attempts, now=now, error=error,
                             next_attempt=now + dt.timedelta(seconds=wait))
            failed += 1
    return delivered, failed
