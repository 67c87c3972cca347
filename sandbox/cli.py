"""`buergerbuero sandbox ...`: run the local FIT-Connect service and send applications into it."""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import os
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import requests

from app.arguments import CommandParser
from app.domain.catalogue import default_catalogue
from app.integrations.settings import SANDBOX_DIR_VARIABLE, load_settings
from sandbox.cups import CupsError, PrivateCups
from sandbox.demo_keyring import MAILBOX_PASSWORD_FILE
from sandbox.demo_payments import send_paid_applications, start_platform
from sandbox.fitconnect.process import SandboxProcess
from sandbox.fitconnect.sender import BAD_KINDS, Sender
from sandbox.fitconnect.setup import prepare
from sandbox.imap import DOVECOT, ImapError, PrivateImap
from sandbox.lifecycle import end_process
from sandbox.paper_forms import demo_mails
from sandbox.seal_pki import demo_seal


def default_directory() -> Path:
    return load_settings().resolved_data_dir() / "sandbox-fitconnect"


def _box(args: argparse.Namespace) -> int:
    """At the emulated box: `collect` exits 0 when the door opened, 1 when it refused."""
    from sandbox.pickup_box.process import BoxRefusedAtKeypad, Physical

    url = args.url
    if url is None:
        from app.integrations.settings import setting_pairs

        boxes = load_settings().pickup_boxes or running_demo().get("BUERGERBUERO_PICKUP_BOXES", "")
        url = setting_pairs(boxes).get(args.office)
    if not url:
        print(
            f"sandbox box: no box for {args.office} (pickup_boxes, --url, or 'make run')",
            file=sys.stderr,
        )
        return 2
    box = Physical(url)
    try:
        if args.box_action == "collect":
            try:
                opened = box.collect(args.code, args.birth_date)
            except BoxRefusedAtKeypad as refused:
                print(json.dumps({"opened": None, "refused": str(refused)}))
                return 1
            print(json.dumps({"opened": opened}))
        elif args.box_action == "close":
            box.close(args.compartment, occupied=False if args.empty else None)
        elif args.box_action == "fault":
            box.fault(args.kind, args.compartment)
        else:
            box.offline(args.box_action == "offline")
    except OSError as error:  # requests' errors are OSErrors: the sandbox is not running
        print(f"sandbox box: {error}", file=sys.stderr)
        return 2
    return 0


def main(argv: Sequence[str]) -> int:
    parser = CommandParser(prog="buergerbuero sandbox")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the FIT-Connect sandbox until interrupted")
    serve.add_argument("--dir", type=Path, default=None)
    serve.add_argument("--port", type=int, default=8790)
    submit = commands.add_parser("submit", help="send encrypted applications as a portal would")
    submit.add_argument("--service", default="all", help="a service id, or 'all'")
    submit.add_argument("--count", type=int, default=10)
    submit.add_argument("--bad", choices=(*BAD_KINDS, "mixed"), default=None)
    submit.add_argument("--url", default="http://127.0.0.1:8790")
    submit.add_argument("--dir", type=Path, default=None)
    submit.add_argument("--attachment-size", type=int, default=30_000)
    demo = commands.add_parser(
        "demo", help="run the sandbox with demo submissions and the app on it"
    )
    demo.add_argument("--dir", type=Path, default=None)
    demo.add_argument("--port", type=int, default=0)
    demo.add_argument("--gui-command", default=None, help="instead of the GUI (tests, screenshots)")
    card = commands.add_parser("card", help="the virtual ID card in the virtual reader")
    card.add_argument("card_action", choices=("insert", "remove"))
    card.add_argument("--kind", choices=("npa", "eat"), default="npa")
    card.add_argument("--can", default=DEMO_CAN)
    box = commands.add_parser("box", help="the emulated pickup box: a citizen, a door, a fault")
    box.add_argument("box_action", choices=("collect", "close", "fault", "offline", "online"))
    box.add_argument("--office", default="SI")
    box.add_argument("--code", default="")
    box.add_argument("--birth-date", default="", help="YYYY-MM-DD, the second factor")
    box.add_argument("--compartment", default=None)
    box.add_argument("--empty", action="store_true", help="close: the door shut on nothing")
    box.add_argument("--kind", default="tamper", help="fault: tamper, power_lost, blocked, …")
    box.add_argument("--url", default=None, help="the box's base URL (default: pickup_boxes)")
    master_list = commands.add_parser(
        "master-list", help="write a test issuing state's signed CSCA master list"
    )
    master_list.add_argument("--out", type=Path, required=True)
    seal = commands.add_parser(
        "seal", help="make a demo seal PKI (key, CA, trust list) in a folder; its settings as JSON"
    )
    seal.add_argument("--out", type=Path, required=True)
    describe = commands.add_parser("describe", help="print the subscriber settings for the app")
    describe.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args(list(argv))
    if args.command == "card":
        return _card(args.card_action, kind=args.kind, can=args.can)
    if args.command == "box":
        return _box(args)
    if args.command == "master-list":
        from sandbox.emrtd_issuer import test_master_list

        args.out.write_bytes(test_master_list())
        print(f"test master list written to {args.out}")
        return 0
    if args.command == "seal":
        from sandbox.seal_pki import demo_seal

        print(json.dumps(demo_seal(args.out), indent=2))
        return 0
    directory = args.dir or default_directory()
    if args.command == "serve":
        return _serve(directory, args.port)
    if args.command == "demo":
        return run_demo(directory, port=args.port or None, gui_command=args.gui_command)
    description = prepare(directory)
    if args.command == "describe":
        print(json.dumps(description, indent=2))
        return 0
    return _submit(args, description)


def _serve(directory: Path, port: int) -> int:
    """Until Ctrl+C or SIGTERM; both stop the server process too. A busy port is
    SandboxProcess's RuntimeError, said in one line."""
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        with SandboxProcess(directory, port=port) as process:
            print(
                f"FIT-Connect sandbox on {process.base_url} (state in {directory}); "
                "Ctrl+C stops it",
                flush=True,
            )
            assert process.process is not None
            process.process.wait()
    except KeyboardInterrupt:
        pass
    except RuntimeError as error:
        print(f"sandbox serve: {error}", file=sys.stderr)
        return 2
    return 0


def _interrupt(_number: int, _frame: object) -> None:
    raise KeyboardInterrupt


def _submit(args: argparse.Namespace, description: dict[str, str]) -> int:
    known = [s.id for s in default_catalogue().services]
    if args.service != "all" and args.service not in known:
        print(
            f"sandbox submit: no service {args.service!r}; one of: all, {', '.join(known)}",
            file=sys.stderr,
        )
        return 2
    services = known if args.service == "all" else [args.service]
    try:
        sender = Sender(
            args.url,
            description["destination_id"],
            description["sender_client_id"],
            description["sender_client_secret"],
        )
        for index in range(args.count):
            bad = BAD_KINDS[index % len(BAD_KINDS)] if args.bad == "mixed" else args.bad
            service = services[index % len(services)]
            submission_id = sender.submit(service, bad=bad, attachment_size=args.attachment_size)
            print(f"{submission_id} {service}{f' ({bad})' if bad else ''}")
    except requests.RequestException as error:
        print(
            f"sandbox submit: the sandbox at {args.url} does not answer: {error}", file=sys.stderr
        )
        return 2
    return 0


def app_environment(process: SandboxProcess) -> dict[str, str]:
    """The settings and keyring that point a seat at this sandbox."""
    d = process.description
    return {
        "BUERGERBUERO_FITCONNECT_API_URL": process.base_url,
        "BUERGERBUERO_FITCONNECT_TOKEN_URL": process.base_url + "/token",
        "BUERGERBUERO_FITCONNECT_DESTINATION_ID": d["destination_id"],
        "BUERGERBUERO_FITCONNECT_CLIENT_ID": d["subscriber_client_id"],
        "BUERGERBUERO_FITCONNECT_DECRYPTION_KEY_FILE": d["decryption_key_file"],
        "BUERGERBUERO_FITCONNECT_SIGNING_KEY_FILE": d["signing_key_file"],
        "BUERGERBUERO_FITCONNECT_SIGNING_KID": d["signing_kid"],
        "BUERGERBUERO_INTAKE_INTERVAL_SECONDS": "60",
        "PYTHON_KEYRING_BACKEND": "sandbox.demo_keyring.SandboxDemoKeyring",
        SANDBOX_DIR_VARIABLE: str(process.directory),
    }


DEMO_CAN = "123456"
CARD_PID_FILE = Path(tempfile.gettempdir()) / "buergerbuero-virtual-card.pid"
# what `make run` started, for `sandbox card` and `sandbox box` in another terminal
RUNNING_DEMO_FILE = Path(tempfile.gettempdir()) / "buergerbuero-demo.json"
PUBLISHED = (
    "BUERGERBUERO_PICKUP_BOXES",
    "PCSCLITE_CSOCK_NAME",
    "BB_SANDBOX_VPCD_PORT",
    "BUERGERBUERO_VERIFIER_URL",
)


def running_demo() -> dict[str, str]:
    """The settings of the demo that runs (`make run`), or nothing."""
    try:
        return dict(json.loads(RUNNING_DEMO_FILE.read_text()))
    except (OSError, ValueError):
        return {}


def _card(action: str, *, kind: str, can: str) -> int:
    """Insert the virtual card (a background process holding it in the reader) or remove it:
    into the reader of the demo that runs (`make run`), else the machine's vpcd reader."""
    from sandbox.virtual_card.vpcd import VPCD_PORT_VARIABLE, vpcd_port

    environment = {**os.environ, **running_demo()}
    removed = _remove_card()
    if removed:  # gone as pcscd sees it, or the next card would look present too early
        _reader_shows(environment, card=False)
    if action == "remove":
        print("virtual card removed")
        return 0
    port = int(environment.get(VPCD_PORT_VARIABLE) or vpcd_port())
    if not _reader_listens(port):
        print(
            f"sandbox card: no virtual reader listens on port {port} (start one with 'make run')",
            file=sys.stderr,
        )
        return 2
    process = subprocess.Popen(
        [sys.executable, "-m", "sandbox.virtual_card", "--kind", kind, "--can", can],
        start_new_session=True,
        # it outlives this command: it must not hold the caller's output open (a script
        # reading it would wait for ever)
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=environment,
    )
    CARD_PID_FILE.write_text(str(process.pid))
    if not _reader_shows(environment, card=True):
        print("sandbox card: the reader does not see the card (is pcscd running?)", file=sys.stderr)
        return 2
    print(
        f"virtual {kind} card inserted (CAN {can}); 'buergerbuero sandbox card remove' takes it out"
    )
    return 0


def _reader_listens(port: int, timeout: float = 5.0) -> bool:
    """Whether pcscd's virtual reader takes a card on `port`: asked again for a few seconds,
    since right after a card was taken out the reader may not take the next one yet (a full
    run saw the README's card block refused so, with `make run` up)."""
    deadline = time.monotonic() + timeout
    while True:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.2)


def _reader_shows(environment: dict[str, str], *, card: bool, timeout: float = 5.0) -> bool:
    """Inserted means usable, removed means gone: wait until pcscd reports it (it polls the
    virtual reader every ~400 ms), so the next command (`buergerbuero card check`) finds
    the card, or none."""
    from cardreader.errors import CardError
    from cardreader.pcsc import readers

    os.environ.update(environment)  # the demo's pcscd, where a demo runs
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(CardError):
            if any(state.card_present for state in readers()) == card:
                return True
        time.sleep(0.1)
    return False


def _remove_card() -> bool:
    """Take our virtual card out (end its process); whether there was one."""
    try:
        pid = int(CARD_PID_FILE.read_text())
    except (OSError, ValueError):
        return False
    CARD_PID_FILE.unlink(missing_ok=True)
    if not _is_virtual_card(pid):
        return False  # the file outlived its card, and the number is some other process's now
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, signal.SIGTERM)
        return True
    return False


def _is_virtual_card(pid: int) -> bool:
    """Whether `pid` is our virtual card's process (its command line says so): a pid file in
    the shared temp folder is never trusted blindly."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return b"sandbox.virtual_card" in command


def _demo_session_bus(stack: contextlib.ExitStack) -> dict[str, str]:
    """The seat's own D-Bus session bus, ended with the demo. Without one, Qt's accessibility
    bridge has libdbus autolaunch a dbus-daemon (dbus-launch) that outlives the window."""
    if os.environ.get("DBUS_SESSION_BUS_ADDRESS") or shutil.which("dbus-daemon") is None:
        return {}  # the desktop's bus, or none to be had
    bus = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )

    def stop() -> None:
        end_process(bus)
        if bus.stdout is not None:
            bus.stdout.close()

    stack.callback(stop)
    address = bus.stdout.readline().strip() if bus.stdout is not None else ""
    return {"DBUS_SESSION_BUS_ADDRESS": address} if address else {}


def _demo_reader(stack: contextlib.ExitStack) -> dict[str, str]:
    """Our own pcscd with the virtual reader and the demo ID card in it; the settings that
    point the seat at it. On the machine's socket where no other pcscd runs (so `buergerbuero
    card` finds it from any terminal), else in a namespace of its own. Where pcscd is not
    installed the demo runs without a reader."""
    from sandbox.pcsc import MACHINE_SOCKET, PrivatePcscd, answers

    if not PrivatePcscd.available():
        return {}
    try:
        pcscd = stack.enter_context(PrivatePcscd(machine_socket=not answers(MACHINE_SOCKET)))
    except RuntimeError as error:
        print(f"demo: no card reader ({error})", file=sys.stderr)
        return {}
    stack.callback(_remove_card)
    _card("insert", kind="npa", can=DEMO_CAN)
    return pcscd.environment()


def run_demo(directory: Path, *, port: int | None, gui_command: str | None) -> int:
    """Start the sandbox, send demo applications once (good ones and one of each bad kind),
    run the app pulling from it, and stop the sandbox when the app ends."""
    first_time = not (directory / "subscriber.json").exists()
    with SandboxProcess(directory, port=port) as process, contextlib.ExitStack() as early:
        platform, payment_settings = start_platform(early, directory)
        if first_time:
            d = process.description
            sender = Sender(
                process.base_url,
                d["destination_id"],
                d["sender_client_id"],
                d["sender_client_secret"],
            )
            services = [service.id for service in default_catalogue().services]
            for index in range(18):
                sender.submit(services[index % len(services)])
            for bad in BAD_KINDS:
                if bad != "attachment-size":
                    sender.submit("geburtsurkunde", bad=bad)
            send_paid_applications(sender, platform)
        environment = {
            **os.environ,
            **app_environment(process),
            **demo_seal(directory / "seal"),
            **payment_settings,
            "BUERGERBUERO_POPULATION_REGISTER": "sandbox.demo_register:DemoRegister",
        }
        command = (
            shlex.split(gui_command) if gui_command else [sys.executable, "-m", "ui.main", "gui"]
        )
        with contextlib.ExitStack() as stack:
            environment.update(_demo_mailbox(stack, directory, with_mail=first_time))
            printer = _demo_printer(stack)
            environment.update(_demo_reader(stack))
            environment.update(_demo_boxes(stack, directory))
            environment.update(_demo_session_bus(stack))
            environment.update(_demo_verifier(stack, directory))
            if printer is not None:
                environment["CUPS_SERVER"] = str(printer.socket)
                environment["BUERGERBUERO_PRINTER_NAME"] = printer.queue
            published = {k: v for k, v in environment.items() if k in PUBLISHED}
            RUNNING_DEMO_FILE.write_text(json.dumps(published))
            stack.callback(RUNNING_DEMO_FILE.unlink, missing_ok=True)
            return _run_until_done(command, environment)


def _run_until_done(command: list[str], environment: dict[str, str]) -> int:
    """Run the seat; SIGTERM or SIGINT to this launcher is passed on to it, and once it has
    ended the launcher returns, so the sandbox, Dovecot and CUPS it started are stopped on the
    way out instead of being left behind."""
    seat = subprocess.Popen(command, env=environment)

    def pass_on(number: int, _frame: object) -> None:
        with contextlib.suppress(ProcessLookupError):
            seat.send_signal(number)

    previous = {
        number: signal.signal(number, pass_on) for number in (signal.SIGTERM, signal.SIGINT)
    }
    try:
        try:
            return seat.wait(timeout=None)
        finally:
            if seat.poll() is None:  # this launcher is going away for another reason
                seat.terminate()
                try:
                    seat.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    seat.kill()
                    seat.wait()
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _demo_verifier(stack: contextlib.ExitStack, directory: Path) -> dict[str, str]:
    """The city's public verifier page built for the demo seal and served on the loopback; the
    originals print its address beside their seal. Without the page's reader installed (npm)
    the demo goes on without it."""
    from printing.trust_list import TrustList
    from printing.verifier_build import VerifierBuildError, build
    from sandbox.static_site import StaticSite

    try:
        page = build(
            directory / "pruefen", TrustList.load(directory / "seal" / "vertrauensliste.json")
        )
    except VerifierBuildError as error:
        print(f"demo: no verifier page ({error})", file=sys.stderr)
        return {}
    site = stack.enter_context(StaticSite(page.folder))
    return {"BUERGERBUERO_VERIFIER_URL": site.url}


def _demo_boxes(stack: contextlib.ExitStack, directory: Path) -> dict[str, str]:
    """The four offices' pickup boxes (their state kept across demo runs), an SMTP sink that
    files each citizen's mail as an .eml in the sandbox folder's `mail/`, and an SMS gateway
    that files each text as JSON in `sms/`."""
    from app.domain.users import DEFAULT_OFFICES
    from sandbox.pickup_box.process import BoxProcess
    from sandbox.sms_gateway import SmsGatewaySink
    from sandbox.smtp_sink import SmtpSink

    folder = directory / "box"
    folder.mkdir(parents=True, exist_ok=True)
    token_file = folder / "pickup-box-token"
    if not token_file.exists():
        token_file.write_text(secrets.token_urlsafe(24), "utf-8")
    key_file = folder / "pickup-box-code-key"
    if not key_file.exists():
        key_file.write_text(base64.b64encode(os.urandom(32)).decode(), "utf-8")
    token = token_file.read_text("utf-8")
    sizes = {"SI": 80, "WE": 45, "GE": 45, "EI": 24}
    boxes = stack.enter_context(
        BoxProcess(
            folder, boxes={code: sizes.get(code, 24) for code, _ in DEFAULT_OFFICES}, token=token
        )
    )
    for code, _ in DEFAULT_OFFICES:
        (folder / f"pickup-box-token-{code.lower()}").write_text(token, "utf-8")
    sink = stack.enter_context(SmtpSink(folder=directory / "mail"))
    (folder / "sms-gateway-token").write_text(token, "utf-8")
    texts = stack.enter_context(SmsGatewaySink(token=token, folder=directory / "sms"))
    return {
        "BUERGERBUERO_SMS_GATEWAY_URL": texts.base_url,
        "BUERGERBUERO_PICKUP_BOXES": ", ".join(
            f"{code}={boxes.url(code)}" for code, _ in DEFAULT_OFFICES
        ),
        "BUERGERBUERO_SMTP_HOST": "127.0.0.1",
        "BUERGERBUERO_SMTP_PORT": str(sink.port),
    }


def _demo_printer(stack: contextlib.ExitStack) -> PrivateCups | None:
    """A counter printer for the demo: a private CUPS whose queue writes PDFs to ~/PDF. Where
    CUPS is not installed the demo runs without one (the print dialog says so)."""
    if shutil.which("cupsd") is None and not Path("/usr/sbin/cupsd").exists():
        return None
    try:
        return stack.enter_context(PrivateCups.in_temporary_folder(queue="Theke-PDF"))
    except CupsError as error:
        print(f"demo: no printer ({error})", file=sys.stderr)
        return None


def _demo_mailbox(
    stack: contextlib.ExitStack, directory: Path, *, with_mail: bool
) -> dict[str, str]:
    """The office's forms mailbox for the demo: a private Dovecot, on the first start holding
    four mails as citizens send them (a filled form, a form missing most fields, a scan of the
    printed form, a question without one), like the portal's demo submissions. Where Dovecot
    is not installed the demo runs without a mailbox."""
    if not Path(DOVECOT).exists():
        return {}
    password = secrets.token_urlsafe(12)
    try:
        server = stack.enter_context(PrivateImap({"antraege": password}))
    except ImapError as error:
        print(f"demo: no forms mailbox ({error})", file=sys.stderr)
        return {}
    (directory / MAILBOX_PASSWORD_FILE).write_text(password, "utf-8")
    for mail in demo_mails(default_catalogue()) if with_mail else []:
        server.deliver("antraege", mail)
    return {
        "BUERGERBUERO_FORM_MAILBOX_HOST": "127.0.0.1",
        "BUERGERBUERO_FORM_MAILBOX_PORT": str(server.port),
        "BUERGERBUERO_FORM_MAILBOX_SECURITY": "none",
        "BUERGERBUERO_FORM_MAILBOX_USER": "antraege",
    }
