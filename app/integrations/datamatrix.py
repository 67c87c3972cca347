"""Reading DataMatrix ECC200 symbols off an image through libdmtx (pylibdmtx), binary-safe.

pylibdmtx's own `decode` returns the message as a C string, which ends at the first NUL byte; a
seal is binary, so reading uses the same libdmtx calls and takes the message by its length.
Here in app.integrations because both the printed seal's checker (printing) and the form
import (a scanned application form's marker) read symbols.
"""

from __future__ import annotations

from ctypes import POINTER, c_ubyte, cast, string_at

from PIL import Image
from pylibdmtx import pylibdmtx
from pylibdmtx.wrapper import DmtxUndefined


def read(
    image: Image.Image, *, timeout_ms: int = 5000, max_count: int | None = None
) -> list[bytes]:
    """The DataMatrix symbols found in the image (up to `max_count`), binary-safe. Searching a
    whole page for more symbols after the last one takes until the timeout: stop early where
    one is enough."""
    grey = image.convert("RGB")
    pixels = grey.tobytes()
    width, height = grey.size
    found: list[bytes] = []
    timeout = None
    if timeout_ms:
        timeout = pylibdmtx.dmtxTimeAdd(pylibdmtx.dmtxTimeNow(), timeout_ms)
    with (
        pylibdmtx._image(
            cast(pixels, POINTER(c_ubyte)),  # type: ignore[arg-type]
            width,
            height,
            pylibdmtx._PACK_ORDER[24],
        ) as dmtx_image,
        pylibdmtx._decoder(dmtx_image, 1) as decoder,
    ):
        while True:
            with pylibdmtx._region(decoder, timeout) as region:
                if not region:
                    break
                with pylibdmtx._decoded_matrix_region(decoder, region, DmtxUndefined) as message:
                    if message:
                        contents = message.contents
                        found.append(string_at(contents.output, contents.outputIdx))
            if max_count is not None and len(found) >= max_count:
                break
    return found
