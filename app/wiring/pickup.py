"""The pickup desk on every configured box: tokens and the code key from the keyring, the
SMS gateway where one is set up, the rules from the settings."""

from __future__ import annotations

from app.domain.health import System
from app.domain.pickup import BoxRules
from app.domain.pickup_mail import BoxPlace
from app.integrations.notifier import MailAndSms
from app.integrations.pickup_box import HttpPickupBox
from app.integrations.secrets import BOX_TOKEN_PREFIX
from app.integrations.settings import Settings, setting_numbers, setting_pairs
from app.lanes import OnLane, in_place
from app.services.pickup import PickupDesk
from app.store.pickup import SqlPickupRecords
from app.wiring.core import Core, mailer, outbox_sender, sms_gateway
from app.wiring.secret_store import box_code_key
from app.wiring.watched import BOX_CALLS, watched


def box_rules(settings: Settings) -> BoxRules:
    return BoxRules(
        hold_days=setting_numbers(
            settings.box_hold_days_per_service, "box_hold_days_per_service", int
        ),
        default_hold_days=settings.box_hold_days,
        reminder_days_before=settings.box_reminder_days,
        four_eyes=bool(settings.box_four_eyes),
        alert_to=settings.box_alert_mail,
    )


def pickup_configured(settings: Settings) -> bool:
    return bool(setting_pairs(settings.pickup_boxes))


def build_pickup(core: Core, *, database: OnLane = in_place) -> PickupDesk:
    """The pickup desk on every configured box; tokens from the keyring. The desk works on the
    network lane and reaches the database through `database` (the window's database lane, or
    in place in a command)."""
    settings = core.settings
    boxes = {
        office: watched(
            HttpPickupBox(url, core.secrets.get(f"{BOX_TOKEN_PREFIX}{office.lower()}") or ""),
            System.BOX,
            core.health,
            BOX_CALLS,
        )
        for office, url in setting_pairs(settings.pickup_boxes).items()
    }
    addresses = setting_pairs(settings.box_addresses, ";")

    def places() -> dict[str, BoxPlace]:  # read when the first mail is written, not here
        names = {office.code: office.name for office in database(core.users.offices)}
        return {
            office: BoxPlace(
                office_name=names.get(office, f"Bürgerbüro {office}"),
                address=addresses.get(office, settings.authority_address),
                authority=settings.authority_name,
            )
            for office in boxes
        }

    notifier = MailAndSms(
        mailer(settings, core.secrets, core.health),
        sms_gateway(settings, core.secrets, core.health),
    )
    return PickupDesk(
        cases=core.cases,
        records=SqlPickupRecords(core.database),
        boxes=boxes,
        notifier=notifier,
        mailer=mailer(settings, core.secrets, core.health),
        rules=box_rules(settings),
        catalogue=core.catalogue,
        calendar=core.calendar,
        places=places,
        code_key=lambda: box_code_key(core.secrets),
        clock=core.clock,
        language=settings.language,
        office_ids=lambda: {office.code: office.id for office in database(core.users.offices)},
        database=database,
        outbox=outbox_sender(notifier, core.database, core.clock, on_lane=database),
    )
