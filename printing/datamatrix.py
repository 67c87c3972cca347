"""DataMatrix ECC200 in Base256 through libdmtx (pylibdmtx): module matrices to draw, and reading
binary codes back from a scan or photo (`app.integrations.datamatrix.read`, re-exported)."""

from __future__ import annotations

import functools

from PIL import Image
from pylibdmtx import pylibdmtx

from app.integrations.datamatrix import read as read

Matrix = tuple[tuple[bool, ...], ...]

_ENCODER_MODULE_PIXELS = 5  # libdmtx's default module size when encoding


class DataMatrixError(ValueError):
    pass


@functools.lru_cache(maxsize=16)  # a document draws its seal on every page
def encode_modules(data: bytes) -> Matrix:
    """The symbol's modules (True = dark), quiet zone excluded."""
    encoded = pylibdmtx.encode(data, scheme="Base256")
    width, height, pixels = encoded.width, encoded.height, encoded.pixels
    stride, size = encoded.bpp // 8, _ENCODER_MODULE_PIXELS

    def dark(x: int, y: int) -> bool:
        return bool(pixels[(y * width + x) * stride] < 128)

    # The symbol's finder pattern starts with a dark module at its top-left corner.
    margin = next((x for x in range(width) if dark(x, height // 2)), None)
    if margin is None:
        raise DataMatrixError("libdmtx produced an empty symbol")
    top = next(y for y in range(height) if dark(margin, y))
    columns, rows = (width - 2 * margin) // size, (height - 2 * top) // size
    half, step = size // 2, size * stride
    matrix = []
    for row in range(rows):
        # one slice per row samples every module's centre pixel
        first = ((top + row * size + half) * width + margin + half) * stride
        matrix.append(tuple(value < 128 for value in pixels[first : first + columns * step : step]))
    return tuple(matrix)


def render(data: bytes, *, module_pixels: int = 4, quiet_modules: int = 2) -> Image.Image:
    matrix = encode_modules(data)
    rows, columns = len(matrix), len(matrix[0])
    image = Image.new(
        "L",
        ((columns + 2 * quiet_modules) * module_pixels, (rows + 2 * quiet_modules) * module_pixels),
        255,
    )
    for row, line in enumerate(matrix):
        for column, dark in enumerate(line):
            if dark:
                x = (column + quiet_modules) * module_pixels
                y = (row + quiet_modules) * module_pixels
                image.paste(0, (x, y, x + module_pixels, y + module_pixels))
    return image
