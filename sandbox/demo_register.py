"""A stand-in for the resident register on demo seats: plausible Siegen register data derived
from the case reference (the same answer every time), so demo documents look like real ones."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from app.domain.cases import Case

_STREETS = (
    "Kölner Straße",
    "Sandstraße",
    "Weidenauer Straße",
    "Löhrstraße",
    "Hagener Straße",
    "Koblenzer Straße",
    "Am Häusling",
    "Frankfurter Straße",
)
_POSTCODES = ("57072", "57074", "57076", "57078", "57080")
_PLACES = ("Siegen", "Köln", "Olpe", "Betzdorf", "Kreuztal", "Netphen", "Dortmund")


class DemoRegister:
    """The population register port, as a demo seat's vendor adapter would be configured
    (`population_register = "sandbox.demo_register:DemoRegister"`)."""

    def facts_for(self, case: Case) -> Mapping[str, str]:
        return demo_register(case)


def demo_register(case: Case) -> Mapping[str, str]:
    digest = hashlib.sha256(case.reference.encode()).digest()
    street = f"{_STREETS[digest[0] % len(_STREETS)]} {digest[1] % 120 + 1}"
    postcode = _POSTCODES[digest[2] % len(_POSTCODES)]
    return {
        "usual_given_name": case.applicant.given_names.split()[0],
        "main_address": f"{street}, {postcode} Siegen",
        "moved_in": f"{2000 + digest[3] % 25}-{digest[4] % 12 + 1:02d}-01",
        "birth_place": _PLACES[digest[5] % len(_PLACES)],
        "nationality": "deutsch",
        "marital_status": ("ledig", "verheiratet", "geschieden", "verwitwet")[digest[6] % 4],
        "former_addresses": f"{_STREETS[digest[7] % len(_STREETS)]} 3, 57072 Siegen",
        "register_entry": f"G {digest[9] * 7 % 2000 + 1}/{1950 + digest[10] % 70}",
    }
