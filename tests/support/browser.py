"""A real browser for the public verifier page: Debian's chromium, headless, driven through
Debian's chromedriver by Selenium; and a static web server on the loopback that serves a built
page, counts what it was asked for, and can be stopped (the network gone)."""

from __future__ import annotations

import base64
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from PIL import Image
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from sandbox.static_site import StaticSite

__all__ = ["StaticSite", "chromium", "full_page_screenshot", "open_page", "wait_for", "write_y4m"]

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


def browser_missing() -> str | None:
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not Path(path).exists()]
    return f"not installed: {', '.join(missing)} (scripts/bootstrap.sh)" if missing else None


@contextmanager
def chromium(
    *, width: int = 1280, height: int = 900, camera: Path | None = None, mobile: bool = False
) -> Iterator[webdriver.Chrome]:
    """A headless chromium; `camera`: a .y4m file it shows as the device's camera."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",  # the suite runs as root
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        f"--window-size={width},{height}",
    ):
        options.add_argument(argument)
    if camera is not None:
        options.add_argument("--use-fake-ui-for-media-stream")
        options.add_argument("--use-fake-device-for-media-stream")
        options.add_argument(f"--use-file-for-fake-video-capture={camera}")
    if mobile:
        options.add_experimental_option(
            "mobileEmulation",
            {"deviceMetrics": {"width": width, "height": height, "pixelRatio": 2.0}},
        )
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(shutil.which(CHROMEDRIVER)))
    driver.set_script_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def wait_for(driver: webdriver.Chrome, script: str, *, timeout: float = 60) -> Any:
    """The script's value once it is truthy."""
    deadline = time.monotonic() + timeout
    while True:
        value = driver.execute_script(script)
        if value:
            return value
        if time.monotonic() > deadline:
            logs = [entry["message"] for entry in driver.get_log("browser")]
            raise TimeoutError(f"{script!r} stayed false; browser log: {logs}")
        time.sleep(0.05)


def open_page(driver: webdriver.Chrome, url: str) -> None:
    driver.get(url)
    wait_for(driver, "return document.body.dataset.ready === 'true'")


def full_page_screenshot(driver: webdriver.Chrome, path: Path) -> None:
    """The whole page, below the fold too (DevTools' captureBeyondViewport)."""
    size = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1},
        },
    )
    path.write_bytes(base64.b64decode(shot["data"]))


def poll(until: Callable[[], bool], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not until():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met")
        time.sleep(0.05)


def write_y4m(picture: Image.Image, path: Path, *, width: int = 1280, height: int = 720) -> Path:
    """A one-frame camera stream (YUV4MPEG2, 4:2:0) of the picture, grey, fitted into the frame
    as a phone held over the paper would show it; chromium plays it in a loop."""
    frame = Image.new("L", (width, height), 255)
    fitted = picture.convert("L")
    fitted.thumbnail((width, height))
    frame.paste(fitted, ((width - fitted.width) // 2, (height - fitted.height) // 2))
    chroma = bytes([128]) * (width // 2 * height // 2)
    header = f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode()
    path.write_bytes(header + b"FRAME\n" + frame.tobytes() + chroma + chroma)
    return path
