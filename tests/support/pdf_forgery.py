"""Changes a forger makes to a sealed PDF, for the tests that must catch them."""

from __future__ import annotations

import io


def flip_byte_in_signed_range(pdf: bytes) -> bytes:
    """One bit changed inside what the signature covers (the page's text)."""
    position = pdf.index(b"Seite 1 von 1") if b"Seite 1 von 1" in pdf else len(pdf) // 3
    damaged = bytearray(pdf)
    damaged[position // 2] ^= 0x01
    return bytes(damaged)


def draw_after_sealing(pdf: bytes, operators: bytes) -> bytes:
    """An incremental update that adds content operators to the first page: the signed bytes
    stay intact, the page shows more."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    overlay = writer.add_object(generic.StreamObject(stream_data=operators))
    page["/Contents"] = generic.ArrayObject([page.raw_get("/Contents"), overlay])
    writer.update_container(page)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()
