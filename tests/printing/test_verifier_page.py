"""The public verifier page in a real browser (Debian's chromium, headless): built by
`buergerbuero verifier build`, served from the loopback, given seals as a citizen's receiver
would (a scan, a photo, the PDF, the camera). One corpus runs through the page and the desktop
check (printing/verify.py): genuine seals, forged and foreign ones, damaged and incomplete
symbols; both must give the same answer, and for a genuine seal the same facts."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pypdfium2
import pytest
from PIL import Image, ImageDraw
from selenium import webdriver
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from app.domain.documents import DocumentKind
from printing import datamatrix, layout, seal_profile, vds, verify
from printing.seal_keys import Pkcs12SealKey
from printing.templates import TEMPLATES
from sandbox.document_samples import sample_content
from sandbox.seal_pki import SIGNER_ID, SealPki
from tests.conftest import SealSetup
from tests.support.browser import (
    StaticSite,
    browser_missing,
    chromium,
    full_page_screenshot,
    open_page,
    wait_for,
    write_y4m,
)

pytestmark = pytest.mark.skipif(browser_missing() is not None, reason=str(browser_missing()))

AUTHENTIC, NOT_AUTHENTIC, CANNOT_CHECK = "authentic", "not_authentic", "cannot_check"


def _symbol(data: bytes) -> Image.Image:
    return datamatrix.render(data, module_pixels=5, quiet_modules=4)


def _side_by_side(*pictures: Image.Image) -> Image.Image:
    width = sum(p.width for p in pictures) + 40 * (len(pictures) + 1)
    out = Image.new("L", (width, max(p.height for p in pictures) + 80), 255)
    x = 40
    for picture in pictures:
        out.paste(picture, (x, 40))
        x += picture.width + 40
    return out


def _page_scan(pdf: bytes, dpi: int = 200) -> Image.Image:
    return pypdfium2.PdfDocument(pdf)[0].render(scale=dpi / 72, grayscale=True).to_pil()


def _resealed(
    seal: vds.VisibleDigitalSeal, sign: Callable[[bytes], bytes], **header: object
) -> bytes:
    changed = dataclasses.replace(seal.header, **header)  # type: ignore[arg-type]
    return vds.seal(changed, seal.features, sign).encode()


@dataclasses.dataclass(frozen=True)
class Corpus:
    folder: Path
    trust: Path
    expected: dict[str, str]  # file name → answer


@pytest.fixture(scope="module")
def corpus(seal: SealSetup, tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    folder = tmp_path_factory.mktemp("verifier-corpus")
    expected: dict[str, str] = {}

    def keep(name: str, picture: Image.Image, answer: str) -> None:
        picture.save(folder / name)
        expected[name] = answer

    original = seal.maker.make(sample_content(DocumentKind.BEWOHNERPARKAUSWEIS))
    (folder / "original.pdf").write_bytes(original.pdf)
    expected["original.pdf"] = AUTHENTIC
    scan = _page_scan(original.pdf)
    keep("scan-200dpi.png", scan, AUTHENTIC)
    photo = _page_scan(original.pdf, 300).rotate(4, expand=True, fillcolor=255)
    keep("photo.jpg", photo.convert("RGB"), AUTHENTIC)
    (genuine,) = vds.split(verify.seals_in_pdf(original.pdf)[0])

    features = list(genuine.features)
    plate = seal_profile.fact_tag(DocumentKind.BEWOHNERPARKAUSWEIS, "Amtliches Kennzeichen")
    features = [(t, b"SI-AB 999" if t == plate else v) for t, v in features]
    forged = vds.VisibleDigitalSeal(genuine.header, tuple(features), genuine.signature)
    keep("forged-plate.png", _symbol(forged.encode()), NOT_AUTHENTIC)

    sign = seal.key.sign_raw
    keep(
        "unknown-signer.png",
        _symbol(_resealed(genuine, sign, certificate_reference="ABCDEF")),
        NOT_AUTHENTIC,
    )
    (signer,) = seal.trust.signers
    before = signer.first_day - dt.timedelta(days=40)
    keep(
        "outside-period.png",
        _symbol(_resealed(genuine, sign, signature_date=before)),
        NOT_AUTHENTIC,
    )
    stranger = SealPki.create()
    stranger.pkcs12(
        folder / "stranger.p12", "Stadt Siegen Dienstsiegel", serial=0x51E6E1, passphrase="x"
    )
    foreign = Pkcs12SealKey(folder / "stranger.p12", "x").sign_raw
    keep("foreign-key.png", _symbol(_resealed(genuine, foreign)), NOT_AUTHENTIC)

    long_content = sample_content(DocumentKind.MELDEBESCHEINIGUNG_ERWEITERT)
    earlier = "; ".join(f"Musterstraße {n}, 57072 Siegen (bis 2010)" for n in range(1, 10))
    long_content = dataclasses.replace(
        long_content,
        facts=tuple(
            (label, earlier if label == "Frühere Anschriften" else value)
            for label, value in long_content.facts
        ),
    )
    header = seal_profile.header_for(
        long_content,
        signer_id=SIGNER_ID,
        certificate_reference=signer.reference,
        signed_on=genuine.header.signature_date,
    )
    parts = seal_profile.seals_for(long_content, header, sign, 64)
    assert len(parts) == 2
    keep("two-parts.png", _side_by_side(*(_symbol(p.encode()) for p in parts)), AUTHENTIC)
    keep("part-missing.png", _symbol(parts[0].encode()), CANNOT_CHECK)

    keep("not-a-seal.png", _symbol(b"Hallo, ich bin kein Siegel"), CANNOT_CHECK)
    damaged = scan.copy()
    for box in datamatrix_boxes(scan):  # the permit carries the seal twice: both wiped
        ImageDraw.Draw(damaged).rectangle(box, fill=255)
    keep("damaged.png", damaged, CANNOT_CHECK)
    keep("blank.png", Image.new("L", (800, 600), 255), CANNOT_CHECK)
    # the page reprinted with another plate around the genuine seal: the seal is genuine, and
    # the page lists its facts to compare (the desktop also reads the text: test_verify_cli)
    content = sample_content(DocumentKind.BEWOHNERPARKAUSWEIS)
    seals = tuple(verify.seals_in_pdf(original.pdf))
    reprinted = dataclasses.replace(
        content,
        facts=tuple(
            (label, "SI-AB 999" if label == "Amtliches Kennzeichen" else value)
            for label, value in content.facts
        ),
    )
    forged_page, _ = layout.render(reprinted, seals, TEMPLATES[reprinted.kind](reprinted, seals))
    keep("forged-printout.png", _page_scan(forged_page), AUTHENTIC)
    trust = folder / "vertrauensliste.json"
    trust.write_text(seal.trust.to_json(), encoding="utf-8")
    return Corpus(folder, trust, expected)


def datamatrix_boxes(scan: Image.Image) -> list[tuple[int, int, int, int]]:
    """The middle of each seal symbol on a 200 dpi scan: enough to wipe to leave none readable."""
    from pylibdmtx import pylibdmtx

    boxes = []
    for hit in pylibdmtx.decode(scan, max_count=2, timeout=30_000):
        left, top = hit.rect.left, scan.height - hit.rect.top - hit.rect.height
        w, h = hit.rect.width, hit.rect.height
        boxes.append((left + w // 4, top + h // 4, left + 3 * w // 4, top + 3 * h // 4))
    assert len(boxes) == 2
    return boxes


@pytest.fixture(scope="module")
def site(corpus: Corpus, tmp_path_factory: pytest.TempPathFactory) -> Iterator[StaticSite]:
    out = tmp_path_factory.mktemp("verifier-site") / "pruefen"
    result = _command("verifier", "build", "--out", str(out), "--trust-list", str(corpus.trust))
    assert result.returncode == 0, result.stderr
    served = StaticSite(out)
    yield served
    served.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    with chromium() as driver:
        yield driver


def _command(*arguments: str) -> subprocess.CompletedProcess[str]:
    tool = Path(sys.executable).with_name("buergerbuero")
    return subprocess.run(
        [str(tool), *arguments], capture_output=True, text=True, timeout=120, check=False
    )


def page_answer(driver: webdriver.Chrome, file: Path) -> tuple[str, list[tuple[str, str]]]:
    driver.execute_script("delete document.body.dataset.answer")
    driver.find_element(By.ID, "file").send_keys(str(file))
    answer = wait_for(driver, "return document.body.dataset.answer")
    facts = driver.execute_script(
        "return Array.from(document.querySelectorAll('#facts dt'),"
        " (dt) => [dt.textContent, dt.nextElementSibling.textContent])"
    )
    driver.execute_script("document.getElementById('file').value = ''")
    return answer, [tuple(pair) for pair in facts]


def desktop_answer(file: Path, corpus: Corpus) -> verify.SealCheck:
    from printing.trust_list import TrustList

    return verify.check_seals(verify.seals_in_file(file), TrustList.load(corpus.trust))


CORPUS_NAMES = (
    "original.pdf",
    "scan-200dpi.png",
    "photo.jpg",
    "forged-plate.png",
    "unknown-signer.png",
    "outside-period.png",
    "foreign-key.png",
    "two-parts.png",
    "part-missing.png",
    "not-a-seal.png",
    "damaged.png",
    "blank.png",
    "forged-printout.png",
)


def test_the_page_and_the_desktop_answer_alike_on_one_corpus(
    corpus: Corpus, site: StaticSite, browser: webdriver.Chrome
) -> None:
    assert set(CORPUS_NAMES) == set(corpus.expected)
    open_page(browser, site.url)
    differ = []
    for name in CORPUS_NAMES:
        file = corpus.folder / name
        desktop = desktop_answer(file, corpus)
        answer, facts = page_answer(browser, file)
        wanted = corpus.expected[name]
        if not (answer == desktop.answer.value == wanted):
            differ.append((name, wanted, desktop.answer.value, answer, desktop.message))
        elif desktop.reading is not None and facts != list(desktop.reading.facts):
            differ.append((name, "facts", desktop.reading.facts, facts))
    assert differ == []


def test_the_answer_names_the_reason_and_the_next_step(
    corpus: Corpus, site: StaticSite, browser: webdriver.Chrome
) -> None:
    open_page(browser, site.url)
    page_answer(browser, corpus.folder / "forged-plate.png")
    result = browser.find_element(By.ID, "result").text
    assert "NICHT ECHT" in result and "Signatur falsch" in result
    assert "Was tun:" in result
    assert browser.switch_to.active_element.get_attribute("id") == "verdict"  # read out first
    page_answer(browser, corpus.folder / "scan-200dpi.png")
    result = browser.find_element(By.ID, "result").text
    assert "SIEGEL ECHT – ANGABEN MIT DEM PAPIER VERGLEICHEN" in result
    assert "SI-ÖK 123" in result and "Geprüft: scan-200dpi.png" in browser.page_source

    browser.find_element(By.ID, "language").click()
    assert (
        "SEAL GENUINE – COMPARE THE FACTS WITH THE PAPER"
        in browser.find_element(By.ID, "result").text
    )
    assert browser.execute_script("return document.documentElement.lang") == "en"
    browser.find_element(By.ID, "language").click()


def test_keyboard_reaches_every_control(site: StaticSite, browser: webdriver.Chrome) -> None:
    open_page(browser, site.url)
    browser.execute_script("document.getElementById('language').focus()")
    reached = ["language"]
    for _ in range(2):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        reached.append(browser.switch_to.active_element.get_attribute("id"))
    assert reached == ["language", "camera", "file"]  # in reading order, the file by its label
    ActionChains(browser).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
    ActionChains(browser).send_keys(Keys.ENTER).perform()  # the camera by Return: none here
    wait_for(browser, "return document.getElementById('status').textContent")
    assert "Keine Kamera" in browser.find_element(By.ID, "status").text


def test_a_screen_reader_gets_roles_names_and_the_verdict_first(
    corpus: Corpus, site: StaticSite, browser: webdriver.Chrome
) -> None:
    """What chromium's accessibility tree (what a screen reader reads) holds."""
    open_page(browser, site.url)
    page_answer(browser, corpus.folder / "forged-plate.png")
    nodes = browser.execute_cdp_cmd("Accessibility.getFullAXTree", {})["nodes"]
    named = {
        (node["role"]["value"], node.get("name", {}).get("value", ""))
        for node in nodes
        if not node.get("ignored")
    }
    assert ("button", "Kamera starten") in named
    assert ("button", "English") in named
    assert any(role == "button" and name == "Foto, Scan oder PDF wählen" for role, name in named)
    assert ("heading", "NICHT ECHT") in named
    assert any(role == "status" for role, _ in named)
    focused = browser.execute_script("return document.activeElement.textContent")
    assert focused == "NICHT ECHT"  # the verdict is read first
    names = browser.execute_script(
        "return [document.getElementById('file').labels[0].textContent.trim(),"
        " document.getElementById('status').getAttribute('role')]"
    )
    assert names == ["Foto, Scan oder PDF wählen", "status"]


def test_it_checks_with_the_network_gone_and_asks_for_nothing(
    corpus: Corpus, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    assert (
        _command(
            "verifier", "build", "--out", str(out), "--trust-list", str(corpus.trust)
        ).returncode
        == 0
    )
    served = StaticSite(out)
    with chromium() as driver:
        open_page(driver, served.url)
        wait_for(
            driver,
            "return navigator.serviceWorker.controller !== null || (location.reload(), false)",
            timeout=30,
        )
        open_page(driver, served.url)
        wait_for(driver, "return navigator.serviceWorker.controller !== null")
        asked = len(served.requests)
        answer, _ = page_answer(driver, corpus.folder / "scan-200dpi.png")
        assert answer == AUTHENTIC
        assert served.requests[asked:] == []  # the check itself sends nothing anywhere
        served.stop()  # the network gone: the server is no more
        open_page(driver, served.url)
        assert page_answer(driver, corpus.folder / "original.pdf")[0] == AUTHENTIC
        assert page_answer(driver, corpus.folder / "forged-plate.png")[0] == NOT_AUTHENTIC


def test_the_camera_reads_the_seal_of_a_page_held_up(
    corpus: Corpus, site: StaticSite, tmp_path: Path
) -> None:
    scan = Image.open(corpus.folder / "scan-200dpi.png")
    lower_left = scan.crop((0, int(scan.height * 0.72), int(scan.width * 0.5), scan.height))
    stream = write_y4m(lower_left, tmp_path / "camera.y4m")
    with chromium(width=412, height=915, camera=stream, mobile=True) as driver:
        open_page(driver, site.url)
        driver.find_element(By.ID, "camera").click()
        assert wait_for(driver, "return document.body.dataset.answer") == AUTHENTIC
        assert "SI-ÖK 123" in driver.find_element(By.ID, "facts").text
        assert driver.execute_script("return document.getElementById('preview').hidden")


def test_the_build_is_reproducible_and_bad_input_is_one_line(
    corpus: Corpus, tmp_path: Path
) -> None:
    first = _command(
        "verifier", "build", "--out", str(tmp_path / "a"), "--trust-list", str(corpus.trust)
    )
    second = _command(
        "verifier", "build", "--out", str(tmp_path / "b"), "--trust-list", str(corpus.trust)
    )
    assert first.returncode == second.returncode == 0
    listing = json.loads(first.stdout)
    assert {"index.html", "trust.json", "sw.js", "vendor/zxing/reader/zxing_reader.wasm"} <= set(
        listing["files"]
    )
    for name in listing["files"]:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    missing = _command(
        "verifier",
        "build",
        "--out",
        str(tmp_path / "c"),
        "--trust-list",
        str(tmp_path / "none.json"),
    )
    assert missing.returncode == 2
    assert len(missing.stderr.strip().splitlines()) == 1 and "Traceback" not in missing.stderr


SHOTS = {
    "genuine": "scan-200dpi.png",
    "forged": "forged-plate.png",
    "text-differs": "forged-printout.png",  # SI-AB 999 on the paper, SI-ÖK 123 in the seal
    "unreadable": "damaged.png",
}


@pytest.mark.parametrize(("viewport", "size"), [("phone", (412, 915)), ("desktop", (1280, 900))])
def test_screenshots_of_each_answer(
    corpus: Corpus, site: StaticSite, tmp_path: Path, viewport: str, size: tuple[int, int]
) -> None:
    """With SCREENSHOT_DIR set (make screenshots) the pictures go to docs/screenshots; the
    suite takes them only then (two more browsers' worth of time)."""
    if not os.environ.get("SCREENSHOT_DIR"):
        pytest.skip("make screenshots takes these")
    folder = Path(os.environ["SCREENSHOT_DIR"])
    with chromium(width=size[0], height=size[1], mobile=viewport == "phone") as driver:
        open_page(driver, site.url)
        for answer, file in SHOTS.items():
            page_answer(driver, corpus.folder / file)
            picture = folder / f"verifier-{answer}-{viewport}.png"
            full_page_screenshot(driver, picture)
            with Image.open(picture) as shot:
                assert shot.width >= 0.95 * size[0]
