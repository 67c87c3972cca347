"""The composition root of the core: builds the ports from settings and the use cases on them,
one module per job (`core`, `pull`, `pickup`, `reports`, `demo`, `seat`, `secret_store`).

The command line (`app.cli`) and the window (`ui.main`) both start here. The secret store is
made once, when the first secret is needed, and handed to whatever needs one. The FIT-Connect,
JOSE and mailbox stacks are imported when a pull is first built, not on every start."""

from app.wiring.core import (
    Core,
    build_core,
    current_login,
    database_url,
    mailer,
    outbox_sender,
)
from app.wiring.demo import seed_demo
from app.wiring.health import health_probes
from app.wiring.payments import build_finance, build_payments, build_till
from app.wiring.pickup import box_rules, build_pickup, pickup_configured
from app.wiring.privacy import build_access_desk, build_retention_desk
from app.wiring.pull import (
    IntakeNotConfigured,
    build_intake,
    build_pull,
    office_ids,
    pull_configured,
)
from app.wiring.reports import build_anchoring, build_reports
from app.wiring.seat import seat_holder
from app.wiring.seat_settings import note_settings
from app.wiring.secret_store import (
    CLIENT_SECRET,
    DATABASE_PASSWORD_SECRET,
    MAILBOX_PASSWORD,
    PKCS11_PIN,
)

__all__ = [
    "CLIENT_SECRET",
    "DATABASE_PASSWORD_SECRET",
    "MAILBOX_PASSWORD",
    "PKCS11_PIN",
    "Core",
    "IntakeNotConfigured",
    "box_rules",
    "build_access_desk",
    "build_anchoring",
    "build_core",
    "build_finance",
    "build_intake",
    "build_payments",
    "build_pickup",
    "build_pull",
    "build_reports",
    "build_retention_desk",
    "build_till",
    "current_login",
    "database_url",
    "health_probes",
    "mailer",
    "note_settings",
    "office_ids",
    "outbox_sender",
    "pickup_configured",
    "pull_configured",
    "seat_holder",
    "seed_demo",
]
