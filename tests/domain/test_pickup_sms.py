"""The citizen's texts: each fits one SMS in the GSM 03.38 alphabet as a network counts it
(the `gsm0338` codec, not our own table), and carries what the citizen needs."""

from __future__ import annotations

import datetime as dt

import gsm0338  # noqa: F401  registers the codec
import pytest

from app.domain.catalogue import normalize_phone
from app.domain.pickup_mail import BoxPlace
from app.domain.pickup_sms import code_sms, reminder_sms

DEADLINE = dt.datetime(2026, 12, 9, 22, 59, tzinfo=dt.UTC)
SHORT = BoxPlace("Bürgerbüro Mitte", "Markt 2, 57072 Siegen", "Stadt Siegen")
LONG = BoxPlace(
    "Bürgerbüro Geisweid im Rathaus Geisweid",
    "Lindenplatz 7, Eingang über den Hof neben der Sparkasse, 57078 Siegen-Geisweid",
    "Stadt Siegen",
)


def septets(text: str) -> int:
    return len(text.encode("gsm03.38"))  # raises where a character is not in the alphabet


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("place", [SHORT, LONG])
@pytest.mark.parametrize("renewed", [False, True])
def test_every_text_fits_one_message(language: str, place: BoxPlace, renewed: bool) -> None:
    code = code_sms(
        language=language,
        reference="SI-2026-000123",
        code="12345678",
        place=place,
        deadline=DEADLINE,
        renewed=renewed,
    )
    reminder = reminder_sms(
        language=language, reference="SI-2026-000123", place=place, deadline=DEADLINE
    )
    assert septets(code) <= 160 and septets(reminder) <= 160
    assert "12345678" in code and "SI-2026-000123" in code and "12345678" not in reminder
    assert ("09.12.2026" if language == "de" else "2026-12-09") in code


def test_the_address_goes_where_it_fits_and_is_left_out_where_not() -> None:
    short = code_sms(
        language="de", reference="SI-2026-000123", code="1" * 8, place=SHORT, deadline=DEADLINE
    )
    long = code_sms(
        language="de", reference="SI-2026-000123", code="1" * 8, place=LONG, deadline=DEADLINE
    )
    assert "Markt 2, 57072 Siegen" in short and "Lindenplatz" not in long
    assert "Geburtsdatum" in short and "Geburtsdatum" in long


def test_numbers_lose_their_typing_aids() -> None:
    assert normalize_phone("+49 (171) 234-5678") == "+491712345678"
    assert normalize_phone("0049 171 2345678") == "+491712345678"
    assert normalize_phone("0171/2345678") == "01712345678"
