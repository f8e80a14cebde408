"""Generate N realistic postmortems: the size and shape of the bundled example.

Each one is the English (60 %) or Japanese (40 %) Shakespeare postmortem of
`examples/shakespeare/` (12.7 / 15.9 KB, nine action items, a 35-entry timeline, a review)
with its own id, date, title, severity, status, service and owners, and with numbers,
hosts and ticket keys of its own scattered through the prose, so that the search index
sees a vocabulary that grows with the corpus as a real one does. Deterministic per seed.

    from gen_realistic import generate
    paths = generate(Path("/tmp/corpus/postmortems"), 10_000, seed=0)
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "shakespeare" / "postmortems"
EN_ID = "2015-10-21-shakespeare-sonnet"
SERVICES = ("checkout", "search", "payments", "auth", "catalog", "billing", "api-gateway", "cdn")
PEOPLE = ("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy")
SEVERITIES = ("SEV1", "SEV2", "SEV3", "SEV4")
FIRST_DAY, LAST_DAY = dt.date(2023, 1, 1), dt.date(2026, 11, 1)


def generate(directory: Path, count: int, *, seed: int = 0) -> list[Path]:
    rng = random.Random(seed)
    english = (EXAMPLES / "2015" / f"{EN_ID}.md").read_text(encoding="utf-8")
    japanese = (EXAMPLES / "2015" / f"{EN_ID}-ja.md").read_text(encoding="utf-8")
    paths = []
    for number in range(count):
        is_japanese = rng.random() < 0.4
        source = japanese if is_japanese else english
        service = rng.choice(SERVICES)
        day = FIRST_DAY + dt.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days))
        postmortem_id = f"{day.isoformat()}-{service}-incident-{number}"
        front, body = source.split("\n---\n", 1)
        lines = []
        for line in front.split("\n"):
            key = line.split(":", 1)[0]
            if key == "id":
                line = f"id: {postmortem_id}"
            elif key == "title":
                line = f'title: "{service} incident {number}: {line.split(":", 1)[1].strip()}"'
            elif key == "severity":
                line = f"severity: {rng.choice(SEVERITIES)}"
            elif key == "status":
                line = f"status: {rng.choice(('draft', 'in-review', 'reviewed', 'closed', 'reviewed'))}"
            elif key == "incident":
                line = f'incident: "{1000 + number}"'
            elif key == "created":
                line = f"created: {day.isoformat()}"
            elif key == "services":
                line = f"services: [{service}]"
            elif key == "related":
                line = "related: []"
            elif line.startswith(("  started:", "  detected:", "  mitigated:", "  resolved:")):
                name, value = line.split(": ", 1)
                line = f"{name}: {day.isoformat()}{value[10:]}"
            elif line.startswith("    owner:"):
                line = f"    owner: {rng.choice(PEOPLE)}"
            lines.append(line)
        if lines[-1] == "":
            lines.pop()
        words = body.split(" ")
        for _ in range(40):  # numbers, hosts and tickets of its own
            at = rng.randrange(len(words))
            words[at] += f" {service}-{rng.randrange(10_000)} OPS-{rng.randrange(100_000)}"
        path = directory / postmortem_id[:4] / f"{postmortem_id}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n---\n" + " ".join(words), encoding="utf-8")
        paths.append(path)
    return paths
