"""The public verifier page in headless chromium (Debian's, through chromium-driver):

- image → verdict for a 200 dpi page scan (PNG), a phone-sized photo (4032x3024 JPEG of the page
  held at a slant) and the PDF itself, as the page measures it (file read, the picture decoded,
  the DataMatrix found and read, the seal parsed and its signature checked by WebCrypto), beside
  the ZXing reader's own time on the same picture in the same run;
- the desktop's libdmtx read of the same pictures, for comparison;
- the page's weight: what a first visit loads before a PDF is chosen, and all of it (pdf.js
  comes with the first PDF; the service worker keeps everything for offline use).

    python bench/bench_verifier.py [--rounds 7]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

from app.domain.documents import DocumentKind  # noqa: E402
from printing import rasterize, verify  # noqa: E402
from printing.maker import SealedDocumentMaker  # noqa: E402
from printing.seal_keys import Pkcs12SealKey  # noqa: E402
from printing.verifier_build import build  # noqa: E402
from sandbox.document_samples import sample_content  # noqa: E402
from sandbox.seal_pki import SIGNER_ID, SealPki  # noqa: E402
from tests.support.browser import StaticSite, chromium, open_page, wait_for  # noqa: E402


def inputs(folder: Path) -> tuple[dict[str, Path], Path]:
    pki = SealPki.create()
    certificate = pki.pkcs12(folder / "seal.p12", "Stadt Siegen Dienstsiegel", passphrase="b")
    maker = SealedDocumentMaker(
        Pkcs12SealKey(folder / "seal.p12", "b"), signer_id=SIGNER_ID, location="Siegen"
    )
    pdf = maker.make(sample_content(DocumentKind.BEWOHNERPARKAUSWEIS)).pdf
    (folder / "original.pdf").write_bytes(pdf)
    scan = next(rasterize.pages(pdf, dpi=200, grayscale=True))
    scan.save(folder / "scan-200dpi.png")
    page = next(rasterize.pages(pdf, dpi=300)).rotate(5, expand=True, fillcolor="white")
    photo = Image.new("RGB", (4032, 3024), (92, 84, 76))  # a desk under the page
    page.thumbnail((3000, 2900))
    photo.paste(page, ((4032 - page.width) // 2, (3024 - page.height) // 2))
    photo.save(folder / "photo-4032x3024.jpg", quality=85)
    trust = folder / "vertrauensliste.json"
    trust.write_text(pki.trust_list([certificate]).to_json(), encoding="utf-8")
    return {
        "200 dpi page scan (PNG)": folder / "scan-200dpi.png",
        "phone photo 4032x3024 (JPEG)": folder / "photo-4032x3024.jpg",
        "the PDF (page drawn at 200 dpi by pdf.js)": folder / "original.pdf",
    }, trust


def in_page(driver: object, file: Path) -> tuple[float, float, str]:
    driver.execute_script("delete document.body.dataset.answer")  # type: ignore[attr-defined]
    driver.find_element(By.ID, "file").send_keys(str(file))  # type: ignore[attr-defined]
    answer = wait_for(driver, "return document.body.dataset.answer")  # type: ignore[arg-type]
    total, decode = driver.execute_script(  # type: ignore[attr-defined]
        "return [document.body.dataset.totalMs, document.body.dataset.decodeMs]"
    )
    driver.execute_script("document.getElementById('file').value = ''")  # type: ignore[attr-defined]
    return float(total), float(decode), answer


def desktop_read(file: Path) -> float:
    started = time.perf_counter()
    found = verify.seals_in_file(file)
    assert found
    return (time.perf_counter() - started) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    rounds = parser.parse_args().rounds
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        files, trust = inputs(folder)
        from printing.trust_list import TrustList

        built = build(folder / "site", TrustList.load(trust))
        site = StaticSite(built.folder)
        print(
            f"page weight: first visit {built.first_load / 1024:.0f} kB (before a PDF is "
            f"chosen), all files {built.size / 1024:.0f} kB"
        )
        wasm = (built.folder / "vendor/zxing/reader/zxing_reader.wasm").stat().st_size
        print(f"  of which the reader's WebAssembly {wasm / 1024:.0f} kB")
        try:
            with chromium() as driver:
                started = time.perf_counter()
                open_page(driver, site.url)
                print(f"page open, reader compiled: {time.perf_counter() - started:.2f} s")
                print(
                    f"\n{'input':44} {'image → verdict':>16} {'reader alone':>13} "
                    f"{'desktop libdmtx':>16}"
                )
                for name, file in files.items():
                    runs = [in_page(driver, file) for _ in range(rounds)]
                    assert {answer for *_, answer in runs} == {"authentic"}, runs
                    total = statistics.median(r[0] for r in runs)
                    decode = statistics.median(r[1] for r in runs)
                    desktop = statistics.median(desktop_read(file) for _ in range(3))
                    print(f"{name:44} {total:13.0f} ms {decode:10.0f} ms {desktop:13.0f} ms")
        finally:
            site.stop()
    print(f"\n(medians of {rounds} rounds; headless chromium, 2 cores)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
